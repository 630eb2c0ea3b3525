import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadConfig } from '../../server/config.js';
import { eventually } from '../support/fake-telephony.js';
import { noLeftovers, startTestAsterisk, startTestServer } from '../support/asterisk.js';
import { freeTcpPort } from '../support/server-process.js';

/*
 * A carrier over SIP on TLS (Debian's sipp has no TLS, so the carrier here is a few lines of SIP
 * written over Node's TLS socket): the trunk's TLS transport serves the site's certificate, a call
 * from the trunk's address reaches the IVR with its number and trunk recorded, and the same
 * INVITE from an address no trunk matches is refused.
 */

const dir = mkdtempSync(join(tmpdir(), 'cc-trunk-tls-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const certPath = join(dir, 'site.crt');
const keyPath = join(dir, 'site.key');
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30',
  '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certPath], { stdio: 'ignore' });
const trunksFile = join(dir, 'trunks.json');
writeFileSync(trunksFile, JSON.stringify({
  trunks: [{ name: 'carrier-tls', host: '127.0.0.1', transport: 'tls', match: ['127.0.0.1'], dids: [{ number: '+74012999077', entry: 'ivr' }] }],
}));
const env = { TRUNKS_FILE: trunksFile, TLS_CERT: certPath, TLS_KEY: keyPath, SURVEY: 'off' };
const tlsPort = await freeTcpPort();
const asterisk = await startTestAsterisk(t, 'trunk-tls', { trunks: loadConfig(env).trunks, tls: { certPath, keyPath, port: tlsPort } });
const server = await startTestServer(t, asterisk, { env });

/** One SIP dialog over TLS from `localAddress`: the carrier's side, as little as a call needs. */
class TlsCarrier {
  readonly #socket: TLSSocket;
  #buffer = '';
  readonly #waiting: Array<(message: string) => void> = [];
  readonly #received: string[] = [];
  readonly callId = randomBytes(8).toString('hex');
  readonly #tag = randomBytes(4).toString('hex');
  #toTag = '';

  private constructor(socket: TLSSocket) {
    this.#socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.#buffer += chunk;
      // Responses without a body (this test's INVITE gets its 200's SDP read as part of the message).
      for (;;) {
        const end = this.#buffer.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = this.#buffer.slice(0, end);
        const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? 0);
        if (this.#buffer.length < end + 4 + length) return;
        const message = this.#buffer.slice(0, end + 4 + length);
        this.#buffer = this.#buffer.slice(end + 4 + length);
        const waiter = this.#waiting.shift();
        if (waiter === undefined) this.#received.push(message); else waiter(message);
      }
    });
  }

  static async open(localAddress: string): Promise<TlsCarrier> {
    // From a chosen address (Node's TLS options do not take one; its TCP socket does).
    const tcp = createConnection({ host: '127.0.0.1', port: tlsPort, localAddress });
    const socket = connect({ socket: tcp, host: '127.0.0.1', ca: readFileSync(certPath) });
    await new Promise<void>((resolve, reject) => { socket.once('secureConnect', resolve); socket.once('error', reject); });
    return new TlsCarrier(socket);
  }

  get local(): string { return `${this.#socket.localAddress}:${this.#socket.localPort}`; }

  /** The next message whose first line matches `first` (skipping provisional responses and requests). */
  async next(first: RegExp, ms = 10_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const message = this.#received.shift() ?? await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no SIP message matching ${first} within ${ms} ms`)), Math.max(0, deadline - Date.now()));
        this.#waiting.push((m) => { clearTimeout(timer); resolve(m); });
      });
      if (first.test(message.split('\r\n', 1)[0]!)) {
        const tag = /^to:.*;tag=([^;\s]+)/im.exec(message)?.[1];
        if (tag !== undefined) this.#toTag = tag;
        return message;
      }
      // Asterisk's own requests in the dialog (none expected before BYE) are answered 200.
      if (/^[A-Z]+ sip:/.test(message)) this.#socket.write(answer(message));
    }
  }

  send(method: 'INVITE' | 'ACK' | 'BYE', cseq: number, from: string, did: string): void {
    const sdp = method === 'INVITE'
      ? `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40002 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n`
      : '';
    this.#socket.write([
      `${method} sip:${did}@127.0.0.1:${tlsPort};transport=tls SIP/2.0`,
      `Via: SIP/2.0/TLS ${this.local};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
      `From: <sip:${from}@127.0.0.1>;tag=${this.#tag}`,
      `To: <sip:${did}@127.0.0.1>${this.#toTag && method !== 'INVITE' ? `;tag=${this.#toTag}` : ''}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:${from}@${this.local};transport=tls>`,
      'Max-Forwards: 70',
      ...(sdp !== '' ? ['Content-Type: application/sdp'] : []),
      `Content-Length: ${Buffer.byteLength(sdp)}`,
      '', sdp,
    ].join('\r\n'));
  }

  close(): void { this.#socket.destroy(); }
}

function answer(request: string): string {
  const headers = request.split('\r\n').filter((l) => /^(via|from|to|call-id|cseq):/i.test(l));
  return ['SIP/2.0 200 OK', ...headers, 'Content-Length: 0', '', ''].join('\r\n');
}

t.test('a carrier over TLS reaches the IVR through its trunk, with the DID and its caller number recorded', async (t) => {
  const carrier = await TlsCarrier.open('127.0.0.1');
  t.teardown(() => carrier.close());
  carrier.send('INVITE', 1, '+74012000001', '+74012999077');
  const ok = await carrier.next(/^SIP\/2\.0 [2-9]\d\d/);
  t.match(ok.split('\r\n', 1)[0], /^SIP\/2\.0 200/, 'the IVR answers the call');
  carrier.send('ACK', 1, '+74012000001', '+74012999077');
  const call = await eventually(async () => server.db.selectFrom('calls').selectAll().where('caller_number', '=', '+74012000001').executeTakeFirst(), 10_000, 'the call recorded');
  t.equal(call.dialed, '+74012999077', 'the DID is stored');
  const arrived = await server.db.selectFrom('call_events').select('data').where('call_id', '=', call.id).where('type', '=', 'call_arrived').executeTakeFirstOrThrow();
  t.match(JSON.parse(arrived.data), { trunk: 'carrier-tls', did: '+74012999077' }, 'through the TLS trunk');
  carrier.send('BYE', 2, '+74012000001', '+74012999077');
  await carrier.next(/^SIP\/2\.0 200/);
  await eventually(async () => {
    const row = await server.db.selectFrom('calls').select('ended_at').where('id', '=', call.id).executeTakeFirst();
    return row?.ended_at != null ? true : undefined;
  }, 10_000, 'the call ended');
  await noLeftovers(asterisk);
});

t.test('the same INVITE over TLS from an address no trunk matches is refused', async (t) => {
  const stranger = await TlsCarrier.open('127.0.0.2');
  t.teardown(() => stranger.close());
  stranger.send('INVITE', 1, '+74950000000', '+74012999077');
  const refused = await stranger.next(/^SIP\/2\.0 [2-9]\d\d/);
  t.match(refused.split('\r\n', 1)[0], /^SIP\/2\.0 (401|403)/, 'challenged or forbidden, never answered');
  const calls = await server.db.selectFrom('calls').select('id').where('caller_number', '=', '+74950000000').execute();
  t.equal(calls.length, 0, 'nothing reached the IVR');
});

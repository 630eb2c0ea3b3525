import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import WebSocket, { WebSocketServer } from 'ws';
import { loadTls } from '../../server/tls/certificate.js';
import { addAgent, testApp } from '../support/app.js';

/*
 * The server at a real site: https with a real or self-signed certificate, the Secure session
 * cookie and HSTS, and the softphone's SIP WebSocket on the server's own origin (/sip), proxied
 * to Asterisk and refused without a session.
 */

const dir = mkdtempSync(join(tmpdir(), 'cc-tls-test-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

/** A self-signed certificate for 127.0.0.1 made with openssl, as a site's own would be. */
function certificate(name: string): { certPath: string; keyPath: string } {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certPath], { stdio: 'ignore' });
  return { certPath, keyPath };
}

const quiet = () => undefined;
const site = certificate('site');
const other = certificate('other');

t.test('TLS_CERT and TLS_KEY are served as given; bad ones stop the start naming the variable', async (t) => {
  const tls = await loadTls({ ...site, host: '10.1.2.3', dir, log: quiet });
  t.ok(tls !== null && !tls.selfSigned);
  t.match(tls?.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  await t.rejects(loadTls({ certPath: join(dir, 'missing.crt'), keyPath: site.keyPath, host: '10.1.2.3', dir, log: quiet }), { code: 'CC_ERR_CONFIG_TLS', details: { variable: 'TLS_CERT' } }, 'unreadable');
  await t.rejects(loadTls({ certPath: site.certPath, keyPath: other.keyPath, host: '10.1.2.3', dir, log: quiet }), { code: 'CC_ERR_CONFIG_TLS', details: { variable: 'TLS_KEY' } }, 'a key of another certificate');
  await t.rejects(loadTls({ ...site, host: '10.1.2.3', dir, log: quiet, now: new Date(Date.now() + 60 * 86_400_000) }), { code: 'CC_ERR_CONFIG_TLS', details: { variable: 'TLS_CERT' } }, 'expired');
  writeFileSync(join(dir, 'garbage.crt'), 'not a certificate');
  await t.rejects(loadTls({ certPath: join(dir, 'garbage.crt'), keyPath: site.keyPath, host: '10.1.2.3', dir, log: quiet }), { code: 'CC_ERR_CONFIG_TLS', details: { variable: 'TLS_CERT' } }, 'not PEM');
  await t.rejects(loadTls({ certPath: site.certPath, host: '10.1.2.3', dir, log: quiet }), { code: 'CC_ERR_CONFIG_TLS', details: { variable: 'TLS_KEY' } }, 'one without the other');
});

t.test('on loopback without a certificate the server stays on plain http', async (t) => {
  t.equal(await loadTls({ host: '127.0.0.1', dir, log: quiet }), null);
});

t.test('on another address without a certificate a self-signed one is made for it, said with its fingerprint, and reused', async (t) => {
  const own = join(dir, 'self');
  const lines: string[] = [];
  const first = await loadTls({ host: '10.99.0.5', dir: own, log: (l) => lines.push(l) });
  t.ok(first?.selfSigned);
  t.ok(lines.some((l) => l.includes(first!.fingerprint)), 'the fingerprint is printed');
  t.ok(lines.some((l) => l.includes('TLS_CERT') && l.includes('TLS_KEY')), 'and how to install a real one');
  const text = execFileSync('openssl', ['x509', '-noout', '-ext', 'subjectAltName', '-in', join(own, 'server.crt')]).toString();
  t.match(text, 'IP Address:10.99.0.5');
  const again = await loadTls({ host: '10.99.0.5', dir: own, log: quiet });
  t.equal(again?.fingerprint, first?.fingerprint, 'the same certificate on the next start');
  const moved = await loadTls({ host: '10.99.0.6', dir: own, log: quiet });
  t.not(moved?.fingerprint, first?.fingerprint, 'a new address gets a new one');
});

/** An https request to the test app, trusting exactly the site's certificate. */
function httpsJson(url: string, opts: { method?: string; body?: unknown; cookie?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = request(url, {
      method: opts.method ?? 'GET', ca: readFileSync(site.certPath),
      headers: { ...(payload !== undefined && { 'content-type': 'application/json' }), ...(opts.cookie !== undefined && { cookie: opts.cookie }) },
    }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const seed = async (db: Parameters<NonNullable<Parameters<typeof testApp>[1]>['seed'] & object>[0]) => {
  await addAgent(db, 'operator1', { general: 1 }, { password: 'operator1-pw' });
};

t.test('over https the session cookie is Secure and every answer carries HSTS', async (t) => {
  const app = await testApp(t, { seed, https: { key: readFileSync(site.keyPath), cert: readFileSync(site.certPath) } });
  t.match(app.url, /^https:\/\/127\.0\.0\.1:/);
  const login = await httpsJson(`${app.url}/api/session`, { method: 'POST', body: { username: 'operator1', password: 'operator1-pw' } });
  t.equal(login.status, 200);
  const cookie = String(login.headers['set-cookie']);
  t.match(cookie, /; Secure/);
  t.match(cookie, /HttpOnly/);
  t.match(login.headers['strict-transport-security'], /max-age=\d+/);
  const health = await httpsJson(`${app.url}/api/health`);
  t.match(health.headers['strict-transport-security'], /max-age=\d+/, 'on every answer');
  const sip = await httpsJson(`${app.url}/api/session/sip`, { cookie: cookie.split(';')[0]! });
  t.match(JSON.parse(sip.body), { wsUrl: `${app.url!.replace(/^https/, 'wss')}/sip` }, 'the softphone is told wss:// on the same origin');
});

t.test('over plain http on loopback there is no HSTS and the cookie is not Secure', async (t) => {
  const app = await testApp(t, { seed });
  const login = await app.http.inject({ method: 'POST', url: '/api/session', payload: { username: 'operator1', password: 'operator1-pw' } });
  t.notMatch(String(login.headers['set-cookie']), /Secure/);
  t.equal(login.headers['strict-transport-security'], undefined);
});

/** A stand-in for Asterisk's /ws: a WebSocket server on loopback that answers each frame with "echo:<frame>". */
async function fakeAsteriskWs(t: { teardown(fn: () => unknown): void }): Promise<{ url: string; seen: Array<{ path: string; protocol: string }> }> {
  const seen: Array<{ path: string; protocol: string }> = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false) });
  wss.on('connection', (ws, req) => {
    seen.push({ path: req.url ?? '', protocol: ws.protocol });
    ws.on('message', (data) => ws.send(`echo:${data.toString()}`));
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  t.teardown(() => new Promise<void>((resolve) => { for (const c of wss.clients) c.terminate(); wss.close(() => resolve()); }));
  const { port } = wss.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, seen };
}

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'sip', { headers, ca: readFileSync(site.certPath) });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

t.test('the /sip upgrade is refused without a session; with one it reaches Asterisk\'s /ws with the sip subprotocol, both ways', async (t) => {
  const asterisk = await fakeAsteriskWs(t);
  const app = await testApp(t, { seed, asteriskHttpUrl: asterisk.url, https: { key: readFileSync(site.keyPath), cert: readFileSync(site.certPath) } });
  const wss = `${app.url!.replace(/^https/, 'wss')}/sip`;
  await t.rejects(open(wss), { status: 401 } as never, 'no cookie');
  await t.rejects(open(wss, { cookie: 'cc_session=forged' }), { status: 401 } as never, 'a cookie of no session');
  t.equal(asterisk.seen.length, 0, 'Asterisk never heard of them');
  const login = await httpsJson(`${app.url}/api/session`, { method: 'POST', body: { username: 'operator1', password: 'operator1-pw' } });
  const ws = await open(wss, { cookie: String(login.headers['set-cookie']).split(';')[0]! });
  t.equal(ws.protocol, 'sip');
  const answer = new Promise<string>((resolve) => ws.once('message', (d) => resolve(d.toString())));
  ws.send('REGISTER sip:127.0.0.1 SIP/2.0');
  t.equal(await answer, 'echo:REGISTER sip:127.0.0.1 SIP/2.0');
  t.same(asterisk.seen, [{ path: '/ws', protocol: 'sip' }]);
  ws.close();
});

t.test('/sip takes nothing but the upgrade', async (t) => {
  const app = await testApp(t, { seed });
  const session = await app.loginAs('operator1', 'operator1-pw');
  t.equal((await session.inject({ method: 'GET', url: '/sip' })).statusCode, 400);
  t.equal((await session.inject({ method: 'POST', url: '/sip' })).statusCode, 404);
  t.equal((await app.http.inject({ method: 'GET', url: '/sip' })).statusCode, 401);
});

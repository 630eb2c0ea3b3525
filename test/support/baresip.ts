import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BARESIP, ensureHostPackages } from '../../server/asterisk/host-packages.js';
import { eventually } from './fake-telephony.js';
import { freeTcpPort } from './server-process.js';
import { freeUdpPort } from './sipp.js';

/*
 * A real softphone as a test caller: Debian's baresip (1.0), on 127.0.0.1 only, sending a 440 Hz
 * tone as its voice and its keys as RFC 4733 telephone-events, the way desk and mobile SIP
 * phones do. Driven through its ctrl_tcp module (netstring-framed JSON commands).
 */

export interface BaresipPhone {
  /** Calls `uri` (e.g. sip:1000@127.0.0.1:5060); resolves when baresip has taken the command. */
  dial(uri: string): Promise<void>;
  /** Sends keys on the call in progress, one after another (baresip's own timing). */
  sendKeys(keys: string): Promise<void>;
  hangUp(): Promise<void>;
  /** Stops baresip and removes its folder; safe to call twice. */
  stop(): Promise<void>;
  /** What baresip has printed, for a failure's message. */
  output(): string;
}

/**
 * Starts baresip with an account for `callerNumber` at 127.0.0.1 (no registration: the trunk
 * identifies 127.0.0.1). Installs baresip-core with apt when it is missing.
 */
export async function startBaresip(callerNumber: string): Promise<BaresipPhone> {
  await ensureHostPackages([BARESIP]);
  const dir = mkdtempSync(join(tmpdir(), 'cc-baresip-'));
  const ctrlPort = await freeTcpPort();
  const rtpFrom = await freeUdpPort(true);
  writeFileSync(join(dir, 'config'), [
    `sip_listen 127.0.0.1:${await freeUdpPort()}`,
    // Only loopback: baresip would otherwise take the machine's first interface.
    'net_interface 127.0.0.1',
    `rtp_ports ${rtpFrom}-${rtpFrom + 3}`,
    // ausine makes only 48 kHz stereo; baresip resamples to the codec's 8 kHz mono. Heard audio goes nowhere.
    'audio_source ausine,440', 'ausrc_srate 48000', 'ausrc_channels 2',
    'audio_player aubridge,nowhere', 'audio_alert aubridge,nowhere',
    'module_path /usr/lib/baresip/modules',
    'module g711.so', 'module ausine.so', 'module aubridge.so',
    'module_app account.so', 'module_app menu.so', 'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'accounts'), `<sip:${callerNumber}@127.0.0.1>;regint=0;audio_codecs=PCMA\n`);
  const child = spawn(BARESIP.program, ['-f', dir, '-v'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let stopped = false;
  const stop = async () => {
    if (!stopped) { stopped = true; child.kill('SIGTERM'); }
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  let socket: Socket;
  try {
    socket = await eventually(() => new Promise<Socket | undefined>((resolve) => {
      if (child.exitCode !== null) throw new Error(`baresip exited: ${out}`);
      const s = connect(ctrlPort, '127.0.0.1');
      s.once('connect', () => resolve(s));
      s.once('error', () => resolve(undefined));
    }), 10_000, 'baresip\'s control socket');
  } catch (err) {
    await stop();
    throw err;
  }
  let received = '';
  socket.on('data', (d: Buffer) => { received += d.toString(); });
  let token = 0;
  /** Sends one command and waits for its response (ctrl_tcp echoes our token); rejects when not ok. */
  const command = async (name: string, params: string): Promise<void> => {
    const id = `c${++token}`;
    const json = JSON.stringify({ command: name, params, token: id });
    socket.write(`${Buffer.byteLength(json)}:${json},`);
    const response = await eventually(() => {
      for (const m of received.matchAll(/\d+:(\{.*?\}),/g)) {
        const msg = JSON.parse(m[1]!) as { response?: boolean; ok?: boolean; data?: string; token?: string };
        if (msg.response === true && msg.token === id) return msg;
      }
      return undefined;
    }, 5000, `baresip's answer to ${name}`);
    if (response.ok !== true) throw new Error(`baresip ${name} ${params}: ${response.data ?? 'failed'}`);
  };
  return {
    dial: (uri) => command('dial', uri),
    sendKeys: (keys) => command('sndcode', keys),
    hangUp: () => command('hangup', ''),
    async stop() { socket.destroy(); await stop(); },
    output: () => out,
  };
}

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { writeCallerScenario, type CallerStep, type KeyMode } from './sipp-script.js';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSocket } from 'node:dgram';

const scenarios = join(dirname(fileURLToPath(import.meta.url)), 'sipp');

export interface SippOptions {
  /** A scenario file name in test/support/sipp/, or a scripted caller's steps. */
  scenario: string | CallerStep[];
  /** Rows for sipp's -inf file (one per call, columns as field0, field1, …). */
  injection?: string[][];
  /** Asterisk's SIP port on 127.0.0.1. */
  sipPort: number;
  /** The caller number put in the From header. */
  caller: string;
  /** The number dialled. */
  service?: string;
  calls?: number;
  /** New calls per second. */
  rate?: number;
  /** Calls at once at most. */
  limit?: number;
  /** sipp gives up (and fails) after this many seconds. */
  timeoutS?: number;
  keys?: Record<string, string>;
  /** sipp's media port (`-mp`; it takes four from here, see freeUdpPort(true)); default: a free one */
  mediaPort?: number;
  /** How a scripted caller sends its keys: SIP INFO (default) or RFC 2833 telephone-events in its RTP. */
  keyMode?: KeyMode;
  /** the caller's own address (sipp's -i), another loopback address such as 127.0.0.2 to call from elsewhere; default 127.0.0.1 */
  localIp?: string;
  /** extra header lines of a scripted caller's INVITE, e.g. a P-Asserted-Identity */
  headers?: string[];
  /** SIP over UDP (default) or over one TCP connection (sipp -t t1) */
  transport?: 'udp' | 'tcp';
  /** Asterisk's address (default 127.0.0.1), e.g. the server's on a test site's LAN */
  target?: string;
  /** run sipp inside this network namespace (a test site's host; test/support/site-network.ts) */
  netns?: string;
}

export interface SippResult {
  /** sipp's exit code: 0 when every call succeeded, 1 when some failed. */
  code: number | null;
  successful: number;
  failed: number;
  errors: string;
}

export interface SippRun {
  readonly done: Promise<SippResult>;
  kill(): void;
}

/** A caller run: also where its RTP arrives (sipp's `-mp`, on 127.0.0.1), to hear what it hears (rtp-capture.ts). */
export interface SippCallerRun extends SippRun {
  readonly mediaPort: number;
}

async function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/*
 * sipp's media port `-mp P` takes P..P+3 (audio and video RTP and RTCP). Ports the kernel hands
 * out (32768-60999) and Asterisk's test RTP blocks (30000-59999) are both busy places, so sipp's
 * media ports come from 61000-64999, four at a time, all four checked free.
 */
const MEDIA_FROM = 61000;
const MEDIA_SLOTS = 1000;

/** A free UDP port on 127.0.0.1; with `even`, a sipp media port whose four ports are all free. */
export async function freeUdpPort(even = false): Promise<number> {
  if (even) {
    for (let tries = 0; tries < 200; tries++) {
      const port = MEDIA_FROM + 4 * Math.floor(Math.random() * MEDIA_SLOTS);
      if ((await Promise.all([0, 1, 2, 3].map((i) => udpFree(port + i)))).every(Boolean)) return port;
    }
    throw new Error('no free block of four UDP ports for sipp media');
  }
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createSocket('udp4');
      s.once('error', reject);
      s.bind(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    });
    if (!even || port % 2 === 0) return port;
  }
}

/** Runs sipp as a real SIP caller against the local Asterisk, from 127.0.0.1. */
export async function runSipp(opts: SippOptions): Promise<SippCallerRun> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-sipp-'));
  const sipPort = await freeUdpPort();
  const mediaPort = opts.mediaPort ?? await freeUdpPort(true);
  let scenario: string;
  if (typeof opts.scenario === 'string') {
    scenario = join(scenarios, opts.scenario);
  } else {
    scenario = join(dir, 'caller.xml');
    writeCallerScenario(scenario, opts.scenario, opts.keyMode, opts.headers);
  }
  const args = [
    `${opts.target ?? '127.0.0.1'}:${opts.sipPort}`, '-sf', scenario,
    '-i', opts.localIp ?? '127.0.0.1', '-p', String(sipPort), '-mi', opts.localIp ?? '127.0.0.1', '-mp', String(mediaPort),
    '-s', opts.service ?? '1000', '-key', 'caller', opts.caller,
    '-m', String(opts.calls ?? 1), '-r', String(opts.rate ?? 10), '-l', String(opts.limit ?? opts.calls ?? 1),
    '-timeout', `${opts.timeoutS ?? 60}s`, '-timeout_error', '-nostdin',
    '-trace_err', '-error_file', join(dir, 'errors.log'), '-trace_stat', '-stf', join(dir, 'stats.csv'),
  ];
  for (const [k, v] of Object.entries(opts.keys ?? {})) args.push('-key', k, v);
  if (opts.transport === 'tcp') args.push('-t', 't1');
  if (opts.injection !== undefined) {
    const inf = join(dir, 'calls.csv');
    writeFileSync(inf, `SEQUENTIAL\n${opts.injection.map((row) => `${row.join(';')};`).join('\n')}\n`);
    args.push('-inf', inf);
  }
  const child = spawnSipp(args, dir, opts.netns);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const done = new Promise<SippResult>((resolve) => {
    child.on('close', (code) => {
      const stats = readStats(join(dir, 'stats.csv'));
      let errors = stderr;
      for (const f of readdirSync(dir)) if (f.endsWith('.log')) errors += readFileSync(join(dir, f), 'utf8');
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, successful: stats.successful, failed: stats.failed, errors: errors.slice(-4000) });
    });
  });
  return { done, kill: () => child.kill('SIGKILL'), mediaPort };
}

function readStats(path: string): { successful: number; failed: number } {
  try {
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const head = lines[0]!.split(';');
    const last = lines[lines.length - 1]!.split(';');
    const col = (name: string) => Number(last[head.indexOf(name)] ?? 0);
    return { successful: col('SuccessfulCall(C)'), failed: col('FailedCall(C)') };
  } catch {
    return { successful: 0, failed: 0 };
  }
}

export interface SippPhone extends SippRun {
  /** The phone's SIP port on 127.0.0.1 (give Asterisk `sip:<user>@127.0.0.1:<port>`). */
  readonly port: number;
}

/**
 * Runs sipp as a desk phone that does not register (scenario agent-answers.xml by default):
 * it answers `calls` INVITEs sent to 127.0.0.1:<port> and exits once they are over. Resolves
 * once sipp is listening.
 */
export async function runSippPhone(opts: {
  scenario?: string; calls?: number; timeoutS?: number; keys?: Record<string, string>;
  /** inside this network namespace, listening on `address`:`port` (a test site's host; default: 127.0.0.1 and a free port) */
  netns?: { name: string; address: string; port: number };
} = {}): Promise<SippPhone> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-sipp-phone-'));
  const address = opts.netns?.address ?? '127.0.0.1';
  const port = opts.netns?.port ?? await freeUdpPort();
  const mediaPort = opts.netns !== undefined ? 40000 : await freeUdpPort(true);
  const args = [
    '-sf', join(scenarios, opts.scenario ?? 'agent-answers.xml'),
    '-i', address, '-p', String(port), '-mi', address, '-mp', String(mediaPort),
    '-m', String(opts.calls ?? 1), '-timeout', `${opts.timeoutS ?? 60}s`, '-timeout_error', '-nostdin',
    '-trace_err', '-error_file', join(dir, 'errors.log'), '-trace_stat', '-stf', join(dir, 'stats.csv'),
  ];
  for (const [k, v] of Object.entries(opts.keys ?? {})) args.push('-key', k, v);
  const child = spawnSipp(args, dir, opts.netns?.name);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  let exited = false;
  const done = new Promise<SippResult>((resolve) => {
    child.on('close', (code) => {
      exited = true;
      const stats = readStats(join(dir, 'stats.csv'));
      let errors = stderr;
      for (const f of readdirSync(dir)) if (f.endsWith('.log')) errors += readFileSync(join(dir, f), 'utf8');
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, successful: stats.successful, failed: stats.failed, errors: errors.slice(-4000) });
    });
  });
  // Listening once the port can no longer be bound by anyone else.
  const deadline = Date.now() + 5000;
  while (!(await udpPortTaken(port, opts.netns?.name))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sipp did not start listening on ${address}:${port}: ${(await done).errors}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { port, done, kill: () => child.kill('SIGKILL') };
}

/** sipp in this process's network namespace, or inside `netns` (`ip netns exec`). */
function spawnSipp(args: string[], cwd: string, netns: string | undefined): ChildProcess {
  const [command, argv] = netns === undefined ? ['sipp', args] : ['ip', ['netns', 'exec', netns, 'sipp', ...args]];
  return spawn(command, argv, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function udpPortTaken(port: number, netns?: string): Promise<boolean> {
  if (netns !== undefined) {
    // Another namespace's sockets cannot be probed by binding here: ask its socket table.
    return new Promise((resolve) => {
      execFile('ip', ['netns', 'exec', netns, 'ss', '-Hlun', `sport = :${port}`], (err, out) => resolve(err === null && out.trim() !== ''));
    });
  }
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => resolve(true));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(false)));
  });
}

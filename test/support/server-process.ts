import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AsteriskInstance } from '../../server/asterisk/instance.js';
import { eventually } from './fake-telephony.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  readonly port: number;
  readonly child: ChildProcess;
  output(): string;
  /** SIGKILL: a crash, nothing cleaned up. */
  kill(): Promise<void>;
  /** SIGTERM: a graceful stop. */
  stop(): Promise<void>;
}

/** `npm start`'s entry point as a separate process, pointed at `asterisk` through the ARI variables. */
export async function startServerProcess(opts: {
  asterisk: AsteriskInstance; dbPath: string; app: string; env?: Record<string, string>;
}): Promise<ServerProcess> {
  const port = await freeTcpPort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'server', 'main.ts')], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOST: '127.0.0.1', PORT: String(port), DB_PATH: opts.dbPath, LOG_LEVEL: 'info', DEMO_DATA: 'off',
      ARI_URL: opts.asterisk.ari.url, ARI_USERNAME: opts.asterisk.ari.username, ARI_PASSWORD: opts.asterisk.ari.password,
      ARI_APP: opts.app,
      // The test Asterisk runs in the project's chroot: prompts go inside it, voiced by its RHVoice.
      ...(opts.asterisk.install.kind === 'chroot' && { ASTERISK_ROOT: opts.asterisk.install.root }),
      ...opts.env,
    },
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  const server: ServerProcess = { port, child, output: () => output, kill: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    const res = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
    return res?.status === 200 ? true : undefined;
  }, 30_000, 'the server process to be healthy');
  return server;
}

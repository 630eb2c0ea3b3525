import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../errors.js';
import { linkDataDir, renderAsteriskConfig, type AsteriskDirs } from './config-files.js';
import { isAlive, tailOf, USE_EXISTING_ASTERISK, type AsteriskInstallation } from './install.js';
import { assertPortsFree } from './ports.js';
import type { Trunk } from '../trunks/definition.js';

export interface InstanceOptions {
  install: AsteriskInstallation;
  /** Names the run folder: lowercase letters, digits and '-'. */
  name: string;
  /** Parent of the run folder, for kind 'system' only (e.g. <repo>/data/asterisk). */
  baseRunDir?: string;
  httpPort: number;
  sipPort: number;
  rtpStart: number;
  rtpEnd: number;
  /** The Stasis application every inbound call is handed to. */
  ariApp: string;
  /** SIP_BIND: where the carriers' SIP transports listen (default 127.0.0.1). */
  sipBind?: string;
  /** The carrier trunks (TRUNKS_FILE); default: the one trunk taking every call from 127.0.0.1. */
  trunks?: readonly Trunk[];
  /** SIP_TLS_PORT and the host paths of the PEM certificate and key (copied into the run folder) for trunks over TLS. */
  tlsPort?: number;
  tls?: { certPath: string; keyPath: string };
  /** With the benchmark's extra dialplan and app_queue queue (AsteriskConfigParams.bench); test/bench only. */
  bench?: boolean;
  log?: (line: string) => void;
}

export interface AsteriskInstance {
  /** The Asterisk this instance runs (a chroot root or the system binary). */
  readonly install: AsteriskInstallation;
  /** ARI base URL (http://127.0.0.1:<httpPort>, no /ari suffix) and credentials. */
  readonly ari: { url: string; username: string; password: string };
  readonly httpPort: number;
  readonly sipPort: number;
  /** Host path of the run folder (config, logs, database, sockets). */
  readonly runDir: string;
  /** Host path of Asterisk's messages.log. */
  readonly logFile: string;
  /** Pid of the running Asterisk, undefined when stopped. */
  readonly pid: number | undefined;
  /**
   * Starts Asterisk and resolves once GET /ari/asterisk/info answers 200. Rejects with
   * CC_ERR_ASTERISK_PORT_TAKEN before starting anything when the HTTP or SIP port is in use, and
   * with CC_ERR_ASTERISK_START_FAILED (log tail in details) when Asterisk exits or is not ready
   * within 30 s. Does nothing when already running.
   */
  start(): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process is gone. */
  stop(): Promise<void>;
  /** stop() then start(): same ports, same ARI password. */
  restart(): Promise<void>;
  /** Output of `asterisk -rx <command>`; rejects with CC_ERR_ASTERISK_CLI_FAILED. */
  cli(command: string): Promise<string>;
}

const ARI_USERNAME = 'cc';
const READY_DEADLINE_MS = 30_000;
const STOP_DEADLINE_MS = 10_000;
const CLI_DEADLINE_MS = 15_000;
const POLL_MS = 100;
const CONTAINER_RUN_BASE = '/var/lib/contact-center';
// Linux limits a unix socket path (Asterisk's asterisk.ctl) to 107 bytes.
const MAX_SOCKET_PATH = 107;

/**
 * Prepares the run folder of an Asterisk (generated config, ARI password, data folder of
 * links) without starting it. Throws on a name outside [a-z0-9-]+ and, for kind 'system', a
 * missing baseRunDir.
 */
export async function createAsteriskInstance(opts: InstanceOptions): Promise<AsteriskInstance> {
  if (!/^[a-z0-9-]{1,64}$/.test(opts.name)) throw new Error(`instance name must match [a-z0-9-]{1,64}, got '${opts.name}'`);
  const layout = await layoutFor(opts);
  const hostRun = layout.toHost(layout.run);
  const dirs: AsteriskDirs = {
    etc: join(layout.run, 'etc'),
    run: join(layout.run, 'run'),
    spool: join(layout.run, 'spool'),
    log: join(layout.run, 'log'),
    db: join(layout.run, 'db'),
    data: join(layout.run, 'data'),
    cache: join(layout.run, 'cache'),
    modules: layout.modules,
    sbin: dirname(layout.binary),
  };
  if (join(dirs.run, 'asterisk.ctl').length > MAX_SOCKET_PATH) {
    throw new AppError(
      'CC_ERR_CONFIG_INVALID',
      `The run folder ${layout.run} is too long a path for Asterisk's control socket (${MAX_SOCKET_PATH} bytes at most); ` +
        `set ASTERISK_RUN_DIR to a shorter folder, ${USE_EXISTING_ASTERISK}.`,
      { runDir: layout.run },
    );
  }
  // ARI records into <astspooldir>/recording and answers 500 ("No such file or directory") when it is missing.
  for (const dir of [dirs.etc, dirs.run, dirs.spool, join(dirs.spool, 'recording'), dirs.log, dirs.db, dirs.data, dirs.cache]) {
    await mkdir(layout.toHost(dir), { recursive: true });
  }
  const password = await ariPassword(hostRun);
  // Asterisk may run chrooted: it reads the certificate from its own etc folder.
  let tls: { certFile: string; keyFile: string } | undefined;
  if (opts.tls !== undefined) {
    tls = { certFile: join(dirs.etc, 'trunk-tls.crt'), keyFile: join(dirs.etc, 'trunk-tls.key') };
    await copyFile(opts.tls.certPath, layout.toHost(tls.certFile));
    await copyFile(opts.tls.keyPath, layout.toHost(tls.keyFile));
    await chmod(layout.toHost(tls.keyFile), 0o600);
  }
  const files = renderAsteriskConfig({
    dirs,
    httpPort: opts.httpPort,
    sipPort: opts.sipPort,
    rtpStart: opts.rtpStart,
    rtpEnd: opts.rtpEnd,
    ariApp: opts.ariApp,
    ariUsername: ARI_USERNAME,
    ariPassword: password,
    ...(opts.sipBind !== undefined && { sipBind: opts.sipBind }),
    ...(opts.trunks !== undefined && { trunks: opts.trunks }),
    ...(opts.tlsPort !== undefined && { tlsPort: opts.tlsPort }),
    ...(tls !== undefined && { tls }),
    ...(opts.bench === true && { bench: true }),
  });
  for (const [name, text] of Object.entries(files)) await writeFile(join(layout.toHost(dirs.etc), name), text);
  await linkDataDir({ hostShare: layout.toHost(layout.share), share: layout.share, hostData: layout.toHost(dirs.data) });
  return new LocalAsterisk(opts, layout, join(dirs.etc, 'asterisk.conf'), hostRun, password);
}

/** Where things are, as Asterisk sees them, and how to reach them from the host. */
interface Layout {
  /** Command and arguments before Asterisk's own arguments. */
  command: [string, ...string[]];
  binary: string;
  run: string;
  modules: string;
  share: string;
  toHost(path: string): string;
}

async function layoutFor(opts: InstanceOptions): Promise<Layout> {
  const install = opts.install;
  if (install.kind === 'chroot') {
    const toHost = (path: string): string => join(install.root, path);
    return {
      command: ['chroot', install.root, '/usr/sbin/asterisk'],
      binary: '/usr/sbin/asterisk',
      run: join(CONTAINER_RUN_BASE, opts.name),
      modules: await firstDir(await moduleDirCandidates(toHost('/usr/lib')), toHost),
      share: '/usr/share/asterisk',
      toHost,
    };
  }
  if (opts.baseRunDir === undefined) throw new Error('baseRunDir is required for a system Asterisk');
  const toHost = (path: string): string => path;
  return {
    command: [install.binary],
    binary: install.binary,
    run: join(resolve(opts.baseRunDir), opts.name),
    modules: await firstDir(await moduleDirCandidates('/usr/lib'), toHost),
    share: await firstDir(['/usr/share/asterisk/sounds', '/var/lib/asterisk/sounds'], toHost).then(dirname),
    toHost,
  };
}

/** Debian's multiarch module folder (/usr/lib/x86_64-linux-gnu/...), else a source build's. */
async function moduleDirCandidates(hostUsrLib: string): Promise<string[]> {
  const entries = await readdir(hostUsrLib).catch(() => [] as string[]);
  const multiarch = entries.filter((e) => /-linux-gnu/.test(e)).sort().map((e) => `/usr/lib/${e}/asterisk/modules`);
  return [...multiarch, '/usr/lib/asterisk/modules'];
}

async function firstDir(candidates: string[], toHost: (path: string) => string): Promise<string> {
  for (const dir of candidates) {
    if (await stat(toHost(dir)).then((s) => s.isDirectory(), () => false)) return dir;
  }
  throw new AppError(
    'CC_ERR_ASTERISK_START_FAILED',
    `The Asterisk installation has none of ${candidates.join(', ')}; reprovision it, ${USE_EXISTING_ASTERISK}.`,
    { candidates },
  );
}

/** One password per run folder, made once and kept, so a restart keeps it. */
async function ariPassword(hostRun: string): Promise<string> {
  const file = join(hostRun, 'ari-password');
  const kept = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (/^[a-f0-9]{32}$/.test(kept)) return kept;
  const password = randomBytes(16).toString('hex');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

// Asterisk outlives a crashed Node process and keeps its ports: kill what we started on exit.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

class LocalAsterisk implements AsteriskInstance {
  readonly install: AsteriskInstallation;
  readonly ari: { url: string; username: string; password: string };
  readonly httpPort: number;
  readonly sipPort: number;
  readonly logFile: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly stdoutFile: string;
  private readonly log: (line: string) => void;

  constructor(
    private readonly opts: InstanceOptions,
    private readonly layout: Layout,
    private readonly conf: string,
    readonly runDir: string,
    password: string,
  ) {
    this.httpPort = opts.httpPort;
    this.sipPort = opts.sipPort;
    this.install = opts.install;
    this.ari = { url: `http://127.0.0.1:${opts.httpPort}`, username: ARI_USERNAME, password };
    this.logFile = join(runDir, 'log', 'messages.log');
    this.stdoutFile = join(runDir, 'log', 'stdout.txt');
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    if (this.child) return;
    await this.refuseLeftover();
    await assertPortsFree({ httpPort: this.httpPort, sipPort: this.sipPort });
    const started = Date.now();
    const out = openSync(this.stdoutFile, 'a');
    const [command, ...prefix] = this.layout.command;
    const child = spawn(command, [...prefix, '-C', this.conf, '-f', '-n'], { stdio: ['ignore', out, out] });
    closeSync(out);
    this.child = child;
    running.add(child);
    let exit: { code: number | null; signal: NodeJS.Signals | null; error?: Error } | undefined;
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null, error?: Error): void => {
        exit ??= error ? { code, signal, error } : { code, signal };
        running.delete(child);
        if (this.child === child) this.child = undefined;
        resolve();
      };
      child.once('exit', (code, signal) => done(code, signal));
      child.once('error', (error) => done(null, null, error));
    });
    this.log(`starting Asterisk '${this.opts.name}' (ARI ${this.ari.url}, SIP udp ${this.opts.sipBind ?? '127.0.0.1'}:${this.sipPort})`);
    while (!(await this.ariAnswers())) {
      if (exit) {
        const how = exit.error ? `could not be run (${exit.error.message})` : `exited (${exit.signal ?? `code ${exit.code}`})`;
        throw await this.startFailed(`Asterisk ${how} while starting`);
      }
      if (Date.now() - started > READY_DEADLINE_MS) {
        await this.stop();
        throw await this.startFailed(`Asterisk did not answer ARI on ${this.ari.url} within ${READY_DEADLINE_MS / 1000} s`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    this.log(`Asterisk '${this.opts.name}' ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const deadline = new Promise<'late'>((r) => setTimeout(r, STOP_DEADLINE_MS, 'late').unref());
    if ((await Promise.race([this.exited, deadline])) === 'late') {
      this.log(`Asterisk '${this.opts.name}' ignored SIGTERM for ${STOP_DEADLINE_MS / 1000} s: killing it`);
      child.kill('SIGKILL');
      await this.exited;
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  cli(command: string): Promise<string> {
    const [program, ...prefix] = this.layout.command;
    return new Promise((resolve, reject) => {
      const child = spawn(program, [...prefix, '-C', this.conf, '-rx', command], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), CLI_DEADLINE_MS);
      const fail = (why: string, cause?: unknown): void =>
        reject(
          new AppError(
            'CC_ERR_ASTERISK_CLI_FAILED',
            `The Asterisk CLI command '${command}' failed (${why}); check that Asterisk '${this.opts.name}' is running, ${USE_EXISTING_ASTERISK}.`,
            { command, output: output.trim() },
            cause === undefined ? undefined : { cause },
          ),
        );
      child.once('error', (err) => {
        clearTimeout(timer);
        fail(err.message, err);
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(output);
        else fail(signal ? `killed by ${signal}` : `exit code ${code}: ${output.trim().split('\n')[0] ?? ''}`);
      });
    });
  }

  private async ariAnswers(): Promise<boolean> {
    try {
      const auth = Buffer.from(`${this.ari.username}:${this.ari.password}`).toString('base64');
      const res = await fetch(`${this.ari.url}/ari/asterisk/info`, {
        headers: { authorization: `Basic ${auth}` },
        signal: AbortSignal.timeout(2_000),
      });
      await res.arrayBuffer();
      return res.status === 200;
    } catch {
      return false;
    }
  }

  /** An Asterisk of this run folder left running (by a crashed server) would hold the ports. */
  private async refuseLeftover(): Promise<void> {
    const pid = Number((await readFile(join(this.runDir, 'run', 'asterisk.pid'), 'utf8').catch(() => '')).trim());
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.split('\0').includes(this.conf)) return;
    throw new AppError(
      'CC_ERR_ASTERISK_START_FAILED',
      `An Asterisk of the run folder ${this.runDir} is still running as pid ${pid} (left by an earlier run); stop it with \`kill ${pid}\`, ${USE_EXISTING_ASTERISK}.`,
      { pid, runDir: this.runDir },
    );
  }

  private async startFailed(what: string): Promise<AppError> {
    const logTail = await tailOf(this.logFile, 20);
    const stdoutTail = await tailOf(this.stdoutFile, 20);
    return new AppError(
      'CC_ERR_ASTERISK_START_FAILED',
      `${what} (see ${this.logFile}); fix the cause shown there, ${USE_EXISTING_ASTERISK}.`,
      { logFile: this.logFile, logTail, stdoutTail, runDir: this.runDir },
    );
  }
}

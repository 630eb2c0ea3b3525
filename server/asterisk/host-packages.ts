import { spawn } from 'node:child_process';
import { access, constants, readFile } from 'node:fs/promises';
import { AppError } from '../errors.js';

/** A Debian package of the host machine, and the program it provides. */
export interface HostPackage {
  /** Debian package name, e.g. `sip-tester`. */
  name: string;
  /** Absolute path of the program the caller needs from it, e.g. `/usr/bin/sipp`. */
  program: string;
}

export const DEBOOTSTRAP: HostPackage = { name: 'debootstrap', program: '/usr/sbin/debootstrap' };
export const SIPP: HostPackage = { name: 'sip-tester', program: '/usr/bin/sipp' };
export const CHROMIUM: HostPackage = { name: 'chromium', program: '/usr/bin/chromium' };
/** Captures the RTP that reaches a test caller, so tests can hear what the caller hears (test/support/rtp-capture.ts). */
export const TCPDUMP: HostPackage = { name: 'tcpdump', program: '/usr/bin/tcpdump' };
/** A real softphone for tests (RFC 4733 keys the way phones send them, test/support/baresip.ts); without its GUI and video recommends. */
export const BARESIP: HostPackage = { name: 'baresip-core', program: '/usr/bin/baresip' };

export interface EnsureHostPackagesOptions {
  log?: (line: string) => void;
  /** Second half of the failure sentence: what the user can do instead. */
  alternative?: string;
}

// apt-get update is slow and its result lasts: run it at most once per process.
let aptUpdated: Promise<void> | undefined;

/**
 * Installs with apt-get those of `packages` whose program is missing (running `apt-get update`
 * first, once per process) and returns the names it installed. Rejects with
 * CC_ERR_HOST_PACKAGE_MISSING when a package is missing and this process is not root, or when
 * apt-get fails. Waits for another apt-get holding the dpkg lock rather than failing.
 */
export async function ensureHostPackages(
  packages: HostPackage[],
  opts: EnsureHostPackagesOptions = {},
): Promise<string[]> {
  const log = opts.log ?? defaultLog;
  const missing: HostPackage[] = [];
  for (const pkg of packages) if (!(await isPresent(pkg))) missing.push(pkg);
  if (missing.length === 0) return [];
  const names = missing.map((p) => p.name);
  const alternative = opts.alternative ?? `or install ${names.join(' ')} yourself`;
  if (process.getuid?.() !== 0) {
    throw new AppError(
      'CC_ERR_HOST_PACKAGE_MISSING',
      `The host package${names.length > 1 ? 's' : ''} ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} ` +
        `missing and installing needs root; run this as root, ${alternative}.`,
      { packages: names },
    );
  }
  aptUpdated ??= aptGet(['update'], log).catch((err: unknown) => {
    aptUpdated = undefined;
    throw err;
  });
  try {
    await aptUpdated;
    log(`installing host packages: ${names.join(' ')}`);
    await aptGet(['install', '-y', '--no-install-recommends', ...names], log);
  } catch (err) {
    throw new AppError(
      'CC_ERR_HOST_PACKAGE_MISSING',
      `Installing the host package${names.length > 1 ? 's' : ''} ${names.join(', ')} with apt-get failed ` +
        `(${(err as Error).message}); fix apt on this machine, ${alternative}.`,
      { packages: names },
      { cause: err },
    );
  }
  return names;
}

/** Whether the package's program is there to run (however it got there). */
export async function isPresent(pkg: HostPackage): Promise<boolean> {
  try {
    await access(pkg.program, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function aptGet(args: string[], log: (line: string) => void): Promise<void> {
  log(`running apt-get ${args[0]}`);
  // `env` sets the variable for apt without this module touching process.env.
  const { code, output } = await run('env', [
    'DEBIAN_FRONTEND=noninteractive',
    'apt-get',
    '-q',
    '-o',
    'DPkg::Lock::Timeout=300',
    ...args,
  ]);
  if (code !== 0) {
    const tail = output.trim().split('\n').slice(-5).join(' | ');
    throw new Error(`apt-get ${args[0]} exited with ${code}: ${tail}`);
  }
}

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

function defaultLog(line: string): void {
  process.stderr.write(`${line}\n`);
}

export const APT_SOURCES_FILES = {
  deb822: '/etc/apt/sources.list.d/debian.sources',
  classic: '/etc/apt/sources.list',
} as const;

/**
 * The Debian mirror this machine's apt uses (the first `URIs:` of a `deb` stanza in
 * debian.sources, else the first `deb URL suite ...` line of sources.list), skipping the
 * security archive, which has no sid. Undefined when neither file names one.
 */
export async function readAptMirror(files: { deb822: string; classic: string } = APT_SOURCES_FILES): Promise<string | undefined> {
  const deb822 = await readFile(files.deb822, 'utf8').catch(() => '');
  const classic = await readFile(files.classic, 'utf8').catch(() => '');
  return parseDeb822Mirrors(deb822)[0] ?? parseClassicMirrors(classic)[0];
}

/** Mirror URLs of the `Types: deb` stanzas of a deb822 sources file, in order. */
export function parseDeb822Mirrors(text: string): string[] {
  const mirrors: string[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      const match = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (match) fields.set(match[1]!.toLowerCase(), match[2]!.trim());
    }
    if (fields.get('enabled') === 'no') continue;
    if (!(fields.get('types') ?? '').split(/\s+/).includes('deb')) continue;
    const suites = (fields.get('suites') ?? '').split(/\s+/);
    if (suites.some((s) => s.endsWith('-security'))) continue;
    const uri = (fields.get('uris') ?? '').split(/\s+/).find(isMirrorUrl);
    if (uri) mirrors.push(uri);
  }
  return mirrors;
}

/** Mirror URLs of the `deb URL suite ...` lines of a classic sources.list, in order. */
export function parseClassicMirrors(text: string): string[] {
  const mirrors: string[] = [];
  for (const raw of text.split('\n')) {
    // `deb [arch=amd64 signed-by=...] URL suite components`
    const words = raw.replace(/#.*$/, '').replace(/\[[^\]]*\]/, ' ').trim().split(/\s+/);
    if (words[0] !== 'deb' || !words[1] || !words[2]) continue;
    if (words[2].endsWith('-security') || !isMirrorUrl(words[1])) continue;
    mirrors.push(words[1]);
  }
  return mirrors;
}

function isMirrorUrl(uri: string): boolean {
  return /^(https?|file):\/\//.test(uri);
}

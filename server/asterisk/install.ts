import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, constants, mkdir, readFile, rename, rm, stat, symlink, writeFile, readdir, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { DEBOOTSTRAP, ensureHostPackages, readAptMirror } from './host-packages.js';

/** Where an Asterisk 22 to run comes from. */
export type AsteriskInstallation =
  | { kind: 'system'; binary: string } // an `asterisk` binary already installed on this machine
  | { kind: 'chroot'; root: string }; // a Debian sid root made by debootstrap

export interface ProvisionOptions {
  /** Folder for the debootstrap roots and their logs, shared by every clone (e.g. /var/cache/contact-center). */
  cacheDir: string;
  log?: (line: string) => void;
  /** Use an `asterisk` already installed on this machine when there is one (default true). */
  preferSystem?: boolean;
}

/** The second half of every provisioning failure sentence. */
export const USE_EXISTING_ASTERISK = 'or point ARI_URL, ARI_USERNAME and ARI_PASSWORD at an existing Asterisk';

/** Debian has no Asterisk in bookworm; sid has Asterisk 22. RHVoice and sox voice dynamic phrases. */
export const ROOT_RECIPE = {
  suite: 'sid',
  variant: 'minbase',
  components: ['main', 'contrib', 'non-free'],
  packages: [
    'asterisk',
    'asterisk-core-sounds-en-gsm',
    'asterisk-core-sounds-ru-gsm',
    'asterisk-moh-opsound-gsm',
    'rhvoice',
    'rhvoice-russian',
    'sox',
  ],
} as const;

export const MARKER_FILE = '.cc-provisioned.json';
const SYSTEM_BINARIES = ['/usr/sbin/asterisk', '/usr/local/sbin/asterisk', '/usr/bin/asterisk', '/usr/local/bin/asterisk'];
const PROGRESS_EVERY_MS = 10_000;
const DEBOOTSTRAP_DEADLINE_MS = 30 * 60_000;
const LOCK_POLL_MS = 500;

/** First 12 hex digits of the sha256 of the root's recipe: a new recipe gets a new root. */
export function rootKey(): string {
  const recipe = {
    suite: ROOT_RECIPE.suite,
    variant: ROOT_RECIPE.variant,
    components: [...ROOT_RECIPE.components],
    packages: [...ROOT_RECIPE.packages].sort(),
  };
  return createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 12);
}

/** Host path of the provisioned root for the current recipe. */
export function rootPath(cacheDir: string): string {
  return join(cacheDir, `asterisk-root-${rootKey()}`);
}

/**
 * Returns an Asterisk to run: the system one when installed (and `preferSystem`), else the
 * cached debootstrap root, building it first when missing or incomplete. Concurrent callers
 * share one build: the second waits for the first. Rejects with CC_ERR_ASTERISK_NOT_ROOT,
 * _NOT_DEBIAN, _NO_MIRROR, CC_ERR_HOST_PACKAGE_MISSING or _PROVISION_FAILED.
 */
export async function provisionAsterisk(opts: ProvisionOptions): Promise<AsteriskInstallation> {
  const log = opts.log ?? defaultLog;
  if (opts.preferSystem ?? true) {
    const binary = await findSystemAsterisk();
    if (binary) {
      log(`using the system Asterisk ${binary}`);
      return { kind: 'system', binary };
    }
  }
  if (process.getuid?.() !== 0) {
    throw new AppError(
      'CC_ERR_ASTERISK_NOT_ROOT',
      `Running Asterisk in a Debian root needs root (for debootstrap and chroot); run this as root, ${USE_EXISTING_ASTERISK}.`,
    );
  }
  const root = rootPath(opts.cacheDir);
  if (await isProvisioned(root)) {
    log(`using the Asterisk root ${root}`);
    return { kind: 'chroot', root };
  }
  await mkdir(opts.cacheDir, { recursive: true }).catch((err: unknown) => {
    throw provisionFailed(`the cache folder ${opts.cacheDir} cannot be created (${(err as Error).message})`, {}, err);
  });
  await withLock(`${root}.lock`, log, async () => {
    // Another process may have finished the build while this one waited for the lock.
    if (await isProvisioned(root)) return;
    await buildRoot(root, log);
  });
  return { kind: 'chroot', root };
}

async function findSystemAsterisk(): Promise<string | undefined> {
  for (const binary of SYSTEM_BINARIES) {
    if (await isExecutable(binary)) return binary;
  }
  return undefined;
}

/** Whether `root` holds a finished build of the current recipe. */
export async function isProvisioned(root: string): Promise<boolean> {
  try {
    const marker = JSON.parse(await readFile(join(root, MARKER_FILE), 'utf8')) as { key?: unknown };
    return marker.key === rootKey() && (await isExecutable(join(root, 'usr/sbin/asterisk')));
  } catch {
    return false;
  }
}

async function buildRoot(root: string, log: (line: string) => void): Promise<void> {
  try {
    await access('/etc/debian_version');
  } catch {
    throw new AppError(
      'CC_ERR_ASTERISK_NOT_DEBIAN',
      `Provisioning Asterisk needs a Debian host (there is no /etc/debian_version), ${USE_EXISTING_ASTERISK}.`,
    );
  }
  const mirror = await readAptMirror();
  if (!mirror) {
    throw new AppError(
      'CC_ERR_ASTERISK_NO_MIRROR',
      `No Debian mirror to build the Asterisk root from is named in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list; add one there, ${USE_EXISTING_ASTERISK}.`,
    );
  }
  await ensureHostPackages([DEBOOTSTRAP], { log, alternative: USE_EXISTING_ASTERISK });

  const partial = `${root}.partial`;
  const logFile = `${root}.log`;
  const started = Date.now();
  await removeTree(partial);
  await removeTree(root); // a root without its marker is incomplete
  log(`building the Asterisk root ${root} with debootstrap (about a minute; log: ${logFile})`);
  await runDebootstrap(partial, mirror, logFile, log);
  await finishRoot(partial, Math.round((Date.now() - started) / 1000));
  await rename(partial, root);
  log(`built the Asterisk root in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * Completes a root that debootstrap built with ROOT_RECIPE: adds the missing `ru` sound link,
 * drops the downloaded .deb files and writes the marker that makes the root count as built.
 */
export async function finishRoot(dir: string, seconds: number): Promise<void> {
  // The Russian set installs as ru_RU_f_IvrvoiceRU with no `ru` link (FACTS.md).
  const ruLink = join(dir, 'usr/share/asterisk/sounds/ru');
  if (!(await lstat(ruLink).catch(() => undefined))) await symlink('ru_RU_f_IvrvoiceRU', ruLink);
  const archives = join(dir, 'var/cache/apt/archives');
  for (const entry of await readdir(archives).catch(() => [] as string[])) {
    if (entry.endsWith('.deb')) await rm(join(archives, entry));
  }
  const marker = {
    key: rootKey(),
    packages: [...ROOT_RECIPE.packages].sort(),
    createdAt: new Date().toISOString(),
    seconds,
  };
  await writeFile(join(dir, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
}

function runDebootstrap(dir: string, mirror: string, logFile: string, log: (line: string) => void): Promise<void> {
  const args = [
    `--variant=${ROOT_RECIPE.variant}`,
    `--components=${ROOT_RECIPE.components.join(',')}`,
    `--include=${[...ROOT_RECIPE.packages].sort().join(',')}`,
    ROOT_RECIPE.suite,
    dir,
    mirror,
  ];
  const started = Date.now();
  const out = createWriteStream(logFile);
  out.write(`debootstrap ${args.join(' ')}\n`);
  let lastStep = '';
  let pending = '';
  return new Promise<void>((resolve, reject) => {
    const child = spawn(DEBOOTSTRAP.program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (chunk: Buffer): void => {
      out.write(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('I: ')) lastStep = line.trim();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const progress = setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      log(`provisioning Asterisk root: ${seconds} s${lastStep ? `, ${lastStep}` : ''}`);
    }, PROGRESS_EVERY_MS);
    const deadline = setTimeout(() => child.kill('SIGKILL'), DEBOOTSTRAP_DEADLINE_MS);
    const fail = async (what: string, cause?: unknown): Promise<void> => {
      const tail = await tailOf(logFile, 20);
      const lastError = tail.split('\n').filter((line) => line.startsWith('E: ')).at(-1);
      const why = lastError ? `${what}, ${lastError}` : what;
      reject(provisionFailed(`debootstrap ${why} (log: ${logFile})`, { logFile, tail, mirror }, cause));
    };
    child.once('error', (err) => {
      clearInterval(progress);
      clearTimeout(deadline);
      out.end(() => void fail(`could not start: ${err.message}`, err));
    });
    child.once('close', (code, signal) => {
      clearInterval(progress);
      clearTimeout(deadline);
      out.end(() => {
        if (code === 0) resolve();
        else void fail(signal ? `was killed by ${signal}` : `exited with code ${code}`);
      });
    });
  });
}

/**
 * Runs `fn` holding a lock folder shared by processes; a lock whose owner (the pid written in
 * it) is dead is taken over. Two waiters breaking the same stale lock at the same moment could
 * both proceed; stale locks only follow a crash, so that is left alone.
 */
async function withLock(lockDir: string, log: (line: string) => void, fn: () => Promise<void>): Promise<void> {
  let lastNotice = 0;
  for (;;) {
    try {
      await mkdir(lockDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw provisionFailed(`the lock ${lockDir} cannot be created (${(err as Error).message})`, {}, err);
      }
      const owner = await lockOwner(lockDir);
      if (owner === 'stale') {
        log(`removing the stale lock ${lockDir}`);
        // Renaming first is atomic: of several waiters, only one moves the stale lock away.
        const moved = `${lockDir}.stale-${process.pid}-${Date.now()}`;
        await rename(lockDir, moved).catch(() => undefined);
        await rm(moved, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - lastNotice >= PROGRESS_EVERY_MS) {
        log(`waiting for process ${owner ?? '(starting)'} to finish provisioning the Asterisk root`);
        lastNotice = Date.now();
      }
      await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
      continue;
    }
    try {
      await writeFile(join(lockDir, 'pid'), `${process.pid}\n`);
      await fn();
    } finally {
      await rm(lockDir, { recursive: true, force: true });
    }
    return;
  }
}

/** The pid holding the lock, 'stale' when it is dead, undefined while the lock is being made. */
async function lockOwner(lockDir: string): Promise<number | 'stale' | undefined> {
  const text = await readFile(join(lockDir, 'pid'), 'utf8').catch(() => undefined);
  if (text === undefined) {
    // The owner writes its pid right after mkdir; a pid-less lock older than that is stale.
    const made = await stat(lockDir).then((s) => s.mtimeMs).catch(() => Date.now());
    return Date.now() - made > 10_000 ? 'stale' : undefined;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : 'stale';
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a folder tree such as a root, first unmounting anything mounted inside it (an
 * interrupted debootstrap can leave /proc or /sys mounted there), so `rm` never walks into a
 * mounted file system. Refuses when a mount stays.
 */
export async function removeTree(dir: string): Promise<void> {
  const mounts = await mountsUnder(dir);
  for (const mount of mounts.sort((a, b) => b.length - a.length)) {
    await new Promise<void>((resolve) => spawn('umount', ['-l', mount]).once('close', () => resolve()).once('error', () => resolve()));
  }
  const left = await mountsUnder(dir);
  if (left.length > 0) {
    throw provisionFailed(`the folder ${dir} cannot be removed while ${left.join(', ')} stays mounted in it`, { mounts: left });
  }
  await rm(dir, { recursive: true, force: true });
}

async function mountsUnder(dir: string): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return text
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map((p) => p.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8))))
    .filter((p) => p === dir || p.startsWith(prefix));
}

/** The last `n` lines of a text file ('' when it cannot be read). */
export async function tailOf(file: string, n: number): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function provisionFailed(what: string, details: Record<string, unknown>, cause?: unknown): AppError {
  return new AppError(
    'CC_ERR_ASTERISK_PROVISION_FAILED',
    `Provisioning Asterisk failed because ${what}; fix that, ${USE_EXISTING_ASTERISK}.`,
    details,
    cause === undefined ? undefined : { cause },
  );
}

function defaultLog(line: string): void {
  process.stderr.write(`${line}\n`);
}

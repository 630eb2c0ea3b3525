import t from 'tap';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../../server/errors.js';
import { loadConfig } from '../../server/config.js';
import { provisionAsterisk, type AsteriskInstallation } from '../../server/asterisk/install.js';
import { createAsteriskInstance, type AsteriskInstance } from '../../server/asterisk/instance.js';
import { allocateTestPorts, assertPortsFree } from '../../server/asterisk/ports.js';

/*
 * The real Asterisk the project provisions (warm cache: `npm test` provisions first). Every
 * test has its own ports and run folder and removes them.
 */

const APP = 'cc-instance-test';
const install = await provisionAsterisk({ cacheDir: loadConfig(process.env).localAsterisk.cacheDir, log: () => {} });
const baseRunDir = join(tmpdir(), 'cc-asterisk-runs');

interface Teardown {
  teardown(fn: () => unknown): void;
}

async function newInstance(t: Teardown, label: string, using: AsteriskInstallation = install): Promise<AsteriskInstance> {
  const ports = await allocateTestPorts();
  const asterisk = await createAsteriskInstance({
    install: using,
    name: `it-${label}-${process.pid}`,
    baseRunDir,
    httpPort: ports.httpPort,
    sipPort: ports.sipPort,
    rtpStart: ports.rtpStart,
    rtpEnd: ports.rtpEnd,
    ariApp: APP,
    log: () => {},
  });
  t.teardown(async () => {
    await asterisk.stop();
    rmSync(asterisk.runDir, { recursive: true, force: true });
  });
  return asterisk;
}

function ariInfo(asterisk: AsteriskInstance, password = asterisk.ari.password): Promise<Response> {
  const auth = Buffer.from(`${asterisk.ari.username}:${password}`).toString('base64');
  return fetch(`${asterisk.ari.url}/ari/asterisk/info`, { headers: { authorization: `Basic ${auth}` } });
}

/** Polls `check` until it returns true; fails naming `what` after `ms`. */
async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

t.test('a started Asterisk answers ARI with its generated credentials and refuses a wrong password', async (t) => {
  const asterisk = await newInstance(t, 'ari');
  await asterisk.start();
  const ok = await ariInfo(asterisk);
  t.equal(ok.status, 200);
  const info = (await ok.json()) as { system?: { version?: string } };
  t.match(info.system?.version, /^22\./, 'Asterisk 22');
  t.equal(asterisk.ari.username, 'cc');
  t.equal(asterisk.ari.url, `http://127.0.0.1:${asterisk.httpPort}`);
  t.equal((await ariInfo(asterisk, 'wrong-password')).status, 401);
});

t.test('a restarted Asterisk keeps its ARI password and answers ARI again', async (t) => {
  const asterisk = await newInstance(t, 'restart');
  await asterisk.start();
  const { password } = asterisk.ari;
  const firstPid = asterisk.pid;
  await asterisk.restart();
  t.not(asterisk.pid, firstPid, 'a new process');
  t.equal(asterisk.ari.password, password);
  t.equal((await ariInfo(asterisk, password)).status, 200);
  await asterisk.stop();
  const again = await newInstance(t, 'restart');
  t.equal(again.ari.password, password, 'the password stays with the run folder');
});

t.test('a stopped Asterisk leaves no process behind and frees its ports', async (t) => {
  const asterisk = await newInstance(t, 'stop');
  await asterisk.start();
  const pid = asterisk.pid;
  if (pid === undefined) throw new Error('a started Asterisk has a pid');
  t.ok(processExists(pid));
  await asterisk.stop();
  t.equal(asterisk.pid, undefined);
  t.notOk(processExists(pid), `pid ${pid} is gone`);
  await t.resolves(assertPortsFree({ httpPort: asterisk.httpPort, sipPort: asterisk.sipPort }));
});

t.test('a taken HTTP port is refused with CC_ERR_ASTERISK_PORT_TAKEN before anything starts', async (t) => {
  const asterisk = await newInstance(t, 'http-taken');
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(asterisk.httpPort, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => holder.close(() => resolve())));
  const err = await asterisk.start().catch((e: unknown) => e);
  t.ok(isAppError(err, 'CC_ERR_ASTERISK_PORT_TAKEN'), 'the port-taken error');
  t.match(isAppError(err) ? err.details : {}, { port: asterisk.httpPort, variable: 'ASTERISK_HTTP_PORT' });
  t.equal(asterisk.pid, undefined);
  t.notOk(existsSync(asterisk.logFile), 'Asterisk never ran');
});

t.test('a taken SIP port is refused with CC_ERR_ASTERISK_PORT_TAKEN before anything starts', async (t) => {
  const asterisk = await newInstance(t, 'sip-taken');
  const holder = createSocket('udp4');
  await new Promise<void>((resolve) => holder.bind(asterisk.sipPort, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => holder.close(() => resolve())));
  const err = await asterisk.start().catch((e: unknown) => e);
  t.ok(isAppError(err, 'CC_ERR_ASTERISK_PORT_TAKEN'), 'the port-taken error');
  t.match(isAppError(err) ? err.details : {}, { port: asterisk.sipPort, variable: 'SIP_PORT' });
  t.equal(asterisk.pid, undefined);
  t.notOk(existsSync(asterisk.logFile), 'Asterisk never ran');
});

t.test('an Asterisk that exits while starting fails at once with CC_ERR_ASTERISK_START_FAILED', async (t) => {
  // A root with the folders the instance needs but no asterisk binary: chroot exits with 127.
  const root = mkdtempSync(join(tmpdir(), 'cc-empty-root-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'usr/lib/x86_64-linux-gnu/asterisk/modules'), { recursive: true });
  mkdirSync(join(root, 'usr/share/asterisk/sounds/en'), { recursive: true });
  const asterisk = await newInstance(t, 'exits', { kind: 'chroot', root });
  const started = Date.now();
  const err = await asterisk.start().catch((e: unknown) => e);
  t.ok(isAppError(err, 'CC_ERR_ASTERISK_START_FAILED'), 'the start-failed error');
  t.ok(Date.now() - started < 5_000, 'without waiting for the ready deadline');
  t.match(isAppError(err) ? err.details : {}, { stdoutTail: /asterisk/ });
  t.equal(asterisk.pid, undefined);
});

t.test('a SIP call from 127.0.0.1 reaches the dialplan and is handed to the Stasis application', async (t) => {
  const asterisk = await newInstance(t, 'sipp');
  await asterisk.start();
  const messages = join(asterisk.runDir, 'sipp-messages.txt');
  const args = [
    '-sn', 'uac', `127.0.0.1:${asterisk.sipPort}`, '-s', '1000', '-m', '1',
    '-i', '127.0.0.1', '-p', String(await freeUdpPort()), '-mp', String(await freeUdpPort()),
    '-timeout', '15s', '-nostdin', '-trace_msg', '-message_file', messages,
  ];
  const sipp = spawn('sipp', args, { cwd: asterisk.runDir, stdio: 'ignore' });
  const sippDone = new Promise<void>((resolve) => sipp.once('close', () => resolve()));
  t.teardown(() => {
    sipp.kill('SIGKILL');
  });
  const stasis = new RegExp(`Executing \\[1000@from-trunk:1\\] Stasis\\("PJSIP/trunk-[0-9a-f]+", "${APP}"\\)`);
  await until(() => existsSync(asterisk.logFile) && stasis.test(readFileSync(asterisk.logFile, 'utf8')), 10_000, 'the call to enter Stasis');
  t.pass('the call entered Stasis');
  // No ARI application is subscribed, so Stasis fails and the call is refused with a final response.
  await withDeadline(sippDone, 10_000, 'sipp to get a final response');
  t.match(readFileSync(messages, 'utf8'), /^SIP\/2\.0 [3-6]\d\d /m, 'a final response to the INVITE');
  await until(async () => /^0 active channels/m.test(await asterisk.cli('core show channels')), 5_000, 'no channel left');
});

const onlyChroot = { skip: install.kind === 'chroot' ? false : 'a system Asterisk is installed' };
t.test('the run folder of a chroot Asterisk lies inside the root, and its data folder has a ru sound link', onlyChroot, async (t) => {
  if (install.kind !== 'chroot') return;
  const asterisk = await newInstance(t, 'layout');
  t.equal(asterisk.runDir, join(install.root, 'var/lib/contact-center', `it-layout-${process.pid}`));
  t.ok(existsSync(join(asterisk.runDir, 'etc/asterisk.conf')));
  // Link targets are the paths Asterisk sees inside the chroot.
  const ru = join(install.root, readlinkSync(join(asterisk.runDir, 'data/sounds/ru')));
  t.ok(existsSync(join(ru, 'digits/1.gsm')), 'Russian digits are found through data/sounds/ru');
});


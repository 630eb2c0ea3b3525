import { execFile, type ChildProcess } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import t from 'tap';
import { CHROMIUM, ensureHostPackages } from '../../server/asterisk/host-packages.js';
import { openDatabase } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { generateDemoData } from '../../server/demo/generator.js';
import { CHROMIUM_FLAGS, MEDIA_FLAGS, signIn } from '../support/browser.js';
import { eventually } from '../support/fake-telephony.js';
import { createSite, type SiteHost } from '../support/site-network.js';
import { runSipp, runSippPhone } from '../support/sipp.js';

/*
 * A real site in network namespaces this test creates (test/support/site-network.ts): the
 * server with its own Asterisk on one host of an office LAN, started as `npm start` starts it
 * (its HOST an address of that LAN, so https with a self-signed certificate, the softphone's SIP
 * through wss://<server>/sip), an agent's desk on a second host (Debian's chromium trusting the
 * server's certificate by its public key's hash, not by ignoring certificate errors), the
 * carrier's SIP equipment on a third and a stranger on a fourth. Nothing between them travels
 * over loopback, and nothing leaves the namespaces. The first admin comes from
 * `npm run admin -- create-admin`; everything else is done in the page.
 */

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = join(repo, 'test', 'artifacts', 'site');
const run = promisify(execFile);

const CUSTOMER = '+74012000001';
const DID = '+74012999000';
const PORT = 8443;

interface Stats { packetsSent: number; packetsReceived: number; path: { local: string; remote: string } | null }

/*
 * Teardowns of the set-up, run at the end or as soon as the set-up fails (a failure at the top
 * level would end the process before tap's teardowns, leaving namespaces and processes behind).
 */
const cleanups: Array<() => unknown> = [];
const cleanup = (fn: () => unknown) => { cleanups.push(fn); };
const cleanUp = async () => { for (const fn of cleanups.splice(0).reverse()) await Promise.resolve().then(fn).catch(() => undefined); };
t.teardown(cleanUp);

async function setUp() {
  const site = await createSite({ server: {}, desk: {}, carrier: { extra: 1 }, stranger: {} });
  cleanup(() => site.destroy());
  const { server: serverHost, desk, carrier, stranger } = site.hosts as Record<'server' | 'desk' | 'carrier' | 'stranger', SiteHost>;

  const dir = mkdtempSync(join(tmpdir(), 'cc-site-test-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'data', 'cc.db');
  mkdirSync(dirname(dbPath), { recursive: true });

  // The customer base of a site that is already in use (the demo generator's customers stand in
  // for an import); no demo login is left active, so the first admin must come from the CLI.
  {
    const db = openDatabase(dbPath);
    await migrateToLatest(db);
    await generateDemoData(db, { customers: 30, seed: 11, asOf: new Date() });
    await db.updateTable('agents').set({ active: 0 }).execute();
    await db.destroy();
  }

  /** `npm run admin -- …` against the site's database; its one-time password. */
  async function adminCli(...args: string[]): Promise<string> {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(repo, 'server', 'cli', 'admin.ts'), ...args], {
      cwd: repo, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', DB_PATH: dbPath },
    });
    const otp = /One-time password[^:]*: (\S+)/.exec(stdout)?.[1];
    if (otp === undefined) throw new Error(`no one-time password in: ${stdout}`);
    return otp;
  }
  const adminOtp = await adminCli('create-admin', '--login', 'siteadmin', '--full-name', 'Администратор площадки');

  // The carrier's registrar (on its second address) demands digest authentication; our line
  // registers to it. Its calls come from its first address, which the trunk matches.
  const registrar = await runSippPhone({
    scenario: 'carrier-registrar.xml', keys: { user: 'cc-line', pass: 'line-password' }, timeoutS: 300,
    netns: { name: carrier.ns, address: carrier.extra[0]!, port: 5060 },
  });
  cleanup(() => registrar.kill());
  // The site's own working hours: open around the clock, so the test runs at any hour.
  const hoursFile = join(dir, 'hours.json');
  const day = [{ from: '00:00', to: '24:00' }];
  writeFileSync(hoursFile, JSON.stringify({ weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }, holidays: [], workdays: [] }));
  const trunksFile = join(dir, 'trunks.json');
  writeFileSync(trunksFile, JSON.stringify({
    trunks: [
      { name: 'carrier', host: carrier.address, port: 5060, match: [carrier.address], dids: [{ number: DID, entry: 'ivr' }], outbound: true },
      { name: 'carrier-line', host: carrier.extra[0], port: 5060, match: [], register: { username: 'cc-line', password: 'line-password', expiration: 600 } },
    ],
  }));

  /** The server as `npm start` runs it, inside the server's host. */
  async function startServer(): Promise<{ child: ChildProcess; output: () => string }> {
    const child = serverHost.spawn(process.execPath, ['--import', 'tsx', join(repo, 'server', 'main.ts')], {
      cwd: repo, stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        ...(process.env['ASTERISK_CACHE_DIR'] !== undefined && { ASTERISK_CACHE_DIR: process.env['ASTERISK_CACHE_DIR'] }),
        HOST: serverHost.address, PORT: String(PORT), DB_PATH: dbPath, DEMO_DATA: 'off', LOG_LEVEL: 'info',
        SIP_BIND: serverHost.address, SIP_PORT: '5060', TRUNKS_FILE: trunksFile, HOURS_FILE: hoursFile, SURVEY: 'off',
        ASTERISK_HTTP_PORT: '8088', RTP_START: '20000', RTP_END: '20999', QUEUE_LOG_PATH: '',
      },
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
      return output.includes(`agent softphone: https://${serverHost.address}:${PORT}/`) ? true : undefined;
    }, 180_000, 'the server to start on the site');
    return { child, output: () => output };
  }
  mkdirSync(artifacts, { recursive: true });
  const server = await startServer();
  cleanup(async () => {
    // What the server said, for whoever reads a failure (test/artifacts/ is not committed).
    writeFileSync(join(artifacts, 'server.log'), server.output());
    const db = openDatabase(dbPath);
    const events = await db.selectFrom('call_events').selectAll().orderBy('id').execute().finally(() => db.destroy());
    writeFileSync(join(artifacts, 'call-events.json'), JSON.stringify(events, null, 1));
    if (server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await eventually(async () => (server.child.exitCode !== null || server.child.signalCode !== null ? true : undefined), 30_000, 'the server to stop')
        .catch(() => server.child.kill('SIGKILL'));
    }
  });
  const url = `https://${serverHost.address}:${PORT}/`;

  // The desk trusts exactly this server's key (its self-signed certificate in data/tls).
  const cert = new X509Certificate(readFileSync(join(dirname(dbPath), 'tls', 'server.crt')));
  const spki = createHash('sha256').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
  await ensureHostPackages([CHROMIUM]);
  const browser: Browser = await chromium.launch({
    executablePath: site.wrapper(desk, CHROMIUM.program), headless: true,
    args: [...CHROMIUM_FLAGS, ...MEDIA_FLAGS, `--ignore-certificate-errors-spki-list=${spki}`],
  });
  cleanup(() => browser.close().catch(() => undefined));
  return { site, serverHost, desk, carrier, stranger, dbPath, adminOtp, registrar, server, url, browser };
}

let site: Awaited<ReturnType<typeof setUp>> | undefined;
try {
  site = await setUp();
} catch (err) {
  await cleanUp();
  t.fail(`the site did not come up: ${(err as Error).stack ?? String(err)}`);
}
if (site !== undefined) siteTests(site);

function siteTests({ serverHost, desk, carrier, stranger, dbPath, adminOtp, registrar, url, browser, server }: NonNullable<typeof site>): void {

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    t.teardown(() => context.close().catch(() => undefined));
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  }

  /** A first login with a one-time password: the page asks for a new one before anything else. */
  async function firstLogin(page: Page, login: string, otp: string, password: string): Promise<void> {
    await signIn(page, url, login, otp);
    await page.locator('cc-password-change input[name=current]').fill(otp);
    await page.locator('cc-password-change input[name=next]').fill(password);
    await page.locator('cc-password-change input[name=repeat]').fill(password);
    await page.locator('cc-password-change [data-action=change-password]').click();
    await page.locator('cc-password-change').waitFor({ state: 'detached' });
  }

  const stats = (page: Page) => page.evaluate(() => (document.querySelector('cc-app') as unknown as { phone: { stats(): Promise<Stats | null> } }).phone.stats());

  /** agent7's page, logged in and on shift once the first test has run */
  let agentPage: Page | undefined;

  t.test('an admin at a desk creates an agent who logs in, registers over wss and takes a carrier\'s call with RTP across the LAN', async (t) => {
    // The admin, at the desk, over https: sets their own password, then creates the agent.
    const admin = await newPage();
    const pageErrors: string[] = [];
    admin.on('pageerror', (e) => pageErrors.push(e.message));
    await firstLogin(admin, 'siteadmin', adminOtp, 'Янтарный-берег-2027');
    t.equal(new URL(admin.url()).protocol, 'https:', 'the page is served over https');
    await admin.locator('cc-app [data-view=admin]').click();
    await admin.locator('cc-admin [data-tab=staff]').click();
    await admin.locator('cc-staff-admin [data-action=create-staff]').click();
    await admin.locator('cc-staff-form input[name=login]').fill('agent7');
    await admin.locator('cc-staff-form input[name=fullName]').fill('Елена Смирнова');
    await admin.locator('cc-staff-form select[name=role]').selectOption('agent');
    await admin.locator('cc-staff-form input[name=queue][value=general]').check();
    await admin.locator('cc-staff-form input[name=priority-general]').fill('1');
    await admin.locator('cc-staff-form [data-action=save-staff]').click();
    const otp = (await admin.locator('cc-staff-admin [data-otp]').textContent())?.trim() ?? '';
    t.match(otp, /^\S{10,}$/, 'the new agent\'s one-time password is shown');
    await admin.locator('cc-staff-admin tr[data-staff=agent7]').waitFor();
    await admin.screenshot({ path: join(artifacts, 'admin-created-agent.png') });

    // The agent, at the desk: one-time password, a password of their own, the shift, the phone.
    const agent = await newPage();
    agentPage = agent;
    agent.on('pageerror', (e) => pageErrors.push(e.message));
    await firstLogin(agent, 'agent7', otp, 'Светлый-день-у-моря');
    await agent.locator('cc-phone-bar[data-registration=registered]').waitFor({ timeout: 30_000 });
    const wsUrl = await agent.evaluate(async () => ((await (await fetch('/api/session/sip')).json()) as { wsUrl: string }).wsUrl);
    t.equal(wsUrl, `wss://${serverHost.address}:${PORT}/sip`, 'the softphone registered through wss on the page\'s own origin');
    await agent.locator('cc-status-selector [data-action=start-shift]').click();
    await agent.locator('cc-status-selector[data-state=available]').waitFor();

    // The carrier delivers a call to the DID from a demo customer's number; the caller presses 0.
    const caller = await runSipp({
      scenario: [{ keys: '0' }, { waitBye: 120_000 }], netns: carrier.ns, localIp: carrier.address, target: serverHost.address,
      sipPort: 5060, service: DID, caller: CUSTOMER, timeoutS: 150,
    });
    t.teardown(() => caller.kill());
    await agent.locator('cc-phone-bar[data-call=ringing]').waitFor({ timeout: 60_000 });
    await agent.locator('cc-account-card[data-state=ready]').waitFor({ timeout: 15_000 });
    t.ok(await agent.locator('cc-account-card').getByText('3900000001').count() > 0, 'the page rings with the customer\'s card');
    await agent.screenshot({ path: join(artifacts, 'ringing.png') });
    await agent.locator('cc-phone-bar [data-action=answer]').click();
    await agent.locator('cc-phone-bar[data-call=established]').waitFor({ timeout: 15_000 });
    const flowing = await eventually(async () => {
      const s = await stats(agent);
      return s !== null && s.packetsSent > 50 && s.packetsReceived > 50 ? s : undefined;
    }, 20_000, 'RTP both ways');
    t.ok(flowing.packetsSent > 50 && flowing.packetsReceived > 50, `WebRTC RTP flows both ways across the LAN (sent ${flowing.packetsSent}, received ${flowing.packetsReceived})`);
    t.same(flowing.path, { local: desk.address, remote: serverHost.address }, 'the media flows between the desk\'s and the server\'s LAN addresses (ICE\'s selected pair)');
    await agent.screenshot({ path: join(artifacts, 'answered.png') });
    await agent.locator('cc-phone-bar [data-action=hangup]').click();
    await agent.locator('cc-phone-bar[data-call=none]').waitFor({ timeout: 15_000 });
    t.equal((await caller.done).code, 0, 'the carrier\'s caller was hung up on by the agent');

    const db = openDatabase(dbPath);
    t.teardown(() => db.destroy());
    const call = await eventually(async () => {
      const row = await db.selectFrom('calls').selectAll().where('caller_number', '=', CUSTOMER).executeTakeFirst();
      return row?.ended_at != null ? row : undefined;
    }, 15_000, 'the call recorded as ended');
    const agentRow = await db.selectFrom('agents').select(['id']).where('username', '=', 'agent7').executeTakeFirstOrThrow();
    t.equal(call.dialed, DID, 'the DID the carrier delivered is stored');
    t.equal(call.agent_id, agentRow.id, 'the call records the new agent');
    t.ok(call.answered_at !== null, 'and that it was answered');
    t.same(pageErrors, [], 'no uncaught errors in the pages');
    t.notMatch(server.output(), /"level":(40|50|60)/, 'the server logged no warning or error');
  });

  t.test('an agent whose connection to the server drops mid-call registers again, hangs up, and the call is recorded whole', async (t) => {
    const agent = agentPage;
    if (agent === undefined) return t.fail('the first test left no agent page');
    await agent.locator('cc-status-selector[data-state=available]').waitFor({ timeout: 30_000 });
    const caller = await runSipp({
      scenario: [{ keys: '0' }, { waitBye: 120_000 }], netns: carrier.ns, localIp: carrier.address, target: serverHost.address,
      sipPort: 5060, service: DID, caller: '+74012000002', timeoutS: 150,
    });
    t.teardown(() => caller.kill());
    await agent.locator('cc-phone-bar[data-call=ringing]').waitFor({ timeout: 60_000 });
    await agent.locator('cc-phone-bar [data-action=answer]').click();
    await agent.locator('cc-phone-bar[data-call=established]').waitFor({ timeout: 15_000 });
    // The server's end of every TLS connection from the desk is torn down (a dropped Wi-Fi, a
    // restarted switch): the page's SIP WebSocket and its live socket both go.
    await serverHost.exec('ss', ['-K', 'dst', desk.address, 'sport', '=', `:${PORT}`]);
    await agent.locator('cc-phone-bar:not([data-registration=registered])').waitFor({ timeout: 10_000 });
    t.pass('the page saw its line drop');
    await agent.locator('cc-phone-bar[data-registration=registered]').waitFor({ timeout: 30_000 });
    t.pass('the softphone registered again over a new wss connection');
    t.equal(await agent.locator('cc-phone-bar[data-call=established]').count(), 1, 'the call itself went on (its media never used the WebSocket)');
    await agent.locator('cc-phone-bar [data-action=hangup]').click();
    await agent.locator('cc-phone-bar[data-call=none]').waitFor({ timeout: 15_000 });
    t.equal((await caller.done).code, 0, 'the caller was hung up on');
    const db = openDatabase(dbPath);
    t.teardown(() => db.destroy());
    const call = await eventually(async () => {
      const row = await db.selectFrom('calls').selectAll().where('caller_number', '=', '+74012000002').executeTakeFirst();
      return row?.ended_at != null ? row : undefined;
    }, 15_000, 'the call recorded as ended');
    t.equal(call.outcome, 'completed', 'recorded as completed');
    t.ok(call.answered_at !== null && call.agent_id !== null, 'answered by the agent');
    await agent.locator('cc-status-selector[data-state=wrap_up], cc-status-selector[data-state=available]').waitFor({ timeout: 15_000 });
    t.pass('the agent is in wrap-up or available again, as after any call');
  });

  /** The admin's trunks tab, which asks the server again every 10 s. */
  async function trunksTab(): Promise<Page> {
    const admin = await newPage();
    await signIn(admin, url, 'siteadmin', 'Янтарный-берег-2027');
    await admin.locator('cc-app [data-view=admin]').click();
    await admin.locator('cc-admin [data-tab=trunks]').click();
    await admin.locator('cc-trunk-admin tr[data-trunk=carrier]').waitFor();
    return admin;
  }

  t.test('our line registers to the carrier\'s registrar, which demands digest authentication', async (t) => {
    const admin = await trunksTab();
    await admin.locator('cc-trunk-admin tr[data-trunk=carrier-line] [data-state=registered]').waitFor({ timeout: 30_000 });
    t.pass('the admin\'s trunks tab shows the line registered');
    await admin.screenshot({ path: join(artifacts, 'trunks.png') });
    const result = await registrar.done;
    t.equal(result.code, 0, `the registrar challenged and accepted the authenticated REGISTER: ${result.errors}`);
  });

  t.test('a call from an address no trunk matches is refused and counted', async (t) => {
    const intruder = await runSipp({
      scenario: 'refused-caller.xml', netns: stranger.ns, localIp: stranger.address, target: serverHost.address,
      sipPort: 5060, service: DID, caller: '+74950000000', timeoutS: 20,
    });
    t.teardown(() => intruder.kill());
    const result = await intruder.done;
    t.equal(result.code, 0, `the stranger's INVITE was refused: ${result.errors}`);
    const admin = await trunksTab();
    const count = await admin.locator(`cc-trunk-admin [data-testid=refused] tr[data-address="${stranger.address}"] td`).nth(1).textContent({ timeout: 15_000 });
    t.ok(Number(count) >= 1, `the admin's trunks tab counts the call refused from the stranger's address (${count})`);
    const db = openDatabase(dbPath);
    t.teardown(() => db.destroy());
    const calls = await db.selectFrom('calls').select('id').where('caller_number', '=', '+74950000000').execute();
    t.equal(calls.length, 0, 'nothing of it reached the IVR');
  });
}

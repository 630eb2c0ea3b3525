import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { generateDemoData } from '../../server/demo/generator.js';
import { launchBrowser, signIn } from '../support/browser.js';
import { eventually } from '../support/fake-telephony.js';
import { noLeftovers, startTestAsterisk, startTestServer } from '../support/asterisk.js';
import { runSipp } from '../support/sipp.js';

/** Screenshots of the ringing and answered page, kept after the run for people to look at. */
const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'e2e');
const CALLER = '+74012000001';

interface Stats { packetsSent: number; packetsReceived: number }

t.test('an agent in Chromium takes a caller from the IVR, sees who it is before answering, talks, registers an appeal and hangs up', async (t) => {
  mkdirSync(artifacts, { recursive: true });
  const asterisk = await startTestAsterisk(t, 'e2e-softphone');
  const server = await startTestServer(t, asterisk, {
    ui: true,
    // The agent hangs up first; the post-call survey has its own test (test/asterisk/survey.test.ts).
    env: { SURVEY: 'off' },
    seed: async (db) => { await generateDemoData(db, { customers: 30, seed: 11, asOf: new Date() }); },
  });
  const expected = await server.db.selectFrom('account_phones as p').innerJoin('accounts as a', 'a.id', 'p.account_id').innerJoin('customers as c', 'c.id', 'a.customer_id')
    .select(['a.id as accountId', 'a.number', 'c.last_name', 'c.first_name']).where('p.phone_e164', '=', CALLER).executeTakeFirstOrThrow();
  const operator = await server.db.selectFrom('agents').select(['id']).where('username', '=', 'operator1').executeTakeFirstOrThrow();

  const browser = await launchBrowser(t, { media: true });
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));

  // Log in and go available.
  await signIn(page, server.url!, 'operator1', 'operator1-demo');
  await page.locator('cc-phone-bar[data-registration=registered]').waitFor({ timeout: 15_000 });
  t.pass('the softphone registered with Asterisk over WebSocket');
  await page.locator('cc-status-selector [data-action=start-shift]').click();
  await page.locator('cc-status-selector[data-state=available]').waitFor();

  // A demo customer calls and presses 0 for an operator; the caller stays until the agent hangs up.
  const caller = await runSipp({ scenario: [{ keys: '0' }, { waitBye: 90_000 }], sipPort: asterisk.sipPort, caller: CALLER, timeoutS: 120 });
  t.teardown(() => caller.kill());

  await page.locator('cc-phone-bar[data-call=ringing]').waitFor({ timeout: 30_000 });
  const name = await page.locator('cc-incoming-call [data-testid=caller-name]').textContent({ timeout: 5000 });
  t.match(name, `${expected.last_name} ${expected.first_name}`, 'the screen pop names the customer before the call is answered');
  t.equal(await page.locator('cc-status-selector').getAttribute('data-state'), 'ringing');
  await page.locator('cc-account-card[data-state=ready]').waitFor({ timeout: 10_000 });
  t.equal(await page.locator('cc-account-card').getByText(expected.number).count() > 0, true, 'the account card is open while it rings');
  t.equal(await page.locator('cc-phone-bar[data-call=ringing]').count(), 1, 'still ringing: nothing was answered yet');
  await page.screenshot({ path: join(artifacts, 'ringing.png') });

  await page.locator('cc-phone-bar [data-action=answer]').click();
  await page.locator('cc-phone-bar[data-call=established]').waitFor({ timeout: 15_000 });
  await page.locator('cc-status-selector[data-state=on_call]').waitFor({ timeout: 10_000 });
  const stats = await eventually(async () => {
    const s = await page.evaluate(() => (document.querySelector('cc-app') as unknown as { phone: { stats(): Promise<Stats | null> } }).phone.stats());
    return s !== null && s.packetsSent > 50 && s.packetsReceived > 50 ? s : undefined;
  }, 20_000, 'RTP both ways');
  t.ok(stats.packetsSent > 50 && stats.packetsReceived > 50, `WebRTC packets flow both ways (sent ${stats.packetsSent}, received ${stats.packetsReceived})`);
  await page.screenshot({ path: join(artifacts, 'answered.png') });

  // The agent registers an appeal on the caller's behalf and reads its number.
  await page.locator('cc-contact-log [role=tab]').nth(1).click();
  await page.locator('cc-appeal-form select[name=kind]').selectOption('paper');
  await page.locator('cc-appeal-form input[name=subject]').fill('Перерасчёт за октябрь');
  await page.locator('cc-appeal-form textarea[name=body]').fill('Клиент просит пересчитать начисление: показания переданы 20 октября.');
  await page.locator('cc-appeal-form button[type=submit]').click();
  const number = (await page.locator('cc-appeal-form [data-testid=appeal-number]').textContent({ timeout: 10_000 }))?.trim() ?? '';
  t.match(number, /^\d{8}$/, 'the page shows the registration number to read out');

  await page.locator('cc-phone-bar [data-action=hangup]').click();
  await page.locator('cc-phone-bar[data-call=none]').waitFor({ timeout: 10_000 });
  const result = await caller.done;
  t.equal(result.code, 0, `the caller was hung up on by the agent (sipp: ${result.errors})`);

  const appeal = await server.db.selectFrom('appeals').selectAll().where('number', '=', number).executeTakeFirst();
  t.ok(appeal, 'the appeal is stored under the number the agent read');
  const call = await server.db.selectFrom('calls').selectAll().where('caller_number', '=', CALLER).executeTakeFirstOrThrow();
  t.equal(appeal?.call_id, call.id, 'linked to the call');
  t.equal(appeal?.agent_id, operator.id, 'and to the agent');
  t.equal(appeal?.account_id, expected.accountId, 'and to the caller\'s account');
  t.equal(appeal?.kind, 'paper');
  const ended = await eventually(async () => {
    const row = await server.db.selectFrom('calls').selectAll().where('id', '=', call.id).executeTakeFirst();
    return row?.ended_at !== null ? row : undefined;
  }, 10_000, 'the call ended');
  t.equal(ended.agent_id, operator.id, 'the call records the agent who answered');
  t.ok(ended.answered_at !== null, 'and that it was answered');
  const states = await server.db.selectFrom('agent_state_log').select(['to_state']).where('agent_id', '=', operator.id).orderBy('id').execute();
  const kinds = states.map((s) => s.to_state);
  for (const k of ['available', 'ringing', 'on_call']) t.ok(kinds.includes(k), `the agent's ${k} state is in the database`);
  t.ok(kinds.includes('wrap_up') || kinds.lastIndexOf('available') > kinds.indexOf('on_call'), 'the call ended into wrap-up or available');

  await noLeftovers(asterisk);

  // Asterisk goes away and comes back (a restart, a dropped link): the page says the phone is
  // down, then registers again by itself once the server has pushed the agents' phones back.
  await asterisk.stop();
  await page.locator('cc-phone-bar[data-registration=unregistered]').waitFor({ timeout: 20_000 });
  t.pass('the page shows the phone unregistered when its connection drops');
  await asterisk.start();
  await page.locator('cc-phone-bar[data-registration=registered]').waitFor({ timeout: 60_000 });
  t.pass('and it registers again by itself');

  t.same(pageErrors, [], 'no uncaught errors in the page');
});

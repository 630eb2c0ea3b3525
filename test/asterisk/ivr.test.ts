import t from 'tap';
import { say } from '../../ivr/speech.js';
import { generateDemoData } from '../../server/demo/generator.js';
import { SelfService } from '../../server/self-service/service.js';
import { eventually } from '../support/fake-telephony.js';
import { noLeftovers, startTestAsterisk, startTestServer } from '../support/asterisk.js';
import { runSipp, type SippOptions } from '../support/sipp.js';

/*
 * Real callers (sipp, keys as SIP INFO) through the real Asterisk into the IVR. Keys are sent
 * early on purpose: barge-in and type-ahead make a caller who knows the menu fast, whatever
 * the prompts' lengths.
 */

const asterisk = await startTestAsterisk(t, 'ivr');
const server = await startTestServer(t, asterisk);
await generateDemoData(server.db, { customers: 40, seed: 7, asOf: new Date('2026-11-01T00:00:00Z') });
t.teardown(() => noLeftovers(asterisk));

async function call(caller: string, scenario: SippOptions['scenario'], extra: Partial<SippOptions> = {}) {
  const before = new Set((await server.db.selectFrom('calls').select('id').execute()).map((r) => r.id));
  const run = await runSipp({ sipPort: asterisk.sipPort, caller, scenario, timeoutS: 90, ...extra });
  const result = await run.done;
  const n = extra.calls ?? 1;
  const calls = await eventually(async () => {
    const rows = (await server.db.selectFrom('calls').selectAll().orderBy('started_at').execute()).filter((r) => !before.has(r.id));
    return rows.length === n && rows.every((r) => r.ended_at !== null) ? rows : undefined;
  }, 20_000, `${n} call(s) to end`);
  return { result, calls };
}

async function events(callId: string) {
  const rows = await server.db.selectFrom('call_events').select(['type', 'data']).where('call_id', '=', callId).orderBy('id').execute();
  return rows.map((r) => ({ type: r.type, data: JSON.parse(r.data) as Record<string, unknown> }));
}

async function heardMedia(callId: string): Promise<string[]> {
  return (await events(callId)).filter((e) => e.type === 'media_started').map((e) => e.data['media'] as string);
}

async function accountId(number: string): Promise<number> {
  return (await server.db.selectFrom('accounts').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;
}

t.test('menu 1: a caller asks for reference information and hears how to pay', async (t) => {
  const { result, calls } = await call('+79990000101', [{ pause: 400 }, { keys: '1' }, { pause: 600 }, { keys: '2' }, { pause: 2500 }, { hangup: true }]);
  t.equal(result.code, 0, result.errors);
  const [c] = calls;
  const history = await events(c!.id);
  t.ok(history.some((e) => e.type === 'menu' && e.data['node'] === 'info'), 'entered the information menu');
  const [payment] = await server.speech.media([say('info_payment')], 'ru');
  t.ok((await heardMedia(c!.id)).includes(payment!), 'Asterisk played the payment information');
  t.equal(c!.outcome, 'completed', 'informed, then hung up: served');
});

t.test('menu 2: a reading sent by keypad is stored once, for the right account, with the call', async (t) => {
  const id = await accountId('3900000005');
  const before = await server.db.selectFrom('meter_readings').selectAll().where('account_id', '=', id).orderBy('taken_at', 'desc').execute();
  const value = before[0]!.day_value + 123;
  const { result, calls } = await call('+79990000102', [
    { keys: '2' }, { pause: 800 }, { keys: '3900000005#' }, { pause: 1500 }, { keys: '1' }, { pause: 1500 },
    { keys: `${value}#` }, { pause: 1500 }, { keys: '1' }, { pause: 2500 }, { hangup: true },
  ]);
  t.equal(result.code, 0, result.errors);
  const after = await server.db.selectFrom('meter_readings').selectAll().where('account_id', '=', id).orderBy('id').execute();
  t.equal(after.length, before.length + 1, 'exactly one reading added');
  t.match(after.at(-1), { day_value: value, night_value: null, source: 'ivr', call_id: calls[0]!.id });
  t.ok((await events(calls[0]!.id)).some((e) => e.type === 'reading_stored'));
});

t.test('menu 3: an identified caller hears the balance, and the played sequence matches the known balance', async (t) => {
  const id = await accountId('3900000001');
  const balance = await new SelfService(server.db).balance(id);
  if (balance.kind !== 'balance') throw new Error('no balance');
  t.ok(balance.balanceKop > 0, 'the demo account owes money');
  const { result, calls } = await call('+74012000001', [{ keys: '3' }, { pause: 1500 }, { keys: '1' }, { pause: 9000 }, { hangup: true }]);
  t.equal(result.code, 0, result.errors);
  const expected = await server.speech.media([
    say('balance_debt', { amount: { kind: 'money', kopecks: balance.balanceKop } }),
    say('balance_last_payment', { date: { kind: 'date', iso: balance.lastPayment!.date }, amount: { kind: 'money', kopecks: balance.lastPayment!.amountKop } }),
  ], 'ru');
  const heard = await heardMedia(calls[0]!.id);
  const at = heard.indexOf(expected[0]!);
  t.ok(at >= 0, 'the debt was played');
  t.same(heard.slice(at, at + expected.length), expected, "then the last payment, in that order");
  t.equal(calls[0]!.identification, 'one');
});

t.test('menu 4: a caller hears an appeal\'s status and due date', async (t) => {
  await server.db.insertInto('appeals').values({
    number: '26000042', account_id: await accountId('3900000001'), kind: 'paper_letter', channel: 'call_center', subject: 'Перерасчёт',
    status: 'in_progress', registered_at: '2026-11-20T10:00:00.000Z', due_date: '2026-12-20',
  }).execute();
  const { result, calls } = await call('+79990000104', [{ keys: '4' }, { pause: 800 }, { keys: '26000042#' }, { pause: 6000 }, { hangup: true }]);
  t.equal(result.code, 0, result.errors);
  const expected = await server.speech.media([say('appeal_status', {
    digits: { kind: 'digits', value: '26000042' }, status: { kind: 'prompt', prompt: 'appeal_status_in_progress' }, date: { kind: 'date', iso: '2026-12-20' },
  })], 'ru');
  t.ok((await heardMedia(calls[0]!.id)).includes(expected[0]!), 'the status sentence was played');
});

t.test('a caller who hangs up in the middle of a reading stores nothing', async (t) => {
  const id = await accountId('3900000005');
  const before = await server.db.selectFrom('meter_readings').select('id').where('account_id', '=', id).execute();
  const { calls } = await call('+79990000105', [
    { keys: '2' }, { pause: 800 }, { keys: '3900000005#' }, { pause: 1500 }, { keys: '1' }, { pause: 1500 }, { keys: '31' }, { hangup: true },
  ]);
  const after = await server.db.selectFrom('meter_readings').select('id').where('account_id', '=', id).execute();
  t.equal(after.length, before.length, 'no reading');
  t.equal(calls[0]!.outcome, 'abandoned');
});

t.test('20 simultaneous callers each send their own reading for their own account', async (t) => {
  const accounts = await server.db.selectFrom('accounts as a')
    .innerJoin('meter_readings as m', 'm.account_id', 'a.id')
    .select(['a.id', 'a.number', (eb) => eb.fn.max('m.day_value').as('last')])
    .where('a.tariff', '=', 'single').where('a.closed_at', 'is', null).where('a.number', 'not like', '39000000%')
    .groupBy(['a.id', 'a.number']).orderBy('a.number').limit(20).execute();
  t.equal(accounts.length, 20);
  const rows = accounts.map((a) => [...a.number, ...String(Number(a.last) + 77).padStart(6, '0')]);
  const steps: SippOptions['scenario'] = [
    { keys: '2' }, { pause: 1000 }, { fields: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }, { keys: '#' }, { pause: 2500 }, { keys: '1' }, { pause: 2500 },
    { fields: [10, 11, 12, 13, 14, 15] }, { keys: '#' }, { pause: 2500 }, { keys: '1' }, { pause: 3000 }, { hangup: true },
  ];
  const { result, calls } = await call('+79990000106', steps, { calls: 20, rate: 20, limit: 20, injection: rows });
  t.equal(result.code, 0, result.errors);
  t.equal(new Set(calls.map((c) => c.id)).size, 20);
  const callIds = calls.map((c) => c.id);
  for (const a of accounts) {
    const stored = await server.db.selectFrom('meter_readings').selectAll().where('account_id', '=', a.id).where('call_id', 'in', callIds).execute();
    t.equal(stored.length, 1, `account ${a.number}: one reading`);
    t.equal(stored[0]?.day_value, Number(a.last) + 77, `account ${a.number}: its own value`);
    t.ok(calls.some((c) => c.id === stored[0]?.call_id), `account ${a.number}: linked to one of the calls`);
  }
  const linked = new Set((await server.db.selectFrom('meter_readings').select('call_id').where('call_id', 'in', callIds).execute()).map((r) => r.call_id));
  t.ok(calls.every((c) => linked.has(c.id)), 'every call stored its reading');
});

import t from 'tap';
import { nearestOfficeSpeech } from '../../ivr/offices.js';
import { say } from '../../ivr/speech.js';
import { generateDemoData } from '../../server/demo/generator.js';
import { SelfService } from '../../server/self-service/service.js';
import { eventually } from '../support/fake-telephony.js';
import { noLeftovers, startTestAsterisk, startTestServer } from '../support/asterisk.js';
import { runSipp, type SippOptions } from '../support/sipp.js';

/*
 * What callers hear (issue 10), through the real Asterisk with sipp callers: an unidentified
 * caller hears nothing of an account before the check, a caller with nobody on shift is told so
 * with the callback offer, an identified caller hears their own town's office first. What was
 * played is read from Asterisk's PlaybackStarted/Continuing events the call stored.
 */

const asterisk = await startTestAsterisk(t, 'ivr-words');
const server = await startTestServer(t, asterisk, { env: { CALLBACK_OFFER_AFTER_S: '60' } });
await generateDemoData(server.db, { customers: 20, seed: 7, asOf: new Date('2026-11-01T00:00:00Z') });
t.teardown(() => noLeftovers(asterisk).catch(() => undefined));

async function call(caller: string, scenario: SippOptions['scenario']) {
  const before = new Set((await server.db.selectFrom('calls').select('id').execute()).map((r) => r.id));
  const result = await (await runSipp({ sipPort: asterisk.sipPort, caller, scenario, timeoutS: 90 })).done;
  const row = await eventually(async () => {
    const r = (await server.db.selectFrom('calls').selectAll().execute()).find((c) => !before.has(c.id));
    return r?.ended_at != null ? r : undefined;
  }, 20_000, 'the call to end');
  const events = (await server.db.selectFrom('call_events').select(['type', 'data']).where('call_id', '=', row.id).orderBy('id').execute())
    .map((e) => ({ type: e.type, data: JSON.parse(e.data) as Record<string, unknown> }));
  // Asterisk may report one medium of a list twice (PlaybackStarted, then PlaybackContinuing): heard once.
  const heard = events.filter((e) => e.type === 'media_started').map((e) => e.data['media'] as string).filter((m, i, all) => m !== all[i - 1]);
  return { result, row, events, heard };
}

const media = async (...speech: Parameters<typeof say>[]) => server.speech.media(speech.map(([p, v]) => say(p, v)), 'ru');

const accountId = async (number: string) => (await server.db.selectFrom('accounts').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;

async function balanceMedia(number: string): Promise<string[]> {
  const b = await new SelfService(server.db).balance(await accountId(number));
  if (b.kind !== 'balance' || b.lastPayment === null) throw new Error('the demo account has a balance and a payment');
  return server.speech.media([
    say(b.balanceKop > 0 ? 'balance_debt' : b.balanceKop < 0 ? 'balance_credit' : 'balance_zero', { amount: { kind: 'money', kopecks: Math.abs(b.balanceKop) } }),
    say('balance_last_payment', { date: { kind: 'date', iso: b.lastPayment.date }, amount: { kind: 'money', kopecks: b.lastPayment.amountKop } }),
  ], 'ru');
}

t.test('a stranger who types a demo account hears the check and no amount; with the linked phone the balance follows', async (t) => {
  const [check] = await media(['account_check_phone']);
  const amounts = await balanceMedia('3900000001');
  const { result, row, events, heard } = await call('+79990000201', [
    { keys: '3' }, { pause: 800 }, { keys: '3900000001#' }, { pause: 2500 }, { keys: '84012000001#' }, { pause: 9000 }, { hangup: true },
  ]);
  t.equal(result.code, 0, result.errors);
  t.equal(row.identification, 'none');
  const checkAt = heard.indexOf(check!);
  t.ok(checkAt >= 0, 'asked for the linked phone');
  const debtAt = heard.indexOf(amounts[0]!);
  t.ok(debtAt > checkAt, 'the balance only after the check');
  t.same(heard.slice(debtAt, debtAt + amounts.length), amounts, 'the debt, then the last payment');
  t.ok(events.some((e) => e.type === 'number_entered' && e.data['step'] === 'verify'));
  t.notOk(events.some((e) => e.type === 'account_check_failed'));
});

t.test('three wrong answers: nothing about the account is played, the failures are stored, the call ends politely as failed', async (t) => {
  const amounts = await balanceMedia('3900000001');
  const [refused] = await media(['account_check_refused']);
  const { result, row, events, heard } = await call('+79990000202', [
    { keys: '3' }, { pause: 800 }, { keys: '3900000001#' }, { pause: 2000 },
    { keys: '1111111111#' }, { pause: 1500 }, { keys: '2222222222#' }, { pause: 1500 }, { keys: '3333333333#' }, { waitBye: 20_000 },
  ]);
  t.equal(result.code, 0, result.errors);
  t.notOk(heard.some((m) => amounts.includes(m)), 'no amount played');
  t.notOk(events.some((e) => e.type === 'balance_heard'));
  t.equal(events.filter((e) => e.type === 'account_check_failed').length, 3, 'each failure counted with the call');
  t.ok(heard.includes(refused!), 'told politely');
  t.equal(row.outcome, 'failed');
});

t.test('with nobody on shift, the first words in the queue are that nobody is there and the callback offer', async (t) => {
  const [nobody, offer] = await media(['queue_no_operators'], ['callback_offer']);
  const [connecting] = await media(['queue_entered']);
  const { result, heard } = await call('+74012000001', [{ keys: '0' }, { pause: 9000 }, { hangup: true }]);
  t.equal(result.code, 0, result.errors);
  const at = heard.indexOf(nobody!);
  t.ok(at >= 0, 'told nobody is on shift');
  t.equal(heard[at + 1], offer, 'the offer right after it');
  t.notOk(heard.includes(connecting!), 'never "connecting you"');
});

t.test('an identified caller asking for the offices hears the one of their own town first', async (t) => {
  const r = await new SelfService(server.db).answer('', 'ru', { kind: 'offices' });
  if (r.kind !== 'offices') throw new Error(r.kind);
  const own = r.offices.find((o) => o.city === 'Советск')!;
  const expected = await server.speech.media(nearestOfficeSpeech(own, r.offices), 'ru');
  const { result, heard } = await call('+79110000004', [{ keys: '11' }, { pause: 12_000 }, { hangup: true }]); // Соколова, Советск
  t.equal(result.code, 0, result.errors);
  const at = heard.indexOf(expected[0]!);
  t.ok(at >= 0, 'the nearest office said');
  t.same(heard.slice(at, at + 3), expected, 'Sovetsk, then the key for the others');
});

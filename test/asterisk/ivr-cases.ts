import type { Test } from 'tap';
import { say } from '../../ivr/speech.js';
import { generateDemoData } from '../../server/demo/generator.js';
import { SelfService } from '../../server/self-service/service.js';
import { eventually } from '../support/fake-telephony.js';
import { noLeftovers, startTestAsterisk, startTestServer, type TestServer } from '../support/asterisk.js';
import { runSipp, type SippOptions, type SippResult } from '../support/sipp.js';
import type { Call } from '../../server/db/schema.js';
import type { KeyMode } from '../support/sipp-script.js';

/*
 * The IVR's menus with real callers (sipp) through the real Asterisk, for either way a caller's
 * keys travel (SIP INFO or RFC 2833 telephone-events): ivr.test.ts and ivr-rfc2833.test.ts run
 * the same cases. Keys are sent early on purpose: barge-in and type-ahead make a caller who
 * knows the menu fast, whatever the prompts' lengths.
 */

type Tap = Test;

export interface IvrRig {
  server: TestServer;
  keyMode: KeyMode;
  /** One sipp run of `scenario` from `caller`; resolves when its calls have ended in the database. */
  call(caller: string, scenario: SippOptions['scenario'], extra?: Partial<SippOptions>): Promise<{ result: SippResult; calls: Call[] }>;
  events(callId: string): Promise<Array<{ type: string; data: Record<string, unknown> }>>;
  heardMedia(callId: string): Promise<string[]>;
  accountId(number: string): Promise<number>;
}

/** A project Asterisk and a server with 40 demo customers, for `keyMode` callers; torn down with `t`. */
export async function startIvrRig(t: Tap, keyMode: KeyMode): Promise<IvrRig> {
  const asterisk = await startTestAsterisk(t, keyMode === 'info' ? 'ivr' : 'ivr-2833');
  // Registered before the server, so it runs once the server has stopped (teardowns run last first)
  // and has taken down the queue's holding bridge.
  t.teardown(() => noLeftovers(asterisk));
  const server = await startTestServer(t, asterisk);
  await generateDemoData(server.db, { customers: 40, seed: 7, asOf: new Date('2026-11-01T00:00:00Z') });
  const events = async (callId: string) => {
    const rows = await server.db.selectFrom('call_events').select(['type', 'data']).where('call_id', '=', callId).orderBy('id').execute();
    return rows.map((r) => ({ type: r.type, data: JSON.parse(r.data) as Record<string, unknown> }));
  };
  return {
    server, keyMode, events,
    async call(caller, scenario, extra = {}) {
      const before = new Set((await server.db.selectFrom('calls').select('id').execute()).map((r) => r.id));
      const run = await runSipp({ sipPort: asterisk.sipPort, caller, scenario, timeoutS: 90, keyMode, ...extra });
      const result = await run.done;
      const n = extra.calls ?? 1;
      const calls = await eventually(async () => {
        const rows = (await server.db.selectFrom('calls').selectAll().orderBy('started_at').execute()).filter((r) => !before.has(r.id));
        return rows.length === n && rows.every((r) => r.ended_at !== null) ? rows : undefined;
      }, 20_000, `${n} call(s) to end`);
      return { result, calls };
    },
    async heardMedia(callId) {
      return (await events(callId)).filter((e) => e.type === 'media_started').map((e) => e.data['media'] as string);
    },
    async accountId(number) {
      return (await server.db.selectFrom('accounts').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;
    },
  };
}

/** The menu cases (1–4, 0, and keys that repeat or come close together), for the rig's key mode. */
export function ivrMenuCases(t: Tap, rig: IvrRig): void {
  const { server, call, events, heardMedia, accountId } = rig;
  const mode = rig.keyMode === 'info' ? 'SIP INFO' : 'RFC 2833';

  t.test(`menu 1 (${mode} keys): a caller asks for reference information and hears how to pay`, async (t) => {
    const { result, calls } = await call('+79990000101', [{ pause: 400 }, { keys: '1' }, { pause: 600 }, { keys: '2' }, { pause: 2500 }, { hangup: true }]);
    t.equal(result.code, 0, result.errors);
    const [c] = calls;
    const history = await events(c!.id);
    t.ok(history.some((e) => e.type === 'menu' && e.data['node'] === 'info'), 'entered the information menu');
    const [payment] = await server.speech.media([say('info_payment')], 'ru');
    t.ok((await heardMedia(c!.id)).includes(payment!), 'Asterisk played the payment information');
    t.equal(c!.outcome, 'completed', 'informed, then hung up: served');
  });

  t.test(`menu 2 (${mode} keys): a reading sent by keypad is stored once, for the right account, with the call`, async (t) => {
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

  t.test(`menu 3 (${mode} keys): an identified caller hears the balance, and the played sequence matches the known balance`, async (t) => {
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
    t.same(heard.slice(at, at + expected.length), expected, 'then the last payment, in that order');
    t.equal(calls[0]!.identification, 'one');
  });

  t.test(`menu 4 (${mode} keys): a caller hears an appeal's status and due date`, async (t) => {
    const number = '26000042';
    await server.db.insertInto('appeals').values({
      number, account_id: await accountId('3900000001'), kind: 'paper_letter', channel: 'call_center', subject: 'Перерасчёт',
      status: 'in_progress', registered_at: '2026-11-20T10:00:00.000Z', due_date: '2026-12-20',
    }).execute();
    const { result, calls } = await call('+79990000104', [{ keys: '4' }, { pause: 800 }, { keys: `${number}#` }, { pause: 6000 }, { hangup: true }]);
    t.equal(result.code, 0, result.errors);
    const expected = await server.speech.media([say('appeal_status', {
      digits: { kind: 'digits', value: number }, status: { kind: 'prompt', prompt: 'appeal_status_in_progress' }, date: { kind: 'date', iso: '2026-12-20' },
    })], 'ru');
    t.ok((await heardMedia(calls[0]!.id)).includes(expected[0]!), 'the status sentence was played');
  });

  t.test(`menu 0 (${mode} keys): a caller who asks for an operator joins the general queue`, async (t) => {
    const { result, calls } = await call('+79990000107', [{ keys: '0' }, { pause: 3000 }, { hangup: true }]);
    t.equal(result.code, 0, result.errors);
    const history = await events(calls[0]!.id);
    t.ok(history.some((e) => e.type === 'operator_requested' && e.data['queue'] === 'general'), 'asked for the general queue');
    t.ok(history.some((e) => e.type === 'queue_entered'), 'and joined it');
    t.equal(calls[0]!.outcome, 'abandoned', 'hung up while waiting');
  });

  t.test(`keys that repeat or come close together arrive exactly, in order (${mode})`, async (t) => {
    // An appeal number nobody has: the IVR reads back "not found", which does not matter here.
    const { result, calls } = await call('+79990000108', [{ keys: '4' }, { pause: 800 }, { keys: '2222505#' }, { pause: 2000 }, { hangup: true }]);
    t.equal(result.code, 0, result.errors);
    const history = await events(calls[0]!.id);
    t.equal(history.filter((e) => e.type === 'dtmf').map((e) => e.data['digit']).join(''), '42222505#', 'every key, once, in order');
    t.ok(history.some((e) => e.type === 'number_entered' && e.data['value'] === '2222505'), 'the number typed is 2222505');
  });
}

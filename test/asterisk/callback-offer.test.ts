import t from 'tap';
import { say } from '../../ivr/speech.js';
import { localDayTime } from '../../ivr/working-hours.js';
import { eventually } from '../support/fake-telephony.js';
import { addAccount } from '../support/app.js';
import { ariGet, noLeftovers, startTestAsterisk, startTestServer, type TestServer } from '../support/asterisk.js';
import { closedNowHours } from '../support/hours.js';
import { runSipp, type SippOptions } from '../support/sipp.js';

/*
 * The caller's side of callbacks with real SIP callers (sipp, keys as SIP INFO) through the real
 * Asterisk: a waiting caller takes the offer and is hung up politely, leaving a request that
 * keeps their place; outside working hours the operator option says when the center opens and
 * books a callback for then. One Asterisk; a server per test (each with its own hours).
 */

const asterisk = await startTestAsterisk(t, 'callback-offer');
t.teardown(() => noLeftovers(asterisk).catch(() => undefined));

const seed = async (db: TestServer['db']) => { await addAccount(db, '3900000001', '+74012000001'); };

async function call(server: TestServer, scenario: SippOptions['scenario']) {
  const run = await runSipp({ sipPort: asterisk.sipPort, caller: '+74012000001', scenario, timeoutS: 60 });
  const result = await run.done;
  const row = await eventually(async () => {
    const r = await server.db.selectFrom('calls').selectAll().orderBy('started_at', 'desc').executeTakeFirst();
    return r?.ended_at != null ? r : undefined;
  }, 20_000, 'the call to end');
  return { result, row };
}

async function heardMedia(server: TestServer, callId: string): Promise<string[]> {
  const rows = await server.db.selectFrom('call_events').select('data').where('call_id', '=', callId).where('type', '=', 'media_started').orderBy('id').execute();
  return rows.map((r) => (JSON.parse(r.data) as { media: string }).media);
}

/** Nothing but holding bridges (kept for the next caller) may remain once a call is over. */
async function onlyHoldingLeft(): Promise<void> {
  await eventually(async () => {
    const channels = await ariGet<unknown[]>(asterisk, '/channels');
    const left = (await ariGet<Array<{ bridge_type: string }>>(asterisk, '/bridges')).filter((b) => b.bridge_type !== 'holding');
    return channels.length === 0 && left.length === 0 ? true : undefined;
  }, 10_000, 'no channel and no call bridge left');
}

t.test('with no agent logged in, a waiting caller hears the offer, presses 1 and 1, hears the goodbye and our BYE arrives; the request keeps their place', async (t) => {
  const server = await startTestServer(t, asterisk, { seed, env: { CALLBACK_OFFER_AFTER_S: '3' } });
  // 0 barges into the greeting; "connecting you" (~3.5 s) is said first, the offer right after
  // it (the 3 s are up by then); 1 during the offer, 1 during the read-back; then only listen.
  const { result, row } = await call(server, [{ keys: '0' }, { pause: 7000 }, { keys: '1' }, { pause: 2000 }, { keys: '1' }, { waitBye: 20_000 }]);
  t.equal(result.code, 0, `the caller got our BYE ${result.errors}`);
  t.equal(row.outcome, 'completed');

  const [offer] = await server.speech.media([say('callback_offer')], 'ru');
  const [thanks] = await server.speech.media([say('callback_accepted')], 'ru');
  const heard = await heardMedia(server, row.id);
  t.ok(heard.includes(offer!), 'Asterisk played the offer');
  t.ok(heard.includes(thanks!), 'and the goodbye');

  const request = await server.db.selectFrom('callback_requests').selectAll().where('call_id', '=', row.id).executeTakeFirstOrThrow();
  t.match(request, { phone_e164: '+74012000001', status: 'pending', queue: 'general' });
  const entered = await server.db.selectFrom('call_events').select('at').where('call_id', '=', row.id).where('type', '=', 'queue_entered').executeTakeFirstOrThrow();
  t.ok(Math.abs(Date.parse(request.queue_entered_at) - Date.parse(entered.at)) < 1000, 'queue_entered_at is when the caller joined');
  t.ok(Date.parse(request.requested_at) - Date.parse(request.queue_entered_at) >= 3000, 'not when they asked');
  await onlyHoldingLeft();
});

t.test('outside working hours the operator option says when the center opens; 1 and 1 book a callback due then; a caller who hangs up books nothing', async (t) => {
  const { hours, opensAt } = closedNowHours(3);
  const server = await startTestServer(t, asterisk, { seed, hours });
  // The closed notice and the opening time (~5 s), then the offer: 1 during the offer.
  const { result, row } = await call(server, [{ keys: '0' }, { pause: 7000 }, { keys: '1' }, { pause: 2000 }, { keys: '1' }, { waitBye: 20_000 }]);
  t.equal(result.code, 0, `the caller got our BYE ${result.errors}`);
  t.equal(row.outcome, 'completed');

  const when = { kind: 'moment', day: localDayTime(opensAt).day, time: '08:00', today: localDayTime(new Date()).day } as const;
  const [closed, opens] = await server.speech.media([say('center_closed'), say('center_opens', { when })], 'ru');
  const heard = await heardMedia(server, row.id);
  const at = heard.indexOf(closed!);
  t.ok(at >= 0, 'Asterisk played that the center is closed');
  t.equal(heard[at + 1], opens, 'then when it opens');

  const request = await server.db.selectFrom('callback_requests').selectAll().where('call_id', '=', row.id).executeTakeFirstOrThrow();
  t.match(request, { phone_e164: '+74012000001', status: 'pending', next_attempt_at: opensAt.toISOString() });
  const queued = await server.db.selectFrom('call_events').select('id').where('call_id', '=', row.id).where('type', '=', 'queue_entered').execute();
  t.equal(queued.length, 0, 'never queued');

  const gone = await call(server, [{ keys: '0' }, { pause: 4000 }, { hangup: true }]);
  t.equal(gone.result.code, 0, gone.result.errors);
  t.not(gone.row.id, row.id);
  t.ok((await heardMedia(server, gone.row.id)).includes(opens!), 'the opening time was said');
  t.equal((await server.db.selectFrom('callback_requests').select('id').where('call_id', '=', gone.row.id).execute()).length, 0, 'no request');
  t.equal((await server.db.selectFrom('callback_requests').select('id').execute()).length, 1, 'only the first caller\'s');
  await onlyHoldingLeft();
});

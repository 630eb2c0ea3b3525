import t from 'tap';
import { eventually } from '../support/fake-telephony.js';
import { addAccount, testApp, type TestApp } from '../support/app.js';
import { closedNowHours } from '../support/hours.js';

/*
 * The caller's side of callbacks through the whole server with a fake Asterisk: the offer to a
 * waiting caller (CALLBACK_OFFER_AFTER_S=1 keeps the test short) and the operator option
 * outside working hours.
 */

const seed = async (db: TestApp['db']) => { await addAccount(db, '3900000001', '+74012000001'); };

/** Resolves with the playback of `prompt` to the channel, once it has been asked for. */
function playOf(app: TestApp, channelId: string, prompt: string, ms = 3000) {
  return eventually(() => {
    const r = app.telephony.requests.find((x) => x.op === 'play' && x.channelId === channelId && x.media.some((m) => m.endsWith(`/${prompt}`)));
    return r?.op === 'play' ? r : undefined;
  }, ms, `${prompt} played`);
}

async function callRow(app: TestApp, channelId: string) {
  return eventually(async () => {
    const row = await app.db.selectFrom('calls').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
    return row?.ended_at != null ? row : undefined;
  }, 5000, 'the call to end');
}

t.test('with nobody on shift a waiting caller is told so and offered a callback at once; 1 later in the music books it, keeping their place', async (t) => {
  const app = await testApp(t, { seed, env: { CALLBACK_OFFER_AFTER_S: '60' } });
  app.telephony.callIn('caller1', '+74012000001');
  await playOf(app, 'caller1', 'greeting');
  app.telephony.press('caller1', '0');
  const offer = await playOf(app, 'caller1', 'callback_offer');
  t.ok(offer.media.findIndex((m) => m.includes('queue_no_operators')) === 0, 'first that nobody is on shift, in the same breath');
  t.notOk(app.telephony.requests.some((r) => r.op === 'play' && r.channelId === 'caller1' && r.media.some((m) => m.includes('queue_entered'))), 'never "connecting you"');
  app.telephony.finishPlayback('caller1', offer.playbackId);
  await eventually(() => app.telephony.requests.find((r) => r.op === 'add_to_bridge' && r.channelId === 'caller1'), 3000, 'back in the music');
  app.telephony.press('caller1', '1');
  await playOf(app, 'caller1', 'callback_readback');
  t.ok(app.speech.heard.some((h) => h.text.includes('восемь, четыреста один, двести, ноль ноль, ноль один')), 'the number read back in groups');
  app.telephony.press('caller1', '1');
  const thanks = await playOf(app, 'caller1', 'callback_accepted');
  t.notOk(app.telephony.requests.some((r) => r.op === 'hangup' && r.channelId === 'caller1'), 'not hung up over the thanks');
  app.telephony.finishPlayback('caller1', thanks.playbackId);
  await eventually(() => app.telephony.requests.find((r) => r.op === 'hangup' && r.channelId === 'caller1'), 3000, 'our hang-up');

  const call = await callRow(app, 'caller1');
  t.equal(call.outcome, 'completed');
  const request = await app.db.selectFrom('callback_requests').selectAll().where('call_id', '=', call.id).executeTakeFirstOrThrow();
  t.match(request, { phone_e164: '+74012000001', status: 'pending', queue: 'general' });
  const entered = await app.db.selectFrom('call_events').select('at').where('call_id', '=', call.id).where('type', '=', 'queue_entered').executeTakeFirstOrThrow();
  t.ok(Math.abs(Date.parse(request.queue_entered_at) - Date.parse(entered.at)) < 1000, 'the place in line is the one the caller took');
  t.ok(Date.parse(request.requested_at) >= Date.parse(request.queue_entered_at), 'requested after joining');
  t.ok(offer.playbackId !== thanks.playbackId);
});

t.test('outside working hours the operator option says when the center opens and books a callback for then; nothing is queued', async (t) => {
  const { hours, opensAt } = closedNowHours(3);
  const app = await testApp(t, { seed, hours });
  app.telephony.callIn('caller1', '+74012000001');
  await playOf(app, 'caller1', 'greeting');
  app.telephony.press('caller1', '0');
  const closed = await playOf(app, 'caller1', 'center_opens');
  t.ok(closed.media.some((m) => m.endsWith('/center_closed')), 'closed now');
  const said = app.speech.heard.find((h) => h.prompt === 'center_opens')!.text;
  t.match(said, /^Мы откроемся (в|во) \S+ в восемь часов\.$/, 'the opening, as a weekday three days on, at 8:00');
  app.telephony.press('caller1', '11');
  const thanks = await playOf(app, 'caller1', 'callback_accepted_later');
  t.equal(app.speech.heard.find((h) => h.prompt === 'callback_accepted_later')!.text, `Спасибо. Мы перезвоним вам ${said.slice('Мы откроемся '.length, -1)}. До свидания!`);
  app.telephony.finishPlayback('caller1', thanks.playbackId);
  const call = await callRow(app, 'caller1');
  t.equal(call.outcome, 'completed');
  const request = await app.db.selectFrom('callback_requests').selectAll().where('call_id', '=', call.id).executeTakeFirstOrThrow();
  t.match(request, { phone_e164: '+74012000001', status: 'pending', next_attempt_at: opensAt.toISOString() });
  t.notOk(app.telephony.requests.some((r) => r.op === 'add_to_bridge'), 'never in a holding bridge');
  t.equal((await app.db.selectFrom('call_events').select('id').where('call_id', '=', call.id).where('type', '=', 'queue_entered').execute()).length, 0, 'never queued');
});

t.test('outside working hours a caller who hangs up after hearing the opening time leaves nothing behind', async (t) => {
  const { hours } = closedNowHours(1);
  const app = await testApp(t, { seed, hours });
  app.telephony.callIn('caller1', '+74012000001');
  await playOf(app, 'caller1', 'greeting');
  app.telephony.press('caller1', '0');
  await playOf(app, 'caller1', 'center_opens');
  t.equal(app.speech.heard.find((h) => h.prompt === 'center_opens')!.text, 'Мы откроемся завтра в восемь часов.');
  app.telephony.hangUpFromCaller('caller1');
  const call = await callRow(app, 'caller1');
  t.equal(call.outcome, 'completed', 'an out-of-hours call is not an abandoned one');
  t.equal((await app.db.selectFrom('callback_requests').select('id').execute()).length, 0);
  t.notOk(app.telephony.requests.some((r) => r.op === 'add_to_bridge'));
});

import t from 'tap';
import { eventually } from '../support/fake-telephony.js';
import { addAccount, addAgent, testApp, type TestApp } from '../support/app.js';

async function callRow(app: TestApp, channelId: string) {
  return app.db.selectFrom('calls').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
}
async function endedCall(app: TestApp, channelId: string) {
  return eventually(async () => {
    const row = await callRow(app, channelId);
    return row?.ended_at != null ? row : undefined;
  }, 3000, `call on ${channelId} to end`);
}
/** A logged-in agent's session: call history is for staff only. */
async function staff(app: TestApp) {
  await addAgent(app.db, 'viewer', {}, { password: 'viewer-password' });
  return app.loginAs('viewer', 'viewer-password');
}
async function eventTypes(app: TestApp, callId: string) {
  return (await app.db.selectFrom('call_events').select('type').where('call_id', '=', callId).orderBy('id').execute()).map((e) => e.type);
}

t.test('a caller is answered, greeted, served from the menu, and the call is stored with every step', async (t) => {
  const app = await testApp(t);
  const accountId = await addAccount(app.db, '3900000001', '+74012000001');
  app.telephony.callIn('ch1', '+74012000001');
  const greeting = await eventually(() => app.telephony.requests.find((r) => r.op === 'play'));
  t.same(app.telephony.requests.map((r) => r.op), ['answer', 'play']);
  t.same(greeting.op === 'play' && greeting.media, ['sound:test/ru/greeting', 'sound:test/en/language_offer']);
  app.telephony.press('ch1', '3'); // barge-in: balance
  await eventually(() => app.speech.heard.find((h) => h.prompt === 'confirm_identified_account'));
  t.match(app.speech.heard.at(-1)!.text, /оканчивается на ноль ноль ноль один/);
  app.telephony.press('ch1', '1');
  await eventually(() => app.speech.heard.find((h) => h.prompt === 'balance_zero'));
  app.telephony.hangUpFromCaller('ch1');

  const row = await endedCall(app, 'ch1');
  t.equal(row.caller_number, '+74012000001');
  t.equal(row.caller_e164, '+74012000001');
  t.equal(row.identification, 'one');
  t.equal(row.account_id, accountId);
  t.equal(row.outcome, 'completed', 'served, then the caller hung up');
  t.equal(row.hangup_cause, 16);
  t.ok(row.answered_at! >= row.started_at && row.ended_at! >= row.answered_at!, 'times in order');
  t.match(row.started_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'UTC ISO time');
  const types = await eventTypes(app, row.id);
  for (const type of ['call_arrived', 'started', 'answered', 'ivr_started', 'dtmf', 'flow_started', 'balance_heard', 'hung_up']) {
    t.ok(types.includes(type), `the history has ${type}`);
  }
  t.equal(app.calls.liveCount, 0, 'nothing left in memory');

  const res = await (await staff(app)).inject({ method: 'GET', url: `/api/calls/${row.id}` });
  t.equal(res.statusCode, 200);
  t.equal(res.json().outcome, 'completed');
  t.equal(res.json().events.length, types.length);
});

t.test('a caller who hangs up during the greeting is stored as abandoned', async (t) => {
  const app = await testApp(t);
  app.telephony.callIn('ch1', '84012000001');
  await eventually(() => app.telephony.requests.find((r) => r.op === 'play'));
  app.telephony.hangUpFromCaller('ch1');
  const row = await endedCall(app, 'ch1');
  t.equal(row.outcome, 'abandoned');
  t.notOk(app.telephony.requests.some((r) => r.op === 'hangup'), 'we do not hang up a channel that is gone');
  t.equal(row.caller_e164, '+74012000001', 'a number in 8-prefix form is normalized');
});

for (const raw of ['', 'anonymous', '12', 'abc<script>', '+1 555 0100']) {
  t.test(`a caller number ${JSON.stringify(raw)} is stored as received and identifies no account`, async (t) => {
    const app = await testApp(t);
    await addAccount(app.db, '3900000001', '+74012000001');
    app.telephony.callIn('ch1', raw);
    await eventually(() => app.telephony.requests.find((r) => r.op === 'play'));
    app.telephony.hangUpFromCaller('ch1');
    const row = await endedCall(app, 'ch1');
    t.equal(row.caller_number, raw);
    t.equal(row.caller_e164, null);
    t.equal(row.identification, 'none');
    t.equal(row.account_id, null);
  });
}

t.test('an ARI error on one call hangs up that call as failed and leaves another call alone', async (t) => {
  const app = await testApp(t);
  app.telephony.failNext.add('answer');
  app.telephony.callIn('bad', '+74012000001');
  await eventually(() => app.telephony.requests.find((r) => r.op === 'hangup' && r.channelId === 'bad'));
  app.telephony.callIn('good', '+74012000002');
  await eventually(() => app.telephony.requests.find((r) => r.op === 'play' && r.channelId === 'good'));
  const bad = await endedCall(app, 'bad');
  t.equal(bad.outcome, 'failed');
  t.equal(app.calls.liveCount, 1, 'the other call goes on');
  const good = await callRow(app, 'good');
  t.equal(good?.outcome, null);
  t.ok(good?.answered_at);
});

t.test('a call that Asterisk hangs up as it shuts down is stored as failed', async (t) => {
  const app = await testApp(t);
  app.telephony.callIn('ch1', '+74012000001');
  await eventually(() => app.telephony.requests.find((r) => r.op === 'play'));
  app.telephony.shutDownUnder('ch1');
  const row = await endedCall(app, 'ch1');
  t.equal(row.outcome, 'failed');
  t.equal(row.hangup_cause_text, 'Asterisk shut down');
});

t.test('after a reconnection, a call whose channel vanished is recorded as failed', async (t) => {
  const app = await testApp(t);
  app.telephony.callIn('ch1', '+74012000001');
  await eventually(() => app.telephony.requests.find((r) => r.op === 'play'));
  app.telephony.disconnect();
  app.telephony.channels.delete('ch1'); // Asterisk restarted: the channel is gone, no event came
  app.telephony.connect(false);
  const row = await endedCall(app, 'ch1');
  t.equal(row.outcome, 'failed');
  t.equal(app.calls.liveCount, 0);
});

t.test('after a reconnection, a greeting that ended unseen is treated as finished', async (t) => {
  const app = await testApp(t);
  app.telephony.callIn('ch1', '+74012000001');
  const play = await eventually(() => app.telephony.requests.find((r) => r.op === 'play'));
  app.telephony.disconnect();
  app.telephony.playbacks.delete(play.op === 'play' ? play.playbackId : ''); // finished while we were deaf
  app.telephony.connect(false);
  await eventually(() => app.speech.heard.find((h) => h.prompt === 'main_menu'));
  t.pass('the call went on to the main menu');
  app.telephony.hangUpFromCaller('ch1');
});

t.test('a reading sent by keypad is stored once, with the call, only after the last confirmation', async (t) => {
  const app = await testApp(t);
  const accountId = await addAccount(app.db, '3900000001', '+74012000001');
  await app.db.insertInto('meter_readings').values({ account_id: accountId, taken_at: '2026-10-20T09:00:00.000Z', day_value: 31000, night_value: null, source: 'controller', call_id: null }).execute();
  app.telephony.callIn('ch1', 'anonymous');
  await eventually(() => app.telephony.requests.find((r) => r.op === 'play'));
  const step = async (keys: string, prompt: string) => {
    app.telephony.press('ch1', keys);
    await eventually(() => app.speech.heard.at(-1)?.prompt === prompt ? true : undefined, 3000, prompt);
  };
  await step('2', 'enter_account');
  await step('3900000001#', 'account_readback');
  await step('1', 'enter_reading_single');
  await step('31250#', 'reading_readback');
  t.equal((await app.db.selectFrom('meter_readings').selectAll().where('account_id', '=', accountId).execute()).length, 1, 'nothing stored yet');
  await step('1', 'reading_saved');
  const readings = await app.db.selectFrom('meter_readings').selectAll().where('account_id', '=', accountId).orderBy('id').execute();
  t.equal(readings.length, 2);
  t.match(readings[1], { day_value: 31250, night_value: null, source: 'ivr' });
  const call = await callRow(app, 'ch1');
  t.equal(readings[1]!.call_id, call!.id, 'linked to the call');
  app.telephony.hangUpFromCaller('ch1');
  await endedCall(app, 'ch1');
});

t.test('on start, a channel left in our application by a crashed server is hung up and recorded as orphaned', async (t) => {
  const app = await testApp(t, { connected: false });
  // What the crashed server left: a live call row and its channel still in Stasis.
  await app.db.insertInto('calls').values({
    id: '00000000-0000-4000-8000-000000000001', channel_id: 'old', direction: 'inbound', caller_number: '+74012000001',
    caller_e164: '+74012000001', started_at: '2026-01-01T00:00:00.000Z', state: '{"kind":"greeting"}',
  }).execute();
  app.telephony.channels.set('old', { id: 'old', name: 'PJSIP/trunk-1', state: 'Up', callerNumber: '+74012000001', callerName: '', dialed: '1000', language: 'ru', createdAt: '2026-01-01T00:00:00.000+0000', args: [] });
  // And a channel that never got a row (crash between StasisStart and the insert).
  app.telephony.channels.set('unrecorded', { id: 'unrecorded', name: 'PJSIP/trunk-2', state: 'Up', callerNumber: '', callerName: '', dialed: '1000', language: 'ru', createdAt: '2026-01-01T00:00:01.000+0000', args: [] });
  // And an agent's leg the crashed server had originated: hung up, no call row of its own.
  app.telephony.channels.set('leg', { id: 'leg', name: 'PJSIP/operator1-1', state: 'Up', callerNumber: '', callerName: '', dialed: '', language: 'ru', createdAt: '2026-01-01T00:00:02.000+0000', args: ['agent', 'x', '1'] });
  app.telephony.connect(true);

  const old = await endedCall(app, 'old');
  t.equal(old.outcome, 'orphaned');
  const unrecorded = await endedCall(app, 'unrecorded');
  t.equal(unrecorded.outcome, 'orphaned');
  await eventually(() => app.telephony.requests.find((r) => r.op === 'hangup' && r.channelId === 'leg'), 3000, 'the orphaned leg hung up');
  t.same(app.telephony.requests.filter((r) => r.op === 'hangup').map((r) => r.channelId).sort(), ['leg', 'old', 'unrecorded']);
  t.equal(await callRow(app, 'leg'), undefined, 'a leg is not a call');
});

t.test('an unknown call id is a 404 with its code; a malformed one is a 400', async (t) => {
  const app = await testApp(t);
  const api = await staff(app);
  const missing = await api.inject({ method: 'GET', url: '/api/calls/00000000-0000-4000-8000-000000000009' });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().code, 'CC_ERR_CALL_NOT_FOUND');
  const bad = await api.inject({ method: 'GET', url: '/api/calls/not-a-uuid' });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().code, 'CC_ERR_VALIDATION');
  const badLimit = await api.inject({ method: 'GET', url: '/api/calls?limit=0' });
  t.equal(badLimit.statusCode, 400);
});

import t from 'tap';
import type { RecordedRequest } from '../support/fake-telephony.js';
import { eventually, silentWav } from '../support/fake-telephony.js';
import { addAccount, addAgent, testApp, type Session, type TestApp as BaseTestApp } from '../support/app.js';

/** The app with a supervisor's session (`api`) and an agent's (`agentApi`), both able to log in. */
type TestApp = BaseTestApp & { api: Session; agentApi: Session };

/** One agent in the general queue, a supervisor and a known caller; `record` turns recording on for general through the admin API. */
async function recordingApp(t: Parameters<typeof testApp>[0], record: boolean) {
  let op1 = 0;
  const app = await testApp(t, {
    seed: async (db) => {
      await addAccount(db, '3900000001', '+74012000001');
      op1 = await addAgent(db, 'operator1', { general: 1 }, { password: 'op1-password' });
      await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
    },
  });
  const full = { ...app, api: await app.loginAs('boss', 'boss-password'), agentApi: await app.loginAs('operator1', 'op1-password') } as TestApp;
  if (record) {
    const general = ((await full.api.inject({ method: 'GET', url: '/api/queues' })).json() as Array<Record<string, unknown>>).find((q) => q.id === 'general')!;
    const { id: _, ...body } = general;
    const put = await full.api.inject({ method: 'PUT', url: '/api/queues/general', payload: { ...body, recording: true } });
    if (put.statusCode !== 200 || put.json().recording !== true) throw new Error(put.body);
  }
  const login = await full.api.inject({ method: 'POST', url: `/api/agents/${op1}/login` });
  if (login.statusCode !== 200) throw new Error(login.body);
  return full;
}

const plays = (app: TestApp, channelId: string) => app.telephony.requests.flatMap((r) => (r.op === 'play' && r.channelId === channelId ? [r] : []));
const isNotice = (r: RecordedRequest) => r.op === 'play' && r.media.some((m) => m.includes('recording_notice'));

/** A caller presses 0; resolves with the agent phone's originate request. */
async function callerQueues(app: TestApp, channelId: string) {
  app.telephony.callIn(channelId, '+74012000001');
  await eventually(() => plays(app, channelId)[0]);
  app.telephony.press(channelId, '0');
  await eventually(() => plays(app, channelId).find((r) => r.media.some((m) => m.includes('queue_entered'))), 3000, '"connecting you"');
  return eventually(() => app.telephony.requests.find((r) => r.op === 'originate'), 3000, 'the agent phone rung');
}

async function callOf(app: TestApp, channelId: string) {
  return eventually(async () => app.db.selectFrom('calls').selectAll().where('channel_id', '=', channelId).executeTakeFirst(), 3000, 'the call row');
}

/** A recorded call: the caller hears the notice in full, talks to the agent, hangs up; resolves with the call's id. */
async function recordedCall(app: TestApp, channelId: string): Promise<string> {
  const offer = await callerQueues(app, channelId);
  const notice = plays(app, channelId).find(isNotice)!;
  if (offer.op !== 'originate') throw new Error('no offer');
  app.telephony.agentAnswers(offer.channelId, offer.appArgs);
  app.telephony.emit({ type: 'media_started', channelId, playbackId: notice.playbackId, media: notice.media[0]! });
  app.telephony.finishPlayback(channelId, notice.playbackId);
  await eventually(() => app.telephony.requests.find((r) => r.op === 'record_bridge'), 3000, 'the bridge recorded');
  app.telephony.hangUpFromCaller(channelId);
  const call = await callOf(app, channelId);
  await eventually(async () => (await app.db.selectFrom('recordings').select('status').where('call_id', '=', call.id).executeTakeFirst())?.status === 'done' ? true : undefined, 3000, 'the recording done');
  return call.id;
}

t.test('in a recording queue the caller hears the notice first, meets the agent only once it ended, and the bridge is recorded', async (t) => {
  const app = await recordingApp(t, true);
  const offer = await callerQueues(app, 'caller1');
  const callerPlays = plays(app, 'caller1');
  const notice = callerPlays.find(isNotice);
  t.ok(notice, 'the notice is played to the caller');
  t.ok(callerPlays.indexOf(notice!) < callerPlays.findIndex((r) => r.media.some((m) => m.includes('queue_entered'))), 'before "connecting you"');
  t.match(app.speech.heard.find((h) => h.prompt === 'recording_notice'), { text: 'Разговор может быть записан для контроля качества обслуживания.', language: 'ru' });

  // The agent answers while the notice still plays: they wait for its end.
  if (offer.op !== 'originate') throw new Error('no offer');
  app.telephony.agentAnswers(offer.channelId, offer.appArgs);
  const { id: callId } = await callOf(app, 'caller1');
  // The caller's machine has heard of the agent: the queue would bridge them next, but for the notice.
  await eventually(() => app.db.selectFrom('call_events').select('id').where('call_id', '=', callId).where('type', '=', 'agent_connected').executeTakeFirst(), 3000, 'the agent connected');
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  t.notOk(app.telephony.requests.some((r) => r.op === 'create_bridge' && r.type === 'mixing'), 'no bridge while the notice plays');
  t.notOk(app.telephony.requests.some((r) => r.op === 'stop_playback' && r.playbackId === notice!.playbackId), 'the notice is not cut');

  app.telephony.emit({ type: 'media_started', channelId: 'caller1', playbackId: notice!.playbackId, media: notice!.media[0]! });
  app.telephony.finishPlayback('caller1', notice!.playbackId);
  const record = await eventually(() => app.telephony.requests.find((r) => r.op === 'record_bridge'), 3000, 'the bridge recorded');
  const mixing = app.telephony.requests.find((r) => r.op === 'create_bridge' && r.type === 'mixing');
  if (record.op !== 'record_bridge' || mixing?.op !== 'create_bridge') throw new Error('no recording');
  t.equal(record.bridgeId, mixing.bridgeId, 'the caller\'s bridge with the agent is recorded');
  t.equal(record.format, 'wav');
  const order = app.telephony.requests;
  t.ok(order.findIndex((r) => r.op === 'add_to_bridge' && r.bridgeId === mixing.bridgeId && r.channelId === offer.channelId) < order.indexOf(record), 'once both are in it');

  const call = await callOf(app, 'caller1');
  t.match(await app.db.selectFrom('recordings').selectAll().where('call_id', '=', call.id).execute(), [{ name: record.name, format: 'wav', status: 'recording', agent_id: Number(offer.appArgs[2]) }]);

  app.telephony.recordingAudio = silentWav(4000);
  app.telephony.hangUpFromCaller('caller1');
  const done = await eventually(async () => {
    const row = await app.db.selectFrom('recordings').selectAll().where('call_id', '=', call.id).executeTakeFirst();
    return row?.status === 'done' ? row : undefined;
  }, 3000, 'the recording complete');
  t.match(done, { duration_ms: 4000, size_bytes: 44 + 64_000, failure: null });
  t.ok(done.ended_at, 'with its end');
  const types = (await app.db.selectFrom('call_events').select('type').where('call_id', '=', call.id).execute()).map((e) => e.type);
  for (const type of ['recording_notice_heard', 'recording_started', 'recording_finished']) t.ok(types.includes(type), `the history has ${type}`);
});

t.test('a queue that does not record plays no notice and records nothing', async (t) => {
  const app = await recordingApp(t, false);
  const offer = await callerQueues(app, 'caller1');
  if (offer.op !== 'originate') throw new Error('no offer');
  app.telephony.agentAnswers(offer.channelId, offer.appArgs);
  await eventually(() => app.telephony.requests.find((r) => r.op === 'add_to_bridge' && r.channelId === offer.channelId), 3000, 'the agent bridged');
  t.notOk(plays(app, 'caller1').some(isNotice), 'no notice');
  t.notOk(app.telephony.requests.some((r) => r.op === 'record_bridge'), 'no recording');
  app.telephony.hangUpFromCaller('caller1');
  const call = await callOf(app, 'caller1');
  t.same(await app.db.selectFrom('recordings').selectAll().where('call_id', '=', call.id).execute(), []);
});

t.test('a caller the notice could not be played to is connected but not recorded', async (t) => {
  const app = await recordingApp(t, true);
  app.telephony.callIn('caller1', '+74012000001');
  await eventually(() => plays(app, 'caller1')[0]);
  app.telephony.failNext.add('play'); // the next playback is the notice
  app.telephony.press('caller1', '0');
  const offer = await eventually(() => app.telephony.requests.find((r) => r.op === 'originate'), 3000, 'the agent phone rung');
  if (offer.op !== 'originate') throw new Error('no offer');
  app.telephony.agentAnswers(offer.channelId, offer.appArgs);
  await eventually(() => app.telephony.requests.find((r) => r.op === 'add_to_bridge' && r.channelId === offer.channelId), 3000, 'the agent bridged');
  const call = await callOf(app, 'caller1');
  await eventually(async () => (await app.db.selectFrom('call_events').select('type').where('call_id', '=', call.id).where('type', '=', 'recording_skipped').executeTakeFirst()), 3000, 'the skip recorded');
  t.notOk(app.telephony.requests.some((r) => r.op === 'record_bridge'), 'no recording');
  app.telephony.hangUpFromCaller('caller1');
});

t.test('recordings are for supervisors: 401 without a session, 403 for an agent, 404 for a call not recorded', async (t) => {
  const app = await recordingApp(t, true);
  const callId = await recordedCall(app, 'caller1');
  for (const url of [`/api/calls/${callId}/recording`, `/api/calls/${callId}/recording/audio`]) {
    const anonymous = await app.http.inject({ method: 'GET', url });
    t.equal(anonymous.statusCode, 401, `${url} without a session`);
    t.equal(anonymous.json().code, 'CC_ERR_AUTH_REQUIRED');
    const agent = await app.agentApi.inject({ method: 'GET', url });
    t.equal(agent.statusCode, 403, `${url} for an agent`);
    t.equal(agent.json().code, 'CC_ERR_AUTH_FORBIDDEN');
  }
  const other = '00000000-0000-4000-8000-000000000000';
  for (const url of [`/api/calls/${other}/recording`, `/api/calls/${other}/recording/audio`, `/api/calls/${callId}/recording/audio?part=2`]) {
    const res = await app.api.inject({ method: 'GET', url });
    t.equal(res.statusCode, 404, url);
    t.equal(res.json().code, 'CC_ERR_RECORDING_NOT_FOUND');
  }
  t.equal((await app.api.inject({ method: 'GET', url: '/api/calls/not-a-call/recording' })).statusCode, 400);
  t.same(await app.db.selectFrom('audit_log').selectAll().where('action', 'like', 'recording.%').execute(), [], 'refused requests are not audited');
});

t.test('a supervisor reads what was recorded, plays and downloads the WAV, and each access is audited', async (t) => {
  const app = await recordingApp(t, true);
  const callId = await recordedCall(app, 'caller1');
  const boss = app.api.agentId;

  const meta = await app.api.inject({ method: 'GET', url: `/api/calls/${callId}/recording` });
  t.equal(meta.statusCode, 200);
  t.match(meta.json(), { callId, recordings: [{ part: 1, format: 'wav', status: 'done', durationMs: 1000, sizeBytes: 16_044 }] });

  const play = await app.api.inject({ method: 'GET', url: `/api/calls/${callId}/recording/audio` });
  t.equal(play.statusCode, 200);
  t.equal(play.headers['content-type'], 'audio/wav');
  t.match(play.headers['content-disposition'], /^inline; filename="call-.+-1\.wav"$/);
  t.equal(play.headers['content-length'], '16044');
  t.same(play.rawPayload, silentWav(1000), 'the stored file, byte for byte');

  const download = await app.api.inject({ method: 'GET', url: `/api/calls/${callId}/recording/audio?download=1` });
  t.equal(download.statusCode, 200);
  t.match(download.headers['content-disposition'], /^attachment; filename="call-.+-1\.wav"$/);

  const audit = await app.db.selectFrom('audit_log').selectAll().where('action', 'like', 'recording.%').orderBy('id').execute();
  t.match(audit, [
    { actor_agent_id: boss, action: 'recording.play', subject: `call:${callId}` },
    { actor_agent_id: boss, action: 'recording.download', subject: `call:${callId}` },
  ]);
  t.match(JSON.parse(audit[0]!.details), { part: 1 });
});

t.test('a recording still in progress is not served (409), nor one whose file Asterisk lost (410)', async (t) => {
  const app = await recordingApp(t, true);
  const offer = await callerQueues(app, 'caller1');
  const notice = plays(app, 'caller1').find(isNotice)!;
  if (offer.op !== 'originate') throw new Error('no offer');
  app.telephony.agentAnswers(offer.channelId, offer.appArgs);
  app.telephony.emit({ type: 'media_started', channelId: 'caller1', playbackId: notice.playbackId, media: notice.media[0]! });
  app.telephony.finishPlayback('caller1', notice.playbackId);
  const record = await eventually(() => app.telephony.requests.find((r) => r.op === 'record_bridge'), 3000, 'the bridge recorded');
  const { id: callId } = await callOf(app, 'caller1');
  const live = await app.api.inject({ method: 'GET', url: `/api/calls/${callId}/recording/audio` });
  t.equal(live.statusCode, 409);
  t.equal(live.json().code, 'CC_ERR_RECORDING_NOT_READY');
  app.telephony.hangUpFromCaller('caller1');
  await eventually(async () => (await app.db.selectFrom('recordings').select('status').where('call_id', '=', callId).executeTakeFirst())?.status === 'done' ? true : undefined);
  if (record.op === 'record_bridge') app.telephony.storedRecordings.delete(record.name);
  const gone = await app.api.inject({ method: 'GET', url: `/api/calls/${callId}/recording/audio` });
  t.equal(gone.statusCode, 410);
  t.equal(gone.json().code, 'CC_ERR_RECORDING_FILE_GONE');
});

t.test('recordings a stopped server left unfinished are completed from the stored file at the next ARI connection, or marked failed', async (t) => {
  const app = await testApp(t, {
    connected: false,
    seed: async (db) => {
      for (const [id, name] of [['c-kept', 'cc-c-kept-1'], ['c-lost', 'cc-c-lost-1']] as const) {
        await db.insertInto('calls').values({ id, channel_id: `ch-${id}`, direction: 'inbound', caller_number: '+74012000001', started_at: '2026-11-25T10:00:00.000Z', ended_at: '2026-11-25T10:05:00.000Z', state: null }).execute();
        await db.insertInto('recordings').values({ call_id: id, name, format: 'wav', agent_id: null, started_at: '2026-11-25T10:01:00.000Z', status: 'recording' }).execute();
      }
    },
  });
  app.telephony.storedRecordings.set('cc-c-kept-1', silentWav(2000));
  app.telephony.connect();
  const rows = await eventually(async () => {
    const r = await app.db.selectFrom('recordings').select(['name', 'status', 'duration_ms', 'failure']).orderBy('id').execute();
    return r.every((x) => x.status !== 'recording') ? r : undefined;
  }, 3000, 'both rows settled');
  t.match(rows[0], { name: 'cc-c-kept-1', status: 'done', duration_ms: 2000 });
  t.match(rows[1], { name: 'cc-c-lost-1', status: 'failed', failure: /no file/ });
});

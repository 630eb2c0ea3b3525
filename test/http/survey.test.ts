import t from 'tap';
import { eventually, type RecordedRequest } from '../support/fake-telephony.js';
import { addAccount, addAgent, testApp, type Session, type TestApp } from '../support/app.js';

/*
 * The post-call survey through the whole server with a fake Asterisk: the agent hangs up first,
 * the caller stays, hears the question, presses a key, and the answer is stored with the call,
 * the agent and the appeal the agent registered for the call.
 */

const CALLER = 'caller1';

async function surveyApp(t: Parameters<typeof testApp>[0]) {
  let agentId = 0;
  let accountId = 0;
  const app = await testApp(t, {
    seed: async (db) => {
      accountId = await addAccount(db, '3900000001', '+74012000001');
      agentId = await addAgent(db, 'operator1', { general: 1 }, { password: 'operator1-password' });
    },
  });
  const agent = await app.loginAs('operator1', 'operator1-password');
  const login = await agent.inject({ method: 'POST', url: `/api/agents/${agentId}/login` });
  if (login.statusCode !== 200) throw new Error(login.body);
  return { app, agent, agentId, accountId };
}

const plays = (app: TestApp, prompt: string) =>
  app.telephony.requests.filter((r): r is Extract<RecordedRequest, { op: 'play' }> => r.op === 'play' && r.channelId === CALLER && r.media.some((m) => m.endsWith(`/${prompt}`)));

/** A caller who presses 0 and is answered by the agent; resolves with the call id and the agent's leg. */
async function callerTalksToAgent(app: TestApp) {
  app.telephony.callIn(CALLER, '+74012000001');
  await eventually(() => app.telephony.requests.find((r) => r.op === 'play' && r.channelId === CALLER));
  app.telephony.press(CALLER, '0');
  const connecting = await eventually(() => plays(app, 'queue_entered')[0]);
  app.telephony.finishPlayback(CALLER, connecting.playbackId);
  const offer = await eventually(() => app.telephony.requests.find((r): r is Extract<RecordedRequest, { op: 'originate' }> => r.op === 'originate'));
  app.telephony.agentAnswers(offer.channelId, offer.appArgs);
  const call = await eventually(async () => {
    const row = await app.db.selectFrom('calls').selectAll().where('channel_id', '=', CALLER).executeTakeFirst();
    return row?.agent_id != null ? row : undefined;
  }, 3000, 'the agent connected');
  return { callId: call.id, agentLeg: offer.channelId };
}

async function registerAppeal(agent: Session, callId: string, accountId: number, key: string) {
  const res = await agent.inject({
    method: 'POST', url: '/api/appeals',
    payload: { kind: 'paper', channel: 'call_center', subject: 'Перерасчёт', body: 'Прошу пересчитать начисления.', accountId, callId, idempotencyKey: key },
  });
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(res.body);
  return (res.json() as { id: number }).id;
}

const callRow = (app: TestApp) => app.db.selectFrom('calls').selectAll().where('channel_id', '=', CALLER).executeTakeFirstOrThrow();

t.test('the agent hangs up first: the caller hears the survey, presses 4, and 4 is stored with the call, the agent and the appeal', async (t) => {
  const { app, agent, agentId, accountId } = await surveyApp(t);
  const { callId, agentLeg } = await callerTalksToAgent(app);
  const appealId = await registerAppeal(agent, callId, accountId, 'survey-appeal-1');

  app.telephony.emit({ type: 'channel_left', channelId: agentLeg });
  const question = await eventually(() => plays(app, 'survey_question')[0], 3000, 'the survey question');
  const bridge = app.telephony.requests.find((r) => r.op === 'create_bridge' && r.type === 'mixing');
  t.ok(app.telephony.requests.some((r) => r.op === 'remove_from_bridge' && r.channelId === CALLER && bridge?.op === 'create_bridge' && r.bridgeId === bridge.bridgeId),
    'the caller left the agent\'s bridge');
  t.ok(app.telephony.requests.some((r) => r.op === 'destroy_bridge'), 'the bridge is gone');
  t.notOk(app.telephony.requests.some((r) => r.op === 'hangup' && r.channelId === CALLER), 'the caller is not hung up');

  app.telephony.press(CALLER, '4'); // while the question plays
  await eventually(() => app.telephony.requests.find((r) => r.op === 'stop_playback' && r.playbackId === question.playbackId), 3000, 'the question stopped');
  const thanks = await eventually(() => plays(app, 'survey_thanks')[0], 3000, 'the thanks');
  app.telephony.finishPlayback(CALLER, thanks.playbackId);
  await eventually(() => app.telephony.requests.find((r) => r.op === 'hangup' && r.channelId === CALLER), 3000, 'the caller hung up by us');
  const ended = await eventually(async () => ((await callRow(app)).ended_at !== null ? callRow(app) : undefined));
  t.equal(ended.outcome, 'completed');

  const answers = await app.db.selectFrom('survey_answers').selectAll().execute();
  t.match(answers, [{ call_id: callId, agent_id: agentId, appeal_id: appealId, score: 4 }]);
  const event = await app.db.selectFrom('call_events').selectAll().where('call_id', '=', callId).where('type', '=', 'survey_answered').executeTakeFirstOrThrow();
  t.match(JSON.parse(event.data), { score: 4, agentId, appealId });
  const path = await agent.inject({ method: 'GET', url: `/api/calls/${callId}/ivr-path?lang=ru` });
  t.match(path.body, 'Оценил обслуживание: 4 из 5');
  t.equal(app.telephony.requests.filter((r) => r.op === 'hangup' && r.channelId === CALLER).length, 1, 'the caller is hung up once');
});

t.test('an appeal the agent registers in wrap-up, after the caller answered, is linked to the answer', async (t) => {
  const { app, agent, accountId } = await surveyApp(t);
  const { callId, agentLeg } = await callerTalksToAgent(app);
  app.telephony.emit({ type: 'channel_left', channelId: agentLeg });
  await eventually(() => plays(app, 'survey_question')[0], 3000, 'the survey question');
  app.telephony.press(CALLER, '5');
  await eventually(() => plays(app, 'survey_thanks')[0], 3000, 'the thanks');
  t.match(await app.db.selectFrom('survey_answers').selectAll().execute(), [{ call_id: callId, score: 5, appeal_id: null }], 'no appeal yet');
  const appealId = await registerAppeal(agent, callId, accountId, 'survey-appeal-2');
  t.match(await app.db.selectFrom('survey_answers').selectAll().execute(), [{ call_id: callId, score: 5, appeal_id: appealId }]);
  app.telephony.hangUpFromCaller(CALLER);
});

t.test('a wrong key and then silence: a goodbye, the caller hung up, nothing stored', async (t) => {
  const { app } = await surveyApp(t);
  const { agentLeg } = await callerTalksToAgent(app);
  app.telephony.emit({ type: 'channel_left', channelId: agentLeg });
  await eventually(() => plays(app, 'survey_question')[0], 3000, 'the survey question');
  app.telephony.press(CALLER, '9');
  await eventually(() => plays(app, 'survey_wrong_key')[0], 3000, 'the hint');
  app.telephony.press(CALLER, '*');
  const goodbye = await eventually(() => plays(app, 'goodbye')[0], 3000, 'the goodbye');
  app.telephony.finishPlayback(CALLER, goodbye.playbackId);
  await eventually(() => app.telephony.requests.find((r) => r.op === 'hangup' && r.channelId === CALLER), 3000, 'the caller hung up by us');
  t.same(await app.db.selectFrom('survey_answers').selectAll().execute(), []);
  t.equal((await eventually(async () => ((await callRow(app)).ended_at !== null ? callRow(app) : undefined))).outcome, 'completed');
});

t.test('a caller who hangs up first is asked nothing and nothing is stored', async (t) => {
  const { app, agentLeg } = await surveyApp(t).then(async (s) => ({ ...s, ...(await callerTalksToAgent(s.app)) }));
  app.telephony.hangUpFromCaller(CALLER);
  await eventually(() => app.telephony.requests.find((r) => r.op === 'hangup' && r.channelId === agentLeg), 3000, 'the agent leg hung up');
  const ended = await eventually(async () => ((await callRow(app)).ended_at !== null ? callRow(app) : undefined));
  t.equal(ended.outcome, 'completed');
  t.same(plays(app, 'survey_question'), [], 'no survey');
  t.same(await app.db.selectFrom('survey_answers').selectAll().execute(), []);
});

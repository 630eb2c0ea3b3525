import t from 'tap';
import { eventually } from '../support/fake-telephony.js';
import { addAccount, addAgent, testApp, type Session, type TestApp } from '../support/app.js';

/*
 * Callbacks through the app with a fake ARI: the caller's entry becomes a virtual one in the same
 * place; when an agent is free their phone rings with the customer's number, and once they answer
 * the customer is dialled through the outbound route and both are bridged. Attempts and their
 * outcomes are stored; a customer who does not answer is tried again, then the request fails.
 */

type App = TestApp & { boss: Session; op1: number };

async function callbackApp(t: Parameters<typeof testApp>[0], env: Record<string, string> = {}): Promise<App> {
  let op1 = 0;
  const app = await testApp(t, {
    env: { CALLBACK_MIN_TALK_S: '0', ...env },
    seed: async (db) => {
      await addAccount(db, '3900000001', '+74012000001');
      op1 = await addAgent(db, 'operator1', { general: 1 }, { password: 'operator1-password' });
      await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
    },
  });
  return Object.assign(app, { boss: await app.loginAs('boss', 'boss-password'), op1 });
}

/** A caller pressing 0 with nobody logged in: they wait in the holding bridge. Returns their call id. */
async function callerWaits(app: App, channelId: string, number = '+74012000001'): Promise<string> {
  await app.telephony.callerWaits(channelId, number);
  return (await app.db.selectFrom('calls').select('id').where('channel_id', '=', channelId).executeTakeFirstOrThrow()).id;
}

const originates = (app: App) => app.telephony.requests.flatMap((r) => (r.op === 'originate' ? [r] : []));
const request = (app: App) => app.db.selectFrom('callback_requests').selectAll().executeTakeFirstOrThrow();

t.test('a caller converted to a callback keeps their place; a free agent is rung first, then the customer is dialled and bridged', async (t) => {
  const app = await callbackApp(t);
  const first = await callerWaits(app, 'caller1');
  const second = await callerWaits(app, 'caller2', '+74012000002');
  const { requestId } = await app.queue.convertToCallback(first, '+74012000001');
  app.telephony.hangUpFromCaller('caller1'); // the IVR says goodbye and hangs up
  t.match(await request(app), { id: requestId, status: 'pending', phone_e164: '+74012000001', queue: 'general', call_id: first });

  await app.boss.inject({ method: 'POST', url: `/api/agents/${app.op1}/login` });
  const agentLeg = await eventually(() => originates(app)[0]);
  t.equal(agentLeg.callerId, '+74012000001', 'the callback is offered first: it kept the first caller\'s place, ahead of caller2');
  t.equal(agentLeg.endpoint, 'PJSIP/operator1');
  const attemptCallId = agentLeg.appArgs[1]!;
  t.not(attemptCallId, second);
  const attemptRow = await app.db.selectFrom('calls').selectAll().where('id', '=', attemptCallId).executeTakeFirstOrThrow();
  t.match(attemptRow, { direction: 'callback', caller_number: '+74012000001', agent_id: app.op1, identification: 'one' }, 'the screen pop finds the customer');
  t.equal((await request(app)).status, 'dialing', 'an agent is reserved');

  app.telephony.agentAnswers(agentLeg.channelId, agentLeg.appArgs);
  const customerLeg = await eventually(() => originates(app)[1]);
  t.equal(customerLeg.endpoint, 'PJSIP/trunk/sip:+74012000001@127.0.0.1:5070', 'the customer through the outbound route');
  app.telephony.agentAnswers(customerLeg.channelId, customerLeg.appArgs);
  await eventually(() => app.telephony.requests.filter((r) => r.op === 'add_to_bridge' && (r.channelId === agentLeg.channelId || r.channelId === customerLeg.channelId)).length === 2 ? true : undefined, 3000, 'both bridged');
  app.telephony.emit({ type: 'channel_left', channelId: customerLeg.channelId });
  const done = await eventually(async () => ((await request(app)).status === 'completed' ? request(app) : undefined), 3000, 'completed');
  t.match(done, { attempts: 1, last_outcome: 'answered' });
  const attempts = await app.db.selectFrom('callback_attempts').selectAll().execute();
  t.match(attempts, [{ request_id: requestId, call_id: attemptCallId, agent_id: app.op1, outcome: 'answered', manual: 0 }]);
  app.telephony.hangUpFromCaller('caller2');
});

t.test('a customer who does not answer is tried again after the delay, and finally the request fails', async (t) => {
  const app = await callbackApp(t, { CALLBACK_RETRY_DELAY_S: '1', CALLBACK_MAX_ATTEMPTS: '2' });
  const callId = await callerWaits(app, 'caller1');
  await app.queue.convertToCallback(callId, '+74012000001');
  app.telephony.hangUpFromCaller('caller1');
  await app.boss.inject({ method: 'POST', url: `/api/agents/${app.op1}/login` });
  for (let attempt = 1; attempt <= 2; attempt++) {
    const agentLeg = await eventually(() => originates(app).filter((o) => o.appArgs[0] === 'agent')[attempt - 1], 5000, `agent rung for attempt ${attempt}`);
    app.telephony.agentAnswers(agentLeg.channelId, agentLeg.appArgs);
    const customerLeg = await eventually(() => originates(app).filter((o) => o.appArgs[2] === 'customer')[attempt - 1]);
    app.telephony.emit({ type: 'channel_destroyed', channelId: customerLeg.channelId, cause: 19, causeText: 'No Answer' } as never);
    await eventually(async () => ((await request(app)).attempts === attempt && (await request(app)).status !== 'dialing' ? true : undefined), 3000, `attempt ${attempt} recorded`);
    // The agent is ready again at once for the test (instead of waiting out wrap-up).
    await app.boss.inject({ method: 'POST', url: `/api/agents/${app.op1}/state`, payload: { state: 'available' } });
  }
  const final = await request(app);
  t.match(final, { status: 'failed', attempts: 2, last_outcome: 'no_answer', next_attempt_at: null });
  const outcomes = (await app.db.selectFrom('callback_attempts').select('outcome').orderBy('id').execute()).map((a) => a.outcome);
  t.same(outcomes, ['no_answer', 'no_answer'], 'each attempt with its outcome');
});

t.test('the agents\' list shows pending requests with attempts; a call by hand needs a free agent; a request is resolved by hand', async (t) => {
  const app = await callbackApp(t);
  const callId = await callerWaits(app, 'caller1');
  const { requestId } = await app.queue.convertToCallback(callId, '+74012000001');
  app.telephony.hangUpFromCaller('caller1');
  const agent = await app.loginAs('operator1', 'operator1-password');
  const list = await agent.inject({ method: 'GET', url: '/api/callbacks' });
  t.equal(list.statusCode, 200);
  t.match(list.json(), [{ id: requestId, number: '+74012000001', status: 'pending', accountNumber: '3900000001', customerName: 'Петров Пётр Петрович', attempts: 0, history: [] }]);

  // Off shift, the agent cannot place a call: the request stays as it was, in line.
  const byHand = await agent.inject({ method: 'POST', url: `/api/callbacks/${requestId}/call` });
  t.equal(byHand.statusCode, 409);
  t.equal(byHand.json().code, 'CC_ERR_AGENT_BUSY');
  t.equal((await request(app)).status, 'pending', 'the request is put back as it was');

  const resolved = await agent.inject({ method: 'POST', url: `/api/callbacks/${requestId}/resolve`, payload: { outcome: 'failed', reason: 'Номер не обслуживается' } });
  t.equal(resolved.statusCode, 204);
  t.match(await request(app), { status: 'failed', last_outcome: 'Номер не обслуживается' });
  const summary = await agent.inject({ method: 'GET', url: '/api/callbacks/summary' });
  t.match(summary.json(), { requested: 1, completed: 0, failed: 1, pending: 0 });
});

t.test('callback endpoints check their input and need a session', async (t) => {
  const app = await callbackApp(t);
  t.equal((await app.http.inject({ method: 'GET', url: '/api/callbacks' })).statusCode, 401);
  for (const [method, url, payload] of [
    ['GET', '/api/callbacks?status=lost', undefined],
    ['GET', '/api/callbacks?limit=0', undefined],
    ['GET', '/api/callbacks/summary?since=yesterday', undefined],
    ['POST', '/api/callbacks/abc/call', {}],
    ['POST', '/api/callbacks/1/resolve', { outcome: 'maybe', reason: 'x' }],
    ['POST', '/api/callbacks/1/resolve', { outcome: 'completed', reason: '   ' }],
  ] as const) {
    const res = await app.boss.inject({ method, url, ...(payload && { payload }) });
    t.equal(res.statusCode, 400, `${method} ${url}`);
    t.equal(res.json().code, 'CC_ERR_VALIDATION');
  }
  const unknown = await app.boss.inject({ method: 'POST', url: '/api/callbacks/999/resolve', payload: { outcome: 'completed', reason: 'ok' } });
  t.equal(unknown.statusCode, 404);
  t.equal(unknown.json().code, 'CC_ERR_CALLBACK_NOT_FOUND');
  await t.rejects(app.queue.convertToCallback('no-such-call', '+74012000001'), { code: 'CC_ERR_CALLBACK_NOT_WAITING' });
});

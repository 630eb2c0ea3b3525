import t from 'tap';
import { eventually } from '../support/fake-telephony.js';
import { addAccount, addAgent, testApp, type Session, type TestApp as BaseTestApp } from '../support/app.js';
import type { StatsView } from '../../server/wallboard/schemas.js';

/** The app, `boss` (a supervisor's session) and `op1` (an agent's id; their session is `anna`). */
type TestApp = BaseTestApp & { boss: Session };

async function wallboardApp(t: Parameters<typeof testApp>[0]) {
  let op1 = 0;
  const app = await testApp(t, {
    seed: async (db) => {
      await addAccount(db, '3900000001', '+74012000001');
      op1 = await addAgent(db, 'operator1', { general: 1 }, { password: 'operator1-password' });
      await addAgent(db, 'operator2', { general: 2, billing: 1 });
      await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
    },
  });
  return { app: { ...app, boss: await app.loginAs('boss', 'boss-password') } as TestApp, op1 };
}

async function stats(app: TestApp, query = ''): Promise<StatsView> {
  const res = await app.boss.inject({ method: 'GET', url: `/api/queues/stats${query}` });
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json();
}
const general = (s: StatsView) => s.queues.find((q) => q.queueId === 'general')!;

const originates = (app: TestApp) => app.telephony.requests.flatMap((r) => (r.op === 'originate' ? [r] : []));

t.test('a quiet morning: every active queue with zeros, members by state, the day in Kaliningrad', async (t) => {
  const { app } = await wallboardApp(t);
  const s = await stats(app);
  t.same(s.queues.map((q) => q.queueId), ['appeals', 'billing', 'general', 'readings'], 'by queue priority, then id');
  t.match(general(s), {
    slThresholdS: 20,
    now: { waiting: 0, longestWaitMs: 0, callbacksWaiting: 0, agents: { loggedIn: 0, available: 0, onCall: 0, wrapUp: 0, paused: 0 } },
    today: { offered: 0, answered: 0, abandoned: 0, timedOut: 0, serviceLevelPct: null, avgAnswerWaitMs: null, callbacks: { requested: 0, completed: 0, failed: 0 } },
  });
  t.equal(s.day, new Date(Date.now() + 2 * 3600_000).toISOString().slice(0, 10));
  t.same(s.agents.map((a) => [a.username, a.queues, a.state.kind]), [['operator1', ['general'], 'offline'], ['operator2', ['billing', 'general'], 'offline']],
    'a supervisor who serves no queue and is offline is left out');
});

t.test('the stats show a waiting caller, a call answered within the service level and an abandoned call', async (t) => {
  const { app, op1 } = await wallboardApp(t);
  t.equal((await app.boss.inject({ method: 'POST', url: `/api/agents/${op1}/login` })).statusCode, 200);
  t.match(general(await stats(app)).now.agents, { loggedIn: 1, available: 1 });

  // Answered at once: well within the 20 s threshold.
  await app.telephony.callerWaits('caller1');
  const [offer] = await eventually(() => (originates(app).length > 0 ? originates(app) : undefined));
  app.telephony.agentAnswers(offer!.channelId, offer!.appArgs);
  await eventually(async () => ((await app.boss.inject({ method: 'GET', url: `/api/agents/${op1}` })).json().state.kind === 'on_call' ? true : undefined));

  // The only agent is busy: the next caller waits, the one after gives up.
  await app.telephony.callerWaits('caller2');
  await app.telephony.callerWaits('caller3');
  app.telephony.hangUpFromCaller('caller3');
  await eventually(async () => (await app.db.selectFrom('call_events').select('id').where('type', '=', 'queue_abandoned').executeTakeFirst()) ?? undefined);

  const s = general(await stats(app));
  t.match(s.now, { waiting: 1, callbacksWaiting: 0, agents: { loggedIn: 1, available: 0, onCall: 1 } });
  t.ok(s.now.longestWaitMs >= 0 && s.now.longestWaitMs < 10_000, 'caller2 has waited a moment');
  t.match(s.today, { offered: 3, answered: 1, abandoned: 1, timedOut: 0, answeredWithinSl: 1, serviceLevelPct: 50 });
  t.ok(s.today.avgAnswerWaitMs !== null && s.today.avgAnswerWaitMs < 20_000, 'the answered call\'s wait');
  t.match((await stats(app)).agents.find((a) => a.agentId === op1), { displayName: 'operator1', state: { kind: 'on_call' } });

  const billing = (await stats(app, '?queue=billing')).queues;
  t.same(billing.map((q) => [q.queueId, q.today.offered, q.now.waiting]), [['billing', 0, 0]], 'one queue asked for, and nothing of general counted in it');
  app.telephony.hangUpFromCaller('caller2');
  app.telephony.hangUpFromCaller('caller1');
});

t.test('only today counts: yesterday\'s events and callbacks are left out, today\'s callbacks are counted by status', async (t) => {
  const { app } = await wallboardApp(t);
  const now = new Date().toISOString();
  const yesterday = new Date(Date.now() - 86_400_000).toISOString();
  for (const [id, at] of [['old', yesterday], ['new', now]] as const) {
    await app.db.insertInto('calls').values({ id, channel_id: id, direction: 'inbound', caller_number: '+74012000001', caller_e164: '+74012000001', started_at: at, answered_at: null, ended_at: at, outcome: 'completed', account_id: null, agent_id: null, queue: 'general', hangup_cause: null, hangup_cause_text: null, state: null }).execute();
    await app.db.insertInto('call_events').values([
      { call_id: id, at, type: 'queue_entered', data: JSON.stringify({ what: 'entered', callId: id, queueId: 'general' }) },
      { call_id: id, at, type: 'queue_answered', data: JSON.stringify({ what: 'answered', callId: id, queueId: 'general', data: { waitedMs: 45_000 } }) },
    ]).execute();
  }
  // A callback's turn is no caller: left out of the calls' counts.
  await app.db.insertInto('call_events').values({ call_id: 'new', at: now, type: 'queue_answered', data: JSON.stringify({ what: 'answered', queueId: 'general', data: { waitedMs: 1, callback: true } }) }).execute();
  for (const [status, at] of [['completed', now], ['failed', now], ['pending', now], ['completed', yesterday]] as const) {
    await app.db.insertInto('callback_requests').values({ call_id: null, account_id: null, phone_e164: '+74012000001', queue: 'general', status, requested_at: at, queue_entered_at: at, updated_at: at }).execute();
  }
  const s = general(await stats(app));
  t.match(s.today, { offered: 1, answered: 1, answeredWithinSl: 0, serviceLevelPct: 0, avgAnswerWaitMs: 45_000, callbacks: { requested: 3, completed: 1, failed: 1 } });
});

t.test('agents may not read the wallboard, nobody without a session, and bad queries are refused', async (t) => {
  const { app } = await wallboardApp(t);
  const agent = await app.loginAs('operator1', 'operator1-password');
  const forbidden = await agent.inject({ method: 'GET', url: '/api/queues/stats' });
  t.equal(forbidden.statusCode, 403);
  t.equal(forbidden.json().code, 'CC_ERR_AUTH_FORBIDDEN');
  const anonymous = await app.http.inject({ method: 'GET', url: '/api/queues/stats' });
  t.equal(anonymous.statusCode, 401);
  t.equal(anonymous.json().code, 'CC_ERR_AUTH_REQUIRED');

  for (const query of ['?queue=General!', '?queue=', '?color=red']) {
    const res = await app.boss.inject({ method: 'GET', url: `/api/queues/stats${query}` });
    t.equal(res.statusCode, 400, query);
    t.equal(res.json().code, 'CC_ERR_VALIDATION', query);
  }
  const unknown = await app.boss.inject({ method: 'GET', url: '/api/queues/stats?queue=nosuch' });
  t.equal(unknown.statusCode, 404);
  t.equal(unknown.json().code, 'CC_ERR_QUEUE_NOT_FOUND');
});

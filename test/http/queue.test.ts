import t from 'tap';
import { eventually } from '../support/fake-telephony.js';
import { addAccount, addAgent, testApp, type Session, type TestApp as BaseTestApp } from '../support/app.js';

/** The app, and `api`: a supervisor's session, allowed to act on every agent. */
type TestApp = BaseTestApp & { api: Session };

/** An app with two agents in the general queue (operator1 first), a supervisor and one known caller. */
async function queueApp(t: Parameters<typeof testApp>[0]) {
  let ids: number[] = [];
  const app = await testApp(t, {
    seed: async (db) => {
      await addAccount(db, '3900000001', '+74012000001');
      ids = [await addAgent(db, 'operator1', { general: 1 }), await addAgent(db, 'operator2', { general: 2 })];
      await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
    },
  });
  return { app: { ...app, api: await app.loginAs('boss', 'boss-password') } as TestApp, op1: ids[0]!, op2: ids[1]! };
}

async function login(app: TestApp, agentId: number) {
  const res = await app.api.inject({ method: 'POST', url: `/api/agents/${agentId}/login` });
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.json();
}

const originates = (app: TestApp) => app.telephony.requests.flatMap((r) => (r.op === 'originate' ? [r] : []));

t.test('an agent logs in and is available; their state is listed', async (t) => {
  const { app, op1 } = await queueApp(t);
  t.match(await login(app, op1), { agentId: op1, username: 'operator1', state: { kind: 'available' } });
  const list = (await app.api.inject({ method: 'GET', url: '/api/agents' })).json() as Array<{ username: string; state: { kind: string } }>;
  t.same(list.map((a) => [a.username, a.state.kind]), [['operator1', 'available'], ['operator2', 'offline'], ['boss', 'offline']]);
  const log = await app.db.selectFrom('agent_state_log').selectAll().where('agent_id', '=', op1).execute();
  t.equal(log.at(-1)?.to_state, 'available', 'the transition is stored');
});

t.test('a caller who presses 0 waits with music, and the free agent\'s phone rings with the caller\'s number', async (t) => {
  const { app, op1 } = await queueApp(t);
  await login(app, op1);
  await app.telephony.callerWaits('caller1');
  t.ok(app.telephony.requests.some((r) => r.op === 'create_bridge' && r.type === 'holding'), 'a holding bridge');
  // Music on hold is the holding bridge's own, per caller, in the class set on the caller's channel before it joins.
  const music = app.telephony.requests.findIndex((r) => r.op === 'set_music_class' && r.channelId === 'caller1' && r.musicClass === 'default');
  const joined = await eventually(() => { const i = app.telephony.requests.findIndex((r) => r.op === 'add_to_bridge' && r.channelId === 'caller1' && r.role === 'holding_participant'); return i >= 0 ? i : undefined; });
  t.ok(music >= 0 && music < joined, 'the queue\'s music class is set on the caller before it joins the holding bridge');
  const [offer] = await eventually(() => (originates(app).length > 0 ? originates(app) : undefined));
  t.match(offer, { endpoint: 'PJSIP/operator1', callerId: '+74012000001', timeoutS: 15 });
  t.equal(offer!.appArgs[0], 'agent');
  t.equal((await app.api.inject({ method: 'GET', url: `/api/agents/${op1}` })).json().state.kind, 'ringing');
  app.telephony.hangUpFromCaller('caller1');
});

t.test('the agent answers: caller and agent share a mixing bridge, and when the caller hangs up the agent wraps up', async (t) => {
  const { app, op1 } = await queueApp(t);
  await login(app, op1);
  await app.telephony.callerWaits('caller1');
  const [offer] = await eventually(() => (originates(app).length > 0 ? originates(app) : undefined));
  app.telephony.agentAnswers(offer!.channelId, offer!.appArgs);
  const mixing = await eventually(() => app.telephony.requests.find((r) => r.op === 'create_bridge' && r.type === 'mixing'));
  const bridgeId = mixing.op === 'create_bridge' ? mixing.bridgeId : '';
  await eventually(() => app.telephony.requests.find((r) => r.op === 'add_to_bridge' && r.bridgeId === bridgeId && r.channelId === offer!.channelId));
  t.ok(app.telephony.requests.some((r) => r.op === 'add_to_bridge' && r.bridgeId === bridgeId && r.channelId === 'caller1'), 'the caller joins the agent');
  t.equal((await app.api.inject({ method: 'GET', url: `/api/agents/${op1}` })).json().state.kind, 'on_call');
  const call = await eventually(async () => (await app.db.selectFrom('calls').selectAll().where('channel_id', '=', 'caller1').executeTakeFirst())?.agent_id ?? undefined);
  t.equal(call, op1, 'the call records its agent');

  app.telephony.hangUpFromCaller('caller1');
  await eventually(() => app.telephony.requests.find((r) => r.op === 'destroy_bridge' && r.bridgeId === bridgeId), 3000, 'the bridge destroyed');
  t.ok(app.telephony.requests.some((r) => r.op === 'hangup' && r.channelId === offer!.channelId), 'the agent leg hung up');
  const agent = await eventually(async () => {
    const a = (await app.api.inject({ method: 'GET', url: `/api/agents/${op1}` })).json();
    return a.state.kind === 'wrap_up' ? a : undefined;
  });
  t.equal(agent.state.kind, 'wrap_up');
  const row = await eventually(async () => (await app.db.selectFrom('calls').selectAll().where('channel_id', '=', 'caller1').executeTakeFirst())?.outcome ?? undefined);
  t.equal(row, 'completed');
});

t.test('when the agent hangs up first, the caller stays for the survey (test/http/survey.test.ts) and the call completes', async (t) => {
  const { app, op1 } = await queueApp(t);
  await login(app, op1);
  await app.telephony.callerWaits('caller1');
  const [offer] = await eventually(() => (originates(app).length > 0 ? originates(app) : undefined));
  app.telephony.agentAnswers(offer!.channelId, offer!.appArgs);
  await eventually(() => app.telephony.requests.find((r) => r.op === 'create_bridge' && r.type === 'mixing'));
  app.telephony.emit({ type: 'channel_left', channelId: offer!.channelId });
  await eventually(() => app.telephony.requests.find((r) => r.op === 'play' && r.channelId === 'caller1' && r.media.some((m) => m.includes('survey_question'))), 3000, 'the survey asked');
  t.notOk(app.telephony.requests.some((r) => r.op === 'hangup' && r.channelId === 'caller1'), 'the caller is not hung up');
  app.telephony.hangUpFromCaller('caller1');
  const row = await eventually(async () => (await app.db.selectFrom('calls').selectAll().where('channel_id', '=', 'caller1').executeTakeFirst())?.outcome ?? undefined);
  t.equal(row, 'completed');
});

t.test('a phone that rings out is counted and the next agent is tried', async (t) => {
  const { app, op1, op2 } = await queueApp(t);
  await login(app, op1);
  await login(app, op2);
  await app.telephony.callerWaits('caller1');
  const [first] = await eventually(() => (originates(app).length > 0 ? originates(app) : undefined));
  t.equal(first!.endpoint, 'PJSIP/operator1', 'operator1 first (longest idle, then member priority)');
  app.telephony.emit({ type: 'channel_destroyed', channelId: first!.channelId, cause: 19 });
  const second = await eventually(() => originates(app)[1]);
  t.equal(second.endpoint, 'PJSIP/operator2');
  const missed = await app.db.selectFrom('call_events').select('type').where('type', '=', 'queue_missed').execute();
  t.equal(missed.length, 1, 'the miss is recorded');
  app.telephony.hangUpFromCaller('caller1');
});

t.test('a caller who hangs up while waiting is recorded as abandoned and the ringing phone is stopped', async (t) => {
  const { app, op1 } = await queueApp(t);
  await login(app, op1);
  await app.telephony.callerWaits('caller1');
  const [offer] = await eventually(() => (originates(app).length > 0 ? originates(app) : undefined));
  app.telephony.hangUpFromCaller('caller1');
  await eventually(() => app.telephony.requests.find((r) => r.op === 'hangup' && r.channelId === offer!.channelId), 3000, 'the offer cancelled');
  const row = await eventually(async () => (await app.db.selectFrom('calls').selectAll().where('channel_id', '=', 'caller1').executeTakeFirst())?.outcome ?? undefined);
  t.equal(row, 'abandoned');
  t.equal((await app.api.inject({ method: 'GET', url: `/api/agents/${op1}` })).json().state.kind, 'available', 'not a miss');
});

t.test('agent API: a bad state is a 400, an unknown agent a 404, logging out during a call a 409', async (t) => {
  const { app, op1 } = await queueApp(t);
  const bad = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/state`, payload: { state: 'sleeping' } });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().code, 'CC_ERR_VALIDATION');
  const noReason = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/state`, payload: { state: 'paused' } });
  t.equal(noReason.statusCode, 400);
  const unknown = await app.api.inject({ method: 'POST', url: '/api/agents/999/login' });
  t.equal(unknown.statusCode, 404);
  t.equal(unknown.json().code, 'CC_ERR_AGENT_NOT_FOUND');
  await login(app, op1);
  await app.telephony.callerWaits('caller1');
  await eventually(() => (originates(app).length > 0 ? true : undefined));
  const out = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/logout` });
  t.equal(out.statusCode, 409);
  t.equal(out.json().code, 'CC_ERR_AGENT_INVALID_TRANSITION');
  const paused = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/state`, payload: { state: 'paused', reason: 'break' } });
  t.equal(paused.statusCode, 409, 'no pause while the phone rings');
  app.telephony.hangUpFromCaller('caller1');
});

/** A caller connected to operator1; resolves with the agent leg's channel id. */
async function connected(app: TestApp, agentId: number) {
  await login(app, agentId);
  await app.telephony.callerWaits('caller1');
  const [offer] = await eventually(() => (originates(app).length > 0 ? originates(app) : undefined));
  app.telephony.agentAnswers(offer!.channelId, offer!.appArgs);
  await eventually(async () => ((await app.api.inject({ method: 'GET', url: `/api/agents/${agentId}` })).json().state.kind === 'on_call' ? true : undefined));
  return offer!.channelId;
}

t.test('hold gives the caller music and silences them; taking the call back undoes both', async (t) => {
  const { app, op1 } = await queueApp(t);
  await connected(app, op1);
  const held = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/call/hold`, payload: { on: true } });
  t.equal(held.statusCode, 200);
  t.match(held.json().state, { kind: 'on_call', held: true });
  t.ok(app.telephony.requests.some((r) => r.op === 'start_moh' && r.channelId === 'caller1'));
  t.ok(app.telephony.requests.some((r) => r.op === 'mute' && r.channelId === 'caller1' && r.on));
  const again = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/call/hold`, payload: { on: true } });
  t.equal(again.statusCode, 409, 'holding a held call is refused');
  const back = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/call/hold`, payload: { on: false } });
  t.match(back.json().state, { kind: 'on_call', held: false });
  t.ok(app.telephony.requests.some((r) => r.op === 'stop_moh' && r.channelId === 'caller1'));
  app.telephony.hangUpFromCaller('caller1');
});

t.test('mute silences the agent\'s microphone towards the caller', async (t) => {
  const { app, op1 } = await queueApp(t);
  const agentLeg = await connected(app, op1);
  const res = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/call/mute`, payload: { on: true } });
  t.match(res.json().state, { kind: 'on_call', muted: true });
  t.ok(app.telephony.requests.some((r) => r.op === 'mute' && r.channelId === agentLeg && r.on));
  app.telephony.hangUpFromCaller('caller1');
});

t.test('a blind transfer to another queue ends the agent\'s leg and queues the caller there', async (t) => {
  const { app, op1 } = await queueApp(t);
  const agentLeg = await connected(app, op1);
  const res = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/call/transfer`, payload: { queue: 'billing' } });
  t.equal(res.statusCode, 204);
  t.ok(app.telephony.requests.some((r) => r.op === 'remove_from_bridge' && r.channelId === 'caller1'), 'the caller leaves the agent');
  t.ok(app.telephony.requests.some((r) => r.op === 'hangup' && r.channelId === agentLeg), 'the agent leg is hung up');
  // Nobody serves billing in this set-up: the caller is told so (not "connecting you") and offered a callback.
  const again = await eventually(() => app.telephony.requests.find((r) => r.op === 'play' && r.channelId === 'caller1' && r.media.some((m) => m.includes('queue_no_operators'))), 3000, 'the caller told nobody of that queue is on shift');
  if (again.op === 'play') app.telephony.finishPlayback('caller1', again.playbackId);
  await eventually(() => app.telephony.requests.filter((r) => r.op === 'create_bridge' && r.type === 'holding').length === 2 ? true : undefined);
  const bridges = app.telephony.requests.filter((r) => r.op === 'create_bridge' && r.type === 'holding');
  t.equal(bridges.length, 2, 'into the billing queue\'s own holding bridge');
  t.equal((await app.api.inject({ method: 'GET', url: `/api/agents/${op1}` })).json().state.kind, 'wrap_up');
  const events = (await app.db.selectFrom('call_events').select('type').execute()).map((e) => e.type);
  t.ok(events.includes('queue_transferred') && events.includes('transferred'));
  app.telephony.hangUpFromCaller('caller1');
});

t.test('a blind transfer back to the voice menu plays the main menu to the caller', async (t) => {
  const { app, op1 } = await queueApp(t);
  await connected(app, op1);
  const res = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/call/transfer`, payload: { ivr: true } });
  t.equal(res.statusCode, 204);
  await eventually(() => app.speech.heard.at(-1)?.prompt === 'main_menu' ? true : undefined, 3000, 'the main menu');
  app.telephony.hangUpFromCaller('caller1');
});

t.test('call control without a call, or to an unknown queue, is refused with its code', async (t) => {
  const { app, op1 } = await queueApp(t);
  const noCall = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/call/hold`, payload: { on: true } });
  t.equal(noCall.statusCode, 409);
  t.equal(noCall.json().code, 'CC_ERR_AGENT_NO_CALL');
  await connected(app, op1);
  const unknown = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/call/transfer`, payload: { queue: 'nowhere' } });
  t.equal(unknown.statusCode, 404);
  t.equal(unknown.json().code, 'CC_ERR_QUEUE_NOT_FOUND');
  const bad = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/call/transfer`, payload: { queue: 'Billing!' } });
  t.equal(bad.statusCode, 400);
  app.telephony.hangUpFromCaller('caller1');
});

t.test('an agent calls a customer: their phone rings first, then the customer through the outbound route, then both are bridged', async (t) => {
  const { app, op1 } = await queueApp(t);
  await login(app, op1);
  const res = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/calls`, payload: { number: '8 (4012) 00-00-01' } });
  t.equal(res.statusCode, 201);
  const { callId } = res.json() as { callId: string };
  t.equal((await app.api.inject({ method: 'GET', url: `/api/agents/${op1}` })).json().state.kind, 'on_call', 'reserved at once');
  const agentLeg = originates(app)[0]!;
  t.match(agentLeg, { endpoint: 'PJSIP/operator1', callerId: '+74012000001', appArgs: ['outbound', callId, 'agent'] });
  app.telephony.agentAnswers(agentLeg.channelId, agentLeg.appArgs);
  const customerLeg = await eventually(() => originates(app)[1]);
  t.equal(customerLeg.endpoint, 'PJSIP/trunk/sip:+74012000001@127.0.0.1:5070', 'through the configured route');
  app.telephony.agentAnswers(customerLeg.channelId, customerLeg.appArgs);
  const mixing = await eventually(() => app.telephony.requests.find((r) => r.op === 'create_bridge' && r.type === 'mixing'));
  const bridgeId = mixing.op === 'create_bridge' ? mixing.bridgeId : '';
  await eventually(() => app.telephony.requests.filter((r) => r.op === 'add_to_bridge' && r.bridgeId === bridgeId).length === 2 ? true : undefined);
  app.telephony.emit({ type: 'channel_left', channelId: customerLeg.channelId });
  const row = await eventually(async () => {
    const c = await app.db.selectFrom('calls').selectAll().where('id', '=', callId).executeTakeFirst();
    return c?.ended_at != null ? c : undefined;
  });
  t.match(row, { direction: 'outbound', caller_number: '+74012000001', agent_id: op1, outcome: 'completed' });
  t.ok(row.answered_at);
  t.ok(app.telephony.requests.some((r) => r.op === 'hangup' && r.channelId === agentLeg.channelId), 'the agent leg is hung up too');
  await eventually(async () => ((await app.api.inject({ method: 'GET', url: `/api/agents/${op1}` })).json().state.kind === 'wrap_up' ? true : undefined));
});

t.test('an outbound call needs a free agent and a Russian number', async (t) => {
  const { app, op1 } = await queueApp(t);
  const offline = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/calls`, payload: { number: '+74012000001' } });
  t.equal(offline.statusCode, 409);
  t.equal(offline.json().code, 'CC_ERR_AGENT_BUSY');
  await login(app, op1);
  const bad = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/calls`, payload: { number: '12345' } });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().code, 'CC_ERR_VALIDATION');
  t.equal(bad.json().details.field, 'number');
});

t.test('a blind transfer to another agent waits for that agent only, and rings their phone', async (t) => {
  const { app, op1, op2 } = await queueApp(t);
  const agentLeg = await connected(app, op1);
  const notIn = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/call/transfer`, payload: { agentId: op2 } });
  t.equal(notIn.statusCode, 409, 'a colleague who is not logged in cannot take it');
  t.equal(notIn.json().code, 'CC_ERR_AGENT_BUSY');
  await login(app, op2);
  const res = await app.api.inject({ method: 'POST', url: `/api/agents/${op1}/call/transfer`, payload: { agentId: op2 } });
  t.equal(res.statusCode, 204);
  t.ok(app.telephony.requests.some((r) => r.op === 'hangup' && r.channelId === agentLeg));
  const offer = await eventually(() => originates(app).find((o) => o.endpoint === 'PJSIP/operator2'));
  t.equal(offer.appArgs[0], 'agent');
  t.equal(originates(app).filter((o) => o.endpoint === 'PJSIP/operator1').length, 1, 'operator1 (in wrap-up) is not rung again');
  app.telephony.hangUpFromCaller('caller1');
});

t.test('on start, agents\' states are restored: a pause stays, a call the old server drove is over', async (t) => {
  let paused = 0;
  let talking = 0;
  const base = await testApp(t, {
    seed: async (db) => {
      paused = await addAgent(db, 'operator1');
      talking = await addAgent(db, 'operator2');
      await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
      await db.insertInto('agent_states').values([
        { agent_id: paused, state: JSON.stringify({ kind: 'paused', reason: 'training', since: 1 }), since: '2026-01-01T00:00:00.000Z' },
        { agent_id: talking, state: JSON.stringify({ kind: 'on_call', callId: 'gone', since: 1, held: false, muted: false }), since: '2026-01-01T00:00:00.000Z' },
      ]).execute();
    },
  });
  const app = { ...base, api: await base.loginAs('boss', 'boss-password') };
  t.match((await app.api.inject({ method: 'GET', url: `/api/agents/${paused}` })).json().state, { kind: 'paused', reason: 'training' });
  t.equal((await app.api.inject({ method: 'GET', url: `/api/agents/${talking}` })).json().state.kind, 'available');
});

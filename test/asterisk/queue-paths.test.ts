import t from 'tap';
import type { Db } from '../../server/db/database.js';
import { eventually } from '../support/fake-telephony.js';
import { addAccount, addAgent, addDeskAgent } from '../support/app.js';
import { noCallsLeft, startTestAsterisk, startTestServer, type TestServer } from '../support/asterisk.js';
import { runSipp, runSippPhone } from '../support/sipp.js';

/*
 * The queue's other paths with real SIP: a phone that rings out, an agent who hangs up first,
 * a caller who gives up, hold and a blind transfer to another queue. One Asterisk and one
 * server; each desk phone is a sipp UAS at a fixed contact.
 */

const asterisk = await startTestAsterisk(t, 'queue-paths');
const answering = await runSippPhone({ calls: 3, timeoutS: 120 });
const ringsOut = await runSippPhone({ scenario: 'agent-rings-out.xml', calls: 1, timeoutS: 120 });
const hangsUp = await runSippPhone({ scenario: 'agent-hangs-up.xml', calls: 1, timeoutS: 120 });
const billing = await runSippPhone({ calls: 1, timeoutS: 120 });
// A customer's phone at the end of the outbound route: answers, talks, hangs up.
const customer = await runSippPhone({ scenario: 'agent-hangs-up.xml', calls: 1, timeoutS: 120 });
t.teardown(() => { for (const p of [answering, ringsOut, hangsUp, billing, customer]) p.kill(); });

const ids: Record<string, number> = {};
async function agent(db: Db, username: string, port: number, queues: Record<string, number>) {
  ids[username] = await addDeskAgent(db, username, port, queues);
}
const server: TestServer = await startTestServer(t, asterisk, {
  seed: async (db) => {
    await addAccount(db, '3900000001', '+74012000001');
    // Short rings and no wrap-up keep the test quick.
    await db.updateTable('queues').set({ ring_s: 3, wrap_up_s: 0 }).execute();
    await agent(db, 'answering', answering.port, { general: 2 });
    await agent(db, 'ringsout', ringsOut.port, { general: 1 });
    await agent(db, 'hangsup', hangsUp.port, { general: 3 });
    await agent(db, 'billing', billing.port, { billing: 1 });
    await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
  },
  // The survey off: here the caller is hung up when the agent leaves (the survey has test/asterisk/survey.test.ts).
  env: { OUTBOUND_ROUTE: `PJSIP/trunk/sip:{number}@127.0.0.1:${customer.port}`, SURVEY: 'off' },
});

const boss = await server.loginAs('boss', 'boss-password');
const api = async (method: 'GET' | 'POST', url: string, payload?: object) => boss.inject({ method, url, ...(payload && { payload }) });
const stateOf = async (name: string) => (await api('GET', `/api/agents/${ids[name]}`)).json().state.kind as string;
async function callOf(caller: string) {
  return eventually(async () => server.db.selectFrom('calls').selectAll().where('caller_number', '=', caller).executeTakeFirst(), 10_000, `the call from ${caller}`);
}
async function ended(caller: string) {
  return eventually(async () => {
    const row = await server.db.selectFrom('calls').selectAll().where('caller_number', '=', caller).executeTakeFirst();
    return row?.ended_at != null ? row : undefined;
  }, 20_000, `the call from ${caller} to end`);
}
async function eventTypes(callId: string) {
  return (await server.db.selectFrom('call_events').select('type').where('call_id', '=', callId).orderBy('id').execute()).map((e) => e.type);
}

t.test('a caller who gives up while no agent is free is stored as abandoned', async (t) => {
  const caller = await runSipp({ scenario: [{ keys: '0' }, { pause: 2000 }, { hangup: true }], sipPort: asterisk.sipPort, caller: '+79990000201', timeoutS: 30 });
  t.equal((await caller.done).code, 0);
  const call = await ended('+79990000201');
  t.equal(call.outcome, 'abandoned');
  t.ok((await eventTypes(call.id)).includes('queue_abandoned'));
});

t.test('a phone that rings out is counted as a miss and the next agent answers', async (t) => {
  await api('POST', `/api/agents/${ids['ringsout']}/login`);
  await api('POST', `/api/agents/${ids['answering']}/login`);
  const caller = await runSipp({ scenario: [{ keys: '0' }, { pause: 9000 }, { hangup: true }], sipPort: asterisk.sipPort, caller: '+79990000202', timeoutS: 40 });
  const call = await eventually(async () => {
    const row = await callOf('+79990000202');
    return row.agent_id != null ? row : undefined;
  }, 20_000, 'an agent to answer');
  t.equal(call.agent_id, ids['answering'], 'the second agent answered');
  const types = await eventTypes(call.id);
  t.ok(types.includes('queue_missed'), 'the first phone\'s miss is recorded');
  t.equal((await caller.done).code, 0);
  t.equal((await ended('+79990000202')).outcome, 'completed');
  t.equal((await ringsOut.done).code, 0, 'the ringing phone was cancelled cleanly');
  await api('POST', `/api/agents/${ids['ringsout']}/logout`).catch(() => undefined);
});

t.test('when the agent hangs up first (the survey off), the caller is hung up and the agent is free again', async (t) => {
  // The agent whose phone hangs up is the only one free in the general queue.
  await api('POST', `/api/agents/${ids['answering']}/logout`);
  await api('POST', `/api/agents/${ids['hangsup']}/login`);
  const caller = await runSipp({ scenario: [{ keys: '0' }, { waitBye: 30_000 }], sipPort: asterisk.sipPort, caller: '+79990000203', timeoutS: 40 });
  const call = await eventually(async () => (await callOf('+79990000203')).agent_id ?? undefined, 20_000, 'an agent to answer');
  t.ok(call, 'answered');
  t.equal((await caller.done).code, 0, 'the caller received our BYE');
  t.equal((await ended('+79990000203')).outcome, 'completed');
  t.equal((await hangsUp.done).code, 0, 'the agent phone\'s BYE was answered');
  await eventually(async () => ((await stateOf('hangsup')) === 'available' ? true : undefined), 5000, 'the agent free again');
  await api('POST', `/api/agents/${ids['hangsup']}/logout`);
  await api('POST', `/api/agents/${ids['answering']}/login`);
});

t.test('hold and a blind transfer to another queue, where that queue\'s agent answers', async (t) => {
  await api('POST', `/api/agents/${ids['billing']}/login`);
  const caller = await runSipp({ scenario: [{ keys: '0' }, { pause: 12_000 }, { hangup: true }], sipPort: asterisk.sipPort, caller: '+79990000204', timeoutS: 40 });
  const first = await eventually(async () => {
    const row = await callOf('+79990000204');
    return row.agent_id != null ? row : undefined;
  }, 20_000, 'the first agent to answer');
  const agentId = first.agent_id!;
  const held = await api('POST', `/api/agents/${agentId}/call/hold`, { on: true });
  t.match(held.json().state, { kind: 'on_call', held: true });
  const resumed = await api('POST', `/api/agents/${agentId}/call/hold`, { on: false });
  t.match(resumed.json().state, { kind: 'on_call', held: false });
  const transfer = await api('POST', `/api/agents/${agentId}/call/transfer`, { queue: 'billing' });
  t.equal(transfer.statusCode, 204);
  const second = await eventually(async () => {
    const row = await callOf('+79990000204');
    return row.agent_id === ids['billing'] ? row : undefined;
  }, 20_000, 'the billing agent to answer');
  t.equal(second.queue, 'billing');
  t.equal((await caller.done).code, 0);
  t.equal((await ended('+79990000204')).outcome, 'completed');
  const types = await eventTypes(second.id);
  for (const type of ['hold', 'unhold', 'queue_transferred', 'transferred']) t.ok(types.includes(type), type);
});

t.test('an agent calls a customer through the outbound route and they talk until the customer hangs up', async (t) => {
  await eventually(async () => ((await stateOf('answering')) === 'available' ? true : undefined), 10_000, 'the agent free');
  const res = await api('POST', `/api/agents/${ids['answering']}/calls`, { number: '+79110000004' });
  t.equal(res.statusCode, 201);
  const { callId } = res.json() as { callId: string };
  const row = await eventually(async () => {
    const c = await server.db.selectFrom('calls').selectAll().where('id', '=', callId).executeTakeFirst();
    return c?.ended_at != null ? c : undefined;
  }, 20_000, 'the outbound call to end');
  t.match(row, { direction: 'outbound', caller_number: '+79110000004', outcome: 'completed', hangup_cause_text: 'customer hung up' });
  t.ok(row.answered_at, 'the customer answered');
  t.equal((await customer.done).code, 0, 'the customer phone saw a clean call');
  const types = await eventTypes(callId);
  for (const type of ['outbound_started', 'outbound_agent_answered', 'outbound_customer_answered', 'outbound_ended']) t.ok(types.includes(type), type);
});

t.test('nothing is left behind: no channel and no call bridge', async (t) => {
  await noCallsLeft(asterisk);
  for (const name of ['answering', 'billing']) t.ok(['available', 'wrap_up'].includes(await stateOf(name)), `${name} is free`);
});

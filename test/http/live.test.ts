import t from 'tap';
import type { WebSocket } from '@fastify/websocket';
import { eventually } from '../support/fake-telephony.js';
import { addAccount, addAgent, testApp, type TestApp } from '../support/app.js';

/** Messages a page receives, kept in order. */
function inbox(ws: WebSocket): Array<Record<string, unknown>> {
  const messages: Array<Record<string, unknown>> = [];
  ws.on('message', (raw: Buffer) => messages.push(JSON.parse(raw.toString()) as Record<string, unknown>));
  return messages;
}

async function liveApp(t: Parameters<typeof testApp>[0]) {
  let op1 = 0;
  const app = await testApp(t, {
    seed: async (db) => {
      await addAccount(db, '3900000001', '+74012000001');
      op1 = await addAgent(db, 'operator1', { general: 1 }, { password: 'op1-password' });
      await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
    },
  });
  const agent = await app.loginAs('operator1', 'op1-password');
  const boss = await app.loginAs('boss', 'boss-password');
  return { app, op1, agent, boss };
}

async function connect(app: TestApp, cookie: string) {
  let messages: Array<Record<string, unknown>> = [];
  // Listen from the start: the server greets the page the moment the socket opens.
  const ws = await app.http.injectWS('/api/live', { headers: { cookie } } as never, { onInit: (socket) => { messages = inbox(socket); } });
  return { ws, messages };
}

t.test('the page gets the agent\'s state on connect, and every change of it at once', async (t) => {
  const { app, op1, agent } = await liveApp(t);
  const { ws, messages } = await connect(app, agent.cookie);
  t.teardown(() => ws.terminate());
  await eventually(() => messages.find((m) => m['type'] === 'hello'));
  t.match(messages[0], { type: 'hello', agent: { username: 'operator1' }, state: { kind: 'offline' } });
  await agent.inject({ method: 'POST', url: `/api/agents/${op1}/login` });
  const changed = await eventually(() => messages.find((m) => m['type'] === 'agent_changed'));
  t.match(changed, { agentId: op1, state: { kind: 'available' } });
});

t.test('a call offered to the agent pops the caller\'s number, account and IVR path before it is answered', async (t) => {
  const { app, op1, agent } = await liveApp(t);
  const { ws, messages } = await connect(app, agent.cookie);
  t.teardown(() => ws.terminate());
  await agent.inject({ method: 'POST', url: `/api/agents/${op1}/login` });
  app.telephony.callIn('caller1', '+74012000001');
  await eventually(() => app.telephony.requests.find((r) => r.op === 'play'));
  app.telephony.press('caller1', '0');
  const pop = await eventually(() => messages.find((m) => m['type'] === 'offer'), 3000, 'the screen pop');
  t.match(pop, { queue: 'general', caller: { number: '+74012000001' }, identification: 'one' });
  t.same((pop['accounts'] as Array<{ accountNumber: string }>).map((a) => a.accountNumber), ['3900000001']);
  t.ok((pop['ivrPath'] as string[]).includes('Запросил оператора'), 'the IVR path in Russian');
  t.equal(app.telephony.requests.filter((r) => r.op === 'originate').length, 1, 'popped while the phone rings, before any answer');
  app.telephony.hangUpFromCaller('caller1');
});

t.test('a supervisor sees every agent\'s changes and the queue\'s events; an agent sees only their own', async (t) => {
  const { app, op1, agent, boss } = await liveApp(t);
  const supervisor = await connect(app, boss.cookie);
  t.teardown(() => supervisor.ws.terminate());
  await eventually(() => supervisor.messages.find((m) => m['type'] === 'hello'));
  t.ok(Array.isArray(supervisor.messages[0]!['agents']), 'the wallboard gets all agents on connect');
  await agent.inject({ method: 'POST', url: `/api/agents/${op1}/login` });
  await eventually(() => supervisor.messages.find((m) => m['type'] === 'agent_changed' && m['agentId'] === op1));
  app.telephony.callIn('caller1', '+74012000001');
  await eventually(() => app.telephony.requests.find((r) => r.op === 'play'));
  app.telephony.press('caller1', '0');
  await eventually(() => supervisor.messages.find((m) => m['type'] === 'queue_event' && m['what'] === 'entered'));
  t.notOk(supervisor.messages.some((m) => m['type'] === 'offer'), 'no screen pop for the supervisor: the call is not theirs');
  app.telephony.hangUpFromCaller('caller1');
});

t.test('without a session the socket is refused; a bad message is answered with an error, and sync resends the state', async (t) => {
  const { app, agent } = await liveApp(t);
  await t.rejects(app.http.injectWS('/api/live'));
  const { ws, messages } = await connect(app, agent.cookie);
  t.teardown(() => ws.terminate());
  await eventually(() => messages.find((m) => m['type'] === 'hello'));
  ws.send('not json');
  ws.send(JSON.stringify({ type: 'dance' }));
  ws.send(JSON.stringify({ type: 'ping' }));
  ws.send(JSON.stringify({ type: 'sync' }));
  await eventually(() => (messages.filter((m) => m['type'] === 'hello').length === 2 ? true : undefined));
  t.equal(messages.filter((m) => m['type'] === 'error' && m['code'] === 'CC_ERR_VALIDATION').length, 2);
  t.ok(messages.some((m) => m['type'] === 'pong'));
});

import t from 'tap';
import type { Db } from '../../server/db/database.js';
import { eventually } from '../support/fake-telephony.js';
import { addAgent, addDeskAgent } from '../support/app.js';
import { ariGet, phoneProvisioned, startTestAsterisk, startTestServer } from '../support/asterisk.js';
import { runSipp, runSippPhone } from '../support/sipp.js';

/*
 * The post-call survey with real SIP: a caller (sipp) presses 0 and talks to an agent whose desk
 * phone (a sipp UAS at a fixed contact) hangs up after 3 s; the caller stays, presses 4 and
 * receives our BYE after the thanks; the answer is stored with the call and the agent. A caller
 * who hangs up first (the other agent's phone never does) is asked nothing.
 */

const asterisk = await startTestAsterisk(t, 'survey');
const hangsUp = await runSippPhone({ scenario: 'agent-answers-hangs-up.xml', calls: 1, timeoutS: 60 });
const stays = await runSippPhone({ scenario: 'agent-answers.xml', calls: 1, timeoutS: 60 });
t.teardown(() => { hangsUp.kill(); stays.kill(); });

const ids: Record<string, number> = {};
async function deskAgent(db: Db, username: string, port: number) {
  ids[username] = await addDeskAgent(db, username, port);
}
const server = await startTestServer(t, asterisk, {
  seed: async (db) => {
    await db.updateTable('queues').set({ ring_s: 5, wrap_up_s: 0 }).execute();
    await deskAgent(db, 'hangsup', hangsUp.port);
    await deskAgent(db, 'stays', stays.port);
    await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
  },
});
const boss = await server.loginAs('boss', 'boss-password');
const agentCommand = (name: string, what: 'login' | 'logout') => boss.inject({ method: 'POST', url: `/api/agents/${ids[name]}/${what}` });
for (const name of ['hangsup', 'stays']) {
  await phoneProvisioned(asterisk, name);
}

async function answered(caller: string) {
  return eventually(async () => {
    const row = await server.db.selectFrom('calls').selectAll().where('caller_number', '=', caller).executeTakeFirst();
    return row?.agent_id != null ? row : undefined;
  }, 10_000, `an agent to answer ${caller}`);
}
async function ended(callId: string) {
  return eventually(async () => {
    const row = await server.db.selectFrom('calls').selectAll().where('id', '=', callId).executeTakeFirst();
    return row?.ended_at != null ? row : undefined;
  }, 10_000, 'the call to end');
}
async function eventTypes(callId: string) {
  return (await server.db.selectFrom('call_events').select('type').where('call_id', '=', callId).orderBy('id').execute()).map((e) => e.type);
}

t.test('after the agent hangs up the caller presses 4: the answer is stored with the call and the agent, and we hang up', async (t) => {
  t.equal((await agentCommand('hangsup', 'login')).json().state.kind, 'available');
  // The agent hangs up about 3.5 s after the 0; the question (about 5 s) then plays and the wait
  // (8 s) follows: a 4 at 9 s falls into one or the other, and a key during the question counts.
  const caller = await runSipp({ scenario: [{ keys: '0' }, { pause: 9000 }, { keys: '4' }, { waitBye: 15_000 }], sipPort: asterisk.sipPort, caller: '+79990000301', timeoutS: 40 });
  const call = await answered('+79990000301');
  t.equal(call.agent_id, ids['hangsup']);
  t.equal((await hangsUp.done).code, 0, 'the agent phone hung up and its BYE was answered');
  const result = await caller.done;
  t.equal(result.code, 0, `the caller pressed 4 and received our BYE (sipp: ${result.errors})`);
  t.equal((await ended(call.id)).outcome, 'completed');
  const answers = await server.db.selectFrom('survey_answers').selectAll().where('call_id', '=', call.id).execute();
  t.match(answers, [{ call_id: call.id, agent_id: ids['hangsup'], appeal_id: null, score: 4 }]);
  const types = await eventTypes(call.id);
  for (const type of ['agent_connected', 'survey_started', 'survey_answered', 'survey_stored']) t.ok(types.includes(type), `the history has ${type}`);
  t.notOk(types.includes('survey_unanswered'));
  await agentCommand('hangsup', 'logout');
});

t.test('a caller who hangs up first is asked nothing and no answer is stored', async (t) => {
  t.equal((await agentCommand('stays', 'login')).json().state.kind, 'available');
  const caller = await runSipp({ scenario: [{ keys: '0' }, { pause: 4000 }, { hangup: true }], sipPort: asterisk.sipPort, caller: '+79990000302', timeoutS: 30 });
  const call = await answered('+79990000302');
  t.equal((await caller.done).code, 0, 'the caller hung up cleanly');
  t.equal((await stays.done).code, 0, 'the agent phone was hung up by us');
  t.equal((await ended(call.id)).outcome, 'completed');
  t.same(await server.db.selectFrom('survey_answers').selectAll().where('call_id', '=', call.id).execute(), []);
  t.notOk((await eventTypes(call.id)).includes('survey_started'), 'no survey');
});

t.test('nothing is left behind: no channel and no call bridge, and the agents are free', async (t) => {
  await eventually(async () => {
    const channels = await ariGet<unknown[]>(asterisk, '/channels');
    const bridges = (await ariGet<Array<{ bridge_type: string }>>(asterisk, '/bridges')).filter((b) => b.bridge_type !== 'holding');
    return channels.length === 0 && bridges.length === 0 ? true : undefined;
  }, 10_000, 'an empty Asterisk');
  const state = (await boss.inject({ method: 'GET', url: `/api/agents/${ids['stays']}` })).json().state.kind as string;
  t.ok(['available', 'wrap_up'].includes(state), `the agent is free (${state})`);
});

import t from 'tap';
import { eventually } from '../support/fake-telephony.js';
import { addAgent, addDeskAgent } from '../support/app.js';
import { ariGet, phoneProvisioned, startTestAsterisk, startTestServer } from '../support/asterisk.js';
import { runSipp, runSippPhone, type SippPhone } from '../support/sipp.js';
import type { CallerStep } from '../support/sipp-script.js';

/*
 * 30 real callers (sipp) press 0 within a few seconds while 5 agents with plain-SIP desk phones
 * (sipp UAS on fixed contacts, each answering calls one after another and hanging up after 3 s
 * of talk) serve the 'general' queue: some callers are served, some give up, some wait past the
 * queue's limit. Afterwards every call is accounted for, no agent ever had two calls, and
 * Asterisk holds nothing but the queue's holding bridge.
 */

const AGENTS = 5;
// Shorter than 20 patient callers need to be served by 5 agents (3 s talk + 1 s wrap-up each): some time out.
const MAX_WAIT_S = 7;

/** A caller who presses 0 and waits for the other side to hang up, but no longer than `patienceMs`. */
function patientCaller(patienceMs: number): CallerStep[] {
  return [{ keys: '0' }, { waitBye: patienceMs, orHangUp: true }];
}

interface AgentRow { id: number; username: string }

t.test('30 callers at once against 5 agents: every call ends served, abandoned or timed out; no agent has two calls; nothing left in Asterisk', async (t) => {
  const asterisk = await startTestAsterisk(t, 'queue-load');
  const phones: SippPhone[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const phone = await runSippPhone({ scenario: 'agent-answers-hangs-up.xml', calls: 30, timeoutS: 120 });
    t.teardown(() => phone.kill());
    phones.push(phone);
  }
  const agents: AgentRow[] = [];
  const server = await startTestServer(t, asterisk, {
    seed: async (db) => {
      await db.updateTable('queues').set({ wrap_up_s: 1, max_wait_s: MAX_WAIT_S, ring_s: 10, announce_every_s: 6 }).where('id', '=', 'general').execute();
      for (const [i, phone] of phones.entries()) {
        const username = `desk${i + 1}`;
        agents.push({ id: await addDeskAgent(db, username, phone.port), username });
      }
      await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
    },
    // A call's row ends with its caller; with the survey on that is after the agent's next call began.
    env: { SURVEY: 'off' },
  });
  const boss = await server.loginAs('boss', 'boss-password');
  for (const a of agents) {
    await phoneProvisioned(asterisk, a.username);
    const login = await boss.inject({ method: 'POST', url: `/api/agents/${a.id}/login` });
    t.equal(login.json().state.kind, 'available', `${a.username} logged in`);
  }

  const startedAt = new Date().toISOString();
  // 20 patient callers (wait until hung up, i.e. served or timed out), then 5 who give up after
  // 2 s and 5 after 6 s (counted from pressing 0, which barges into the greeting).
  const patient = await runSipp({ scenario: patientCaller(60_000), sipPort: asterisk.sipPort, caller: '+79990100001', calls: 20, rate: 10, limit: 30, timeoutS: 80 });
  await new Promise((r) => setTimeout(r, 1000));
  const impatient = await runSipp({ scenario: patientCaller(2000), sipPort: asterisk.sipPort, caller: '+79990100002', calls: 5, rate: 10, limit: 30, timeoutS: 80 });
  const medium = await runSipp({ scenario: patientCaller(6000), sipPort: asterisk.sipPort, caller: '+79990100003', calls: 5, rate: 10, limit: 30, timeoutS: 80 });
  const results = await Promise.all([patient.done, impatient.done, medium.done]);
  for (const [name, r] of [['patient', results[0]], ['impatient', results[1]], ['medium', results[2]]] as const) {
    t.equal(r.failed, 0, `sipp ${name} callers: no failed call (${r.successful} ok)`, { errors: r.failed > 0 ? r.errors : undefined });
  }

  // None lost: 30 rows, all ended.
  const calls = await eventually(async () => {
    const rows = await server.db.selectFrom('calls').selectAll().where('started_at', '>=', startedAt).execute();
    return rows.length === 30 && rows.every((r) => r.ended_at !== null) ? rows : undefined;
  }, 20_000, '30 calls stored and ended').catch(async (err: unknown) => {
    const rows = await server.db.selectFrom('calls').select(['id', 'caller_number', 'outcome', 'ended_at', 'agent_id']).where('started_at', '>=', startedAt).execute();
    t.fail(`calls: ${rows.length} rows, ${rows.filter((r) => r.ended_at !== null).length} ended`, { rows });
    throw err;
  });
  t.equal(calls.length, 30, '30 calls stored');

  const events = await server.db.selectFrom('call_events').select(['call_id', 'type', 'at', 'data'])
    .where('call_id', 'in', calls.map((c) => c.id)).orderBy('id').execute();
  const typesOf = (callId: string) => new Set(events.filter((e) => e.call_id === callId).map((e) => e.type));
  const counts = { served: 0, abandoned: 0, timed_out: 0 };
  for (const c of calls) {
    const types = typesOf(c.id);
    t.ok(types.has('queue_entered'), `call ${c.id} (${c.caller_number}) entered the queue`);
    if (c.agent_id !== null) {
      counts.served += 1;
      t.equal(c.outcome, 'completed', `a served call is completed (${c.id})`);
      t.ok(types.has('queue_answered'), `a served call was answered in the queue (${c.id})`);
    } else if (types.has('queue_timed_out')) {
      counts.timed_out += 1;
      t.equal(c.outcome, 'timed_out', `a timed-out call is stored as timed_out (${c.id})`);
      t.equal(c.caller_number, '+79990100001', 'only patient callers time out');
    } else {
      counts.abandoned += 1;
      t.equal(c.outcome, 'abandoned', `an unserved call that did not time out was abandoned (${c.id})`);
      t.ok(types.has('queue_abandoned'), `the queue recorded the abandon (${c.id})`);
      t.not(c.caller_number, '+79990100001', 'patient callers do not abandon');
    }
  }
  t.equal(counts.served + counts.abandoned + counts.timed_out, 30, `every call accounted for: ${JSON.stringify(counts)}`);
  t.ok(counts.served >= 10, `agents served calls (${counts.served})`);
  t.ok(counts.timed_out >= 1, `some patient callers waited past ${MAX_WAIT_S} s (${counts.timed_out})`);

  // No agent on two calls at once: per agent, answered → ended intervals do not overlap...
  for (const a of agents) {
    const mine = calls.filter((c) => c.agent_id === a.id).map((c) => {
      const answered = events.find((e) => e.call_id === c.id && e.type === 'queue_answered');
      return { id: c.id, from: Date.parse(answered!.at), to: Date.parse(c.ended_at!) };
    }).sort((x, y) => x.from - y.from);
    for (let i = 1; i < mine.length; i++) {
      t.ok(mine[i]!.from >= mine[i - 1]!.to, `${a.username}: call ${i + 1} answered after call ${i} ended`, { calls: mine });
    }
  }
  // ...and the agent's state log is one consistent chain where a ring only ever starts from available.
  const log = await server.db.selectFrom('agent_state_log').selectAll().orderBy('id').execute();
  for (const a of agents) {
    const mine = log.filter((l) => l.agent_id === a.id);
    let offers = 0;
    for (let i = 0; i < mine.length; i++) {
      const l = mine[i]!;
      if (i > 0 && l.from_state !== mine[i - 1]!.to_state) t.fail(`${a.username}: state log breaks at #${l.id} (${mine[i - 1]!.to_state} then ${l.from_state})`);
      if (l.to_state === 'ringing') {
        offers += 1;
        if (l.from_state !== 'available') t.fail(`${a.username}: rang while ${l.from_state} (#${l.id})`);
      }
    }
    t.ok(offers >= calls.filter((c) => c.agent_id === a.id).length, `${a.username}: ${offers} offers for ${calls.filter((c) => c.agent_id === a.id).length} calls, each from available`);
    // The call's row is written ended a moment before the queue hears of the end: give it a second.
    const stateOf = async () => (await boss.inject({ method: 'GET', url: `/api/agents/${a.id}` })).json().state.kind as string;
    const state = await eventually(async () => (['available', 'wrap_up'].includes(await stateOf()) ? stateOf() : undefined), 2000, `${a.username} free`).catch(stateOf);
    t.ok(['available', 'wrap_up'].includes(state), `${a.username} ends ${state}`);
  }

  // Holding bridges stay for the next caller; no channel and no call bridge may remain.
  await eventually(async () => {
    const channels = await ariGet<unknown[]>(asterisk, '/channels');
    const left = (await ariGet<Array<{ bridge_type: string }>>(asterisk, '/bridges')).filter((b) => b.bridge_type !== 'holding');
    return channels.length === 0 && left.length === 0 ? true : undefined;
  }, 15_000, 'no channel and no call bridge left').catch(async (err: unknown) => {
    t.fail('Asterisk still holds something', { channels: await ariGet(asterisk, '/channels'), bridges: await ariGet(asterisk, '/bridges') });
    throw err;
  });
  t.comment(`outcomes: ${JSON.stringify(counts)}`);
  await server.http.close();
});


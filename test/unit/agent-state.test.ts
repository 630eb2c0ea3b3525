import t from 'tap';
import { agentStep, canTakeCalls, isLoggedIn, type AgentEvent, type AgentState } from '../../server/agents/state.js';

const offline: AgentState = { kind: 'offline' };
const available: AgentState = { kind: 'available', since: 1000 };
const ringing: AgentState = { kind: 'ringing', callId: 'c1', since: 2000 };
const onCall: AgentState = { kind: 'on_call', callId: 'c1', since: 3000, held: false, muted: false };
const wrapUp: AgentState = { kind: 'wrap_up', callId: 'c1', until: 9000, next: 'available' };
const paused: AgentState = { kind: 'paused', reason: 'break', since: 500 };

function run(s: AgentState, ...events: AgentEvent[]): AgentState[] {
  const seen: AgentState[] = [];
  for (const e of events) seen.push((s = agentStep(s, e)));
  return seen;
}

t.test('logging in makes the agent available from that moment', async (t) => {
  t.same(agentStep(offline, { type: 'logged_in', at: 100 }), { kind: 'available', since: 100 });
});

t.test('an agent may log out when available, paused or in wrap-up', async (t) => {
  for (const s of [available, paused, wrapUp]) t.same(agentStep(s, { type: 'logged_out', at: 5 }), offline, s.kind);
});

t.test('an agent cannot log out while their phone rings or during a call', async (t) => {
  for (const s of [ringing, onCall, offline]) {
    t.throws(() => agentStep(s, { type: 'logged_out', at: 5 }), { code: 'CC_ERR_AGENT_INVALID_TRANSITION', state: s.kind, event: 'logged_out' }, s.kind);
  }
});

t.test('a full call: offered, answered, held and muted, ended into wrap-up, then available', async (t) => {
  const seen = run(available,
    { type: 'offered', callId: 'c1', at: 10 },
    { type: 'answered', callId: 'c1', at: 15 },
    { type: 'held', at: 20 }, { type: 'muted', at: 21 }, { type: 'unheld', at: 22 }, { type: 'unmuted', at: 23 },
    { type: 'call_ended', callId: 'c1', at: 100, wrapUpMs: 30 },
    { type: 'wrap_up_elapsed', at: 130 });
  t.same(seen, [
    { kind: 'ringing', callId: 'c1', since: 10 },
    { kind: 'on_call', callId: 'c1', since: 15, held: false, muted: false },
    { kind: 'on_call', callId: 'c1', since: 15, held: true, muted: false },
    { kind: 'on_call', callId: 'c1', since: 15, held: true, muted: true },
    { kind: 'on_call', callId: 'c1', since: 15, held: false, muted: true },
    { kind: 'on_call', callId: 'c1', since: 15, held: false, muted: false },
    { kind: 'wrap_up', callId: 'c1', until: 130, next: 'available' },
    { kind: 'available', since: 130 },
  ]);
});

t.test('a call that ends with no wrap-up time leaves the agent available at once', async (t) => {
  t.same(agentStep(onCall, { type: 'call_ended', callId: 'c1', at: 50, wrapUpMs: 0 }), { kind: 'available', since: 50 });
});

t.test('a pause chosen during wrap-up starts when the wrap-up ends', async (t) => {
  const seen = run(wrapUp, { type: 'paused', reason: 'training', at: 10 }, { type: 'wrap_up_elapsed', at: 9000 });
  t.same(seen, [{ ...wrapUp, next: 'training' }, { kind: 'paused', reason: 'training', since: 9000 }]);
});

t.test('"ready" during wrap-up makes the agent available early', async (t) => {
  t.same(agentStep(wrapUp, { type: 'made_available', at: 4000 }), { kind: 'available', since: 4000 });
});

t.test('a missed call makes the agent available again, or paused for misses when the queue says so', async (t) => {
  t.same(agentStep(ringing, { type: 'missed', callId: 'c1', at: 30, autoPause: false }), { kind: 'available', since: 30 });
  t.same(agentStep(ringing, { type: 'missed', callId: 'c1', at: 30, autoPause: true }), { kind: 'paused', reason: 'missed', since: 30 });
});

t.test('an offer cancelled because the caller left makes the agent available, not paused', async (t) => {
  t.same(agentStep(ringing, { type: 'offer_cancelled', callId: 'c1', at: 40 }), { kind: 'available', since: 40 });
});

t.test('pausing from available, changing the reason, and coming back', async (t) => {
  const seen = run(available, { type: 'paused', reason: 'break', at: 10 }, { type: 'paused', reason: 'training', at: 20 }, { type: 'made_available', at: 30 });
  t.same(seen, [{ kind: 'paused', reason: 'break', since: 10 }, { kind: 'paused', reason: 'training', since: 20 }, { kind: 'available', since: 30 }]);
});

t.test('an agent cannot pause while ringing or on a call', async (t) => {
  for (const s of [ringing, onCall, offline]) {
    t.throws(() => agentStep(s, { type: 'paused', reason: 'break', at: 1 }), { code: 'CC_ERR_AGENT_INVALID_TRANSITION' }, s.kind);
  }
});

t.test('events about another call than the current one are refused', async (t) => {
  const wrong = 'c2';
  t.throws(() => agentStep(ringing, { type: 'answered', callId: wrong, at: 1 }), { code: 'CC_ERR_AGENT_INVALID_TRANSITION' });
  t.throws(() => agentStep(ringing, { type: 'missed', callId: wrong, at: 1, autoPause: false }), { code: 'CC_ERR_AGENT_INVALID_TRANSITION' });
  t.throws(() => agentStep(ringing, { type: 'offer_cancelled', callId: wrong, at: 1 }), { code: 'CC_ERR_AGENT_INVALID_TRANSITION' });
  t.throws(() => agentStep(onCall, { type: 'call_ended', callId: wrong, at: 1, wrapUpMs: 0 }), { code: 'CC_ERR_AGENT_INVALID_TRANSITION' });
});

t.test('transitions not in the list throw with the state and event named', async (t) => {
  const illegal: [AgentState, AgentEvent][] = [
    [offline, { type: 'made_available', at: 1 }],
    [offline, { type: 'offered', callId: 'c1', at: 1 }],
    [available, { type: 'logged_in', at: 1 }],
    [available, { type: 'made_available', at: 1 }],
    [available, { type: 'answered', callId: 'c1', at: 1 }],
    [paused, { type: 'offered', callId: 'c1', at: 1 }],
    [ringing, { type: 'offered', callId: 'c1', at: 1 }],
    [ringing, { type: 'held', at: 1 }],
    [onCall, { type: 'unheld', at: 1 }],
    [onCall, { type: 'unmuted', at: 1 }],
    [{ ...onCall, held: true }, { type: 'held', at: 1 }],
    [onCall, { type: 'made_available', at: 1 }],
    [wrapUp, { type: 'offered', callId: 'c2', at: 1 }],
    [paused, { type: 'wrap_up_elapsed', at: 1 }],
  ];
  for (const [s, e] of illegal) {
    t.throws(() => agentStep(s, e), { code: 'CC_ERR_AGENT_INVALID_TRANSITION', state: s.kind, event: e.type }, `${s.kind} --${e.type}`);
  }
});

t.test('only an available agent can take calls; everyone but offline is logged in', async (t) => {
  const all = [offline, available, ringing, onCall, wrapUp, paused];
  t.same(all.map(canTakeCalls), [false, true, false, false, false, false]);
  t.same(all.map(isLoggedIn), [false, true, true, true, true, true]);
});

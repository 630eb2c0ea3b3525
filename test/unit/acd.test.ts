import t from 'tap';
import type { AgentState, PauseReason } from '../../server/agents/state.js';
import { acdStep, emptyAcd, shouldAnnounce, waitEstimate, type AcdConfig, type AcdEffect, type AcdEvent, type Membership, type QueueConfig } from '../../server/queue/acd.js';

const queue = (id: string, priority: number, over: Partial<QueueConfig> = {}): QueueConfig =>
  ({ id, priority, ringMs: 15_000, maxWaitMs: 600_000, wrapUpMs: 10_000, announceEveryMs: 30_000, slThresholdMs: 20_000, ...over });
const member = (agentId: number, queueId: string, priority = 1): Membership => ({ agentId, queueId, priority });

function config(members: Membership[], over: Partial<AcdConfig> = {}, queues = [queue('general', 1), queue('billing', 2), queue('outage', 1)]): AcdConfig {
  return { queues, members, autoPauseAfterMisses: 3, defaultHandleMs: 180_000, ...over };
}

/** Holds the state between steps; every helper returns the effects of its one step. */
class Acd {
  s = emptyAcd();
  constructor(readonly config: AcdConfig) {}
  send(e: AcdEvent): AcdEffect[] {
    const [s, fx] = acdStep(this.config, this.s, e);
    this.s = s;
    return fx;
  }
  login(agentId: number, at: number) { return this.send({ type: 'agent_event', agentId, event: { type: 'logged_in', at } }); }
  pause(agentId: number, reason: PauseReason, at: number) { return this.send({ type: 'agent_event', agentId, event: { type: 'paused', reason, at } }); }
  ready(agentId: number, at: number) { return this.send({ type: 'agent_event', agentId, event: { type: 'made_available', at } }); }
  join(callId: string, queueId: string, at: number) { return this.send({ type: 'caller_joined', callId, queueId, at }); }
  answer(callId: string, agentId: number, at: number) { return this.send({ type: 'offer_answered', callId, agentId, at }); }
  fail(callId: string, agentId: number, at: number) { return this.send({ type: 'offer_failed', callId, agentId, at, reason: 'no_answer' }); }
  finish(callId: string, agentId: number, at: number, talkMs = 60_000) { return this.send({ type: 'call_finished', callId, agentId, at, talkMs }); }
  tick(at: number) { return this.send({ type: 'tick', at }); }
  agent(agentId: number): AgentState { return this.s.agents[agentId]?.state ?? { kind: 'offline' }; }
}

const offers = (fx: AcdEffect[]) => fx.flatMap((e) => (e.do === 'offer' ? [[e.callId, e.agentId]] : []));
const queueEvents = (fx: AcdEffect[]) => fx.flatMap((e) => (e.do === 'queue_event' ? [e.what] : []));

t.test('the longest-idle available agent gets the next caller', async (t) => {
  const acd = new Acd(config([member(1, 'general'), member(2, 'general'), member(3, 'general')]));
  acd.login(2, 100); acd.login(1, 200); acd.login(3, 300);
  const fx = acd.join('c1', 'general', 1000);
  t.same(offers(fx), [['c1', 2]]);
  t.same(fx.find((e) => e.do === 'offer'), { do: 'offer', callId: 'c1', agentId: 2, ringMs: 15_000 });
  t.same(acd.agent(2), { kind: 'ringing', callId: 'c1', since: 1000 });
  t.same(queueEvents(fx), ['entered', 'offered']);
  t.same(offers(acd.join('c2', 'general', 1001)), [['c2', 1]]);
});

t.test('callers of one queue are served in order of arrival', async (t) => {
  const acd = new Acd(config([member(1, 'general')]));
  acd.join('c1', 'general', 100); acd.join('c2', 'general', 200);
  t.same(offers(acd.login(1, 300)), [['c1', 1]]);
  acd.answer('c1', 1, 305); acd.finish('c1', 1, 400);
  t.same(offers(acd.tick(10_400)), [['c2', 1]]);
});

t.test('a higher-priority queue is served first, and equal priorities by earliest arrival', async (t) => {
  const acd = new Acd(config([member(1, 'general'), member(1, 'billing'), member(1, 'outage')]));
  acd.join('g1', 'general', 100); acd.join('o1', 'outage', 50); acd.join('b1', 'billing', 300);
  t.same(offers(acd.login(1, 400)), [['b1', 1]], 'billing (priority 2) before earlier callers');
  acd.fail('b1', 1, 500); acd.answer('b1', 1, 501);
  t.same(acd.agent(1).kind, 'on_call');
  acd.finish('b1', 1, 600);
  t.same(offers(acd.tick(10_600)), [['o1', 1]], 'outage and general have equal priority: earliest first');
});

t.test('an agent who is not a member of the queue is never offered its callers', async (t) => {
  const acd = new Acd(config([member(1, 'billing'), member(2, 'general')]));
  acd.login(1, 100);
  t.same(offers(acd.join('c1', 'general', 200)), []);
  t.equal(acd.agent(1).kind, 'available');
  t.same(offers(acd.login(2, 300)), [['c1', 2]]);
});

t.test('member priority breaks ties between agents idle equally long, then the agent id', async (t) => {
  const acd = new Acd(config([member(1, 'general', 2), member(2, 'general', 1), member(3, 'general', 2)]));
  acd.login(3, 100); acd.login(1, 100); acd.login(2, 100);
  t.same(offers(acd.join('c1', 'general', 200)), [['c1', 2]]);
  t.same(offers(acd.join('c2', 'general', 200)), [['c2', 1]]);
  t.same(offers(acd.join('c3', 'general', 200)), [['c3', 3]]);
});

t.test('a phone that rings unanswered passes the caller to the next agent', async (t) => {
  const acd = new Acd(config([member(1, 'general'), member(2, 'general')]));
  acd.login(1, 100); acd.login(2, 200); acd.join('c1', 'general', 300);
  const fx = acd.fail('c1', 1, 15_300);
  t.same(offers(fx), [['c1', 2]]);
  t.same(queueEvents(fx), ['missed', 'offered']);
  t.same(acd.agent(1), { kind: 'available', since: 15_300 });
  t.same(acd.s.waiting[0]?.tried, [1]);
  t.equal(acd.s.agents[1]?.missesInARow, 1);
});

t.test('an agent who missed a caller gets them again only when no other member is free', async (t) => {
  const acd = new Acd(config([member(1, 'general'), member(2, 'general')]));
  acd.login(1, 100); acd.join('c1', 'general', 300);
  t.same(offers(acd.fail('c1', 1, 1000)), [['c1', 1]], 'the only free agent is retried');
  acd.login(2, 1500);
  t.same(offers(acd.fail('c1', 1, 2000)), [['c1', 2]], 'agent 1 idles longer but missed this caller');
});

t.test('N misses in a row pause the agent for missed calls; an answer resets the count', async (t) => {
  const acd = new Acd(config([member(1, 'general')], { autoPauseAfterMisses: 2 }));
  acd.login(1, 100); acd.join('c1', 'general', 200);
  acd.fail('c1', 1, 1000);
  acd.answer('c1', 1, 1100);
  t.equal(acd.s.agents[1]?.missesInARow, 0, 'the answer resets the count');
  acd.finish('c1', 1, 2000); acd.tick(12_000); acd.join('c2', 'general', 12_500);
  t.equal(acd.fail('c2', 1, 13_000).filter((e) => e.do === 'offer').length, 1, 'one miss after the reset: retried, not paused');
  const fx = acd.fail('c2', 1, 14_000);
  t.same(acd.agent(1), { kind: 'paused', reason: 'missed', since: 14_000 });
  t.same(fx.find((e) => e.do === 'agent_changed'), { do: 'agent_changed', agentId: 1, state: acd.agent(1), reason: 'auto_paused' });
  t.same(queueEvents(fx), ['missed', 'auto_paused']);
  t.same(offers(fx), []);
  t.equal(acd.s.waiting[0]?.offer, null, 'the caller waits for someone else');
  t.same(offers(acd.ready(1, 20_000)), [['c2', 1]]);
});

t.test('wrap-up ends at its time, then the agent takes the next caller', async (t) => {
  const acd = new Acd(config([member(1, 'general')]));
  acd.login(1, 100); acd.join('c1', 'general', 200); acd.answer('c1', 1, 300); acd.join('c2', 'general', 400);
  t.same(acd.s.connected, { c1: { queueId: 'general', agentId: 1, since: 300 } });
  acd.finish('c1', 1, 5000);
  t.same(acd.agent(1), { kind: 'wrap_up', callId: 'c1', until: 15_000, next: 'available' });
  t.same(acd.tick(14_999), []);
  const fx = acd.tick(15_000);
  t.same(fx.filter((e) => e.do === 'agent_changed').map((e) => e.do === 'agent_changed' && e.reason), ['wrap_up_elapsed', 'offered']);
  t.same(offers(fx), [['c2', 1]]);
});

t.test('a pause chosen during wrap-up follows it; "ready" during wrap-up ends it early', async (t) => {
  const acd = new Acd(config([member(1, 'general'), member(2, 'general')]));
  acd.login(1, 100); acd.login(2, 100);
  acd.join('c1', 'general', 200); acd.join('c2', 'general', 200);
  acd.answer('c1', 1, 300); acd.answer('c2', 2, 300);
  acd.finish('c1', 1, 1000); acd.finish('c2', 2, 1000);
  acd.pause(1, 'training', 2000);
  acd.join('c3', 'general', 3000);
  t.same(offers(acd.ready(2, 4000)), [['c3', 2]], 'ready early');
  acd.tick(11_000);
  t.same(acd.agent(1), { kind: 'paused', reason: 'training', since: 11_000 });
});

t.test('with no wrap-up time the agent takes the next caller as the call ends', async (t) => {
  const acd = new Acd(config([member(1, 'general')], {}, [queue('general', 1, { wrapUpMs: 0 })]));
  acd.login(1, 100); acd.join('c1', 'general', 200); acd.answer('c1', 1, 300); acd.join('c2', 'general', 400);
  t.same(offers(acd.finish('c1', 1, 1000)), [['c2', 1]]);
});

t.test('two callers and one agent in the same instant: one offer, the other waits', async (t) => {
  const acd = new Acd(config([member(1, 'general'), member(2, 'general')]));
  acd.join('c1', 'general', 100); acd.join('c2', 'general', 100);
  const fx = acd.login(1, 100);
  t.same(offers(fx), [['c1', 1]]);
  t.same(offers(acd.login(2, 100)), [['c2', 2]]);
  t.same(offers(acd.tick(100)), [], 'nothing is offered twice');
});

t.test('an agent whose phone rings cannot log out or pause; the refusal changes nothing', async (t) => {
  const acd = new Acd(config([member(1, 'general')]));
  acd.login(1, 100); acd.join('c1', 'general', 200);
  const before = acd.s;
  t.throws(() => acd.send({ type: 'agent_event', agentId: 1, event: { type: 'logged_out', at: 300 } }), { code: 'CC_ERR_AGENT_INVALID_TRANSITION' });
  t.throws(() => acd.pause(1, 'break', 300), { code: 'CC_ERR_AGENT_INVALID_TRANSITION' });
  t.equal(acd.s, before);
  t.same(acd.agent(1), { kind: 'ringing', callId: 'c1', since: 200 });
});

t.test('a caller who leaves while an agent\'s phone rings cancels the offer without a miss', async (t) => {
  const acd = new Acd(config([member(1, 'general')]));
  acd.login(1, 100); acd.join('c1', 'general', 200);
  const fx = acd.send({ type: 'caller_left', callId: 'c1', at: 5000, reason: 'abandoned' });
  t.same(fx[0], { do: 'cancel_offer', callId: 'c1', agentId: 1 });
  t.same(acd.agent(1), { kind: 'available', since: 5000 });
  t.equal(acd.s.agents[1]?.missesInARow, 0);
  t.same(acd.s.waiting, []);
  t.same(fx.at(-1), { do: 'queue_event', what: 'abandoned', callId: 'c1', queueId: 'general', data: { waitedMs: 4800 } });
  const after = acd.s;
  t.same(acd.answer('c1', 1, 5001), [], 'a late answer races the cancel: no change');
  t.same(acd.fail('c1', 1, 5002), [], 'the failure our cancel caused: no change');
  t.equal(acd.s, after);
});

t.test('a waiting caller who leaves is removed with the reason the server gave', async (t) => {
  const acd = new Acd(config([member(1, 'general')]));
  acd.join('c1', 'general', 200); acd.join('c2', 'general', 300);
  t.same(queueEvents(acd.send({ type: 'caller_left', callId: 'c1', at: 900, reason: 'timed_out' })), ['timed_out']);
  t.same(queueEvents(acd.send({ type: 'caller_left', callId: 'c2', at: 900, reason: 'transferred' })), ['transferred']);
  t.same(acd.s.waiting, []);
});

t.test('a caller who waited the maximum times out on a tick, unless an agent\'s phone is ringing for them', async (t) => {
  const acd = new Acd(config([member(1, 'general')], {}, [queue('general', 1, { maxWaitMs: 60_000 })]));
  acd.join('c1', 'general', 0); acd.join('c2', 'general', 10_000);
  t.same(acd.tick(59_999), []);
  acd.login(1, 59_999);
  const fx = acd.tick(70_000);
  t.same(fx, [{ do: 'time_out', callId: 'c2' }, { do: 'queue_event', what: 'timed_out', callId: 'c2', queueId: 'general', data: { waitedMs: 60_000 } }]);
  t.same(acd.s.waiting.map((c) => c.callId), ['c1']);
  t.same(queueEvents(acd.fail('c1', 1, 75_000)), ['missed', 'timed_out'], 'past the limit after a miss: no second ring');
  t.same(acd.s.waiting, []);
});

t.test('talk times are kept per queue, the last 20', async (t) => {
  const acd = new Acd(config([member(1, 'general'), member(1, 'billing')], {}, [queue('general', 1, { wrapUpMs: 0 }), queue('billing', 1)]));
  acd.login(1, 0);
  for (let i = 1; i <= 22; i++) {
    acd.join(`c${i}`, 'general', i * 1000); acd.answer(`c${i}`, 1, i * 1000); acd.finish(`c${i}`, 1, i * 1000, i);
  }
  t.same(acd.s.handleTimes, { general: Array.from({ length: 20 }, (_, i) => i + 3) });
  t.same(acd.s.connected, {});
});

t.test('unknown calls, agents and queues throw CC_ERR_ACD_UNKNOWN; the ACD\'s own events from outside are refused', async (t) => {
  const acd = new Acd(config([member(1, 'general')]));
  acd.login(1, 0); acd.join('c1', 'general', 1);
  t.throws(() => acd.join('c9', 'nowhere', 2), { code: 'CC_ERR_ACD_UNKNOWN' });
  t.throws(() => acd.join('c1', 'general', 2), { code: 'CC_ERR_ACD_INVALID_EVENT' });
  t.throws(() => acd.send({ type: 'caller_left', callId: 'c9', at: 2, reason: 'abandoned' }), { code: 'CC_ERR_ACD_UNKNOWN' });
  t.throws(() => acd.login(99, 2), { code: 'CC_ERR_ACD_UNKNOWN' });
  t.throws(() => acd.answer('c1', 99, 2), { code: 'CC_ERR_ACD_UNKNOWN' });
  t.throws(() => acd.finish('c1', 1, 2), { code: 'CC_ERR_ACD_UNKNOWN' }, 'not connected yet');
  t.throws(() => acd.send({ type: 'agent_event', agentId: 1, event: { type: 'answered', callId: 'c1', at: 2 } }), { code: 'CC_ERR_ACD_INVALID_EVENT' });
  t.throws(() => waitEstimate(acd.config, acd.s, 'c9', 2), { code: 'CC_ERR_ACD_UNKNOWN' });
});

t.test('the wait estimate: nobody able, one agent, three agents, and with call history', async (t) => {
  const acd = new Acd(config([member(1, 'general'), member(2, 'general'), member(3, 'general'), member(4, 'general')], { defaultHandleMs: 100_000 }));
  acd.login(4, 0); acd.pause(4, 'break', 0);
  acd.join('c1', 'general', 0); acd.join('c2', 'general', 1); acd.join('c3', 'general', 2); acd.join('c4', 'general', 3);
  t.same(waitEstimate(acd.config, acd.s, 'c4', 10), { position: 4, agentsAble: 0, loggedIn: 1, estimateMs: null }, 'a paused agent is not able, but is on shift');
  acd.login(1, 20); // takes c1: c2..c4 remain, c1 is connected once answered
  acd.answer('c1', 1, 21);
  t.same(waitEstimate(acd.config, acd.s, 'c4', 30), { position: 3, agentsAble: 1, loggedIn: 2, estimateMs: 3 * 110_000 }, 'default talk time + wrap-up, per caller ahead');
  acd.login(2, 31); acd.login(3, 32); // ringing for c2 and c3
  t.same(waitEstimate(acd.config, acd.s, 'c4', 40), { position: 3, agentsAble: 3, loggedIn: 4, estimateMs: 110_000 });
  acd.answer('c2', 2, 41); acd.finish('c2', 2, 50, 20_000);
  acd.answer('c3', 3, 51); acd.finish('c3', 3, 60, 40_000);
  t.same(waitEstimate(acd.config, acd.s, 'c4', 70), { position: 1, agentsAble: 3, loggedIn: 4, estimateMs: 30_000 + 10_000 }, 'average talk time of the queue');
});

t.test('the position counts callers ahead in higher-priority queues that share agents, not in other queues', async (t) => {
  const acd = new Acd(config([member(1, 'general'), member(1, 'billing'), member(2, 'outage')]));
  acd.join('g1', 'general', 100); acd.join('b1', 'billing', 200); acd.join('o1', 'outage', 50); acd.join('g2', 'general', 300);
  t.equal(waitEstimate(acd.config, acd.s, 'g2', 400).position, 3, 'b1 (billing, higher) and g1; not o1');
  t.equal(waitEstimate(acd.config, acd.s, 'b1', 400).position, 1, 'earlier general callers wait behind billing');
});

t.test('no announcement while the caller is being offered to an agent', async (t) => {
  const acd = new Acd(config([member(1, 'general')]));
  acd.join('c1', 'general', 0);
  t.equal(shouldAnnounce(acd.s, 'c1'), true);
  acd.login(1, 10);
  t.equal(shouldAnnounce(acd.s, 'c1'), false);
  acd.answer('c1', 1, 20);
  t.equal(shouldAnnounce(acd.s, 'c1'), false, 'connected: nothing to announce');
});

t.test('a caller transferred to one agent is offered to that agent only, even when others are free', async (t) => {
  const config: AcdConfig = {
    queues: [{ id: 'general', priority: 1, ringMs: 15000, maxWaitMs: 600000, wrapUpMs: 0, announceEveryMs: 45000, slThresholdMs: 20000 }],
    members: [{ agentId: 1, queueId: 'general', priority: 1 }, { agentId: 2, queueId: 'general', priority: 1 }],
    autoPauseAfterMisses: 3, defaultHandleMs: 180000,
  };
  let s = emptyAcd();
  [s] = acdStep(config, s, { type: 'agent_event', agentId: 1, event: { type: 'logged_in', at: 1 } });
  let fx;
  [s, fx] = acdStep(config, s, { type: 'caller_joined', callId: 'c', queueId: 'general', at: 2, forAgent: 2 });
  t.notOk(fx.some((e) => e.do === 'offer'), 'agent 1 is free but the caller waits for agent 2');
  [s, fx] = acdStep(config, s, { type: 'agent_event', agentId: 2, event: { type: 'logged_in', at: 3 } });
  t.same(fx.filter((e) => e.do === 'offer'), [{ do: 'offer', callId: 'c', agentId: 2, ringMs: 15000 }]);
});

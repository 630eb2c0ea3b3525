import t from 'tap';
import { acdStep, emptyAcd, type AcdConfig, type AcdEffect, type AcdEvent, type QueueConfig } from '../../server/queue/acd.js';

/*
 * A callback keeps the caller's place: the caller hangs up, and a virtual entry with their join
 * time waits in line instead, to be offered to an agent exactly when the caller would have been.
 */

const general: QueueConfig = { id: 'general', priority: 1, ringMs: 15_000, maxWaitMs: 300_000, wrapUpMs: 0, announceEveryMs: 30_000, slThresholdMs: 20_000 };
const config: AcdConfig = { queues: [general], members: [{ agentId: 1, queueId: 'general', priority: 1 }], autoPauseAfterMisses: 0, defaultHandleMs: 180_000 };

class Acd {
  s = emptyAcd();
  offered: string[] = [];
  send(e: AcdEvent): AcdEffect[] {
    const [s, fx] = acdStep(config, this.s, e);
    this.s = s;
    for (const f of fx) if (f.do === 'offer') this.offered.push(f.callId);
    return fx;
  }
  /** The one agent takes whatever it is offered, talks a minute and is free again at once (no wrap-up). */
  serveNext(at: number): void {
    const current = this.s.waiting.find((w) => w.offer !== null);
    if (current === undefined) return;
    this.send({ type: 'offer_answered', callId: current.callId, agentId: 1, at });
    this.send({ type: 'call_finished', callId: current.callId, agentId: 1, at: at + 60_000, talkMs: 60_000 });
  }
}

function morning(convert: boolean): Acd {
  const acd = new Acd();
  acd.send({ type: 'caller_joined', callId: 'a', queueId: 'general', at: 0 });
  acd.send({ type: 'caller_joined', callId: 'b', queueId: 'general', at: 10_000 });
  acd.send({ type: 'caller_joined', callId: 'c', queueId: 'general', at: 20_000 });
  if (convert) acd.send({ type: 'converted_to_callback', callId: 'b', callbackCallId: 'cb-b', at: 70_000 });
  acd.send({ type: 'agent_event', agentId: 1, event: { type: 'logged_in', at: 100_000 } });
  for (let i = 0; i < 3; i++) acd.serveNext(100_000 + i * 70_000);
  return acd;
}

t.test('a callback entry is offered exactly when the caller who left would have been', async (t) => {
  t.same(morning(false).offered, ['a', 'b', 'c']);
  t.same(morning(true).offered, ['a', 'cb-b', 'c'], 'B\'s callback between A and C, as B would have been');
});

t.test('converting keeps the join time and says so once, with the position, for the queue_log', async (t) => {
  const acd = new Acd();
  acd.send({ type: 'caller_joined', callId: 'a', queueId: 'general', at: 0 });
  acd.send({ type: 'caller_joined', callId: 'b', queueId: 'general', at: 5_000 });
  const fx = acd.send({ type: 'converted_to_callback', callId: 'b', callbackCallId: 'cb-b', at: 65_000 });
  t.same(fx, [{ do: 'queue_event', what: 'callback', callId: 'b', queueId: 'general', data: { key: '1', position: 2, waitedMs: 60_000, callbackCallId: 'cb-b' } }]);
  t.same(acd.s.waiting.map((w) => [w.callId, w.joinedAt, w.callback ?? false]), [['a', 0, false], ['cb-b', 5_000, true]]);
});

t.test('a caller who converts while an agent\'s phone rings for them frees that agent', async (t) => {
  const acd = new Acd();
  acd.send({ type: 'agent_event', agentId: 1, event: { type: 'logged_in', at: 0 } });
  acd.send({ type: 'caller_joined', callId: 'a', queueId: 'general', at: 1_000 });
  t.equal(acd.s.agents[1]?.state.kind, 'ringing');
  const fx = acd.send({ type: 'converted_to_callback', callId: 'a', callbackCallId: 'cb-a', at: 2_000 });
  t.ok(fx.some((e) => e.do === 'cancel_offer' && e.callId === 'a'), 'the ring for the caller stops');
  t.same(acd.offered, ['a', 'cb-a'], 'and the agent is offered the callback at once');
});

t.test('a callback entry never times out, and its events are marked as a callback', async (t) => {
  const acd = new Acd();
  acd.send({ type: 'caller_joined', callId: 'cb', queueId: 'general', at: 1_000, joinedAt: 0, callback: true });
  const fx = acd.send({ type: 'tick', at: 10 * general.maxWaitMs });
  t.same(fx.filter((e) => e.do === 'time_out'), []);
  t.equal(acd.s.waiting.length, 1);
  const joined = acdStep(config, emptyAcd(), { type: 'caller_joined', callId: 'cb', queueId: 'general', at: 1_000, joinedAt: 0, callback: true })[1];
  t.same(joined, [{ do: 'queue_event', what: 'entered', callId: 'cb', queueId: 'general', data: { callback: true } }]);
});

t.test('a retry joins at its due time, never in the future, behind those who came first', async (t) => {
  const acd = new Acd();
  acd.send({ type: 'caller_joined', callId: 'x', queueId: 'general', at: 50_000 });
  acd.send({ type: 'caller_joined', callId: 'retry', queueId: 'general', at: 60_000, joinedAt: 90_000, callback: true });
  t.same(acd.s.waiting.map((w) => [w.callId, w.joinedAt]), [['x', 50_000], ['retry', 60_000]], 'a join time after now is taken as now');
  acd.send({ type: 'agent_event', agentId: 1, event: { type: 'logged_in', at: 61_000 } });
  t.same(acd.offered, ['x']);
});

t.test('a deferred callback (closing time) leaves the line without counting as an abandon', async (t) => {
  const acd = new Acd();
  acd.send({ type: 'caller_joined', callId: 'cb', queueId: 'general', at: 0, callback: true });
  const fx = acd.send({ type: 'caller_left', callId: 'cb', at: 1_000, reason: 'deferred' });
  t.same(fx, [{ do: 'queue_event', what: 'deferred', callId: 'cb', queueId: 'general', data: { waitedMs: 1_000, callback: true } }]);
  t.equal(acd.s.waiting.length, 0);
});

t.test('only a caller on the line can be converted, and only once', async (t) => {
  const acd = new Acd();
  acd.send({ type: 'caller_joined', callId: 'a', queueId: 'general', at: 0 });
  acd.send({ type: 'converted_to_callback', callId: 'a', callbackCallId: 'cb-a', at: 1 });
  t.throws(() => acd.send({ type: 'converted_to_callback', callId: 'cb-a', callbackCallId: 'cb-x', at: 2 }), { code: 'CC_ERR_ACD_INVALID_EVENT' });
  t.throws(() => acd.send({ type: 'converted_to_callback', callId: 'nobody', callbackCallId: 'cb-y', at: 2 }), { code: 'CC_ERR_ACD_UNKNOWN' });
});

import t from 'tap';
import type { AgentEvent, PauseReason } from '../../server/agents/state.js';
import { acdStep, emptyAcd, type AcdConfig, type AcdEvent, type AcdState, type QueueConfig } from '../../server/queue/acd.js';

/*
 * Random sequences of joins, leaves, answers, failures (some stale), finished calls, agent
 * actions and ticks over 5 agents and 3 queues; the ACD's invariants must hold after each step.
 */

const queue = (id: string, priority: number, wrapUpMs: number): QueueConfig =>
  ({ id, priority, ringMs: 15_000, maxWaitMs: 60_000, wrapUpMs, announceEveryMs: 30_000, slThresholdMs: 20_000 });

const config: AcdConfig = {
  queues: [queue('general', 1, 5000), queue('billing', 2, 0), queue('outage', 1, 8000)],
  members: [
    { agentId: 1, queueId: 'general', priority: 1 }, { agentId: 1, queueId: 'billing', priority: 2 },
    { agentId: 2, queueId: 'general', priority: 2 },
    { agentId: 3, queueId: 'billing', priority: 1 }, { agentId: 3, queueId: 'outage', priority: 1 },
    { agentId: 4, queueId: 'outage', priority: 2 }, { agentId: 4, queueId: 'general', priority: 1 },
    { agentId: 5, queueId: 'billing', priority: 1 },
  ],
  autoPauseAfterMisses: 2,
  defaultHandleMs: 180_000,
};
const agentIds = [1, 2, 3, 4, 5];
const queueIds = config.queues.map((q) => q.id);

/** mulberry32: a small seeded generator, so a failure can be replayed */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function violations(s: AcdState): string[] {
  const found: string[] = [];
  const offers = s.waiting.flatMap((c) => (c.offer === null ? [] : [`${c.offer.agentId}:${c.callId}`]));
  const offeredAgents = s.waiting.flatMap((c) => (c.offer === null ? [] : [c.offer.agentId]));
  if (new Set(offeredAgents).size !== offeredAgents.length) found.push(`an agent holds two offers: ${offers.join(' ')}`);
  const callIds = s.waiting.map((c) => c.callId);
  if (new Set(callIds).size !== callIds.length) found.push('a caller waits twice');
  if (callIds.some((id) => s.connected[id] !== undefined)) found.push('a caller both waits and is connected');
  const ringing = Object.entries(s.agents).flatMap(([id, a]) => (a.state.kind === 'ringing' ? [`${id}:${a.state.callId}`] : []));
  if ([...ringing].sort().join() !== [...offers].sort().join()) found.push(`ringing ${ringing.join(' ')} ≠ offers ${offers.join(' ')}`);
  for (const c of s.waiting) {
    const members = config.members.filter((m) => m.queueId === c.queueId).map((m) => m.agentId);
    if (c.offer !== null && !members.includes(c.offer.agentId)) found.push(`${c.callId} offered to non-member ${c.offer.agentId}`);
    const free = members.filter((id) => s.agents[id]?.state.kind === 'available');
    if (c.offer === null && free.length > 0) found.push(`${c.callId} waits while member ${free.join(',')} is available`);
  }
  const onCall = Object.entries(s.agents).flatMap(([id, a]) => (a.state.kind === 'on_call' ? [`${id}:${a.state.callId}`] : []));
  const connected = Object.entries(s.connected).map(([callId, c]) => `${c.agentId}:${callId}`);
  if ([...onCall].sort().join() !== [...connected].sort().join()) found.push(`on call ${onCall.join(' ')} ≠ connected ${connected.join(' ')}`);
  return found;
}

function randomEvent(r: () => number, s: AcdState, at: number, seq: number): AcdEvent {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const offered = s.waiting.filter((c) => c.offer !== null);
  const roll = r();
  if (roll < 0.2) return { type: 'caller_joined', callId: `c${seq}`, queueId: pick(queueIds), at };
  if (roll < 0.28 && s.waiting.length > 0) return { type: 'caller_left', callId: pick(s.waiting).callId, at, reason: pick(['abandoned', 'timed_out', 'transferred'] as const) };
  if (roll < 0.45 && offered.length > 0) {
    const c = pick(offered);
    // now and then a report about an offer that is over: another agent, or a call since gone
    const agentId = r() < 0.15 ? pick(agentIds) : c.offer!.agentId;
    const callId = r() < 0.1 ? `c${Math.floor(r() * seq)}` : c.callId;
    return r() < 0.55 ? { type: 'offer_answered', callId, agentId, at } : { type: 'offer_failed', callId, agentId, at, reason: pick(['no_answer', 'rejected', 'unavailable'] as const) };
  }
  const calls = Object.entries(s.connected);
  if (roll < 0.58 && calls.length > 0) {
    const [callId, c] = pick(calls);
    return { type: 'call_finished', callId, agentId: c.agentId, at, talkMs: Math.floor(r() * 300_000) };
  }
  if (roll < 0.85) {
    const reason = pick<PauseReason>(['break', 'training', 'after_call_work', 'supervisor']);
    const events: AgentEvent[] = [
      { type: 'logged_in', at }, { type: 'logged_out', at }, { type: 'made_available', at }, { type: 'paused', reason, at },
      { type: 'held', at }, { type: 'unheld', at }, { type: 'muted', at }, { type: 'unmuted', at },
    ];
    const agentId = pick(agentIds);
    // mostly an action the agent may take now, so that the queue keeps moving
    const kind = s.agents[agentId]?.state.kind ?? 'offline';
    const legal: Record<string, AgentEvent['type'][]> = {
      offline: ['logged_in'], available: ['logged_out', 'paused'], paused: ['made_available', 'logged_out', 'paused'],
      wrap_up: ['made_available', 'paused', 'logged_out'], on_call: ['held', 'unheld', 'muted', 'unmuted'], ringing: [],
    };
    const fitting = events.filter((x) => legal[kind]!.includes(x.type));
    return { type: 'agent_event', agentId, event: r() < 0.7 && fitting.length > 0 ? pick(fitting) : pick(events) };
  }
  return { type: 'tick', at };
}

t.test('200 random events keep every offer single, every ringing agent matched and no caller waiting beside a free member', async (t) => {
  for (let seed = 1; seed <= 10; seed++) {
    const r = rng(seed);
    let s = emptyAcd();
    let at = 1_000_000;
    const seen = { offers: 0, answers: 0, refused: 0, timeOuts: 0 };
    const history: string[] = [];
    for (let i = 0; i < 200; i++) {
      at += [0, 0, 500, 3000, 20_000][Math.floor(r() * 5)]!;
      const e = randomEvent(r, s, at, i);
      history.push(JSON.stringify(e));
      try {
        const [next, fx] = acdStep(config, s, e);
        s = next;
        seen.offers += fx.filter((x) => x.do === 'offer').length;
        seen.answers += fx.filter((x) => x.do === 'connect').length;
        seen.timeOuts += fx.filter((x) => x.do === 'time_out').length;
      } catch (err) {
        // only an agent action the agent's state forbids may be refused (logout during a call…)
        if (e.type !== 'agent_event' || (err as { code?: string }).code !== 'CC_ERR_AGENT_INVALID_TRANSITION') {
          t.fail(`seed ${seed} step ${i}: unexpected ${String(err)}`, { history: history.slice(-10) });
          return;
        }
        seen.refused++;
      }
      const broken = violations(s);
      if (broken.length > 0) {
        t.fail(`seed ${seed} step ${i}: ${broken.join('; ')}`, { history: history.slice(-10) });
        return;
      }
    }
    t.ok(seen.offers > 10 && seen.answers > 5 && seen.refused > 0, `seed ${seed} exercised the queue: ${JSON.stringify(seen)}`);
  }
});

import type { AcdConfig, AcdState, QueueConfig, WaitingCaller } from './acd.js';

/*
 * Who is served first and by whom: the ordering rules of the queue, kept apart from the state
 * machine in acd.ts so that distribution and the wait estimate read the same order.
 */

export type AcdErrorCode = 'CC_ERR_ACD_UNKNOWN' | 'CC_ERR_ACD_INVALID_EVENT';

/**
 * CC_ERR_ACD_UNKNOWN: an event or query names a call, agent or queue the ACD does not know.
 * CC_ERR_ACD_INVALID_EVENT: a known call or agent, but an event the ACD does not take from
 * outside (a second join of the same call, an offer/answer/miss sent as an agent event).
 */
export class AcdError extends Error {
  override readonly name = 'AcdError';
  constructor(readonly code: AcdErrorCode, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
  }
}

export function queueOf(config: AcdConfig, queueId: string): QueueConfig {
  const q = config.queues.find((x) => x.id === queueId);
  if (q === undefined) throw new AcdError('CC_ERR_ACD_UNKNOWN', 'No such queue', { queueId });
  return q;
}

/** An agent is known once they are a member of some queue or have a state in the ACD. */
export function isKnownAgent(config: AcdConfig, s: AcdState, agentId: number): boolean {
  return s.agents[agentId] !== undefined || config.members.some((m) => m.agentId === agentId);
}

/**
 * Waiting callers in the order they are served: higher queue priority first, then earlier
 * arrival; equal arrival times keep the order of `waiting` (the order of the joins).
 */
export function serviceOrder(config: AcdConfig, waiting: WaitingCaller[]): WaitingCaller[] {
  const priority = (c: WaitingCaller): number => queueOf(config, c.queueId).priority;
  return [...waiting].sort((a, b) => priority(b) - priority(a) || a.joinedAt - b.joinedAt);
}

/**
 * The agent to offer `caller` to, or null: among the queue's members who are available, the
 * longest idle (earliest `since`), then the lower membership priority number, then the lower
 * agentId. Agents who already missed this caller come last: they are retried only when no
 * other member is available at this moment, so a caller is never stuck behind one silent phone
 * while another agent is free, and never left waiting while the only free agent is one who
 * missed them once.
 */
export function pickAgent(config: AcdConfig, s: AcdState, caller: WaitingCaller): number | null {
  if (caller.forAgent !== undefined) {
    return s.agents[caller.forAgent]?.state.kind === 'available' ? caller.forAgent : null;
  }
  const free: { agentId: number; since: number; priority: number }[] = [];
  for (const m of config.members) {
    if (m.queueId !== caller.queueId) continue;
    const state = s.agents[m.agentId]?.state;
    if (state?.kind === 'available') free.push({ agentId: m.agentId, since: state.since, priority: m.priority });
  }
  free.sort((a, b) => a.since - b.since || a.priority - b.priority || a.agentId - b.agentId);
  const fresh = free.find((a) => !caller.tried.includes(a.agentId));
  return (fresh ?? free[0])?.agentId ?? null;
}

/** Two queues share an agent: callers of one hold up callers of the other. */
export function shareMembers(config: AcdConfig, a: string, b: string): boolean {
  if (a === b) return true;
  const inA = new Set(config.members.filter((m) => m.queueId === a).map((m) => m.agentId));
  return config.members.some((m) => m.queueId === b && inA.has(m.agentId));
}

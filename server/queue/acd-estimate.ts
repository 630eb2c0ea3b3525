import type { AcdConfig, AcdState } from './acd.js';
import { AcdError, queueOf, serviceOrder, shareMembers } from './acd-select.js';

/*
 * What a waiting caller may be told. The server decides when to announce; these only say what.
 */

const ABLE: ReadonlySet<string> = new Set(['available', 'ringing', 'on_call', 'wrap_up']);

/**
 * The caller's place and a rough wait, at `at` (the same between events: see below).
 *
 * position: 1 + the callers served before this one by agents this caller could get, i.e.
 *   callers ahead in the service order (higher queue priority, then earlier arrival) who are in
 *   this queue or in a queue sharing at least one agent with it. Callers ahead who are already
 *   ringing an agent count too: they hold that agent. A lower-priority queue's callers never
 *   count, even if earlier, because shared agents serve this queue first.
 * agentsAble: members of this queue who are logged in and not paused (available, ringing,
 *   on call or in wrap-up): they will come to this queue sooner or later.
 * loggedIn: members of this queue on shift, paused or not (0: nobody to wait for at all).
 * estimateMs: null when no member is able (nobody to wait for); else
 *   ceil(position / agentsAble) × (average talk time of the queue's last 20 calls, or
 *   defaultHandleMs before any, + the queue's wrapUpMs), since an agent takes the next caller
 *   only after wrap-up. It does not subtract how long the current calls have run: call lengths
 *   are long-tailed, so a call past the average is not about to end, and a caller would hear
 *   the estimate shrink and then jump back. Agents shared with other queues make it optimistic.
 * Throws AcdError CC_ERR_ACD_UNKNOWN when the call is not waiting.
 */
export function waitEstimate(config: AcdConfig, s: AcdState, callId: string, _at: number): { position: number; agentsAble: number; loggedIn: number; estimateMs: number | null } {
  const order = serviceOrder(config, s.waiting);
  const index = order.findIndex((c) => c.callId === callId);
  const caller = order[index];
  if (caller === undefined) throw new AcdError('CC_ERR_ACD_UNKNOWN', 'No such waiting caller', { callId });
  const position = 1 + order.slice(0, index).filter((c) => shareMembers(config, caller.queueId, c.queueId)).length;
  const members = new Set(config.members.filter((m) => m.queueId === caller.queueId).map((m) => m.agentId));
  const agentsAble = [...members].filter((id) => ABLE.has(s.agents[id]?.state.kind ?? 'offline')).length;
  const loggedIn = [...members].filter((id) => (s.agents[id]?.state.kind ?? 'offline') !== 'offline').length;
  if (agentsAble === 0) return { position, agentsAble, loggedIn, estimateMs: null };
  const history = s.handleTimes[caller.queueId] ?? [];
  const talkMs = history.length > 0 ? history.reduce((a, b) => a + b, 0) / history.length : config.defaultHandleMs;
  const perCallerMs = talkMs + queueOf(config, caller.queueId).wrapUpMs;
  return { position, agentsAble, loggedIn, estimateMs: Math.round(Math.ceil(position / agentsAble) * perCallerMs) };
}

/**
 * False while the caller's call is offered to an agent (an announcement would talk over the
 * moment they are connected), and for a call that is not waiting (connected or gone).
 */
export function shouldAnnounce(s: AcdState, callId: string): boolean {
  const caller = s.waiting.find((c) => c.callId === callId);
  return caller !== undefined && caller.offer === null;
}

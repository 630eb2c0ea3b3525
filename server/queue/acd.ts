import { agentStep, type AgentEvent, type AgentState } from '../agents/state.js';
import { AcdError, isKnownAgent, pickAgent, queueOf, serviceOrder } from './acd-select.js';

export { AcdError, type AcdErrorCode } from './acd-select.js';
export { shouldAnnounce, waitEstimate } from './acd-estimate.js';

/*
 * Automatic call distribution, as a pure function: `acdStep(config, state, event)` returns the
 * next state and the effects the server carries out over ARI and the database. ARI has no
 * queue resource, so this is the whole queue. Times come in the events (fake clock in tests).
 *
 * After every event, distribution runs: each waiting caller without an offer, in service order
 * (acd-select.ts), is offered to the best available member of its queue. An offer turns the
 * agent `ringing` at once, so no agent gets two offers and no caller is offered twice.
 *
 * Events (anything else, or an unknown call/agent/queue, throws AcdError):
 *   caller_joined   the caller waits                                   [queue_event entered]
 *                   (`joinedAt` earlier than now: a callback's virtual entry keeping the caller's place)
 *   converted_to_callback  a waiting caller chose to be called back: the entry stays where it is,
 *                   under the callback attempt's id, marked `callback`; a ringing offer is cancelled
 *                   (the caller is leaving)                            [cancel_offer?, agent_changed?, queue_event callback]
 *   caller_left     a waiting caller leaves; if it rang, the agent is available again, not a miss
 *                                                                      [cancel_offer?, agent_changed?, queue_event]
 *   agent_event     login, logout, pause, ready, hold, mute (agents/state.ts rules; its errors pass through)
 *   offer_answered  agent on_call, caller connected                    [agent_changed, connect, queue_event answered]
 *   offer_failed    a miss: agent available, or paused 'missed' after N misses in a row; the caller
 *                   waits again, or times out if past the queue's maxWaitMs
 *   call_finished   agent to wrap-up (or available); the talk time feeds the wait estimate
 *   tick            wrap-ups that are over end; callers past maxWaitMs (and not ringing) time out
 * offer_answered / offer_failed for an offer that is no longer current change nothing: the
 * caller may hang up while the agent's phone rings, and the server's report of that phone (an
 * answer a moment too late, the failure caused by our own cancel) then races our cancel_offer.
 *
 * How long a phone rings is the server's timer (`ringMs` in the offer effect); it reports
 * offer_failed 'no_answer'. All failure reasons count as misses.
 */

export interface QueueConfig {
  id: string;
  /** higher first across queues */
  priority: number;
  /** how long an agent's phone rings before the next agent is tried */
  ringMs: number;
  /** a caller waiting this long (and not ringing an agent) times out */
  maxWaitMs: number;
  wrapUpMs: number;
  announceEveryMs: number;
  /** the first announcement to a caller who joined with operators on shift; absent: announceEveryMs (not the ACD's concern: the queue service announces) */
  firstAnnounceMs?: number;
  /** service level threshold, for statistics only */
  slThresholdMs: number;
}

/** priority 1 = tried first among members who have been idle equally long */
export interface Membership { agentId: number; queueId: string; priority: number }

export interface AcdConfig {
  queues: QueueConfig[];
  members: Membership[];
  /** N misses in a row pause the agent with reason 'missed'; 0 or less never pauses */
  autoPauseAfterMisses: number;
  /** the talk time assumed for a queue that has handled no call yet, e.g. 180000 */
  defaultHandleMs: number;
}

export interface WaitingCaller {
  callId: string;
  queueId: string;
  joinedAt: number;
  offer: { agentId: number; at: number } | null;
  /** agents that missed this caller */
  tried: number[];
  /** transferred to this agent: offered to nobody else */
  forAgent?: number;
  /**
   * a callback's virtual entry: nobody is on the line; an offer rings the agent, who then calls
   * the customer. It never times out (nobody waits on the line) and its queue events say
   * `callback: true`, so that queue_log does not count it as a caller.
   */
  callback?: true;
}

export interface AcdState {
  /** in order of arrival */
  waiting: WaitingCaller[];
  agents: Record<number, { state: AgentState; missesInARow: number }>;
  /** per queue, the last 20 talk times (ms) */
  handleTimes: Record<string, number[]>;
  /** calls an agent answered and has not finished, with the queue they came from */
  connected: Record<string, { queueId: string; agentId: number; since: number }>;
}

export type AcdEvent =
  /** `forAgent`: a caller transferred to one agent waits for that agent only */
  | { type: 'caller_joined'; callId: string; queueId: string; at: number; forAgent?: number; joinedAt?: number; callback?: true }
  /** `deferred`: a callback entry taken out until the center opens again */
  | { type: 'caller_left'; callId: string; at: number; reason: 'abandoned' | 'timed_out' | 'transferred' | 'deferred' }
  | { type: 'converted_to_callback'; callId: string; callbackCallId: string; at: number }
  /** from the agent or a supervisor; offers, answers, misses and call ends come from the ACD's own events */
  | { type: 'agent_event'; agentId: number; event: AgentEvent }
  | { type: 'offer_answered'; callId: string; agentId: number; at: number }
  | { type: 'offer_failed'; callId: string; agentId: number; at: number; reason: 'no_answer' | 'rejected' | 'unavailable' }
  | { type: 'call_finished'; callId: string; agentId: number; at: number; talkMs: number }
  /** an agent who is free places a call: reserved at once (on_call), so no caller is offered to them meanwhile */
  | { type: 'outbound_started'; callId: string; agentId: number; queueId: string; at: number }
  | { type: 'tick'; at: number };

export type AcdEffect =
  | { do: 'offer'; callId: string; agentId: number; ringMs: number }
  | { do: 'cancel_offer'; callId: string; agentId: number }
  | { do: 'connect'; callId: string; agentId: number }
  | { do: 'time_out'; callId: string }
  | { do: 'agent_changed'; agentId: number; state: AgentState; reason: string }
  | {
    do: 'queue_event';
    what: 'entered' | 'offered' | 'answered' | 'missed' | 'abandoned' | 'timed_out' | 'transferred' | 'deferred' | 'callback' | 'auto_paused';
    callId?: string; agentId?: number; queueId?: string; data?: Record<string, unknown>;
  };

const HANDLE_HISTORY = 20;

/** Agent events that only the ACD itself produces, from offers and call ends. */
const OWN_AGENT_EVENTS: ReadonlySet<AgentEvent['type']> = new Set(['offered', 'answered', 'missed', 'offer_cancelled', 'call_ended', 'wrap_up_elapsed']);

export function emptyAcd(): AcdState {
  return { waiting: [], agents: {}, handleTimes: {}, connected: {} };
}

/**
 * Advances the queue. Throws AcdError CC_ERR_ACD_UNKNOWN for an unknown call, agent or queue,
 * CC_ERR_ACD_INVALID_EVENT for a duplicate join or an ACD-own agent event sent from outside,
 * and AgentTransitionError for an agent event the agent's state does not allow. A throw leaves
 * the given state untouched.
 */
export function acdStep(config: AcdConfig, s: AcdState, e: AcdEvent): [AcdState, AcdEffect[]] {
  const d = structuredClone(s);
  const fx: AcdEffect[] = [];
  const at = e.type === 'agent_event' ? e.event.at : e.at;
  switch (e.type) {
    case 'caller_joined': {
      queueOf(config, e.queueId);
      if (d.waiting.some((c) => c.callId === e.callId) || d.connected[e.callId] !== undefined) {
        throw new AcdError('CC_ERR_ACD_INVALID_EVENT', 'The call is already in the queue', { callId: e.callId });
      }
      const joined: WaitingCaller = {
        callId: e.callId, queueId: e.queueId, joinedAt: Math.min(e.joinedAt ?? at, at), offer: null, tried: [],
        ...(e.forAgent !== undefined && { forAgent: e.forAgent }), ...(e.callback && { callback: true as const }),
      };
      d.waiting.push(joined);
      fx.push({ do: 'queue_event', what: 'entered', callId: e.callId, queueId: e.queueId, ...tagged(joined) });
      break;
    }
    case 'converted_to_callback': {
      const caller = waitingCaller(d, e.callId);
      if (caller.callback || d.waiting.some((c) => c.callId === e.callbackCallId) || d.connected[e.callbackCallId] !== undefined) {
        throw new AcdError('CC_ERR_ACD_INVALID_EVENT', 'Not a caller on the line, or the callback id is taken', { callId: e.callId });
      }
      if (caller.offer !== null) {
        fx.push({ do: 'cancel_offer', callId: caller.callId, agentId: caller.offer.agentId });
        moveAgent(d, caller.offer.agentId, { type: 'offer_cancelled', callId: caller.callId, at }, 'offer_cancelled', fx);
        caller.offer = null;
      }
      const position = serviceOrder(config, d.waiting.filter((c) => c.queueId === caller.queueId)).indexOf(caller) + 1;
      fx.push({ do: 'queue_event', what: 'callback', callId: caller.callId, queueId: caller.queueId, data: { key: '1', position, waitedMs: at - caller.joinedAt, callbackCallId: e.callbackCallId } });
      // Same object, same place in `waiting`, same joinedAt: the kept place.
      caller.callId = e.callbackCallId;
      caller.callback = true;
      delete caller.forAgent;
      break;
    }
    case 'caller_left': {
      const caller = waitingCaller(d, e.callId);
      if (caller.offer !== null) {
        fx.push({ do: 'cancel_offer', callId: caller.callId, agentId: caller.offer.agentId });
        moveAgent(d, caller.offer.agentId, { type: 'offer_cancelled', callId: caller.callId, at }, 'offer_cancelled', fx);
      }
      removeCaller(d, caller);
      fx.push({ do: 'queue_event', what: e.reason, callId: caller.callId, queueId: caller.queueId, data: { waitedMs: at - caller.joinedAt, ...tagged(caller).data } });
      break;
    }
    case 'agent_event': {
      if (!isKnownAgent(config, d, e.agentId)) throw new AcdError('CC_ERR_ACD_UNKNOWN', 'No such agent', { agentId: e.agentId });
      if (OWN_AGENT_EVENTS.has(e.event.type)) {
        throw new AcdError('CC_ERR_ACD_INVALID_EVENT', 'Offers and call ends are the ACD\'s own events', { agentId: e.agentId, event: e.event.type });
      }
      moveAgent(d, e.agentId, e.event, e.event.type, fx);
      break;
    }
    case 'offer_answered': {
      const caller = currentOffer(config, d, e.callId, e.agentId);
      if (caller === null) return [s, []];
      moveAgent(d, e.agentId, { type: 'answered', callId: e.callId, at }, 'answered', fx);
      record(d, e.agentId).missesInARow = 0;
      removeCaller(d, caller);
      d.connected[e.callId] = { queueId: caller.queueId, agentId: e.agentId, since: at };
      fx.push({ do: 'connect', callId: e.callId, agentId: e.agentId });
      fx.push({ do: 'queue_event', what: 'answered', callId: e.callId, agentId: e.agentId, queueId: caller.queueId, data: { waitedMs: at - caller.joinedAt, ...tagged(caller).data } });
      break;
    }
    case 'offer_failed': {
      const caller = currentOffer(config, d, e.callId, e.agentId);
      if (caller === null) return [s, []];
      const rec = record(d, e.agentId);
      rec.missesInARow += 1;
      const autoPause = config.autoPauseAfterMisses > 0 && rec.missesInARow >= config.autoPauseAfterMisses;
      fx.push({ do: 'queue_event', what: 'missed', callId: e.callId, agentId: e.agentId, queueId: caller.queueId, data: { reason: e.reason, ...tagged(caller).data } });
      moveAgent(d, e.agentId, { type: 'missed', callId: e.callId, at, autoPause }, autoPause ? 'auto_paused' : 'missed', fx);
      if (autoPause) {
        // Counted afresh after the pause, so one more miss on return does not pause them again.
        rec.missesInARow = 0;
        fx.push({ do: 'queue_event', what: 'auto_paused', agentId: e.agentId, data: { misses: config.autoPauseAfterMisses } });
      }
      caller.offer = null;
      if (!caller.tried.includes(e.agentId)) caller.tried.push(e.agentId);
      // Re-offering a caller already past the limit would only stretch their wait by another ring.
      if (!caller.callback && at - caller.joinedAt >= queueOf(config, caller.queueId).maxWaitMs) timeOut(d, caller, at, fx);
      break;
    }
    case 'call_finished': {
      const call = d.connected[e.callId];
      if (call === undefined || call.agentId !== e.agentId) {
        throw new AcdError('CC_ERR_ACD_UNKNOWN', 'No such connected call', { callId: e.callId, agentId: e.agentId });
      }
      const wrapUpMs = queueOf(config, call.queueId).wrapUpMs;
      moveAgent(d, e.agentId, { type: 'call_ended', callId: e.callId, at, wrapUpMs }, 'call_finished', fx);
      d.handleTimes[call.queueId] = [...(d.handleTimes[call.queueId] ?? []), e.talkMs].slice(-HANDLE_HISTORY);
      delete d.connected[e.callId];
      break;
    }
    case 'outbound_started': {
      queueOf(config, e.queueId);
      const rec = d.agents[e.agentId];
      if (rec === undefined || rec.state.kind !== 'available') {
        throw new AcdError('CC_ERR_ACD_INVALID_EVENT', 'Only a free agent can place a call', { agentId: e.agentId, state: rec?.state.kind ?? 'offline' });
      }
      moveAgent(d, e.agentId, { type: 'offered', callId: e.callId, at }, 'outbound_call', fx);
      moveAgent(d, e.agentId, { type: 'answered', callId: e.callId, at }, 'outbound_call', fx);
      d.connected[e.callId] = { queueId: e.queueId, agentId: e.agentId, since: at };
      break;
    }
    case 'tick': {
      for (const [id, rec] of Object.entries(d.agents)) {
        if (rec.state.kind === 'wrap_up' && rec.state.until <= at) moveAgent(d, Number(id), { type: 'wrap_up_elapsed', at }, 'wrap_up_elapsed', fx);
      }
      for (const caller of [...d.waiting]) {
        if (caller.offer === null && !caller.callback && at - caller.joinedAt >= queueOf(config, caller.queueId).maxWaitMs) timeOut(d, caller, at, fx);
      }
      break;
    }
  }
  distribute(config, d, at, fx);
  return [d, fx];
}

/** Offers every waiting caller who can be offered, in service order. */
function distribute(config: AcdConfig, d: AcdState, at: number, fx: AcdEffect[]): void {
  for (const caller of serviceOrder(config, d.waiting)) {
    if (caller.offer !== null) continue;
    const agentId = pickAgent(config, d, caller);
    if (agentId === null) continue;
    caller.offer = { agentId, at };
    fx.push({ do: 'offer', callId: caller.callId, agentId, ringMs: queueOf(config, caller.queueId).ringMs });
    moveAgent(d, agentId, { type: 'offered', callId: caller.callId, at }, 'offered', fx);
    fx.push({ do: 'queue_event', what: 'offered', callId: caller.callId, agentId, queueId: caller.queueId, data: { waitedMs: at - caller.joinedAt, attempt: caller.tried.length + 1, ...tagged(caller).data } });
  }
}

/** The data a callback entry's queue events carry, so that queue_log leaves them out. */
function tagged(c: WaitingCaller): { data?: { callback: true } } {
  return c.callback ? { data: { callback: true } } : {};
}

function record(d: AcdState, agentId: number): { state: AgentState; missesInARow: number } {
  return (d.agents[agentId] ??= { state: { kind: 'offline' }, missesInARow: 0 });
}

function moveAgent(d: AcdState, agentId: number, event: AgentEvent, reason: string, fx: AcdEffect[]): void {
  const rec = record(d, agentId);
  rec.state = agentStep(rec.state, event);
  fx.push({ do: 'agent_changed', agentId, state: rec.state, reason });
}

function waitingCaller(d: AcdState, callId: string): WaitingCaller {
  const caller = d.waiting.find((c) => c.callId === callId);
  if (caller === undefined) throw new AcdError('CC_ERR_ACD_UNKNOWN', 'No such waiting caller', { callId });
  return caller;
}

/** The caller whose current offer is to this agent; null when that offer is over (see above). */
function currentOffer(config: AcdConfig, d: AcdState, callId: string, agentId: number): WaitingCaller | null {
  if (!isKnownAgent(config, d, agentId)) throw new AcdError('CC_ERR_ACD_UNKNOWN', 'No such agent', { agentId });
  return d.waiting.find((c) => c.callId === callId && c.offer?.agentId === agentId) ?? null;
}

function removeCaller(d: AcdState, caller: WaitingCaller): void {
  d.waiting = d.waiting.filter((c) => c !== caller);
}

function timeOut(d: AcdState, caller: WaitingCaller, at: number, fx: AcdEffect[]): void {
  removeCaller(d, caller);
  fx.push({ do: 'time_out', callId: caller.callId });
  fx.push({ do: 'queue_event', what: 'timed_out', callId: caller.callId, queueId: caller.queueId, data: { waitedMs: at - caller.joinedAt } });
}

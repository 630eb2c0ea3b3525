/*
 * One agent's life, as a pure state machine: `agentStep(state, event)` returns the next state.
 * Times are plain numbers (ms since the epoch) carried by the events, so tests use a fake clock.
 * The queue (server/queue/acd.ts) drives offers, answers, misses and call ends; logins, pauses,
 * "ready", hold and mute come from the agent or a supervisor.
 *
 * Legal transitions (anything else throws AgentTransitionError):
 *   offline    --logged_in--------------> available            (logging in means ready to take calls)
 *   available  --logged_out-------------> offline
 *   paused     --logged_out-------------> offline
 *   wrap_up    --logged_out-------------> offline              (the notes are left unfinished)
 *   paused     --made_available---------> available
 *   wrap_up    --made_available---------> available            ("ready" before the wrap-up time is over)
 *   available  --paused-----------------> paused
 *   paused     --paused-----------------> paused               (a new reason, e.g. break → training; `since` restarts)
 *   wrap_up    --paused-----------------> wrap_up              (only `next` changes: the pause starts when wrap-up ends)
 *   available  --offered----------------> ringing
 *   ringing    --answered---------------> on_call              (not held, not muted)
 *   ringing    --missed-----------------> available | paused 'missed'   (`autoPause` decides)
 *   ringing    --offer_cancelled--------> available            (the caller left while it rang: not a miss)
 *   on_call    --held | unheld----------> on_call              (held only when not held, unheld only when held)
 *   on_call    --muted | unmuted--------> on_call              (likewise)
 *   on_call    --call_ended-------------> wrap_up | available   (wrapUpMs 0 or less: no wrap-up)
 *   wrap_up    --wrap_up_elapsed--------> available | paused `next`
 * Events naming a call (answered, missed, offer_cancelled, call_ended) must name the agent's
 * current call, or they throw too. Every `since` of a new state is the event's `at`; in
 * `available` it is when the agent became free, which the queue uses for longest-idle.
 */

export type PauseReason = 'break' | 'training' | 'after_call_work' | 'missed' | 'supervisor';

export type AgentState =
  | { kind: 'offline' }
  | { kind: 'available'; since: number }
  | { kind: 'ringing'; callId: string; since: number }
  | { kind: 'on_call'; callId: string; since: number; held: boolean; muted: boolean }
  /** after wrap-up the agent is available, unless they chose a pause meanwhile */
  | { kind: 'wrap_up'; callId: string; until: number; next: 'available' | PauseReason }
  | { kind: 'paused'; reason: PauseReason; since: number };

export type AgentEvent =
  | { type: 'logged_in'; at: number }
  | { type: 'logged_out'; at: number }
  | { type: 'made_available'; at: number }
  | { type: 'paused'; reason: PauseReason; at: number }
  | { type: 'offered'; callId: string; at: number }
  | { type: 'answered'; callId: string; at: number }
  | { type: 'missed'; callId: string; at: number; autoPause: boolean }
  | { type: 'offer_cancelled'; callId: string; at: number }
  | { type: 'held'; at: number }
  | { type: 'unheld'; at: number }
  | { type: 'muted'; at: number }
  | { type: 'unmuted'; at: number }
  | { type: 'call_ended'; callId: string; at: number; wrapUpMs: number }
  | { type: 'wrap_up_elapsed'; at: number };

export class AgentTransitionError extends Error {
  override readonly name = 'AgentTransitionError';
  readonly code = 'CC_ERR_AGENT_INVALID_TRANSITION';
  constructor(readonly state: AgentState['kind'], readonly event: AgentEvent['type']) {
    super(`agent event ${event} is not expected in state ${state}`);
  }
}

/**
 * Advances one agent. Throws AgentTransitionError (code CC_ERR_AGENT_INVALID_TRANSITION) for
 * an event not listed above for the state, and for a call event naming another call.
 */
export function agentStep(s: AgentState, e: AgentEvent): AgentState {
  switch (s.kind) {
    case 'offline':
      if (e.type === 'logged_in') return { kind: 'available', since: e.at };
      break;
    case 'available':
      if (e.type === 'logged_out') return { kind: 'offline' };
      if (e.type === 'paused') return { kind: 'paused', reason: e.reason, since: e.at };
      if (e.type === 'offered') return { kind: 'ringing', callId: e.callId, since: e.at };
      break;
    case 'ringing':
      if (!('callId' in e) || e.callId !== s.callId) break;
      if (e.type === 'answered') return { kind: 'on_call', callId: s.callId, since: e.at, held: false, muted: false };
      if (e.type === 'missed') return e.autoPause ? { kind: 'paused', reason: 'missed', since: e.at } : { kind: 'available', since: e.at };
      if (e.type === 'offer_cancelled') return { kind: 'available', since: e.at };
      break;
    case 'on_call':
      if (e.type === 'held' && !s.held) return { ...s, held: true };
      if (e.type === 'unheld' && s.held) return { ...s, held: false };
      if (e.type === 'muted' && !s.muted) return { ...s, muted: true };
      if (e.type === 'unmuted' && s.muted) return { ...s, muted: false };
      if (e.type === 'call_ended' && e.callId === s.callId) {
        return e.wrapUpMs > 0
          ? { kind: 'wrap_up', callId: s.callId, until: e.at + e.wrapUpMs, next: 'available' }
          : { kind: 'available', since: e.at };
      }
      break;
    case 'wrap_up':
      if (e.type === 'logged_out') return { kind: 'offline' };
      if (e.type === 'made_available') return { kind: 'available', since: e.at };
      if (e.type === 'paused') return { ...s, next: e.reason };
      // Whoever sends this decided the time is up (the queue does when `until <= at`).
      if (e.type === 'wrap_up_elapsed') return s.next === 'available' ? { kind: 'available', since: e.at } : { kind: 'paused', reason: s.next, since: e.at };
      break;
    case 'paused':
      if (e.type === 'logged_out') return { kind: 'offline' };
      if (e.type === 'made_available') return { kind: 'available', since: e.at };
      if (e.type === 'paused') return { kind: 'paused', reason: e.reason, since: e.at };
      break;
  }
  throw new AgentTransitionError(s.kind, e.type);
}

/** Only an available agent may be offered a call. */
export function canTakeCalls(s: AgentState): boolean {
  return s.kind === 'available';
}

/** Every state but offline, including paused and wrap-up. */
export function isLoggedIn(s: AgentState): boolean {
  return s.kind !== 'offline';
}

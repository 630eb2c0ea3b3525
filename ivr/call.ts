import type { PromptId } from '../prompts/catalog.js';

/*
 * The life of one inbound call, as a pure state machine: `step(state, event)` returns the next
 * state and the effects the server must carry out. No I/O here; the server feeds events that
 * Asterisk reports and the results of effects.
 *
 * Legal transitions (anything else throws InvalidTransitionError):
 *   arrived    --started-------------> answering   [answer]
 *   answering  --answered------------> greeting    [play greeting]
 *   greeting   --playback_finished---> hanging_up  [hang up]
 *   any live   --effect_failed-------> hanging_up  [hang up]   (an ARI error on this call)
 *   hanging_up --effect_failed-------> hanging_up  []          (the hang-up itself failed: the channel is gone)
 *   any live   --hung_up-------------> ended                   (the channel left: caller, we or Asterisk hung up)
 *   any live   --lost----------------> ended                   (the channel vanished while we could not see it)
 */

export type HangupCause = { code: number; text: string };

/** Who ended the channel: the caller's side, this server, or Asterisk itself (shutdown, restart). */
export type HangupParty = 'remote' | 'us' | 'asterisk';

export type CallOutcome = 'completed' | 'abandoned' | 'failed' | 'orphaned';

export type CallState =
  | { kind: 'arrived' }
  | { kind: 'answering' }
  | { kind: 'greeting'; playbackId: string }
  | { kind: 'hanging_up'; outcome: CallOutcome }
  | { kind: 'ended'; outcome: CallOutcome; cause: HangupCause };

export type CallEvent =
  | { type: 'started' }
  | { type: 'answered' }
  | { type: 'playback_finished'; playbackId: string }
  | { type: 'effect_failed'; effect: Effect['do']; error: string }
  | { type: 'hung_up'; by: HangupParty; cause: HangupCause }
  | { type: 'lost'; outcome: 'failed' | 'orphaned'; reason: string };

export type Effect =
  | { do: 'answer' }
  | { do: 'play'; prompt: PromptId; playbackId: string }
  | { do: 'hang_up' };

export class InvalidTransitionError extends Error {
  override readonly name = 'InvalidTransitionError';
  readonly code = 'CC_ERR_CALL_INVALID_TRANSITION';
  constructor(readonly state: CallState['kind'], readonly event: CallEvent['type']) {
    super(`event ${event} is not expected in state ${state}`);
  }
}

/** Playback ids are derived from the call id so that a restarted server can recognise them. */
export function playbackIdFor(callId: string, n: number): string {
  return `${callId}-p${n}`;
}

export interface CallContext { callId: string }

export function initialState(): CallState {
  return { kind: 'arrived' };
}

export function isLive(state: CallState): boolean {
  return state.kind !== 'ended';
}

/**
 * Advances a call. Events that may arrive in any live state (hang-up, loss, a failed effect)
 * are handled first; the rest are accepted only where listed above.
 */
export function step(ctx: CallContext, s: CallState, e: CallEvent): [CallState, Effect[]] {
  if (s.kind === 'ended') throw new InvalidTransitionError(s.kind, e.type);
  switch (e.type) {
    case 'hung_up':
      return [{ kind: 'ended', outcome: outcomeOnHangup(s, e.by), cause: e.cause }, []];
    case 'lost':
      return [{ kind: 'ended', outcome: e.outcome, cause: { code: 0, text: e.reason } }, []];
    case 'effect_failed':
      if (s.kind === 'hanging_up') return [s, []];
      return [{ kind: 'hanging_up', outcome: 'failed' }, [{ do: 'hang_up' }]];
    default:
      break;
  }
  switch (s.kind) {
    case 'arrived':
      if (e.type === 'started') return [{ kind: 'answering' }, [{ do: 'answer' }]];
      break;
    case 'answering':
      if (e.type === 'answered') {
        const playbackId = playbackIdFor(ctx.callId, 1);
        return [{ kind: 'greeting', playbackId }, [{ do: 'play', prompt: 'greeting', playbackId }]];
      }
      break;
    case 'greeting':
      if (e.type === 'playback_finished' && e.playbackId === s.playbackId) {
        return [{ kind: 'hanging_up', outcome: 'completed' }, [{ do: 'hang_up' }]];
      }
      break;
    case 'hanging_up':
      // A playback may still report its end after we decided to hang up.
      if (e.type === 'playback_finished') return [s, []];
      break;
  }
  throw new InvalidTransitionError(s.kind, e.type);
}

/**
 * Asterisk stopping under a call is a failure whatever the call was doing; otherwise a hang-up
 * we asked for ends the call with the outcome we chose, and any other is the caller leaving early.
 */
function outcomeOnHangup(s: Exclude<CallState, { kind: 'ended' }>, by: HangupParty): CallOutcome {
  if (by === 'asterisk') return 'failed';
  return s.kind === 'hanging_up' ? s.outcome : 'abandoned';
}

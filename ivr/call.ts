import type { Menu } from './menu.js';
import type { Language } from './speech.js';
import type { AccountRef, DataRequest, DataResponse } from './flows.js';
import type { Speech } from './speech.js';
import { announceThenHangUp, dialogStep, enterGreeting, enterMenu, type Dialog } from './dialog.js';
import { say } from './speech.js';

/*
 * The life of one inbound call, as a pure state machine: `step(ctx, state, event)` returns the
 * next state and the effects the server must carry out. No I/O here; the server feeds what
 * Asterisk reports, timer expiries and the answers to data requests.
 *
 * Legal transitions (anything else throws InvalidTransitionError):
 *   arrived    --started-------------> answering   [answer]
 *   answering  --dtmf----------------> answering   []          (a key before the answer is confirmed: kept)
 *   answering  --answered------------> ivr         [play greeting]      (ivr/dialog.ts: menus and flows; kept keys barge in)
 *   ivr        --dtmf | playback_finished | timer_fired | data --> ivr | hanging_up
 *   any live   --effect_failed-------> hanging_up  [hang up]   (an ARI or data error on this call)
 *   ivr        --(operator chosen)---> queued      [enqueue, play queue_entered]
 *   queued     --playback_finished---> queued      [hold_music on]     (into the queue's holding bridge)
 *   queued     --queue_status--------> queued      [hold_music off, play position and estimate]
 *   queued     --agent_connected-----> with_agent  [stop_playback?]
 *   queued     --wait_expired--------> ivr         [hold_music off, play queue_timeout]  (then hangs up)
 *   queued     --dtmf | agent_left --> queued      []   (keys in the queue do nothing yet)
 *
 * A caller hears music only while nothing is said to them: Asterisk plays a file to a bridged
 * channel on the bridge's thread, where it cannot be cut short when the agent answers, so every
 * announcement is played outside the holding bridge.
 *   with_agent --agent_left----------> hanging_up  [hang up]  (the agent hung up first)
 *   with_agent --transferred(queue)--> queued      [enqueue, play queue_entered]   (blind transfer by the agent)
 *   with_agent --transferred(ivr)----> ivr         [play the main menu]
 *   with_agent --dtmf | playback_finished --> with_agent []
 *   hanging_up --effect_failed-------> hanging_up  []          (the hang-up itself failed: the channel is gone)
 *   hanging_up --playback_finished | timer_fired | dtmf | data --> hanging_up []   (late reports of what we stopped)
 *   any live   --hung_up-------------> ended                   (the channel left: caller, we or Asterisk hung up)
 *   any live   --lost----------------> ended                   (the channel vanished while we could not see it)
 */

export type HangupCause = { code: number; text: string };

/** Who ended the channel: the caller's side, this server, or Asterisk itself (shutdown, restart). */
export type HangupParty = 'remote' | 'us' | 'asterisk';

export type CallOutcome = 'completed' | 'abandoned' | 'failed' | 'orphaned' | 'timed_out';

export type CallState =
  | { kind: 'arrived' }
  | { kind: 'answering'; keys: string }
  | ({ kind: 'ivr' } & Dialog)
  | { kind: 'queued'; lang: Language; queue: string; seq: number; playbackId: string | null }
  | { kind: 'with_agent'; lang: Language; queue: string; agentId: number; seq: number }
  | { kind: 'hanging_up'; outcome: CallOutcome }
  | { kind: 'ended'; outcome: CallOutcome; cause: HangupCause };

export type CallEvent =
  | { type: 'started' }
  | { type: 'answered' }
  | { type: 'playback_finished'; playbackId: string }
  | { type: 'dtmf'; digit: string }
  | { type: 'timer_fired'; timerId: string }
  | { type: 'data'; requestId: string; response: DataResponse }
  | { type: 'queue_status'; position: number; estimateMs: number | null }
  | { type: 'agent_connected'; agentId: number }
  | { type: 'wait_expired' }
  | { type: 'agent_left' }
  | { type: 'transferred'; to: { queue: string } | { agent: number } | 'ivr' }
  | { type: 'effect_failed'; effect: Effect['do']; error: string }
  | { type: 'hung_up'; by: HangupParty; cause: HangupCause }
  | { type: 'lost'; outcome: 'failed' | 'orphaned'; reason: string };

export type Effect =
  | { do: 'answer' }
  | { do: 'play'; playbackId: string; speech: Speech[]; language: Language }
  | { do: 'stop_playback'; playbackId: string }
  | { do: 'start_timer'; timerId: string; ms: number }
  | { do: 'cancel_timer'; timerId: string }
  | { do: 'request'; requestId: string; request: DataRequest }
  | { do: 'hang_up' }
  /** hand the caller to an operator queue (music on hold until an agent answers), or to one agent of it */
  | { do: 'enqueue'; queue: string; agent?: number }
  /** the waiting caller into (on) or out of (off) the queue's holding bridge with its music */
  | { do: 'hold_music'; on: boolean }
  /** a step worth keeping in the call's history, in the caller's terms */
  | { do: 'note'; what: string; data: Record<string, unknown> };

export interface CallContext {
  callId: string;
  /** the menus this call runs on, fixed when it arrived (a reload does not change a call in progress) */
  menus: Readonly<Record<Language, Menu>>;
  /** the account the caller's number identified, when exactly one */
  identified: AccountRef | null;
}

export class InvalidTransitionError extends Error {
  override readonly name = 'InvalidTransitionError';
  readonly code = 'CC_ERR_CALL_INVALID_TRANSITION';
  constructor(readonly state: CallState['kind'], readonly event: CallEvent['type']) {
    super(`event ${event} is not expected in state ${state}`);
  }
}

export function initialState(): CallState {
  return { kind: 'arrived' };
}

/**
 * Advances a call. Events that may arrive in any live state (hang-up, loss, a failed effect)
 * are handled first; the rest only where listed above.
 */
export function step(ctx: CallContext, s: CallState, e: CallEvent): [CallState, Effect[]] {
  if (s.kind === 'ended') throw new InvalidTransitionError(s.kind, e.type);
  switch (e.type) {
    case 'hung_up':
      return [{ kind: 'ended', outcome: outcomeOnHangup(s, e.by), cause: e.cause }, cleanup(s)];
    case 'lost':
      return [{ kind: 'ended', outcome: e.outcome, cause: { code: 0, text: e.reason } }, cleanup(s)];
    case 'effect_failed':
      if (s.kind === 'hanging_up') return [s, []];
      return [{ kind: 'hanging_up', outcome: 'failed' }, [...cleanup(s), { do: 'hang_up' }]];
    default:
      break;
  }
  switch (s.kind) {
    case 'arrived':
      if (e.type === 'started') return [{ kind: 'answering', keys: '' }, [{ do: 'answer' }]];
      break;
    case 'answering':
      if (e.type === 'answered') return enterGreeting(ctx, s.keys);
      // The caller hears the answer a moment before we learn it succeeded; their first key may come first.
      if (e.type === 'dtmf') return [{ ...s, keys: (s.keys + e.digit).slice(0, 32) }, []];
      break;
    case 'ivr':
      if (e.type === 'started' || e.type === 'answered') break;
      return dialogStep(ctx, s, e);
    case 'queued':
      return queuedStep(ctx, s, e);
    case 'with_agent':
      if (e.type === 'agent_left') return [{ kind: 'hanging_up', outcome: 'completed' }, [{ do: 'hang_up' }]];
      if (e.type === 'transferred') {
        const note: Effect = { do: 'note', what: 'transferred', data: { from: s.agentId, to: e.to } };
        if (e.to === 'ivr') {
          const [next, fx] = enterMenu(ctx, s);
          return [next, [note, ...fx]];
        }
        const seq = s.seq + 1;
        const playbackId = `${ctx.callId}-p${seq}`;
        const queue = 'queue' in e.to ? e.to.queue : s.queue;
        const enqueue: Effect = 'agent' in e.to ? { do: 'enqueue', queue, agent: e.to.agent } : { do: 'enqueue', queue };
        return [{ kind: 'queued', lang: s.lang, queue, seq, playbackId }, [
          note, enqueue, { do: 'play', playbackId, speech: [say('queue_entered')], language: s.lang },
        ]];
      }
      if (e.type === 'dtmf' || e.type === 'playback_finished') return [s, []];
      break;
    case 'hanging_up':
      // Reports of playbacks, timers, keys and lookups we no longer care about.
      if (['playback_finished', 'timer_fired', 'dtmf', 'data', 'queue_status', 'wait_expired', 'agent_left', 'transferred'].includes(e.type)) return [s, []];
      break;
  }
  throw new InvalidTransitionError(s.kind, e.type);
}

/**
 * Asterisk stopping under a call is a failure whatever the call was doing. A hang-up we asked
 * for ends the call with the outcome we chose. A caller who leaves the IVR after being served
 * (heard a balance, sent a reading) completed the call; one who leaves before abandoned it.
 */
function outcomeOnHangup(s: Exclude<CallState, { kind: 'ended' }>, by: HangupParty): CallOutcome {
  if (by === 'asterisk') return 'failed';
  if (s.kind === 'hanging_up') return s.outcome;
  // Talking to an operator, either side may end the call: it ran its course. A caller who
  // leaves the queue abandoned it, whatever they did in the menu before.
  if (s.kind === 'with_agent') return 'completed';
  // Leaving during a farewell (e.g. the time-out message) ends the call as the farewell would have.
  if (s.kind === 'ivr' && s.place.at === 'announce' && 'hangup' in s.place.then) return s.place.then.outcome ?? 'completed';
  if (s.kind === 'ivr' && s.served) return 'completed';
  return 'abandoned';
}

/** Timers of a call that ends must not outlive it. */
function cleanup(s: Exclude<CallState, { kind: 'ended' }>): Effect[] {
  return s.kind === 'ivr' && s.phase.kind === 'listening' ? [{ do: 'cancel_timer', timerId: s.phase.timerId }] : [];
}

/** A caller waiting for an operator: announcements, the agent's answer, or the end of the wait. */
function queuedStep(ctx: CallContext, s: Extract<CallState, { kind: 'queued' }>, e: CallEvent): [CallState, Effect[]] {
  switch (e.type) {
    case 'queue_status': {
      const seq = s.seq + 1;
      const playbackId = `${ctx.callId}-p${seq}`;
      const speech: Speech[] = [
        e.position <= 1 ? say('queue_next') : say('queue_position', { position: { kind: 'ordinal', n: e.position } }),
        e.estimateMs === null ? say('queue_no_agents') : say('queue_estimate', { minutes: { kind: 'minutes', n: Math.max(1, Math.round(e.estimateMs / 60_000)) } }),
      ];
      const fx: Effect[] = s.playbackId === null ? [{ do: 'hold_music', on: false }] : [{ do: 'stop_playback', playbackId: s.playbackId }];
      return [{ ...s, seq, playbackId }, [...fx, { do: 'play', playbackId, speech, language: s.lang }]];
    }
    case 'playback_finished':
      if (s.playbackId !== e.playbackId) return [s, []];
      return [{ ...s, playbackId: null }, [{ do: 'hold_music', on: true }]];
    case 'agent_connected': {
      // Never talk over the operator: an announcement still playing stops now.
      const fx: Effect[] = s.playbackId === null ? [] : [{ do: 'stop_playback', playbackId: s.playbackId }];
      return [{ kind: 'with_agent', lang: s.lang, queue: s.queue, agentId: e.agentId, seq: s.seq }, [...fx, { do: 'note', what: 'agent_connected', data: { agentId: e.agentId, queue: s.queue } }]];
    }
    case 'wait_expired': {
      const [next, fx] = announceThenHangUp(ctx, s, [say('queue_timeout')], 'timed_out');
      const leave: Effect[] = s.playbackId === null ? [{ do: 'hold_music', on: false }] : [{ do: 'stop_playback', playbackId: s.playbackId }];
      return [next, [...leave, ...fx]];
    }
    case 'dtmf':
      return [s, []];
    case 'agent_left':
      // An agent who hung up before the caller was told of them: the queue service deals with it.
      return [s, []];
    default:
      throw new InvalidTransitionError(s.kind, e.type);
  }
}

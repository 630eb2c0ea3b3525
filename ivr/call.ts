import type { Menu } from './menu.js';
import type { Language } from './speech.js';
import type { AccountRef, DataRequest, DataResponse } from './flows.js';
import type { Speech } from './speech.js';
import { dialogStep, enterGreeting, enterMenu, enterQueue, type Dialog } from './dialog.js';
import { startSurvey, surveyStep, type Survey } from './survey.js';
import { callbackStep, type CallbackDialog, type QueueCallback } from './callback-dialog.js';
import { InvalidTransitionError } from './transition-error.js';
import { queuedStep, stopOffer } from './waiting.js';
import type { CallbackOfferSettings } from './callback-offer.js';
import type { Calendar } from './working-hours.js';

/*
 * The life of one inbound call, as a pure state machine: `step(ctx, state, event)` returns the
 * next state and the effects the server must carry out. No I/O here; the server feeds what
 * Asterisk reports, timer expiries and the answers to data requests.
 *
 * Legal transitions (anything else throws InvalidTransitionError):
 *   arrived    --started-------------> answering   [answer]
 *   answering  --dtmf----------------> answering   []          (a key before the answer is confirmed: kept)
 *   answering  --answered------------> ivr         [play greeting]      (ivr/dialog.ts: menus and flows; kept keys barge in)
 *   answering  --answered------------> queued | after_hours  [enqueue]  (ctx.entry is a queue: the number dialled goes straight to it)
 *   ivr        --dtmf | playback_finished | timer_fired | data --> ivr | hanging_up
 *   any live   --effect_failed-------> hanging_up  [hang up]   (an ARI or data error on this call)
 *   ivr        --(operator chosen)---> queued      [enqueue]   (then queue_joined: the first words, ivr/waiting.ts)
 *   queued     --queue_joined | queue_status | playback_finished | timer_fired | dtmf | data
 *                                  | agent_connected | wait_expired | agent_left --> queued | with_agent | ivr | hanging_up
 *                                    (ivr/waiting.ts lists them: announcements, music, the callback offer)
 *   ivr        --(operator chosen, center closed)--> after_hours  [play center_closed, center_opens, offer]   (ctx.hours set)
 *   after_hours --dtmf | playback_finished | timer_fired | data --> after_hours | ivr (main menu) | hanging_up
 *
 *   with_agent --agent_left----------> survey      [play survey_question]   (the agent hung up first; ivr/survey.ts)
 *   with_agent --agent_left----------> hanging_up  [hang up]  (the same, with the survey off: ctx.survey false)
 *   survey     --dtmf | playback_finished | timer_fired | data --> survey | hanging_up   (ivr/survey.ts lists them)
 *   survey     --effect_failed-------> hanging_up  [hang up]  (outcome completed: the call was served)
 *   with_agent --transferred(queue)--> queued      [enqueue]   (blind transfer by the agent)
 *   with_agent --transferred(ivr)----> ivr         [play the main menu]
 *   with_agent --dtmf | playback_finished --> with_agent []
 *   with_agent --timer_fired | data --> with_agent []   (late reports of a callback offer the agent's answer cut short)
 *   hanging_up --effect_failed-------> hanging_up  []          (the hang-up itself failed: the channel is gone)
 *   hanging_up --playback_finished | timer_fired | dtmf | data --> hanging_up []   (late reports of what we stopped)
 *   any live   --hung_up-------------> ended                   (the channel left: caller, we or Asterisk hung up)
 *   any live   --lost----------------> ended                   (the channel vanished while we could not see it)
 */

export type HangupCause = { code: number; text: string };

/** Where a call starts: the voice menu in a language, or straight in an operator queue (the entry of the number dialled). */
export type CallEntry = { kind: 'ivr'; language: Language } | { kind: 'queue'; queue: string };

/** Who ended the channel: the caller's side, this server, or Asterisk itself (shutdown, restart). */
export type HangupParty = 'remote' | 'us' | 'asterisk';

export type CallOutcome = 'completed' | 'abandoned' | 'failed' | 'orphaned' | 'timed_out';

export type CallState =
  | { kind: 'arrived' }
  | { kind: 'answering'; keys: string }
  | ({ kind: 'ivr' } & Dialog)
  /**
   * `joined`: the queue has said who is on shift (nothing is said before); `reason`: why the
   * caller came, when they are to be told (the menu did not understand them); `pending`: an
   * announcement waiting for the end of what plays; `callback`: where the caller is with the
   * callback offer, absent when offers are off
   */
  | { kind: 'queued'; lang: Language; queue: string; seq: number; playbackId: string | null; joined: boolean; reason?: 'misunderstood'; pending?: QueueStatus; callback?: QueueCallback }
  | { kind: 'with_agent'; lang: Language; queue: string; agentId: number; seq: number }
  | ({ kind: 'survey' } & Survey)
  /** the operator was chosen while the center is closed: when it opens, and a callback then */
  | { kind: 'after_hours'; dialog: CallbackDialog }
  | { kind: 'hanging_up'; outcome: CallOutcome }
  | { kind: 'ended'; outcome: CallOutcome; cause: HangupCause };

export type CallEvent =
  | { type: 'started' }
  | { type: 'answered' }
  | { type: 'playback_finished'; playbackId: string }
  | { type: 'dtmf'; digit: string }
  | { type: 'timer_fired'; timerId: string }
  | { type: 'data'; requestId: string; response: DataResponse }
  /** the caller is in line: where, and who is on shift (the answer to `enqueue`) */
  | ({ type: 'queue_joined' } & QueueStatus)
  /** time for an announcement of the caller's place */
  | ({ type: 'queue_status' } & QueueStatus)
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

/**
 * What the queue says of a waiting caller: `position` 1 for the next; `estimateMs` null when no
 * operator able to take the call is free or busy (all paused); `loggedIn` the queue's operators
 * on shift, paused or not (0: nobody to wait for).
 */
export interface QueueStatus { position: number; estimateMs: number | null; loggedIn: number }

export interface CallContext {
  callId: string;
  /** the menus this call runs on, fixed when it arrived (a reload does not change a call in progress) */
  menus: Readonly<Record<Language, Menu>>;
  /** the account the caller's number identified, when exactly one */
  identified: AccountRef | null;
  /** the caller's town when their number identifies it (their accounts are all in it): the nearest office is read first */
  town?: string | null;
  /** false: no post-call survey (SURVEY=off), the caller is hung up when the agent leaves; absent: asked */
  survey?: boolean;
  /** the server's clock (ms since the epoch): how long a caller has waited, whether the center is open */
  now?: () => number;
  /** the working hours in force when the call arrived; absent (or no clock): always open */
  hours?: Calendar;
  /** when a waiting caller is offered a callback; absent (or no clock): never */
  callbackOffer?: CallbackOfferSettings;
  /** the caller's number when it is a Russian one, read back for a callback; null or absent: withheld or foreign */
  callerE164?: string | null;
  /** where the call starts (the carrier trunk's entry for the number dialled); absent: the Russian IVR */
  entry?: CallEntry;
}

export { InvalidTransitionError };

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
      return [{ kind: 'hanging_up', outcome: s.kind === 'survey' ? 'completed' : 'failed' }, [...cleanup(s), { do: 'hang_up' }]];
    default:
      break;
  }
  switch (s.kind) {
    case 'arrived':
      if (e.type === 'started') return [{ kind: 'answering', keys: '' }, [{ do: 'answer' }]];
      break;
    case 'answering':
      if (e.type === 'answered') {
        // Keys pressed before the answer mean nothing to a queue: only a menu uses them.
        if (ctx.entry?.kind === 'queue') return enterQueue(ctx, ctx.entry.queue);
        return enterGreeting(ctx, s.keys, ctx.entry?.language ?? 'ru');
      }
      // The caller hears the answer a moment before we learn it succeeded; their first key may come first.
      if (e.type === 'dtmf') return [{ ...s, keys: (s.keys + e.digit).slice(0, 32) }, []];
      break;
    case 'ivr':
      if (e.type === 'started' || e.type === 'answered') break;
      return dialogStep(ctx, s, e);
    case 'queued':
      return queuedStep(ctx, s, e);
    case 'with_agent':
      if (e.type === 'agent_left') {
        if (ctx.survey === false) return [{ kind: 'hanging_up', outcome: 'completed' }, [{ do: 'hang_up' }]];
        return startSurvey(ctx, s);
      }
      if (e.type === 'transferred') {
        const note: Effect = { do: 'note', what: 'transferred', data: { from: s.agentId, to: e.to } };
        if (e.to === 'ivr') {
          const [next, fx] = enterMenu(ctx, s);
          return [next, [note, ...fx]];
        }
        const queue = 'queue' in e.to ? e.to.queue : s.queue;
        const enqueue: Effect = 'agent' in e.to ? { do: 'enqueue', queue, agent: e.to.agent } : { do: 'enqueue', queue };
        return [{ kind: 'queued', lang: s.lang, queue, seq: s.seq, playbackId: null, joined: false }, [note, enqueue]];
      }
      if (e.type === 'dtmf' || e.type === 'playback_finished' || e.type === 'timer_fired' || e.type === 'data') return [s, []];
      break;
    case 'survey':
      if (['dtmf', 'playback_finished', 'timer_fired', 'data'].includes(e.type)) return surveyStep(ctx, s, e);
      break;
    case 'after_hours':
      if (['dtmf', 'playback_finished', 'timer_fired', 'data'].includes(e.type)) return afterHoursStep(ctx, s, e);
      break;
    case 'hanging_up':
      // Reports of playbacks, timers, keys and lookups we no longer care about.
      if (['playback_finished', 'timer_fired', 'dtmf', 'data', 'queue_joined', 'queue_status', 'wait_expired', 'agent_left', 'transferred'].includes(e.type)) return [s, []];
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
  // Talking to an operator (or rating them after), either side may end the call: it ran its course. A caller who
  // leaves the queue abandoned it, whatever they did in the menu before.
  if (s.kind === 'with_agent' || s.kind === 'survey') return 'completed';
  // Leaving during a farewell (e.g. the time-out message) ends the call as the farewell would have.
  if (s.kind === 'ivr' && s.place.at === 'announce' && 'hangup' in s.place.then) return s.place.then.outcome ?? 'completed';
  if (s.kind === 'ivr' && s.served) return 'completed';
  // During the callback's last words the call ends as they would have ended it.
  const callback = s.kind === 'after_hours' ? s.dialog : s.kind === 'queued' && s.callback?.at === 'dialog' ? s.callback.dialog : undefined;
  if (callback?.step.step === 'farewell') return callback.step.outcome;
  // Nobody was waiting for this caller: an out-of-hours call is not an abandoned one (it would skew the abandon rate).
  if (s.kind === 'after_hours') return 'completed';
  return 'abandoned';
}

/** Timers of a call that ends must not outlive it. */
function cleanup(s: Exclude<CallState, { kind: 'ended' }>): Effect[] {
  if (s.kind === 'survey' && s.phase.kind === 'listening') return [{ do: 'cancel_timer', timerId: s.phase.timerId }];
  if (s.kind === 'queued') return stopOffer(s);
  if (s.kind === 'after_hours') return s.dialog.phase.kind === 'listening' ? [{ do: 'cancel_timer', timerId: s.dialog.phase.timerId }] : [];
  return s.kind === 'ivr' && s.phase.kind === 'listening' ? [{ do: 'cancel_timer', timerId: s.phase.timerId }] : [];
}

/** Out of hours: the dialog, then the main menu (the caller declined with a key) or the hang-up. */
function afterHoursStep(ctx: CallContext, s: Extract<CallState, { kind: 'after_hours' }>, e: CallEvent): [CallState, Effect[]] {
  const r = callbackStep(ctx, s.dialog, e);
  switch (r.to) {
    case 'dialog':
      return [{ ...s, dialog: r.dialog }, r.fx];
    case 'back': {
      const [next, fx] = enterMenu(ctx, { lang: s.dialog.lang, seq: r.seq });
      return [next, [...r.fx, ...fx]];
    }
    case 'hang_up':
      return [{ kind: 'hanging_up', outcome: r.outcome }, [...r.fx, { do: 'hang_up' }]];
  }
}

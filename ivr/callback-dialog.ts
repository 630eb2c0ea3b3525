import type { CallContext, CallEvent, CallOutcome, CallState, Effect } from './call.js';
import { shouldOfferCallback } from './callback-offer.js';
import type { DataResponse } from './flows.js';
import { normalizePhone } from './phone-number.js';
import { say, type Language, type Speakable, type Speech } from './speech.js';
import { isOpen, localDayTime, nextOpening } from './working-hours.js';

/*
 * The caller's side of a callback (issue 6): a small dialog the call machine (ivr/call.ts) runs
 * for a waiting caller, whose place in line becomes the callback (mode keep_place), and for a
 * caller who chose the operator while the center is closed (mode later: a callback when it
 * opens). It reads back the number the caller called from, takes another one by keypad,
 * refuses a number that is not Russian, and asks the server to book the callback.
 *
 * Transitions (step --event--> step [effects]); a key stops the prompt playing (barge-in):
 *   offer    --1---------------------> confirm(caller's number)   [read back]; enter when the number is withheld or foreign
 *   offer    --another key-----------> (back)    keep_place: to the music; later: to the main menu
 *   offer    --prompt ends-----------> (back)    keep_place: to the music at once, the offer open (acceptOffer takes a later 1)
 *   offer    --silence---------------> farewell [goodbye]   later (the caller is not in a queue: nothing to go back to)
 *   confirm  --1---------------------> booking   [request callback_convert | callback_later]
 *   confirm  --2---------------------> enter     [callback_enter_number]
 *   enter    --digits then # (or silence after digits)--> confirm(number) when normalizePhone accepts it
 *   enter    --the same, not a Russian number----------> enter [callback_number_invalid, the prompt again]
 *   enter    --*---------------------> enter     [the prompt again, the digits cleared]
 *   confirm | enter --another key, silence, # with nothing--> the same step [a hint, the prompt again]
 *   any of them, the 3rd miss --------> (back) | farewell [goodbye]   as a silence at the offer
 *   booking  --data callback_booked--> farewell  [thanks and when]   (outcome completed)
 *   booking  --data failed-----------> keep_place: notice [callback_failed], then (back); later: farewell [service_unavailable, goodbye] (outcome failed)
 *   notice   --playback_finished-----> (back)
 *   farewell --playback_finished-----> (hang up)
 *   booking | notice | farewell --dtmf--> unchanged   (the answer is given)
 *   any      --a stale playback_finished | timer_fired | data--> unchanged
 * The host deals with everything else: a hang-up, an agent answering a waiting caller (the
 * dialog is dropped, abandonCallbackDialog), the end of the queue's wait.
 */

/** Wrong keys, silences and unrecognised numbers before the dialog gives up. */
export const CALLBACK_MAX_MISSES = 3;
/** Longest number a caller may type: 8 and ten digits, or 007 and ten. */
const MAX_NUMBER_DIGITS = 13;

export type CallbackMode =
  | { kind: 'keep_place' }
  /** `opensAt`: the next opening (ISO), said in the offer and in the thanks */
  | { kind: 'later'; queue: string; opensAt: string };

export type CallbackStep =
  | { step: 'offer' }
  | { step: 'confirm'; number: string }
  | { step: 'enter' }
  | { step: 'booking'; number: string }
  | { step: 'notice' }
  | { step: 'farewell'; outcome: CallOutcome };

export type CallbackPhase =
  | { kind: 'playing'; playbackId: string }
  | { kind: 'listening'; timerId: string }
  | { kind: 'waiting'; requestId: string };

export interface CallbackDialog {
  mode: CallbackMode;
  lang: Language;
  /** source of playback, timer and request ids, carried on from the call */
  seq: number;
  step: CallbackStep;
  phase: CallbackPhase;
  /** digits typed so far at `enter` */
  input: string;
  misses: number;
}

/** Where a dialog leaves the caller: still in it, back where they were, or hung up after a farewell. */
export type CallbackResult =
  | { to: 'dialog'; dialog: CallbackDialog; fx: Effect[] }
  | { to: 'back'; seq: number; fx: Effect[] }
  | { to: 'hang_up'; outcome: CallOutcome; fx: Effect[] };

/** A waiting caller and the offer (the `callback` of a queued call; absent when offers are off). */
export type QueueCallback =
  /** not offered yet; `timerId` wakes the call when the wait rule comes due */
  | { at: 'not_yet'; since: number; timerId: string | null }
  /** due while an announcement plays: offered when it ends */
  | { at: 'due' }
  | { at: 'dialog'; dialog: CallbackDialog }
  /**
   * offered: the caller is back in the music and a 1 still books the callback (acceptOffer);
   * `timerId` says the offer again (CALLBACK_OFFER_REPEAT_S), null: never again in this stay
   */
  | { at: 'open'; timerId: string | null }
  /** no more offers in this stay (the booking failed once: asking again would fail again) */
  | { at: 'done' };

/** The offer's state when a caller joins a queue, with the timer of the wait rule. */
export function queueStayStart(ctx: CallContext, seq: number): { callback?: QueueCallback; seq: number; fx: Effect[] } {
  const settings = ctx.callbackOffer;
  if (settings === undefined || ctx.now === undefined) return { seq, fx: [] };
  if (settings.afterWaitMs <= 0) return { callback: { at: 'not_yet', since: ctx.now(), timerId: null }, seq, fx: [] };
  const timerId = `${ctx.callId}-w${seq + 1}`;
  return { callback: { at: 'not_yet', since: ctx.now(), timerId }, seq: seq + 1, fx: [{ do: 'start_timer', timerId, ms: settings.afterWaitMs }] };
}

/** Whether a waiting caller is to hear the offer now, given the estimate just announced (if any). */
export function offerDue(ctx: CallContext, cb: QueueCallback | undefined, estimateMs?: number | null): boolean {
  if (cb === undefined || cb.at === 'dialog' || ctx.callbackOffer === undefined || ctx.now === undefined) return false;
  if (cb.at === 'due') return true;
  return shouldOfferCallback({
    waitedMs: cb.at === 'not_yet' ? ctx.now() - cb.since : 0, estimateMs, alreadyOffered: cb.at === 'done' || cb.at === 'open', settings: ctx.callbackOffer,
  });
}

/** After an offer to a waiting caller: open, with the timer that says it again (none when repeats are off). */
export function offerOpen(ctx: CallContext, seq: number): { callback: QueueCallback; seq: number; fx: Effect[] } {
  const repeatMs = ctx.callbackOffer?.repeatMs ?? 0;
  if (repeatMs <= 0) return { callback: { at: 'open', timerId: null }, seq, fx: [] };
  const timerId = `${ctx.callId}-w${seq + 1}`;
  return { callback: { at: 'open', timerId }, seq: seq + 1, fx: [{ do: 'start_timer', timerId, ms: repeatMs }] };
}

/** A waiting caller pressed 1 while the offer was open (in the music or an announcement): the number is read back. */
export function acceptOffer(ctx: CallContext, from: { lang: Language; seq: number }, fx: Effect[]): Extract<CallbackResult, { to: 'dialog' }> {
  const d: CallbackDialog = { mode: { kind: 'keep_place' }, lang: from.lang, seq: from.seq, step: { step: 'offer' }, phase: { kind: 'waiting', requestId: '' }, input: '', misses: 0 };
  return accepted(ctx, d, fx);
}

/** The offer to a waiting caller, after `prefix` (an announcement said in the same breath). */
export function offerToWaiting(ctx: CallContext, from: { lang: Language; seq: number }, prefix: Speech[]): Extract<CallbackResult, { to: 'dialog' }> {
  const d: CallbackDialog = { mode: { kind: 'keep_place' }, lang: from.lang, seq: from.seq, step: { step: 'offer' }, phase: { kind: 'waiting', requestId: '' }, input: '', misses: 0 };
  return play(ctx, d, prefix, [{ do: 'note', what: 'callback_offered', data: { mode: 'keep_place' } }]);
}

/** Whether the operators are off now: null when open (or no calendar), else the next opening (undefined: none in sight). */
export function closedNow(ctx: CallContext): { opensAt: Date | undefined } | null {
  if (ctx.hours === undefined || ctx.now === undefined) return null;
  const at = new Date(ctx.now());
  return isOpen(ctx.hours, at) ? null : { opensAt: nextOpening(ctx.hours, at) };
}

/**
 * The operator was chosen while the center is closed: when it opens, and the offer of a
 * callback then. With no opening in sight, only that it is closed, and goodbye.
 */
export function enterAfterHours(ctx: CallContext, from: { lang: Language; seq: number }, queue: string, opensAt: Date | undefined, fx: Effect[]): [CallState, Effect[]] {
  fx.push({ do: 'note', what: 'center_closed', data: { queue, opensAt: opensAt?.toISOString() ?? null } });
  const base = { lang: from.lang, seq: from.seq, phase: { kind: 'waiting', requestId: '' }, input: '', misses: 0 } as const;
  if (opensAt === undefined) {
    const d: CallbackDialog = { ...base, mode: { kind: 'later', queue, opensAt: '' }, step: { step: 'farewell', outcome: 'completed' } };
    const r = play(ctx, d, [say('center_closed'), say('goodbye')], fx);
    return [{ kind: 'after_hours', dialog: r.dialog }, r.fx];
  }
  const d: CallbackDialog = { ...base, mode: { kind: 'later', queue, opensAt: opensAt.toISOString() }, step: { step: 'offer' } };
  fx.push({ do: 'note', what: 'callback_offered', data: { mode: 'later' } });
  const r = play(ctx, d, [say('center_closed'), say('center_opens', { when: momentOf(ctx, opensAt.toISOString()) })], fx);
  return [{ kind: 'after_hours', dialog: r.dialog }, r.fx];
}

/** One event for a dialog in progress (see the transitions above). */
export function callbackStep(ctx: CallContext, d: CallbackDialog, e: CallEvent): CallbackResult {
  switch (e.type) {
    case 'dtmf':
      return onKey(ctx, d, e.digit);
    case 'playback_finished':
      if (d.phase.kind !== 'playing' || d.phase.playbackId !== e.playbackId) return { to: 'dialog', dialog: d, fx: [] };
      if (d.step.step === 'notice') return { to: 'back', seq: d.seq, fx: [] };
      if (d.step.step === 'farewell') return { to: 'hang_up', outcome: d.step.outcome, fx: [] };
      // A waiting caller is not left in silence for an answer: back to the music, where a 1 still counts.
      if (d.step.step === 'offer' && d.mode.kind === 'keep_place') return { to: 'back', seq: d.seq, fx: [] };
      return listen(ctx, d, []);
    case 'timer_fired':
      if (d.phase.kind !== 'listening' || d.phase.timerId !== e.timerId) return { to: 'dialog', dialog: d, fx: [] };
      if (d.step.step === 'enter' && d.input !== '') return submit(ctx, d, []);
      if (d.step.step === 'offer') return decline(ctx, d, 'silence', []);
      return miss(ctx, d, 'no_input', [], [say('no_input')]);
    case 'data':
      if (d.phase.kind !== 'waiting' || d.phase.requestId !== e.requestId) return { to: 'dialog', dialog: d, fx: [] };
      return onBooked(ctx, d, e.response);
    default:
      throw new Error(`the callback dialog does not take ${e.type}`);
  }
}

/** What stops when the host drops the dialog (an agent answered, the wait ended). */
export function abandonCallbackDialog(d: CallbackDialog): Effect[] {
  if (d.phase.kind === 'playing') return [{ do: 'stop_playback', playbackId: d.phase.playbackId }];
  if (d.phase.kind === 'listening') return [{ do: 'cancel_timer', timerId: d.phase.timerId }];
  return [];
}

function onKey(ctx: CallContext, d: CallbackDialog, key: string): CallbackResult {
  const step = d.step;
  if (d.phase.kind === 'waiting' || step.step === 'booking' || step.step === 'notice' || step.step === 'farewell') return { to: 'dialog', dialog: d, fx: [] };
  const fx = abandonCallbackDialog(d);
  switch (step.step) {
    case 'offer':
      if (key !== '1') return decline(ctx, d, 'key', fx);
      return accepted(ctx, d, fx);
    case 'confirm':
      if (key === '1') return book(ctx, d, step.number, fx);
      if (key === '2') return play(ctx, { ...d, step: { step: 'enter' }, input: '', misses: 0 }, [], fx);
      return miss(ctx, d, 'invalid_key', fx, [say('invalid_key')]);
    case 'enter':
      if (key === '*') return play(ctx, { ...d, input: '' }, [], fx);
      if (key === '#') return d.input === '' ? miss(ctx, d, 'no_input', fx, [say('no_input')]) : submit(ctx, d, fx);
      if (!/^[0-9]$/.test(key)) return miss(ctx, d, 'invalid_key', fx, [say('invalid_key')]);
      if (d.input.length >= MAX_NUMBER_DIGITS) return miss(ctx, { ...d, input: '' }, 'number_invalid', fx, [say('callback_number_invalid')]);
      return listen(ctx, { ...d, input: d.input + key }, fx);
  }
}

/** The offer taken: the caller's own number is read back, or they type one when it is withheld or foreign. */
function accepted(ctx: CallContext, d: CallbackDialog, fx: Effect[]): Extract<CallbackResult, { to: 'dialog' }> {
  fx.push({ do: 'note', what: 'callback_accepted', data: { mode: d.mode.kind } });
  const number = ctx.callerE164 ?? null;
  return number === null ? play(ctx, { ...d, step: { step: 'enter' }, misses: 0 }, [], fx) : play(ctx, { ...d, step: { step: 'confirm', number }, misses: 0 }, [], fx);
}

/** A typed number: read back when it is a Russian one, refused otherwise. */
function submit(ctx: CallContext, d: CallbackDialog, fx: Effect[]): CallbackResult {
  const number = normalizePhone(d.input);
  if (number === null) return miss(ctx, { ...d, input: '' }, 'number_invalid', fx, [say('callback_number_invalid')]);
  fx.push({ do: 'note', what: 'callback_number_entered', data: { number } });
  return play(ctx, { ...d, step: { step: 'confirm', number }, input: '', misses: 0 }, [], fx);
}

function book(ctx: CallContext, d: CallbackDialog, number: string, fx: Effect[]): CallbackResult {
  const seq = d.seq + 1;
  const requestId = `${ctx.callId}-r${seq}`;
  fx.push({
    do: 'request', requestId,
    request: d.mode.kind === 'keep_place' ? { kind: 'callback_convert', number } : { kind: 'callback_later', number, queue: d.mode.queue },
  });
  return { to: 'dialog', dialog: { ...d, seq, step: { step: 'booking', number }, phase: { kind: 'waiting', requestId } }, fx };
}

function onBooked(ctx: CallContext, d: CallbackDialog, r: DataResponse): CallbackResult {
  if (r.kind === 'callback_booked') {
    const fx: Effect[] = [{ do: 'note', what: 'callback_booked', data: { requestId: r.requestId, mode: d.mode.kind, dueAt: r.dueAt } }];
    const thanks = d.mode.kind === 'keep_place' ? say('callback_accepted')
      : say('callback_accepted_later', { when: momentOf(ctx, r.dueAt ?? d.mode.opensAt) });
    return play(ctx, { ...d, step: { step: 'farewell', outcome: 'completed' } }, [], fx, [thanks]);
  }
  if (r.kind !== 'failed') throw new Error(`unexpected ${r.kind} answer to a callback booking`);
  const fx: Effect[] = [{ do: 'note', what: 'callback_not_booked', data: { mode: d.mode.kind, error: r.error } }];
  // A waiting caller keeps their place (an agent who took the call meanwhile is connected at once).
  if (d.mode.kind === 'keep_place') return play(ctx, { ...d, step: { step: 'notice' } }, [], fx);
  return play(ctx, { ...d, step: { step: 'farewell', outcome: 'failed' } }, [], fx, [say('service_unavailable'), say('goodbye')]);
}

/** The caller says no: back to the music or the menu; out of hours, silence ends the call. */
function decline(ctx: CallContext, d: CallbackDialog, by: 'key' | 'silence' | 'misses', fx: Effect[]): CallbackResult {
  fx.push({ do: 'note', what: 'callback_declined', data: { mode: d.mode.kind, by } });
  if (d.mode.kind === 'later' && by !== 'key') return play(ctx, { ...d, step: { step: 'farewell', outcome: 'completed' } }, [], fx, [say('goodbye')]);
  return { to: 'back', seq: d.seq, fx };
}

function miss(ctx: CallContext, d: CallbackDialog, reason: string, fx: Effect[], hint: Speech[]): CallbackResult {
  const misses = d.misses + 1;
  fx.push({ do: 'note', what: 'input_rejected', data: { reason, place: `callback.${d.step.step}`, failures: misses } });
  if (misses >= CALLBACK_MAX_MISSES) return decline(ctx, d, 'misses', fx);
  return play(ctx, { ...d, misses, input: '' }, hint, fx);
}

/** Plays the step's prompt (or `speech` instead), after `prefix`. */
function play(ctx: CallContext, d: CallbackDialog, prefix: Speech[], fx: Effect[], speech: Speech[] = promptOf(d)): Extract<CallbackResult, { to: 'dialog' }> {
  const seq = d.seq + 1;
  const playbackId = `${ctx.callId}-p${seq}`;
  fx.push({ do: 'play', playbackId, speech: [...prefix, ...speech], language: d.lang });
  return { to: 'dialog', dialog: { ...d, seq, phase: { kind: 'playing', playbackId } }, fx };
}

function listen(ctx: CallContext, d: CallbackDialog, fx: Effect[]): CallbackResult {
  const seq = d.seq + 1;
  const timerId = `${ctx.callId}-t${seq}`;
  fx.push({ do: 'start_timer', timerId, ms: ctx.menus[d.lang].defaults.timeoutMs });
  return { to: 'dialog', dialog: { ...d, seq, phase: { kind: 'listening', timerId } }, fx };
}

function promptOf(d: CallbackDialog): Speech[] {
  switch (d.step.step) {
    case 'offer': return [say(d.mode.kind === 'keep_place' ? 'callback_offer' : 'callback_offer_later')];
    case 'confirm': return [say('callback_readback', { number: { kind: 'phone', e164: d.step.number } })];
    case 'enter': return [say('callback_enter_number')];
    case 'notice': return [say('callback_failed')];
    case 'booking':
    case 'farewell':
      return [];
  }
}

/** An instant as the caller hears it, from today (Kaliningrad time). */
function momentOf(ctx: CallContext, iso: string): Speakable {
  // Never without a clock: closedNow() needs one to find the center closed.
  if (ctx.now === undefined) throw new Error('a moment needs the call context\'s clock');
  const { day, time } = localDayTime(new Date(iso));
  return { kind: 'moment', day, time, today: localDayTime(new Date(ctx.now())).day };
}

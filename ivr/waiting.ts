import type { CallContext, CallEvent, CallState, Effect, QueueStatus } from './call.js';
import { InvalidTransitionError } from './transition-error.js';
import {
  abandonCallbackDialog, acceptOffer, callbackStep, offerDue, offerOpen, offerToWaiting, type CallbackDialog, type CallbackResult,
} from './callback-dialog.js';
import { announceThenHangUp } from './dialog.js';
import { say, type Speech } from './speech.js';

/*
 * A caller waiting for an operator (the call machine's `queued` state, ivr/call.ts). Nothing is
 * said before the queue has told us who is on shift (queue_joined), so nobody hears "connecting
 * you" when there is nobody to connect to:
 *   queued(not joined) --queue_joined, operators on shift--> [play queue_entered]   (or why they came: misunderstood_to_operator)
 *   queued(not joined) --queue_joined, nobody on shift-----> [play queue_no_operators + the callback offer]   (or queue_no_operators_wait without offers)
 *   queued --queue_status, nothing playing---> [hold_music off, play place + estimate]   (estimate unknown is said so; nobody on shift: as at joining)
 *   queued --queue_status, something playing--> []   kept, said when the playback ends (the newest one wins)
 *   queued --playback_finished---------------> [play the kept status] | [the offer, when due] | [hold_music on]
 *   queued --timer_fired (wait rule, repeat)--> [hold_music off, play offer]; while something plays: offered when it ends
 *   queued --dtmf 1, offer open---------------> [stop_playback | hold_music off, read the number back]  (acceptOffer)
 *   queued --dtmf, anything else--------------> []   (keys in the queue do nothing outside the offer)
 *   queued --agent_connected------------------> with_agent  [stop_playback?, cancel the offer's timer]
 *   queued --wait_expired---------------------> ivr  [hold_music off | stop_playback, play queue_timeout]  (then hangs up)
 *   queued (offer dialog) --dtmf | playback_finished | timer_fired | data --> queued | hanging_up   (ivr/callback-dialog.ts)
 *   queued (offer dialog) --queue_status | queue_joined | agent_left--> []   (nothing said over the dialog)
 *   queued (offer dialog) --agent_connected | wait_expired --> as above, the dialog dropped
 * The music: Asterisk plays a file to a bridged channel on the bridge's thread, where it cannot be
 * cut short when the agent answers, so every announcement is played outside the holding bridge
 * and the caller goes back into it (and its music) as soon as nothing is said to them.
 */

type Queued = Extract<CallState, { kind: 'queued' }>;
type Result = [CallState, Effect[]];

export function queuedStep(ctx: CallContext, s: Queued, e: CallEvent): Result {
  if (s.callback?.at === 'dialog') return offerStep(ctx, s, s.callback.dialog, e);
  switch (e.type) {
    case 'queue_joined':
      if (s.joined) return [s, []];
      return greet(ctx, { ...s, joined: true }, e);
    case 'queue_status':
      // Never cut a sentence short for the next one: it waits for the end of what is playing.
      if (s.playbackId !== null || !s.joined) return [{ ...s, pending: statusOf(e) }, []];
      return announce(ctx, s, statusOf(e), [{ do: 'hold_music', on: false }]);
    case 'timer_fired':
      // The wait rule's timer or the repeat's (the offer is due); any other is a late report.
      if (!isOfferTimer(s, e.timerId)) return [s, []];
      if (s.playbackId !== null) return [{ ...s, callback: { at: 'due' } }, []];
      return startOffer(ctx, s, [{ do: 'hold_music', on: false }], []);
    case 'playback_finished': {
      if (s.playbackId !== e.playbackId) return [s, []];
      const idle: Queued = { ...s, playbackId: null };
      if (idle.pending !== undefined) {
        const { pending: status, ...rest } = idle;
        return announce(ctx, rest, status, []);
      }
      if (s.callback?.at === 'due') return startOffer(ctx, idle, [], []);
      return [idle, [{ do: 'hold_music', on: true }]];
    }
    case 'dtmf': {
      if (e.digit !== '1' || s.callback?.at !== 'open') return [s, []];
      const leave: Effect[] = s.playbackId === null ? [{ do: 'hold_music', on: false }] : [{ do: 'stop_playback', playbackId: s.playbackId }];
      const r = acceptOffer(ctx, s, [...leave, ...stopOffer(s)]);
      const { pending: _, ...rest } = s;
      return [{ ...rest, seq: r.dialog.seq, playbackId: null, callback: { at: 'dialog', dialog: r.dialog } }, r.fx];
    }
    case 'agent_connected': {
      // Never talk over the operator: an announcement still playing stops now.
      const fx: Effect[] = s.playbackId === null ? [] : [{ do: 'stop_playback', playbackId: s.playbackId }];
      return [{ kind: 'with_agent', lang: s.lang, queue: s.queue, agentId: e.agentId, seq: s.seq }, [...fx, ...stopOffer(s), { do: 'note', what: 'agent_connected', data: { agentId: e.agentId, queue: s.queue } }]];
    }
    case 'wait_expired': {
      const [next, fx] = announceThenHangUp(ctx, s, [say('queue_timeout')], 'timed_out');
      const leave: Effect[] = s.playbackId === null ? [{ do: 'hold_music', on: false }] : [{ do: 'stop_playback', playbackId: s.playbackId }];
      return [next, [...leave, ...stopOffer(s), ...fx]];
    }
    case 'agent_left':
      // An agent who hung up before the caller was told of them: the queue service deals with it.
      return [s, []];
    default:
      throw new InvalidTransitionError(s.kind, e.type);
  }
}

/** The wait rule's timer or the repeat's, as the caller leaves the queue or hears the offer now. */
export function stopOffer(s: Queued): Effect[] {
  const cb = s.callback;
  if ((cb?.at === 'not_yet' || cb?.at === 'open') && cb.timerId !== null) return [{ do: 'cancel_timer', timerId: cb.timerId }];
  if (cb?.at === 'dialog') return abandonCallbackDialog(cb.dialog);
  return [];
}

function statusOf(e: QueueStatus): QueueStatus {
  return { position: e.position, estimateMs: e.estimateMs, loggedIn: e.loggedIn };
}

function isOfferTimer(s: Queued, timerId: string): boolean {
  const cb = s.callback;
  return (cb?.at === 'not_yet' || cb?.at === 'open') && cb.timerId === timerId;
}

/** Whether the offer can be made to this caller now (offers on, not dropped for this stay). */
function canOffer(ctx: CallContext, s: Queued): boolean {
  return ctx.callbackOffer !== undefined && ctx.now !== undefined && s.callback !== undefined && s.callback.at !== 'done';
}

/** The first words in the queue, once we know whether anybody is on shift. */
function greet(ctx: CallContext, s: Queued, status: QueueStatus): Result {
  const why: Speech[] = s.reason === 'misunderstood' ? [say('misunderstood')] : [];
  if (status.loggedIn > 0) {
    return play(ctx, s, [s.reason === 'misunderstood' ? say('misunderstood_to_operator') : say('queue_entered')], []);
  }
  const nobody = [...why, say('queue_no_operators')];
  if (canOffer(ctx, s)) return startOffer(ctx, s, stopOffer(s), nobody);
  return play(ctx, s, [...nobody, say('queue_no_operators_wait')], []);
}

/** What a waiting caller is told of their place: nobody on shift, or the place and an honest estimate. */
function statusSpeech(status: QueueStatus): Speech[] {
  if (status.loggedIn === 0) return [say('queue_no_operators')];
  // The estimate first: its sentence starts with fixed words that play at once from the cache
  // (prompts/pieces.ts), while a place far back in line may still be voiced meanwhile.
  const place = status.position <= 1 ? say('queue_next') : say('queue_position', { position: { kind: 'ordinal', n: status.position } });
  if (status.estimateMs === null) return [say('queue_estimate_unknown'), place];
  if (status.estimateMs < 60_000) return [say('queue_estimate_soon'), place];
  return [say('queue_estimate', { minutes: { kind: 'minutes', n: Math.round(status.estimateMs / 60_000) } }), place];
}

/** An announcement to a caller out of the music (`leave` takes them out); the offer follows in the same breath when due. */
function announce(ctx: CallContext, s: Queued, status: QueueStatus, leave: Effect[]): Result {
  const speech = statusSpeech(status);
  if (status.loggedIn === 0) {
    if (canOffer(ctx, s)) return startOffer(ctx, s, [...leave, ...stopOffer(s)], speech);
    return play(ctx, s, [...speech, say('queue_no_operators_wait')], leave);
  }
  if (offerDue(ctx, s.callback, status.estimateMs)) return startOffer(ctx, s, [...leave, ...stopOffer(s)], speech);
  return play(ctx, s, speech, leave);
}

function play(ctx: CallContext, s: Queued, speech: Speech[], fx: Effect[]): Result {
  const seq = s.seq + 1;
  const playbackId = `${ctx.callId}-p${seq}`;
  return [{ ...s, seq, playbackId }, [...fx, { do: 'play', playbackId, speech, language: s.lang }]];
}

/** The offer, after `announcement`; the caller is already out of the music (`leave` takes them out). */
function startOffer(ctx: CallContext, s: Queued, leave: Effect[], announcement: Speech[]): Result {
  const r = offerToWaiting(ctx, s, announcement);
  const { pending: _, ...rest } = s;
  return [{ ...rest, seq: r.dialog.seq, playbackId: null, callback: { at: 'dialog', dialog: r.dialog } }, [...leave, ...r.fx]];
}

/** A waiting caller inside the callback dialog: it keeps their place in line until the booking succeeds. */
function offerStep(ctx: CallContext, s: Queued, d: CallbackDialog, e: CallEvent): Result {
  switch (e.type) {
    case 'dtmf':
    case 'playback_finished':
    case 'timer_fired':
    case 'data':
      return fromOffer(ctx, s, d, callbackStep(ctx, d, e));
    case 'queue_status':
    case 'queue_joined':
    case 'agent_left':
      return [s, []];
    case 'agent_connected': {
      // The operator wins: the dialog stops, then as for any waiting caller (a late booking answer is ignored).
      const [next, fx] = queuedStep(ctx, { ...s, playbackId: null, callback: { at: 'done' } }, e);
      return [next, [...abandonCallbackDialog(d), ...fx]];
    }
    case 'wait_expired': {
      // The dialog took the caller out of the holding bridge already.
      const [next, fx] = announceThenHangUp(ctx, s, [say('queue_timeout')], 'timed_out');
      return [next, [...abandonCallbackDialog(d), ...fx]];
    }
    default:
      throw new InvalidTransitionError(s.kind, e.type);
  }
}

function fromOffer(ctx: CallContext, s: Queued, d: CallbackDialog, r: CallbackResult): Result {
  switch (r.to) {
    case 'dialog':
      return [{ ...s, seq: r.dialog.seq, callback: { at: 'dialog', dialog: r.dialog } }, r.fx];
    case 'back': {
      // After a failed booking the offer is not made again (it would fail again); otherwise it stays open.
      const open = d.step.step === 'notice' ? { callback: { at: 'done' } as const, seq: r.seq, fx: [] } : offerOpen(ctx, r.seq);
      return [{ ...s, seq: open.seq, playbackId: null, callback: open.callback }, [...r.fx, ...open.fx, { do: 'hold_music', on: true }]];
    }
    case 'hang_up':
      return [{ kind: 'hanging_up', outcome: r.outcome }, [...r.fx, { do: 'hang_up' }]];
  }
}

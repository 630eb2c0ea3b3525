import type { CallContext, CallEvent, CallState, Effect } from '../../ivr/call.js';
import type { CallbackDialog } from '../../ivr/callback-dialog.js';
import type { DataRequest, DataResponse } from '../../ivr/flows.js';
import { IvrDriver } from './ivr-driver.js';

/**
 * The IVR driver with a fake clock: the call context's `now` reads it, and `advance` moves it on,
 * firing the timers the machine started (and did not cancel) in the order they come due, as
 * the server would. Knows where the callback dialog keeps its playback, timer and request.
 */
export class ClockedIvr extends IvrDriver {
  readonly #clock: { now: number };
  readonly #timers = new Map<string, number>();

  constructor(start: Date | string, ctx: Partial<CallContext> = {}) {
    const clock = { now: new Date(start).getTime() };
    super({ now: () => clock.now, ...ctx });
    this.#clock = clock;
  }

  get now(): number {
    return this.#clock.now;
  }

  override send(e: CallEvent): Effect[] {
    const fx = super.send(e);
    if (e.type === 'timer_fired') this.#timers.delete(e.timerId);
    for (const f of fx) {
      if (f.do === 'start_timer') this.#timers.set(f.timerId, this.#clock.now + f.ms);
      if (f.do === 'cancel_timer') this.#timers.delete(f.timerId);
    }
    if (this.state.kind === 'ended') this.#timers.clear();
    return fx;
  }

  /** Moves the clock on by `ms`, firing every timer that comes due on the way. */
  advance(ms: number): Effect[] {
    const until = this.#clock.now + ms;
    const fx: Effect[] = [];
    for (;;) {
      const next = [...this.#timers].filter(([, due]) => due <= until).sort((a, b) => a[1] - b[1])[0];
      if (next === undefined) break;
      this.#clock.now = next[1];
      this.#timers.delete(next[0]);
      fx.push(...this.send({ type: 'timer_fired', timerId: next[0] }));
    }
    this.#clock.now = until;
    return fx;
  }

  /** The callback dialog in progress: a waiting caller's, or an out-of-hours one. */
  get dialog(): CallbackDialog {
    const s: CallState = this.state;
    if (s.kind === 'after_hours') return s.dialog;
    if (s.kind === 'queued' && s.callback?.at === 'dialog') return s.callback.dialog;
    throw new Error(`no callback dialog (${s.kind})`);
  }

  /** The playback in progress ends, wherever it is. */
  finishPlaying(): Effect[] {
    const s = this.state;
    if (s.kind === 'queued' && s.callback?.at !== 'dialog') return this.finishPrompt();
    if (s.kind === 'ivr') return this.finishPrompt();
    const phase = this.dialog.phase;
    if (phase.kind !== 'playing') throw new Error(`nothing playing in the callback dialog (${phase.kind})`);
    return this.send({ type: 'playback_finished', playbackId: phase.playbackId });
  }

  /** The dialog's prompt ends and the caller says nothing until its wait runs out. */
  hush(): Effect[] {
    if (this.dialog.phase.kind === 'playing') this.finishPlaying();
    const phase = this.dialog.phase;
    if (phase.kind !== 'listening') throw new Error(`the callback dialog is not listening (${phase.kind})`);
    return this.send({ type: 'timer_fired', timerId: phase.timerId });
  }

  /** The booking the dialog asked for. */
  booking(): DataRequest {
    const phase = this.dialog.phase;
    if (phase.kind !== 'waiting') throw new Error(`no booking pending (${phase.kind})`);
    const effect = [...this.effects].reverse().find((e) => e.do === 'request' && e.requestId === phase.requestId);
    if (effect?.do !== 'request') throw new Error('request effect not found');
    return effect.request;
  }

  answerBooking(response: DataResponse): Effect[] {
    const phase = this.dialog.phase;
    if (phase.kind !== 'waiting') throw new Error(`no booking pending (${phase.kind})`);
    return this.send({ type: 'data', requestId: phase.requestId, response });
  }
}

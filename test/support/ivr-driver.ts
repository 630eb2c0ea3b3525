import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initialState, step, type CallContext, type CallEvent, type CallState, type Effect, type QueueStatus } from '../../ivr/call.js';
import type { DataRequest, DataResponse } from '../../ivr/flows.js';
import { validateMenu, type Menu } from '../../ivr/menu.js';
import type { Language } from '../../ivr/speech.js';
import { defaultMenuDir } from '../../server/menus/registry.js';

export function defaultMenus(): Record<Language, Menu> {
  return {
    ru: validateMenu(JSON.parse(readFileSync(join(defaultMenuDir, 'ru.json'), 'utf8'))),
    en: validateMenu(JSON.parse(readFileSync(join(defaultMenuDir, 'en.json'), 'utf8'))),
  };
}

type Play = Extract<Effect, { do: 'play' }>;

/**
 * Plays the server's part against the pure call state machine: feeds events, keeps every
 * effect, and answers with the ids the machine chose (current playback, timer, request).
 */
export class IvrDriver {
  state: CallState = initialState();
  readonly effects: Effect[] = [];
  readonly ctx: CallContext;

  constructor(ctx: Partial<CallContext> = {}) {
    this.ctx = { callId: 'c1', menus: defaultMenus(), identified: null, ...ctx };
  }

  send(e: CallEvent): Effect[] {
    const [next, fx] = step(this.ctx, this.state, e);
    this.state = next;
    this.effects.push(...fx);
    return fx;
  }

  /** Answers the call: the greeting starts. */
  start(): this {
    this.send({ type: 'started' });
    this.send({ type: 'answered' });
    return this;
  }

  get ivr(): Extract<CallState, { kind: 'ivr' }> {
    if (this.state.kind !== 'ivr') throw new Error(`not in the IVR but ${this.state.kind}`);
    return this.state;
  }

  lastPlay(): Play {
    const play = [...this.effects].reverse().find((e): e is Play => e.do === 'play');
    if (play === undefined) throw new Error('nothing played yet');
    return play;
  }

  /** The prompt ids of the last playback. */
  heard(): string[] {
    return this.lastPlay().speech.map((s) => s.prompt);
  }

  /** The queue's answer to the caller's `enqueue`: in line, with `status` (by default one operator on shift, a minute's wait). */
  joined(status: Partial<QueueStatus> = {}): Effect[] {
    return this.send({ type: 'queue_joined', position: 1, estimateMs: 60_000, loggedIn: 1, ...status });
  }

  /** A queue announcement is due, with `status` (by default one operator on shift). */
  status(status: Partial<QueueStatus>): Effect[] {
    return this.send({ type: 'queue_status', position: 1, estimateMs: 60_000, loggedIn: 1, ...status });
  }

  finishPrompt(): Effect[] {
    if (this.state.kind === 'queued') {
      if (this.state.playbackId === null) throw new Error('nothing playing to the waiting caller');
      return this.send({ type: 'playback_finished', playbackId: this.state.playbackId });
    }
    const phase = this.ivr.phase;
    if (phase.kind !== 'playing') throw new Error(`no prompt playing (${phase.kind})`);
    return this.send({ type: 'playback_finished', playbackId: phase.playbackId });
  }

  press(keys: string): Effect[] {
    const fx: Effect[] = [];
    for (const digit of keys) fx.push(...this.send({ type: 'dtmf', digit }));
    return fx;
  }

  /** The prompt ends and the caller says nothing until the wait runs out. */
  silence(): Effect[] {
    if (this.ivr.phase.kind === 'playing') this.finishPrompt();
    const phase = this.ivr.phase;
    if (phase.kind !== 'listening') throw new Error(`not listening (${phase.kind})`);
    return this.send({ type: 'timer_fired', timerId: phase.timerId });
  }

  pendingRequest(): DataRequest {
    const phase = this.ivr.phase;
    if (phase.kind !== 'waiting') throw new Error(`no request pending (${phase.kind})`);
    const effect = [...this.effects].reverse().find((e) => e.do === 'request' && e.requestId === phase.requestId);
    if (effect?.do !== 'request') throw new Error('request effect not found');
    return effect.request;
  }

  respond(response: DataResponse): Effect[] {
    const phase = this.ivr.phase;
    if (phase.kind !== 'waiting') throw new Error(`no request pending (${phase.kind})`);
    return this.send({ type: 'data', requestId: phase.requestId, response });
  }

  notes(what: string): Array<Record<string, unknown>> {
    return this.effects.flatMap((e) => (e.do === 'note' && e.what === what ? [e.data] : []));
  }

  requests(): DataRequest[] {
    return this.effects.flatMap((e) => (e.do === 'request' ? [e.request] : []));
  }
}

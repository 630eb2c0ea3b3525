import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { initialState, InvalidTransitionError, step, type CallContext, type CallEvent, type CallState, type Effect, type HangupParty, type QueueStatus } from '../../ivr/call.js';
import type { CallbackOfferSettings } from '../../ivr/callback-offer.js';
import type { CallbackRequest, DataRequest, DataResponse } from '../../ivr/flows.js';
import type { Menu } from '../../ivr/menu.js';
import type { Calendar } from '../../ivr/working-hours.js';
import type { Language } from '../../ivr/speech.js';
import type { ChannelSnapshot, TelephonyEvent, TelephonyPort } from '../ari/port.js';
import { isoNow } from '../db/database.js';
import type { Call } from '../db/schema.js';
import type { CallerIdentity } from '../accounts/lookup.js';
import type { CallRoute } from '../trunks/routing.js';
import type { CallStore } from './store.js';
import { Playbacks, type SpeechPort } from './playback.js';

export type { SpeechPort };

/** Answers the IVR's data requests (lookups, a balance, storing a reading). */
export interface SelfServicePort {
  answer(callId: string, language: Language, request: Exclude<DataRequest, CallbackRequest>): Promise<DataResponse>;
}

/** Callbacks booked for the next working period (server/callbacks/service.ts). */
export interface CallbacksPort {
  /** Stores a request due at the next opening; throws for a number that is not Russian. */
  requestLater(r: { callId: string; numberE164: string; queueId: string }): Promise<{ requestId: number; dueAt: Date }>;
}

/** The operator queue, as the call service needs it (server/queue/service.ts). */
export interface QueuePort {
  /** Puts the caller in line; resolves with their place and who is on shift (the call's queue_joined). */
  enqueue(callId: string, channelId: string, queue: string, callerNumber: string, forAgent?: number): Promise<QueueStatus>;
  /** The caller's channel is gone: leave the queue or end the agent's call. */
  callEnded(callId: string): Promise<void>;
  /** The waiting caller into or out of the queue's holding bridge (music on hold). */
  holdMusic(callId: string, on: boolean): Promise<void>;
  /** Whether a leg we originated is one the queue drives now. */
  ownsChannel(channelId: string): boolean;
  /** The waiting caller's entry becomes a callback to `numberE164` keeping its place; throws when the caller no longer waits. */
  convertToCallback(callId: string, numberE164: string): Promise<{ requestId: number }>;
}

export interface CallServiceDeps {
  store: CallStore;
  telephony: TelephonyPort;
  identify: (rawCallerNumber: string) => Promise<CallerIdentity>;
  speech: SpeechPort;
  selfService: SelfServicePort;
  queue: QueuePort;
  callbacks: CallbacksPort;
  /** the working hours in force (server/schedule/service.ts); each call keeps the calendar it arrived with */
  hours: { readonly calendar: Calendar };
  /** when a waiting caller is offered a callback (CALLBACK_OFFER_AFTER_S, CALLBACK_OFFER_ESTIMATE_S); absent: never */
  callbackOffer?: CallbackOfferSettings;
  /** the menus in force now; each call keeps the ones it started with */
  menus: () => Readonly<Record<Language, Menu>>;
  /** the trunk a caller came in on and where the number dialled goes (server/trunks/routing.ts); absent: the Russian IVR */
  route?: (channel: ChannelSnapshot) => CallRoute;
  /** false: no post-call survey when the agent hangs up first (SURVEY=off); default: asked */
  survey?: boolean;
  log: FastifyBaseLogger;
  clock?: () => number;
  newId?: () => string;
}

/** A call this server is driving now. Events for it are handled strictly one after another. */
interface LiveCall {
  readonly callId: string;
  readonly channelId: string;
  readonly callerNumber: string;
  state: CallState;
  /** The tail of this call's event queue. */
  chain: Promise<void>;
  /** The first hang-up request seen; it says who ended the call when the channel leaves. */
  hangup?: { by: HangupParty; cause: number };
  ctx: CallContext;
  readonly timers: Map<string, NodeJS.Timeout>;
  /** the last medium Asterisk reported starting, to record each once */
  lastMedia?: string;
}

/**
 * Drives every call in our Stasis application through the ivr/ state machine: feeds it what
 * Asterisk reports, carries out the effects it returns, and records each step. One call's
 * failure (an ARI error, a bug) is logged with its id and never touches another call.
 */
export class CallService {
  readonly #calls = new Map<string, LiveCall>(); // by channel id
  readonly #byCallId = new Map<string, LiveCall>();
  readonly #unsubscribe: Array<() => void> = [];
  readonly #clock: () => number;
  readonly #newId: () => string;
  readonly #playbacks: Playbacks;
  #reconciling: Promise<void> = Promise.resolve();

  constructor(private readonly deps: CallServiceDeps) {
    this.#playbacks = new Playbacks(deps.telephony, deps.speech);
    this.#clock = deps.clock ?? Date.now;
    this.#newId = deps.newId ?? randomUUID;
  }

  start(): void {
    const { telephony } = this.deps;
    this.#unsubscribe.push(telephony.onEvent((e) => this.#onTelephony(e)));
    this.#unsubscribe.push(telephony.onConnection((e) => {
      if (e.type !== 'connected') return;
      this.#reconciling = this.#reconciling
        .then(() => this.reconcile())
        .catch((err: unknown) => this.deps.log.error({ err }, 'reconciliation failed; it runs again at the next connection'));
    }));
  }

  /** Stops listening and waits for the work already queued, so nothing is half-written. Hangs up nothing. */
  async stop(): Promise<void> {
    for (const off of this.#unsubscribe.splice(0)) off();
    await this.#reconciling;
    await Promise.all([...this.#calls.values()].map((c) => c.chain));
  }

  get liveCount(): number {
    return this.#calls.size;
  }

  /**
   * An event for a call from elsewhere in the server (the queue); ignored once the call has
   * ended. Resolves when the call has handled it, effects included.
   */
  notify(callId: string, event: CallEvent): Promise<void> {
    const call = this.#byCallId.get(callId);
    if (call === undefined) return Promise.resolve();
    this.#dispatch(call, event);
    return call.chain;
  }

  #onTelephony(e: TelephonyEvent): void {
    if (e.type === 'channel_entered') {
      // Only the dialplan's Stasis(app) brings a caller, with no arguments; legs we originate
      // (agents' phones, outbound calls) carry arguments and belong to the queue service.
      if (e.args.length === 0) this.#admit(e.channel);
      return;
    }
    if (e.type === 'channel_destroyed' || e.type === 'recording_ended') return;
    const call = this.#calls.get(e.channelId);
    if (call === undefined) {
      this.deps.log.debug({ event: e }, 'event for a channel we are not driving');
      return;
    }
    switch (e.type) {
      case 'hangup_requested':
        call.hangup ??= { by: e.by, cause: e.cause };
        break;
      case 'channel_left': {
        const { by, cause } = call.hangup ?? { by: 'remote', cause: 16 };
        this.#dispatch(call, { type: 'hung_up', by, cause: { code: cause, text: hangupText(by, cause) } });
        break;
      }
      case 'playback_finished':
        this.#dispatch(call, { type: 'playback_finished', playbackId: e.playbackId });
        break;
      case 'dtmf_received':
        this.#dispatch(call, { type: 'dtmf', digit: e.digit });
        break;
      case 'media_started': {
        // What Asterisk says it plays, kept beside what we asked for: the record of what the caller heard.
        // Asterisk 22 may name one medium of a list twice (started, then continuing): it is heard once.
        const key = `${e.playbackId} ${e.media}`;
        if (call.lastMedia === key) break;
        call.lastMedia = key;
        this.#enqueue(call, () => this.#note(call, 'media_started', { playbackId: e.playbackId, media: e.media }));
        break;
      }
    }
  }

  #admit(channel: ChannelSnapshot): void {
    const callId = this.#newId();
    const route = this.deps.route?.(channel);
    const call: LiveCall = {
      callId, channelId: channel.id, callerNumber: channel.callerNumber, state: initialState(), chain: Promise.resolve(), timers: new Map(),
      ctx: {
        callId, menus: this.deps.menus(), identified: null, survey: this.deps.survey !== false, ...(route && { entry: route.entry }),
        now: this.#clock, hours: this.deps.hours.calendar, ...(this.deps.callbackOffer && { callbackOffer: this.deps.callbackOffer }),
      },
    };
    // Registered before any await, so events that race the admission queue up behind it.
    this.#calls.set(channel.id, call);
    this.#byCallId.set(callId, call);
    this.#enqueue(call, async () => {
      const identity = await this.deps.identify(channel.callerNumber).catch((err: unknown) => {
        this.deps.log.error({ err, callId: call.callId }, 'caller identification failed; treating the caller as unknown');
        return { e164: null, identification: 'none', accountId: null, accounts: [] } satisfies CallerIdentity;
      });
      const only = identity.identification === 'one' ? identity.accounts[0] : undefined;
      if (only !== undefined) call.ctx = { ...call.ctx, identified: { accountId: only.accountId, accountNumber: only.accountNumber } };
      // The caller's town, when all their accounts are in one: the IVR reads that town's office first.
      const towns = new Set(identity.accounts.map((a) => a.city));
      call.ctx = { ...call.ctx, callerE164: identity.e164, town: towns.size === 1 ? [...towns][0]! : null };
      const at = isoNow(this.#clock);
      await this.deps.store.insert({
        id: call.callId, channelId: channel.id, callerNumber: channel.callerNumber, callerE164: identity.e164,
        identification: identity.identification, accountId: identity.accountId, startedAt: at, state: call.state,
        // Any request URI reaches us (extensions.conf); what was dialled is kept for routing by number.
        dialed: channel.dialed === '' ? null : channel.dialed,
      }, { at, type: 'call_arrived', data: {
        channel: channel.name, callerNumber: channel.callerNumber, dialed: channel.dialed, identification: identity.identification, accountIds: identity.accounts.map((a) => a.accountId),
        ...(route && { trunk: route.trunk, did: route.did, entry: route.entry }),
      } });
      this.deps.log.info({ callId: call.callId, channelId: channel.id, caller: channel.callerNumber, identification: identity.identification, trunk: route?.trunk, entry: route?.entry }, 'call arrived');
    });
    this.#dispatch(call, { type: 'started' });
  }

  #enqueue(call: LiveCall, work: () => Promise<void>): void {
    call.chain = call.chain.then(work).catch((err: unknown) => {
      this.deps.log.error({ err, callId: call.callId }, 'call handling failed');
    });
  }

  #dispatch(call: LiveCall, event: CallEvent): void {
    this.#enqueue(call, async () => {
      if (call.state.kind === 'ended') return; // a late event after the call ended: nothing left to drive
      let next: CallState;
      let effects: Effect[];
      try {
        [next, effects] = step(call.ctx, call.state, event);
      } catch (err) {
        if (!(err instanceof InvalidTransitionError)) throw err;
        this.deps.log.error({ callId: call.callId, state: call.state.kind, event: event.type }, 'unexpected call event');
        await this.#note(call, 'invalid_transition', { state: call.state.kind, event });
        return;
      }
      call.state = next;
      const at = isoNow(this.#clock);
      const ended = next.kind === 'ended' ? next : undefined;
      await this.deps.store.record(call.callId, { at, type: event.type, data: { ...event, state: next.kind, effects } }, next, {
        ...(event.type === 'answered' && { answeredAt: at }),
        ...(ended && { endedAt: at, outcome: ended.outcome, hangupCause: ended.cause.code, hangupCauseText: ended.cause.text }),
      });
      if (ended) {
        for (const timer of call.timers.values()) clearTimeout(timer);
        call.timers.clear();
        this.#calls.delete(call.channelId);
        this.#byCallId.delete(call.callId);
        // The queue learns of every end; it ignores calls it never had.
        void this.deps.queue.callEnded(call.callId).catch((err: unknown) => this.deps.log.error({ err, callId: call.callId }, 'queue could not release the call'));
        this.deps.log.info({ callId: call.callId, outcome: ended.outcome, cause: ended.cause }, 'call ended');
        return;
      }
      const voiced = this.#playbacks.prepare(effects);
      for (const effect of effects) await this.#run(call, effect, voiced);
    });
  }

  async #run(call: LiveCall, effect: Effect, voiced: ReturnType<Playbacks['prepare']>): Promise<void> {
    const { telephony, log } = this.deps;
    try {
      switch (effect.do) {
        case 'answer':
          await telephony.answer(call.channelId);
          this.#dispatch(call, { type: 'answered' });
          return;
        case 'play':
          await this.#playbacks.play(call.channelId, effect, voiced.get(effect.playbackId), (err) => {
            log.error({ err, callId: call.callId }, 'the rest of a phrase could not be played');
            this.#dispatch(call, { type: 'effect_failed', effect: 'play', error: (err as Error).message });
          });
          return;
        case 'stop_playback':
          await this.#playbacks.stop(effect.playbackId);
          return;
        case 'start_timer':
          call.timers.set(effect.timerId, setTimeout(() => {
            call.timers.delete(effect.timerId);
            this.#dispatch(call, { type: 'timer_fired', timerId: effect.timerId });
          }, effect.ms));
          return;
        case 'cancel_timer':
          clearTimeout(call.timers.get(effect.timerId));
          call.timers.delete(effect.timerId);
          return;
        case 'request':
          // Runs beside the call's queue, so keys pressed meanwhile are taken (as type-ahead) at once.
          void this.#answer(call, effect.request).then(
            (response) => this.#dispatch(call, { type: 'data', requestId: effect.requestId, response }),
            (err: unknown) => {
              log.error({ err, callId: call.callId, request: effect.request.kind }, 'self-service request failed');
              this.#dispatch(call, { type: 'data', requestId: effect.requestId, response: { kind: 'failed', error: (err as Error).message } });
            });
          return;
        case 'hang_up':
          await telephony.hangup(call.channelId);
          return;
        case 'note':
          await this.#note(call, effect.what, effect.data);
          return;
        case 'hold_music':
          await this.deps.queue.holdMusic(call.callId, effect.on);
          return;
        case 'enqueue': {
          const status = await this.deps.queue.enqueue(call.callId, call.channelId, effect.queue, call.callerNumber, effect.agent);
          this.#dispatch(call, { type: 'queue_joined', ...status });
          return;
        }
      }
    } catch (err) {
      log.error({ err, callId: call.callId, effect: effect.do }, 'ARI request for a call failed');
      this.#dispatch(call, { type: 'effect_failed', effect: effect.do, error: (err as Error).message });
    }
  }

  /** Callback bookings go to the queue (keep the place) or the callback service (next working period); the rest is self-service. */
  #answer(call: LiveCall, request: DataRequest): Promise<DataResponse> {
    switch (request.kind) {
      case 'callback_convert':
        return this.deps.queue.convertToCallback(call.callId, request.number).then(({ requestId }) => ({ kind: 'callback_booked', requestId, dueAt: null }));
      case 'callback_later':
        return this.deps.callbacks.requestLater({ callId: call.callId, numberE164: request.number, queueId: request.queue })
          .then(({ requestId, dueAt }) => ({ kind: 'callback_booked', requestId, dueAt: dueAt.toISOString() }));
      default:
        return this.deps.selfService.answer(call.callId, languageOf(call.state), request);
    }
  }

  async #note(call: LiveCall, type: string, data: unknown): Promise<void> {
    await this.deps.store.record(call.callId, { at: isoNow(this.#clock), type, data }, call.state);
  }

  /**
   * Brings our records in line with what Asterisk has now. Runs after every (re)connection,
   * because ARI does not replay the events it could not deliver:
   * - a live call whose channel is gone was lost during the outage: recorded as failed;
   * - a channel in our application that no running call drives (the server crashed or was
   *   restarted mid-call) is hung up and recorded as orphaned;
   * - a call that is still ours and still there resumes; a playback that ended unseen is replayed as finished.
   */
  async reconcile(): Promise<void> {
    const { telephony, store, log } = this.deps;
    let channels: ChannelSnapshot[];
    try {
      channels = await telephony.listChannels();
    } catch (err) {
      log.error({ err }, 'reconciliation could not list channels');
      return;
    }
    const present = new Map(channels.map((c) => [c.id, c]));
    const rows = await store.live();
    const known = new Set(rows.map((r) => r.channel_id));
    for (const row of rows) {
      const call = this.#calls.get(row.channel_id);
      const channel = present.get(row.channel_id);
      // An outbound call or a callback the queue drives: its own code ends and records it.
      if (call === undefined && channel !== undefined && this.deps.queue.ownsChannel(row.channel_id)) continue;
      if (call !== undefined && channel === undefined) {
        this.#dispatch(call, { type: 'lost', outcome: 'failed', reason: 'channel gone while ARI was disconnected' });
      } else if (call === undefined && channel === undefined) {
        await this.#closeRow(row, 'failed', 'channel gone while the server was not connected');
      } else if (call === undefined && channel !== undefined) {
        await this.#closeRow(row, 'orphaned', 'no running call drove this channel; hung up');
        await telephony.hangup(channel.id).catch((err: unknown) => log.error({ err, callId: row.id }, 'could not hang up an orphaned channel'));
      } else if (call !== undefined && playingNow(call.state) !== null) {
        const playbackId = playingNow(call.state)!;
        if (!(await telephony.playbackExists(playbackId).catch(() => true))) {
          this.#dispatch(call, { type: 'playback_finished', playbackId });
        }
      }
    }
    for (const channel of channels) {
      if (known.has(channel.id) || this.#calls.has(channel.id)) continue;
      if (channel.args.length > 0) {
        // A leg we originated (an agent's or a customer's phone) that no running server drives.
        if (!this.deps.queue.ownsChannel(channel.id)) {
          log.warn({ channelId: channel.id, args: channel.args }, 'orphaned call leg hung up');
          await telephony.hangup(channel.id).catch(() => undefined);
        }
        continue;
      }
      // In our application but never recorded: the server died between StasisStart and the insert.
      const identity = await this.deps.identify(channel.callerNumber).catch(() => undefined);
      const id = this.#newId();
      const at = isoNow(this.#clock);
      await store.insert({
        id, channelId: channel.id, callerNumber: channel.callerNumber, callerE164: identity?.e164 ?? null,
        identification: identity?.identification ?? 'none', accountId: identity?.accountId ?? null,
        startedAt: channel.createdAt !== '' ? new Date(channel.createdAt).toISOString() : at, state: null,
        dialed: channel.dialed === '' ? null : channel.dialed,
      }, { at, type: 'call_arrived', data: { channel: channel.name, found: 'reconciliation' } });
      await this.#closeRow({ id } as Call, 'orphaned', 'found in our application without a record; hung up');
      await telephony.hangup(channel.id).catch((err: unknown) => log.error({ err, callId: id }, 'could not hang up an orphaned channel'));
    }
  }

  async #closeRow(row: Pick<Call, 'id'>, outcome: 'failed' | 'orphaned', reason: string): Promise<void> {
    const at = isoNow(this.#clock);
    const state: CallState = { kind: 'ended', outcome, cause: { code: 0, text: reason } };
    await this.deps.store.record(row.id, { at, type: 'lost', data: { outcome, reason } }, state, {
      endedAt: at, outcome, hangupCause: 0, hangupCauseText: reason,
    });
    this.deps.log.warn({ callId: row.id, outcome, reason }, 'call closed by reconciliation');
  }
}

/** Words for the hang-up, stored beside the cause code. */
function hangupText(by: HangupParty, cause: number): string {
  switch (by) {
    case 'asterisk': return 'Asterisk shut down';
    case 'us': return 'Normal Clearing (hung up by the server)';
    case 'remote': return cause === 16 ? 'Normal Clearing' : `Q.850 cause ${cause}`;
  }
}

function languageOf(state: CallState): Language {
  return state.kind === 'ivr' || state.kind === 'survey' ? state.lang : 'ru';
}

/** The prompt a call waits to finish before it goes on, if any. */
function playingNow(state: CallState): string | null {
  if (state.kind === 'ivr') return state.phase.kind === 'playing' ? state.phase.playbackId : null;
  if (state.kind === 'survey') return state.phase.kind === 'asking' || state.phase.kind === 'closing' ? state.phase.playbackId : null;
  const callback = state.kind === 'after_hours' ? state.dialog : state.kind === 'queued' && state.callback?.at === 'dialog' ? state.callback.dialog : undefined;
  if (callback !== undefined) return callback.phase.kind === 'playing' ? callback.phase.playbackId : null;
  return null;
}

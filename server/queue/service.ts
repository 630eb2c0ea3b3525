import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { CallEvent, QueueStatus } from '../../ivr/call.js';
import { isLoggedIn, type AgentEvent, type AgentState } from '../agents/state.js';
import type { TelephonyEvent, TelephonyPort } from '../ari/port.js';
import type { Db } from '../db/database.js';
import { isoNow } from '../db/database.js';
import type { EventBus } from '../events/bus.js';
import { acdStep, emptyAcd, shouldAnnounce, waitEstimate, type AcdConfig, type AcdEffect, type AcdEvent, type AcdState } from './acd.js';
import { loadAcdConfig, loadAgentStates, loadMusicClasses } from './store.js';
import { agentBusy, agentHasNoCall, agentNotFoundHere, musicClassUnknown, queueNotFound } from './errors.js';
import { OutboundCalls } from './outbound.js';
import { findAccountsByPhone } from '../accounts/lookup.js';
import { normalizePhone } from '../../ivr/phone-number.js';
import { callbackNotWaiting, callbackNumberInvalid } from '../callbacks/errors.js';
import type { CallbackService } from '../callbacks/service.js';

export interface QueueServiceDeps {
  db: Db;
  telephony: TelephonyPort;
  bus: EventBus;
  log: FastifyBaseLogger;
  /** delivers an event to a caller's state machine; resolves when it has been handled */
  notify: (callId: string, event: CallEvent) => Promise<void>;
  /** dial string for agents' outbound calls, with `{number}` */
  outboundRoute: string;
  /** how long a customer's phone rings (outbound calls, callbacks); default 40 s */
  customerRingS?: number;
  /** call recording (server/recordings/recorder.ts); without it nothing is recorded and no notice is played */
  recorder?: RecorderPort;
  /** callback requests (server/callbacks/service.ts); without it no caller can be called back */
  callbacks?: CallbackService;
  /**
   * The music-on-hold classes the Asterisk is known to have (the local one's musiconhold.conf,
   * or MOH_CLASSES): a queue naming another is logged once. Without it no class is judged.
   */
  musicClasses?: ReadonlySet<string>;
  clock?: () => number;
}

/** A callback's virtual entry in the queue, under its attempt's call id. */
interface CallbackEntry { requestId: number; number: string; queueId: string }

/** Call recording, as the queue needs it (server/recordings/recorder.ts). */
export interface RecorderPort {
  /**
   * A caller joins a queue: when it records and the caller has not heard the recording notice on
   * this call, the notice starts playing to them. Resolves once Asterisk has the playback, before
   * the call's own "connecting you", which then follows it; never rejects.
   */
  callerQueued(callId: string, channelId: string, queueId: string): Promise<void>;
  /** While the notice plays to this caller: resolves when it has ended (or the caller left). Undefined otherwise. */
  noticePlaying(callId: string): Promise<void> | undefined;
  /** Caller and agent are both in `bridgeId`: it is recorded when the caller's queue records and they heard the notice. Never rejects. */
  bridged(callId: string, agentId: number, bridgeId: string): Promise<void>;
}

interface WaitingCall {
  callId: string; channelId: string; callerNumber: string; queueId: string; announce?: NodeJS.Timeout;
  /** in the holding bridge now; bridge moves of one caller run in order, apart from the ACD's chain */
  inHolding: boolean; moves: Promise<void>;
  /** the music class set on the caller's channel, once it is */
  musicClass?: string;
}
interface Offer { callId: string; agentId: number; channelId: string; ringTimer: NodeJS.Timeout }
interface Connected { callId: string; agentId: number; agentChannelId: string; callerChannelId: string; bridgeId: string | null; since: number; ended: boolean; held: boolean }

/** Asterisk's hang-up causes for an originated phone that did not answer. */
const NO_ANSWER = new Set([18, 19]);
const REJECTED = new Set([17, 21]);
/** Asterisk's own ring timeout ends an unanswered offer; this timer only catches a lost report. */
const RING_GRACE_MS = 3000;

/**
 * The operator queue around the pure ACD (./acd.ts): callers wait in a holding bridge with
 * music on hold per queue; an offer originates the agent's phone into our Stasis application
 * with the caller's number; an answer moves both into a mixing bridge. Every ACD step runs one
 * at a time (one chain), so two events can never offer one caller twice or one agent two calls.
 */
export class QueueService {
  #acd: AcdState = emptyAcd();
  #chain: Promise<void> = Promise.resolve();
  readonly #waiting = new Map<string, WaitingCall>();
  readonly #offers = new Map<string, Offer>(); // by agent channel id
  readonly #connected = new Map<string, Connected>(); // by call id
  readonly #holding = new Map<string, string>(); // queue id → bridge id
  #musicClasses = new Map<string, string>(); // queue id → music-on-hold class
  readonly #warnedMusic = new Set<string>(); // `${queue id}/${class}` already logged as unknown
  readonly #usernames = new Map<number, string>();
  readonly #callbacks = new Map<string, CallbackEntry>(); // by the attempt's call id
  readonly #off: Array<() => void> = [];
  #tick: NodeJS.Timeout | undefined;
  readonly #clock: () => number;

  readonly #outbound: OutboundCalls;

  private constructor(private readonly deps: QueueServiceDeps, private config: AcdConfig) {
    this.#clock = deps.clock ?? Date.now;
    this.#outbound = new OutboundCalls({
      db: deps.db, telephony: deps.telephony, log: deps.log, route: deps.outboundRoute, ringS: 20, customerRingS: deps.customerRingS ?? 40, clock: this.#clock,
      finished: (callId, agentId, talkMs) => this.#serial(() => this.#apply({ type: 'call_finished', callId, agentId, at: this.#clock(), talkMs })),
    });
  }

  /**
   * An agent calls a customer through the outbound route. The agent must be free: the ACD
   * reserves them at once, so no caller is offered to them while they dial. Resolves with the call id.
   */
  placeCall(agentId: number, numberE164: string): Promise<string> {
    return this.#serial(async () => {
      const username = this.#usernames.get(agentId);
      if (username === undefined) throw agentNotFoundHere(agentId);
      const queueId = [...this.config.members].filter((m) => m.agentId === agentId).sort((a, b) => a.priority - b.priority)[0]?.queueId
        ?? this.config.queues[0]?.id ?? 'general';
      const callId = randomUUID();
      try {
        await this.#apply({ type: 'outbound_started', callId, agentId, queueId, at: this.#clock() });
      } catch (err) {
        if ((err as { code?: string }).code === 'CC_ERR_ACD_INVALID_EVENT') throw agentBusy(agentId, this.agentState(agentId).kind);
        throw err;
      }
      await this.#outbound.place(callId, agentId, username, queueId, numberE164);
      return callId;
    });
  }

  static async create(deps: QueueServiceDeps): Promise<QueueService> {
    const service = new QueueService(deps, await loadAcdConfig(deps.db));
    service.#musicClasses = await loadMusicClasses(deps.db);
    await service.#restore();
    return service;
  }

  async #restore(): Promise<void> {
    const agents = await this.deps.db.selectFrom('agents').select(['id', 'username']).where('active', '=', 1).execute();
    for (const a of agents) this.#usernames.set(a.id, a.username);
    // A restart ends every ringing offer and call leg we drove: agents come back free or paused as they were.
    for (const [agentId, state] of await loadAgentStates(this.deps.db)) {
      this.#acd.agents[agentId] = { state: restorable(state, this.#clock()), missesInARow: 0 };
    }
  }

  /** Re-reads queues, members and agents after an edit; calls in progress keep their place. */
  reloadConfig(): Promise<void> {
    return this.#serial(async () => {
      this.config = await loadAcdConfig(this.deps.db);
      this.#musicClasses = await loadMusicClasses(this.deps.db);
      const agents = await this.deps.db.selectFrom('agents').select(['id', 'username']).where('active', '=', 1).execute();
      this.#usernames.clear();
      for (const a of agents) this.#usernames.set(a.id, a.username);
    });
  }

  start(): void {
    this.#off.push(this.deps.telephony.onEvent((e) => this.#onTelephony(e)));
    // Bridges live in Asterisk: after a restart of it they are gone and are made again on demand.
    this.#off.push(this.deps.telephony.onConnection((e) => { if (e.type === 'connected' && !e.first) this.#holding.clear(); }));
  }

  async stop(): Promise<void> {
    for (const off of this.#off.splice(0)) off();
    clearTimeout(this.#tick);
    for (const w of this.#waiting.values()) clearTimeout(w.announce);
    for (const o of this.#offers.values()) clearTimeout(o.ringTimer);
    await this.#chain;
    // Ours alone: left behind, Asterisk would keep them until it restarts (a new server makes its own).
    for (const bridgeId of this.#holding.values()) {
      await this.deps.telephony.destroyBridge(bridgeId).catch((err: unknown) => this.deps.log.warn({ err, bridgeId }, 'holding bridge not destroyed'));
    }
    this.#holding.clear();
  }

  ownsChannel(channelId: string): boolean {
    return this.#offers.has(channelId) || [...this.#connected.values()].some((c) => c.agentChannelId === channelId) || this.#outbound.owns(channelId);
  }

  agentState(agentId: number): AgentState {
    return this.#acd.agents[agentId]?.state ?? { kind: 'offline' };
  }

  agentStates(): Array<{ agentId: number; username: string; state: AgentState }> {
    return [...this.#usernames].map(([agentId, username]) => ({ agentId, username, state: this.agentState(agentId) }));
  }

  /**
   * Who waits now, in order of arrival: callers on the line and callbacks' virtual entries
   * (`callback`, which keep the caller's original join time). Copies; for the wallboard.
   */
  waitingSnapshot(): Array<{ callId: string; queueId: string; joinedAt: number; callback: boolean }> {
    return this.#acd.waiting.map((w) => ({ callId: w.callId, queueId: w.queueId, joinedAt: w.joinedAt, callback: w.callback === true }));
  }

  /** The position and estimate a waiting caller would hear now, or undefined when not waiting. */
  status(callId: string): ReturnType<typeof waitEstimate> | undefined {
    if (!this.#waiting.has(callId)) return undefined;
    return waitEstimate(this.config, this.#acd, callId, this.#clock());
  }

  /** An agent's own change (log in, pause, ready, log out): applied in order with everything else. */
  agentCommand(agentId: number, event: AgentEvent): Promise<AgentState> {
    return this.#serial(async () => {
      await this.#apply({ type: 'agent_event', agentId, event });
      return this.agentState(agentId);
    });
  }

  /** Hold (the caller hears music and is not heard) or take back; the agent's state says so. */
  hold(agentId: number, on: boolean): Promise<AgentState> {
    return this.#serial(async () => {
      const c = this.#callOf(agentId);
      await this.#apply({ type: 'agent_event', agentId, event: { type: on ? 'held' : 'unheld', at: this.#clock() } });
      const { telephony } = this.deps;
      if (on) {
        await telephony.startMoh(c.callerChannelId);
        await telephony.mute(c.callerChannelId, true);
      } else {
        await telephony.stopMoh(c.callerChannelId);
        await telephony.mute(c.callerChannelId, false);
      }
      c.held = on;
      await this.#callEvent(c.callId, on ? 'hold' : 'unhold', { agentId });
      return this.agentState(agentId);
    });
  }

  /** The agent's microphone off or on for the caller. */
  mute(agentId: number, on: boolean): Promise<AgentState> {
    return this.#serial(async () => {
      const c = this.#callOf(agentId);
      await this.#apply({ type: 'agent_event', agentId, event: { type: on ? 'muted' : 'unmuted', at: this.#clock() } });
      await this.deps.telephony.mute(c.agentChannelId, on);
      await this.#callEvent(c.callId, on ? 'agent_muted' : 'agent_unmuted', { agentId });
      return this.agentState(agentId);
    });
  }

  /**
   * Blind transfer: the caller leaves the agent for another queue or the voice menu; the agent's
   * leg is hung up and the agent goes to wrap-up. The caller's own state machine takes it from there.
   */
  transfer(agentId: number, to: { queue: string } | { agent: number } | 'ivr'): Promise<void> {
    return this.#serial(async () => {
      const c = this.#callOf(agentId);
      if (to !== 'ivr' && 'queue' in to && !this.config.queues.some((q) => q.id === to.queue)) throw queueNotFound(to.queue);
      if (to !== 'ivr' && 'agent' in to) {
        if (!this.#usernames.has(to.agent) || to.agent === agentId) throw agentNotFoundHere(to.agent);
        if (!isLoggedIn(this.agentState(to.agent))) throw agentBusy(to.agent, this.agentState(to.agent).kind);
      }
      const { telephony, log } = this.deps;
      c.ended = true;
      this.#connected.delete(c.callId);
      // The caller leaves the bridge before the agent's leg goes, so nothing tears the caller down with it.
      if (c.bridgeId !== null) await telephony.removeFromBridge(c.bridgeId, c.callerChannelId).catch((err: unknown) => log.warn({ err }, 'caller not removed from the bridge'));
      if (c.held) {
        await telephony.stopMoh(c.callerChannelId).catch(() => undefined);
        await telephony.mute(c.callerChannelId, false).catch(() => undefined);
      }
      await telephony.hangup(c.agentChannelId).catch((err: unknown) => log.warn({ err }, 'agent leg hang-up failed'));
      if (c.bridgeId !== null) await telephony.destroyBridge(c.bridgeId).catch(() => undefined);
      await this.#apply({ type: 'call_finished', callId: c.callId, agentId, at: this.#clock(), talkMs: this.#clock() - c.since });
      this.deps.bus.publish({ type: 'queue_event', what: 'transferred', callId: c.callId, agentId, data: { to }, at: isoNow(this.#clock) });
      await this.#callEvent(c.callId, 'queue_transferred', { agentId, to });
      void this.deps.notify(c.callId, { type: 'transferred', to });
    });
  }

  #callOf(agentId: number): Connected {
    const c = [...this.#connected.values()].find((x) => x.agentId === agentId);
    if (c === undefined) throw agentHasNoCall(agentId);
    return c;
  }

  async #callEvent(callId: string, type: string, data: Record<string, unknown>): Promise<void> {
    await this.deps.db.insertInto('call_events').values({ call_id: callId, at: isoNow(this.#clock), type, data: JSON.stringify(data) }).execute();
  }

  /**
   * A caller chose the operator: in line, then the ACD decides. Resolves with where the caller
   * stands and who is on shift, which decides the caller's first words (ivr/waiting.ts).
   */
  async enqueue(callId: string, channelId: string, queueId: string, callerNumber: string, forAgent?: number): Promise<QueueStatus> {
    // Asterisk plays a channel's playbacks one after another: the notice comes before "connecting you".
    await this.deps.recorder?.callerQueued(callId, channelId, queueId);
    return this.#serial(async () => {
      // The music starts when the call asks for it (holdMusic), after its first words.
      this.#waiting.set(callId, { callId, channelId, callerNumber, queueId, inHolding: false, moves: Promise.resolve() });
      await this.#apply({ type: 'caller_joined', callId, queueId, at: this.#clock(), ...(forAgent !== undefined && { forAgent }) });
      const status = this.#statusOf(callId);
      this.#scheduleAnnouncement(callId, status?.loggedIn === 0 ? 'reminder' : 'first');
      return status ?? { position: 1, estimateMs: null, loggedIn: 1 };
    });
  }

  /** What a waiting caller is told now; undefined once they are no longer waiting (offered callers still are). */
  #statusOf(callId: string): QueueStatus | undefined {
    if (!this.#acd.waiting.some((w) => w.callId === callId)) return undefined;
    const { position, estimateMs, loggedIn } = waitEstimate(this.config, this.#acd, callId, this.#clock());
    return { position, estimateMs, loggedIn };
  }

  /**
   * Moves a waiting caller into or out of the queue's holding bridge. Runs outside the ACD's
   * chain, in order per caller, so a slow bridge move never holds up distribution.
   */
  holdMusic(callId: string, on: boolean): Promise<void> {
    const w = this.#waiting.get(callId);
    if (w === undefined) return Promise.resolve();
    w.moves = w.moves.then(async () => {
      if (!this.#waiting.has(callId) || w.inHolding === on) return;
      const bridgeId = await this.#holdingBridge(w.queueId);
      if (on) {
        await this.#setMusicClass(w);
        await this.deps.telephony.addToBridge(bridgeId, w.channelId, 'holding_participant');
      } else {
        await this.deps.telephony.removeFromBridge(bridgeId, w.channelId);
      }
      w.inHolding = on;
    }).catch((err: unknown) => this.deps.log.warn({ err, callId }, 'hold music move failed'));
    return w.moves;
  }

  /** The caller's channel is gone (hung up, failed): leave the queue, or end the agent's call. */
  callEnded(callId: string): Promise<void> {
    return this.#serial(async () => {
      const waiting = this.#waiting.get(callId);
      if (waiting !== undefined) {
        clearTimeout(waiting.announce);
        this.#waiting.delete(callId);
        if (this.#acd.waiting.some((w) => w.callId === callId)) await this.#apply({ type: 'caller_left', callId, at: this.#clock(), reason: 'abandoned' });
      }
      const connected = this.#connected.get(callId);
      if (connected !== undefined) await this.#finish(connected, 'caller');
    });
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(work);
    this.#chain = run.then(() => undefined, (err: unknown) => { this.deps.log.error({ err }, 'queue step failed'); });
    return run;
  }

  async #apply(e: AcdEvent): Promise<void> {
    const [next, effects] = acdStep(this.config, this.#acd, e);
    this.#acd = next;
    for (const effect of effects) await this.#run(effect);
    this.#scheduleTick();
  }

  async #run(effect: AcdEffect): Promise<void> {
    const { telephony, log } = this.deps;
    switch (effect.do) {
      case 'offer': {
        if (this.#callbacks.has(effect.callId)) return this.#offerCallback(effect.callId, effect.agentId, effect.ringMs);
        const waiting = this.#waiting.get(effect.callId);
        const username = this.#usernames.get(effect.agentId);
        const channelId = randomUUID();
        const ringTimer = setTimeout(() => void this.#serial(() => this.#offerFailed(channelId, 'no_answer')), effect.ringMs + RING_GRACE_MS);
        this.#offers.set(channelId, { callId: effect.callId, agentId: effect.agentId, channelId, ringTimer });
        try {
          if (waiting === undefined || username === undefined) throw new Error('caller or agent unknown to the queue service');
          await telephony.originate({
            endpoint: `PJSIP/${username}`, channelId, appArgs: ['agent', effect.callId, String(effect.agentId)],
            callerId: waiting.callerNumber, timeoutS: Math.ceil(effect.ringMs / 1000), originator: waiting.channelId,
          });
        } catch (err) {
          log.warn({ err, callId: effect.callId, agentId: effect.agentId }, 'agent phone could not be called');
          await this.#offerFailed(channelId, 'unavailable');
        }
        return;
      }
      case 'cancel_offer':
        for (const offer of this.#offers.values()) {
          if (offer.callId !== effect.callId) continue;
          clearTimeout(offer.ringTimer);
          this.#offers.delete(offer.channelId);
          await telephony.hangup(offer.channelId).catch((err: unknown) => log.warn({ err }, 'could not cancel an offer'));
        }
        return;
      case 'connect':
        return this.#connect(effect.callId, effect.agentId);
      case 'time_out': {
        const waiting = this.#waiting.get(effect.callId);
        if (waiting !== undefined) { clearTimeout(waiting.announce); this.#waiting.delete(effect.callId); }
        void this.deps.notify(effect.callId, { type: 'wait_expired' });
        return;
      }
      case 'agent_changed':
        return this.#persistAgent(effect.agentId, effect.state, effect.reason);
      case 'queue_event': {
        const at = isoNow(this.#clock);
        const { do: _, ...event } = effect;
        if (effect.callId !== undefined) {
          await this.deps.db.insertInto('call_events').values({ call_id: effect.callId, at, type: `queue_${effect.what}`, data: JSON.stringify(event) })
            .execute().catch((err: unknown) => log.warn({ err }, 'queue event not recorded'));
        }
        this.deps.bus.publish({ type: 'queue_event', ...event, at });
        return;
      }
    }
  }

  async #connect(callId: string, agentId: number): Promise<void> {
    if (this.#callbacks.has(callId)) return this.#connectCallback(callId, agentId);
    const offer = [...this.#offers.values()].find((o) => o.callId === callId && o.agentId === agentId);
    const waiting = this.#waiting.get(callId);
    if (offer === undefined || waiting === undefined) return;
    clearTimeout(offer.ringTimer);
    clearTimeout(waiting.announce);
    this.#offers.delete(offer.channelId);
    this.#waiting.delete(callId);
    // Registered before any await: if the agent hangs up meanwhile, #finish finds the call.
    const connected: Connected = { callId, agentId, agentChannelId: offer.channelId, callerChannelId: waiting.channelId, bridgeId: null, since: this.#clock(), ended: false, held: false };
    this.#connected.set(callId, connected);
    // The caller's machine stops any announcement first, so the caller can be moved at once.
    await Promise.race([this.deps.notify(callId, { type: 'agent_connected', agentId }), delay(2000)]);
    if (connected.ended) return;
    // A caller still hearing the recording notice (an agent was free at once) meets the agent
    // when it ends: the notice is never cut, and playing it as the caller joins rather than at
    // the answer means agents usually wait for none of it, only for what is left. Waited for
    // outside the ACD's chain, so nobody else's call waits with them.
    const notice = this.deps.recorder?.noticePlaying(callId);
    if (notice !== undefined) {
      void notice.then(() => this.#serial(() => this.#bridge(connected, waiting, offer.channelId)))
        .catch((err: unknown) => this.deps.log.error({ err, callId }, 'caller and agent not bridged after the recording notice'));
      return;
    }
    await this.#bridge(connected, waiting, offer.channelId);
  }

  /** Caller and agent into a mixing bridge of their own; recorded when the caller's queue records. */
  async #bridge(connected: Connected, waiting: WaitingCall, agentChannelId: string): Promise<void> {
    const { telephony } = this.deps;
    const { callId, agentId } = connected;
    if (connected.ended) return;
    const bridgeId = await telephony.createBridge('mixing', `call-${callId}`);
    connected.bridgeId = bridgeId;
    if (connected.ended) { await telephony.destroyBridge(bridgeId).catch(() => undefined); return; }
    // Out of the holding bridge (nothing plays there to the caller, so this is quick), after any move in flight.
    await waiting.moves;
    const holding = this.#holding.get(waiting.queueId);
    if (waiting.inHolding && holding !== undefined) await telephony.removeFromBridge(holding, waiting.channelId).catch(() => undefined);
    waiting.inHolding = false;
    await telephony.addToBridge(bridgeId, waiting.channelId);
    await telephony.addToBridge(bridgeId, agentChannelId);
    await this.deps.db.updateTable('calls').set({ agent_id: agentId, queue: waiting.queueId }).where('id', '=', callId).execute();
    await this.deps.recorder?.bridged(callId, agentId, bridgeId);
  }

  /** Either side of a connected call left: hang up the other leg, free the bridge, start wrap-up. */
  async #finish(c: Connected, by: 'caller' | 'agent'): Promise<void> {
    if (c.ended) return;
    c.ended = true;
    this.#connected.delete(c.callId);
    const { telephony, log } = this.deps;
    if (by === 'agent') {
      // The caller stays with us (the post-call survey): out of the bridge, off hold, before anything is torn down.
      if (c.bridgeId !== null) await telephony.removeFromBridge(c.bridgeId, c.callerChannelId).catch((err: unknown) => log.warn({ err }, 'caller not removed from the bridge'));
      if (c.held) {
        await telephony.stopMoh(c.callerChannelId).catch(() => undefined);
        await telephony.mute(c.callerChannelId, false).catch(() => undefined);
      }
    }
    await telephony.hangup(c.agentChannelId).catch((err: unknown) => log.warn({ err }, 'agent leg hang-up failed'));
    if (c.bridgeId !== null) await telephony.destroyBridge(c.bridgeId).catch((err: unknown) => log.warn({ err }, 'bridge not destroyed'));
    await this.#apply({ type: 'call_finished', callId: c.callId, agentId: c.agentId, at: this.#clock(), talkMs: this.#clock() - c.since });
    // Who hung up first is known only here (queue_log's COMPLETECALLER / COMPLETEAGENT).
    this.deps.bus.publish({ type: 'queue_event', what: 'completed', callId: c.callId, agentId: c.agentId, data: { by }, at: isoNow(this.#clock) });
  }

  async #offerFailed(channelId: string, reason: 'no_answer' | 'rejected' | 'unavailable'): Promise<void> {
    const offer = this.#offers.get(channelId);
    if (offer === undefined) return;
    clearTimeout(offer.ringTimer);
    this.#offers.delete(channelId);
    await this.deps.telephony.hangup(channelId).catch(() => undefined);
    await this.#apply({ type: 'offer_failed', callId: offer.callId, agentId: offer.agentId, at: this.#clock(), reason });
    const callback = this.#callbacks.get(offer.callId);
    if (callback !== undefined) await this.deps.callbacks?.reservationFailed(callback.requestId);
  }

  /**
   * A waiting caller chose to be called back: a request is stored and their entry becomes the
   * callback's virtual entry, in the same place in line (the ACD keeps its join time). Throws
   * CC_ERR_CALLBACK_NOT_WAITING when the caller is no longer waiting (an agent took them meanwhile).
   */
  convertToCallback(callId: string, numberE164: string): Promise<{ requestId: number }> {
    return this.#serial(async () => {
      const entry = this.#acd.waiting.find((w) => w.callId === callId && w.callback !== true);
      const number = normalizePhone(numberE164);
      if (number === null) throw callbackNumberInvalid(numberE164);
      if (entry === undefined || this.deps.callbacks === undefined) throw callbackNotWaiting(callId);
      const requestId = await this.deps.callbacks.create({ callId, numberE164: number, queueId: entry.queueId, queueEnteredAt: entry.joinedAt });
      const attemptId = randomUUID();
      this.#callbacks.set(attemptId, { requestId, number, queueId: entry.queueId });
      const waiting = this.#waiting.get(callId);
      if (waiting !== undefined) { clearTimeout(waiting.announce); this.#waiting.delete(callId); }
      await this.#apply({ type: 'converted_to_callback', callId, callbackCallId: attemptId, at: this.#clock() });
      return { requestId };
    });
  }

  /** A stored callback request goes into line at `joinedAt` (its kept place, or when its retry became due). */
  joinCallback(entry: { requestId: number; number: string; queueId: string; joinedAt: number }): Promise<void> {
    return this.#serial(async () => {
      const attemptId = randomUUID();
      this.#callbacks.set(attemptId, { requestId: entry.requestId, number: entry.number, queueId: entry.queueId });
      try {
        await this.#apply({ type: 'caller_joined', callId: attemptId, queueId: entry.queueId, at: this.#clock(), joinedAt: entry.joinedAt, callback: true });
      } catch (err) {
        this.#callbacks.delete(attemptId);
        throw err;
      }
    });
  }

  /** Takes a callback's entry out of line (closing time, an agent calling by hand); false while an agent is being rung or it is dialled. */
  withdrawCallback(requestId: number): Promise<boolean> {
    return this.#serial(async () => {
      const attemptId = [...this.#callbacks].find(([, c]) => c.requestId === requestId)?.[0];
      if (attemptId === undefined) return true;
      const entry = this.#acd.waiting.find((w) => w.callId === attemptId);
      if (entry === undefined || entry.offer !== null) return false;
      this.#callbacks.delete(attemptId);
      await this.#apply({ type: 'caller_left', callId: attemptId, at: this.#clock(), reason: 'deferred' });
      return true;
    });
  }

  /** Rings the agent reserved for a callback: the screen pop shows the customer; nobody is on the line yet. */
  async #offerCallback(callId: string, agentId: number, ringMs: number): Promise<void> {
    const entry = this.#callbacks.get(callId)!;
    const username = this.#usernames.get(agentId);
    const channelId = randomUUID();
    const ringTimer = setTimeout(() => void this.#serial(() => this.#offerFailed(channelId, 'no_answer')), ringMs + RING_GRACE_MS);
    this.#offers.set(channelId, { callId, agentId, channelId, ringTimer });
    const { db, telephony, log } = this.deps;
    try {
      // The attempt's call row exists before the offer is announced: the screen pop reads it.
      const at = isoNow(this.#clock);
      const row = await db.selectFrom('calls').select('id').where('id', '=', callId).executeTakeFirst();
      if (row === undefined) {
        const accounts = await findAccountsByPhone(db, entry.number);
        await db.insertInto('calls').values({
          id: callId, channel_id: channelId, direction: 'callback', caller_number: entry.number, caller_e164: entry.number,
          identification: accounts.length === 0 ? 'none' : accounts.length === 1 ? 'one' : 'several', account_id: accounts.length === 1 ? accounts[0]!.accountId : null,
          agent_id: agentId, queue: entry.queueId, started_at: at, state: null,
        }).execute();
        await db.insertInto('call_events').values({ call_id: callId, at, type: 'callback_attempt', data: JSON.stringify({ requestId: entry.requestId }) }).execute();
      } else {
        await db.updateTable('calls').set({ channel_id: channelId, agent_id: agentId }).where('id', '=', callId).execute();
      }
      await this.deps.callbacks?.reserved(entry.requestId, agentId);
      if (username === undefined) throw new Error('agent unknown to the queue service');
      await telephony.originate({
        endpoint: `PJSIP/${username}`, channelId, appArgs: ['agent', callId, String(agentId)], callerId: entry.number, timeoutS: Math.ceil(ringMs / 1000),
      });
    } catch (err) {
      log.warn({ err, callId, agentId }, 'agent phone could not be called for a callback');
      await this.#offerFailed(channelId, 'unavailable');
    }
  }

  /** The reserved agent answered: now the customer is called, through the outbound route. */
  async #connectCallback(callId: string, agentId: number): Promise<void> {
    const entry = this.#callbacks.get(callId)!;
    const offer = [...this.#offers.values()].find((o) => o.callId === callId && o.agentId === agentId);
    this.#callbacks.delete(callId);
    if (offer === undefined) return;
    clearTimeout(offer.ringTimer);
    this.#offers.delete(offer.channelId);
    const callbacks = this.deps.callbacks;
    await callbacks?.dialing(entry.requestId, callId, agentId);
    await this.#outbound.adopt({
      callId, agentId, agentChannelId: offer.channelId, number: entry.number,
      onEnded: async (leg) => { await callbacks?.attemptEnded(entry.requestId, callId, leg); },
    });
  }

  #onTelephony(e: TelephonyEvent): void {
    if (this.#outbound.onTelephony(e)) return;
    switch (e.type) {
      case 'channel_entered': {
        if (e.args[0] !== 'agent') return;
        const channelId = e.channel.id;
        void this.#serial(async () => {
          const offer = this.#offers.get(channelId);
          if (offer === undefined) {
            // Answered after we gave up on it (ring timer, caller gone): nobody to talk to.
            await this.deps.telephony.hangup(channelId).catch(() => undefined);
            return;
          }
          await this.#apply({ type: 'offer_answered', callId: offer.callId, agentId: offer.agentId, at: this.#clock() });
        });
        return;
      }
      case 'channel_destroyed': {
        if (!this.#offers.has(e.channelId)) return;
        const reason = NO_ANSWER.has(e.cause) ? 'no_answer' : REJECTED.has(e.cause) ? 'rejected' : 'unavailable';
        void this.#serial(() => this.#offerFailed(e.channelId, reason));
        return;
      }
      case 'channel_left':
        // In the ACD's order, so an agent who hangs up the moment they answer is seen after the connection.
        void this.#serial(async () => {
          const connected = [...this.#connected.values()].find((c) => c.agentChannelId === e.channelId);
          if (connected === undefined) return;
          // The agent hung up first: the caller leaves the bridge, then the caller's machine runs
          // the survey (or hangs up). Not awaited: the call's effects may come back to this chain.
          await this.#finish(connected, 'agent');
          void this.deps.notify(connected.callId, { type: 'agent_left' });
        });
        return;
      default:
    }
  }

  /*
   * No music is started on the bridge itself (ARI's bridges/startMoh): that plays through an
   * announcer channel, and once the last caller had left the bridge to hear an announcement
   * nothing played again to those who came back (measured: 2.6 s and more of no RTP after every
   * announcement). Without an announcer, Asterisk's holding bridge (bridge_holding.c) gives each
   * participant music of their own from the moment they join to the moment they leave, in the
   * channel's music class (CHANNEL(musicclass), set by #setMusicClass before the caller joins) —
   * if the channel joins with the role 'holding_participant': to a channel without a role, ARI's
   * stasis bridge gives the idle mode 'none' (res/stasis/stasis_bridge.c, bridge_stasis_push).
   */
  async #holdingBridge(queueId: string): Promise<string> {
    const existing = this.#holding.get(queueId);
    if (existing !== undefined) return existing;
    const bridgeId = await this.deps.telephony.createBridge('holding', `queue-${queueId}`);
    this.#holding.set(queueId, bridgeId);
    return bridgeId;
  }

  /** The caller's channel gets its queue's music class, once per stay; an unknown class is logged once per queue. */
  async #setMusicClass(w: WaitingCall): Promise<void> {
    const musicClass = this.#musicClasses.get(w.queueId) ?? 'default';
    if (w.musicClass === musicClass) return;
    const known = this.deps.musicClasses;
    const key = `${w.queueId}/${musicClass}`;
    if (known !== undefined && !known.has(musicClass) && !this.#warnedMusic.has(key)) {
      this.#warnedMusic.add(key);
      const warning = musicClassUnknown(w.queueId, musicClass, [...known]);
      this.deps.log.warn({ code: warning.code, ...warning.details }, warning.message);
    }
    // Set even when unknown: res_musiconhold falls back to 'default' by itself, and an external
    // Asterisk may well have a class MOH_CLASSES does not list.
    await this.deps.telephony.setMusicClass(w.channelId, musicClass);
    w.musicClass = musicClass;
  }

  /**
   * The next announcement to a waiting caller. The first comes soon after joining (the queue's
   * firstAnnounceMs, at most 15 s: a caller should not wait long to learn where they stand); the
   * rest every announceEveryMs. A caller told at joining that nobody is on shift gets reminders.
   */
  #scheduleAnnouncement(callId: string, which: 'first' | 'reminder'): void {
    const waiting = this.#waiting.get(callId);
    const queue = this.config.queues.find((q) => q.id === waiting?.queueId);
    if (waiting === undefined || queue === undefined) return;
    const delayMs = which === 'first' ? Math.min(queue.firstAnnounceMs ?? queue.announceEveryMs, queue.announceEveryMs) : queue.announceEveryMs;
    waiting.announce = setTimeout(() => {
      if (!this.#waiting.has(callId)) return;
      // Never announce to a caller whose agent's phone is ringing: they may be connected any moment.
      const status = shouldAnnounce(this.#acd, callId) ? this.#statusOf(callId) : undefined;
      if (status !== undefined) void this.deps.notify(callId, { type: 'queue_status', ...status });
      this.#scheduleAnnouncement(callId, 'reminder');
    }, delayMs);
  }

  /** Wakes the ACD exactly when the next wrap-up ends or the next caller reaches the longest wait. */
  #scheduleTick(): void {
    clearTimeout(this.#tick);
    const now = this.#clock();
    const deadlines: number[] = [];
    for (const a of Object.values(this.#acd.agents)) if (a.state.kind === 'wrap_up') deadlines.push(a.state.until);
    for (const w of this.#acd.waiting) {
      if (w.callback) continue; // nobody waits on the line: no time limit
      const q = this.config.queues.find((x) => x.id === w.queueId);
      if (q !== undefined) deadlines.push(w.joinedAt + q.maxWaitMs);
    }
    if (deadlines.length === 0) return;
    const delay = Math.max(0, Math.min(...deadlines) - now) + 5;
    this.#tick = setTimeout(() => void this.#serial(() => this.#apply({ type: 'tick', at: this.#clock() })), delay);
  }

  async #persistAgent(agentId: number, state: AgentState, reason: string): Promise<void> {
    const at = isoNow(this.#clock);
    const previous = await this.deps.db.selectFrom('agent_states').select('state').where('agent_id', '=', agentId).executeTakeFirst();
    await this.deps.db.transaction().execute(async (trx) => {
      if (previous === undefined) {
        await trx.insertInto('agent_states').values({ agent_id: agentId, state: JSON.stringify(state), since: at }).execute();
      } else {
        await trx.updateTable('agent_states').set({ state: JSON.stringify(state), since: at }).where('agent_id', '=', agentId).execute();
      }
      await trx.insertInto('agent_state_log').values({
        agent_id: agentId, at, from_state: previous === undefined ? 'offline' : (JSON.parse(previous.state) as AgentState).kind, to_state: state.kind, reason,
      }).execute();
    });
    this.deps.bus.publish({ type: 'agent_changed', agentId, state, reason, at });
  }
}

/** What an agent's stored state means after a restart: calls and rings we drove are over. */
function restorable(state: AgentState, now: number): AgentState {
  switch (state.kind) {
    case 'ringing':
    case 'on_call':
    case 'wrap_up':
      return { kind: 'available', since: now };
    default:
      return state;
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms).unref(); });

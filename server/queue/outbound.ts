import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { TelephonyEvent, TelephonyPort } from '../ari/port.js';
import type { Db } from '../db/database.js';
import { isoNow } from '../db/database.js';

/** One outbound call: the agent's phone first, then the customer, then both in a bridge. */
interface OutboundCall {
  callId: string;
  agentId: number;
  number: string;
  agentChannelId: string;
  customerChannelId: string;
  bridgeId: string | null;
  answeredAt: number | null;
  done: boolean;
  /** the customer leg's end: its hang-up cause when it never answered */
  customerCause: number | null;
  /** told once how the customer leg went (callbacks record each attempt) */
  onEnded?: (result: CustomerLegResult) => Promise<void>;
}

/** How the customer's leg of a call went. */
export interface CustomerLegResult {
  answered: boolean;
  /** ms from the customer's answer to the end; 0 when not answered */
  talkMs: number;
  /** Asterisk's hang-up cause of a customer leg that never answered (17 busy, 18/19 no answer) */
  cause: number | null;
  /** who ended it: the customer, the agent, or nobody answered / it failed */
  endedBy: 'customer' | 'agent' | 'none';
}

export interface OutboundDeps {
  db: Db;
  telephony: TelephonyPort;
  log: FastifyBaseLogger;
  /** dial string with `{number}`, e.g. PJSIP/trunk/sip:{number}@carrier */
  route: string;
  /** how long the agent's phone rings */
  ringS: number;
  /** how long the customer's phone rings before the call counts as not answered */
  customerRingS: number;
  clock: () => number;
  /** tells the ACD the agent's call ended (wrap-up follows) */
  finished: (callId: string, agentId: number, talkMs: number) => Promise<void>;
}

/**
 * Calls placed by an agent through the outbound route, over ARI: the agent's phone rings first
 * (showing the number being called), and when the agent picks up the customer is dialled with the
 * agent's leg as originator (same codec, no transcoding); when both are up they share a mixing
 * bridge. Whoever hangs up ends the other leg. Each call is stored as a call row (direction
 * 'outbound', the customer's number as the number) with its events.
 */
export class OutboundCalls {
  readonly #calls = new Map<string, OutboundCall>();

  constructor(private readonly deps: OutboundDeps) {}

  /** Starts the call; the agent must already be reserved by the ACD under `callId`. */
  async place(callId: string, agentId: number, username: string, queueId: string, number: string): Promise<void> {
    const { db, telephony, clock } = this.deps;
    const call: OutboundCall = {
      callId, agentId, number, agentChannelId: randomUUID(), customerChannelId: randomUUID(), bridgeId: null, answeredAt: null, done: false, customerCause: null,
    };
    this.#calls.set(callId, call);
    const at = isoNow(clock);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('calls').values({
        id: callId, channel_id: call.agentChannelId, direction: 'outbound', caller_number: number, caller_e164: number,
        agent_id: agentId, queue: queueId, started_at: at, state: null,
      }).execute();
      await trx.insertInto('call_events').values({ call_id: callId, at, type: 'outbound_started', data: JSON.stringify({ agentId, number }) }).execute();
    });
    try {
      await telephony.originate({
        endpoint: `PJSIP/${username}`, channelId: call.agentChannelId, appArgs: ['outbound', callId, 'agent'], callerId: number, timeoutS: this.deps.ringS,
      });
    } catch (err) {
      await this.#end(call, 'failed', `agent phone unreachable: ${(err as Error).message}`);
    }
  }

  /**
   * Continues a call whose agent leg is already up in our application (a callback: the queue
   * offered it to the agent, who answered) by dialling the customer, as place() does once the
   * agent answers. The call row exists already. `onEnded` learns how the customer leg went.
   */
  async adopt(o: { callId: string; agentId: number; agentChannelId: string; number: string; onEnded: (result: CustomerLegResult) => Promise<void> }): Promise<void> {
    const call: OutboundCall = {
      callId: o.callId, agentId: o.agentId, number: o.number, agentChannelId: o.agentChannelId, customerChannelId: randomUUID(),
      bridgeId: null, answeredAt: null, done: false, customerCause: null, onEnded: o.onEnded,
    };
    this.#calls.set(o.callId, call);
    await this.#dialCustomer(call);
  }

  async #dialCustomer(call: OutboundCall): Promise<void> {
    await this.#event(call, 'outbound_customer_dialled', { number: call.number });
    await this.deps.telephony.originate({
      endpoint: this.deps.route.replace('{number}', call.number), channelId: call.customerChannelId,
      appArgs: ['outbound', call.callId, 'customer'], callerId: '', timeoutS: this.deps.customerRingS, originator: call.agentChannelId,
    }).catch(async (err: unknown) => this.#end(call, 'failed', `outbound route failed: ${(err as Error).message}`));
  }

  owns(channelId: string): boolean {
    return [...this.#calls.values()].some((c) => c.agentChannelId === channelId || c.customerChannelId === channelId);
  }

  /** Handles the events of our legs; returns false for any other channel. */
  onTelephony(e: TelephonyEvent): boolean {
    const call = this.#find(e);
    if (call === undefined) return false;
    void this.#on(call, e).catch((err: unknown) => this.deps.log.error({ err, callId: call.callId }, 'outbound call step failed'));
    return true;
  }

  #find(e: TelephonyEvent): OutboundCall | undefined {
    const channelId = e.type === 'channel_entered' ? e.channel.id : 'channelId' in e ? e.channelId : undefined;
    if (channelId === undefined) return undefined;
    for (const c of this.#calls.values()) if (c.agentChannelId === channelId || c.customerChannelId === channelId) return c;
    return undefined;
  }

  async #on(call: OutboundCall, e: TelephonyEvent): Promise<void> {
    const { telephony } = this.deps;
    const isAgent = (id: string) => id === call.agentChannelId;
    switch (e.type) {
      case 'channel_entered':
        if (isAgent(e.channel.id)) {
          await this.#event(call, 'outbound_agent_answered', {});
          await this.#dialCustomer(call);
        } else {
          call.answeredAt = this.deps.clock();
          call.bridgeId = await telephony.createBridge('mixing', `outbound-${call.callId}`);
          await telephony.addToBridge(call.bridgeId, call.agentChannelId);
          await telephony.addToBridge(call.bridgeId, call.customerChannelId);
          await this.deps.db.updateTable('calls').set({ answered_at: isoNow(this.deps.clock) }).where('id', '=', call.callId).execute();
          await this.#event(call, 'outbound_customer_answered', {});
        }
        return;
      case 'channel_destroyed':
        // A leg that never answered: the agent did not pick up, or the customer's line did not answer.
        if (!isAgent(e.channelId)) call.customerCause = e.cause;
        return this.#end(call, 'failed', isAgent(e.channelId) ? `agent did not answer (cause ${e.cause})` : `customer did not answer (cause ${e.cause})`);
      case 'channel_left':
        return this.#end(call, call.answeredAt === null ? 'failed' : 'completed', isAgent(e.channelId) ? 'agent hung up' : 'customer hung up', isAgent(e.channelId) ? 'agent' : 'customer');
      default:
    }
  }

  async #end(call: OutboundCall, outcome: 'completed' | 'failed', reason: string, endedBy: CustomerLegResult['endedBy'] = 'none'): Promise<void> {
    if (call.done) return;
    call.done = true;
    this.#calls.delete(call.callId);
    const { telephony, log, db, clock } = this.deps;
    for (const id of [call.agentChannelId, call.customerChannelId]) await telephony.hangup(id).catch(() => undefined);
    if (call.bridgeId !== null) await telephony.destroyBridge(call.bridgeId).catch((err: unknown) => log.warn({ err }, 'bridge not destroyed'));
    const at = isoNow(clock);
    await db.updateTable('calls').set({ ended_at: at, outcome, hangup_cause_text: reason }).where('id', '=', call.callId).execute();
    await this.#event(call, 'outbound_ended', { outcome, reason });
    const talkMs = call.answeredAt === null ? 0 : clock() - call.answeredAt;
    await this.deps.finished(call.callId, call.agentId, talkMs);
    await call.onEnded?.({ answered: call.answeredAt !== null, talkMs, cause: call.customerCause, endedBy: call.answeredAt === null && endedBy === 'customer' ? 'none' : endedBy })
      .catch((err: unknown) => log.error({ err, callId: call.callId }, 'customer leg result not recorded'));
  }

  async #event(call: OutboundCall, type: string, data: Record<string, unknown>): Promise<void> {
    await this.deps.db.insertInto('call_events').values({ call_id: call.callId, at: isoNow(this.deps.clock), type, data: JSON.stringify(data) }).execute();
  }
}

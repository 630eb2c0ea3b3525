import type { FastifyBaseLogger } from 'fastify';
import { findAccountsByPhone } from '../accounts/lookup.js';
import { normalizePhone } from '../../ivr/phone-number.js';
import type { CallbackSettings } from '../config.js';
import { isoNow, type Db } from '../db/database.js';
import type { WorkingHours } from '../schedule/service.js';
import { callbackBusy, callbackNotFound, callbackNumberInvalid } from './errors.js';
import { afterAttempt, classifyAttempt, placeInLine, type AttemptOutcome, type LegResult } from './rules.js';

/** What the callback service needs of the queue (server/queue/service.ts). */
export interface CallbackQueue {
  /** puts a request's virtual entry into its queue at `joinedAt` (its place in line) */
  joinCallback(entry: { requestId: number; number: string; queueId: string; joinedAt: number }): Promise<void>;
  /** takes a request's entry out of the queue; false when it is not waiting there (being dialled) */
  withdrawCallback(requestId: number): Promise<boolean>;
  placeCall(agentId: number, numberE164: string): Promise<string>;
}

export interface CallbackServiceDeps {
  db: Db;
  hours: WorkingHours;
  settings: CallbackSettings;
  log: FastifyBaseLogger;
  clock?: () => number;
}

/** How often waiting entries are checked against the working hours (closing time takes them out). */
const HOURS_CHECK_MS = 30_000;

/**
 * Callback requests: stored first (a request survives any restart), kept in the queue as virtual
 * entries while the center is open, dialled through the queue (an agent is reserved, then the
 * customer is called: see QueueService), retried after a delay within working hours, and
 * finished as completed or failed (rules.ts). At start, a request found mid-attempt (the server
 * stopped between reserving an agent and the end of the call) goes back to pending — its
 * customer leg died with the server's channels, so it is never dialled twice at once.
 */
export class CallbackService {
  readonly #clock: () => number;
  #queue: CallbackQueue | undefined;
  /** requests whose virtual entry is in the queue now */
  readonly #inQueue = new Set<number>();
  #timer: NodeJS.Timeout | undefined;
  #hoursTimer: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(private readonly deps: CallbackServiceDeps) {
    this.#clock = deps.clock ?? Date.now;
  }

  /** The queue the entries go into; set by the composition root (the queue also calls back here). */
  attach(queue: CallbackQueue): void {
    this.#queue = queue;
  }

  /** Recovers interrupted attempts and puts every pending request back in line (or on its timer). */
  async start(): Promise<void> {
    const at = isoNow(this.#clock);
    await this.deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('callback_attempts').set({ ended_at: at, outcome: 'interrupted' }).where('ended_at', 'is', null).execute();
      await trx.updateTable('callback_requests').set({ status: 'pending', agent_id: null, updated_at: at }).where('status', '=', 'dialing').execute();
    });
    this.#hoursTimer = setInterval(() => void this.#serial(() => this.#checkHours()), HOURS_CHECK_MS);
    this.#hoursTimer.unref();
    await this.#serial(() => this.#dispatchDue());
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearInterval(this.#hoursTimer);
  }

  /**
   * A waiting caller chose to be called back: the request, keeping `queueEnteredAt` (their place).
   * The queue makes the virtual entry itself (it converts the caller's entry), so the request is
   * marked as in line here.
   */
  async create(r: { callId: string; numberE164: string; queueId: string; queueEnteredAt: number }): Promise<number> {
    const requestId = await this.#insert(r.callId, r.numberE164, r.queueId, new Date(r.queueEnteredAt).toISOString(), null);
    this.#inQueue.add(requestId);
    return requestId;
  }

  /**
   * A caller outside working hours asks to be called back: due at the next opening, in the order
   * of the requests. Throws CC_ERR_CALLBACK_NUMBER_INVALID for a number that is not Russian.
   */
  async requestLater(r: { callId: string; numberE164: string; queueId: string }): Promise<{ requestId: number; dueAt: Date }> {
    const number = normalizePhone(r.numberE164);
    if (number === null) throw callbackNumberInvalid(r.numberE164);
    const now = new Date(this.#clock());
    const dueAt = this.deps.hours.nextOpening(now) ?? now;
    const requestId = await this.#insert(r.callId, number, r.queueId, now.toISOString(), dueAt.toISOString());
    this.#serial(() => this.#dispatchDue());
    return { requestId, dueAt };
  }

  async #insert(callId: string, number: string, queueId: string, enteredAt: string, nextAttemptAt: string | null): Promise<number> {
    const accounts = await findAccountsByPhone(this.deps.db, number);
    const at = isoNow(this.#clock);
    const row = await this.deps.db.insertInto('callback_requests').values({
      call_id: callId, account_id: accounts.length === 1 ? accounts[0]!.accountId : null, phone_e164: number, queue: queueId,
      status: 'pending', requested_at: at, queue_entered_at: enteredAt, attempts: 0, next_attempt_at: nextAttemptAt, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow();
    await this.deps.db.insertInto('call_events').values({ call_id: callId, at, type: 'callback_requested', data: JSON.stringify({ requestId: row.id, number, dueAt: nextAttemptAt }) }).execute();
    return row.id;
  }

  /** The queue offered the request to an agent: reserved, not yet dialled. */
  async reserved(requestId: number, agentId: number): Promise<void> {
    await this.#update(requestId, { status: 'dialing', agent_id: agentId });
  }

  /** The reserved agent did not answer: the entry waits in the queue again. */
  async reservationFailed(requestId: number): Promise<void> {
    await this.#update(requestId, { status: 'pending', agent_id: null });
  }

  /** The agent answered; the customer is being dialled under `callId`. */
  async dialing(requestId: number, callId: string, agentId: number): Promise<void> {
    this.#inQueue.delete(requestId);
    const at = isoNow(this.#clock);
    await this.deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('callback_attempts').values({ request_id: requestId, call_id: callId, agent_id: agentId, started_at: at }).execute();
      await trx.updateTable('callback_requests').set((eb) => ({ attempts: eb('attempts', '+', 1), status: 'dialing', agent_id: agentId, updated_at: at }))
        .where('id', '=', requestId).execute();
    });
  }

  /** How the customer's leg went: the attempt's outcome, and the request's next step. */
  async attemptEnded(requestId: number, callId: string, leg: LegResult): Promise<AttemptOutcome> {
    const outcome = classifyAttempt(leg, this.deps.settings.minTalkMs);
    const request = await this.#get(requestId);
    const now = new Date(this.#clock());
    const next = afterAttempt(outcome, request.attempts, this.deps.settings, now, (at) => this.deps.hours.nextOpening(at));
    const at = now.toISOString();
    await this.deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('callback_attempts').set({ ended_at: at, outcome, talk_ms: leg.talkMs })
        .where('request_id', '=', requestId).where('call_id', '=', callId).execute();
      await trx.updateTable('callback_requests').set({
        status: next.status, last_outcome: outcome, updated_at: at,
        next_attempt_at: next.status === 'pending' ? next.nextAttemptAt.toISOString() : null,
      }).where('id', '=', requestId).execute();
    });
    this.deps.log.info({ requestId, callId, outcome, next: next.status }, 'callback attempt ended');
    if (next.status === 'pending') this.#serial(() => this.#dispatchDue());
    return outcome;
  }

  /**
   * An agent calls the customer by hand from the list: the request leaves the queue (so the
   * dialler cannot call at the same time) and the call is placed through the outbound route.
   * Throws CC_ERR_CALLBACK_BUSY while it is being dialled or once completed.
   */
  async callByHand(requestId: number, agentId: number): Promise<{ callId: string }> {
    const request = await this.#get(requestId);
    if (request.status !== 'pending' && request.status !== 'failed') throw callbackBusy(requestId, request.status);
    if (this.#inQueue.has(requestId) && !(await this.#queue!.withdrawCallback(requestId))) throw callbackBusy(requestId, 'dialing');
    this.#inQueue.delete(requestId);
    await this.#update(requestId, { status: 'dialing', agent_id: agentId });
    let callId: string;
    try {
      callId = await this.#queue!.placeCall(agentId, request.phone_e164);
    } catch (err) {
      await this.#update(requestId, { status: request.status, agent_id: null });
      if (request.status === 'pending') this.#serial(() => this.#dispatchDue());
      throw err;
    }
    const at = isoNow(this.#clock);
    await this.deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('callback_attempts').values({ request_id: requestId, call_id: callId, agent_id: agentId, manual: 1, started_at: at }).execute();
      await trx.updateTable('callback_requests').set((eb) => ({ attempts: eb('attempts', '+', 1), updated_at: at })).where('id', '=', requestId).execute();
    });
    return { callId };
  }

  /** The agent marks a request done or failed (after a call by hand, or without one), with a reason. */
  async resolve(requestId: number, agentId: number, outcome: 'completed' | 'failed', reason: string): Promise<void> {
    const request = await this.#get(requestId);
    if (request.status === 'completed') throw callbackBusy(requestId, request.status);
    if (request.status === 'dialing' && request.agent_id !== agentId) throw callbackBusy(requestId, request.status);
    if (this.#inQueue.has(requestId) && !(await this.#queue!.withdrawCallback(requestId))) throw callbackBusy(requestId, 'dialing');
    this.#inQueue.delete(requestId);
    const at = isoNow(this.#clock);
    await this.deps.db.transaction().execute(async (trx) => {
      await trx.updateTable('callback_attempts').set({ ended_at: at, outcome: outcome === 'completed' ? 'answered' : 'failed' })
        .where('request_id', '=', requestId).where('ended_at', 'is', null).execute();
      await trx.updateTable('callback_requests').set({ status: outcome, last_outcome: reason, agent_id: agentId, next_attempt_at: null, updated_at: at })
        .where('id', '=', requestId).execute();
    });
  }

  /** Requests due now go into line while the center is open; the timer wakes for the next one. */
  async #dispatchDue(): Promise<void> {
    if (this.#stopped || this.#queue === undefined) return;
    clearTimeout(this.#timer);
    const now = this.#clock();
    const pending = await this.deps.db.selectFrom('callback_requests').selectAll().where('status', '=', 'pending').orderBy('queue_entered_at').execute();
    const open = this.deps.hours.isOpen(new Date(now));
    let wake: number | undefined;
    for (const r of pending) {
      if (this.#inQueue.has(r.id)) continue;
      const due = r.next_attempt_at === null ? now : Date.parse(r.next_attempt_at);
      if (due <= now && open) {
        this.#inQueue.add(r.id);
        await this.#queue.joinCallback({
          requestId: r.id, number: r.phone_e164, queueId: r.queue,
          joinedAt: placeInLine({ attempts: r.attempts, queueEnteredAt: r.queue_entered_at, nextAttemptAt: r.next_attempt_at }, now),
        }).catch((err: unknown) => {
          this.#inQueue.delete(r.id);
          this.deps.log.error({ err, requestId: r.id }, 'callback not put in line; retried at the next check');
        });
      } else {
        const at = due > now ? due : this.deps.hours.nextOpening(new Date(now))?.getTime();
        if (at !== undefined) wake = Math.min(wake ?? at, at);
      }
    }
    if (wake !== undefined) {
      this.#timer = setTimeout(() => void this.#serial(() => this.#dispatchDue()), Math.max(0, wake - now) + 5);
      this.#timer.unref();
    }
  }

  /** At closing time the entries in line leave it, to come back at the next opening in the same order. */
  async #checkHours(): Promise<void> {
    const now = new Date(this.#clock());
    if (this.deps.hours.isOpen(now) || this.#inQueue.size === 0 || this.#queue === undefined) return this.#dispatchDue();
    const opening = this.deps.hours.nextOpening(now);
    for (const requestId of [...this.#inQueue]) {
      if (!(await this.#queue.withdrawCallback(requestId))) continue;
      this.#inQueue.delete(requestId);
      const r = await this.#get(requestId);
      // A first attempt keeps its original place (queue_entered_at); a retry lines up at the opening.
      await this.#update(requestId, { next_attempt_at: opening?.toISOString() ?? r.next_attempt_at });
    }
    await this.#dispatchDue();
  }

  /** Callback requests for the agent's list, newest first, with their attempts. */
  async list(filter: { statuses: string[]; limit: number }) {
    const rows = await this.deps.db.selectFrom('callback_requests as r')
      .leftJoin('accounts as a', 'a.id', 'r.account_id')
      .leftJoin('customers as c', 'c.id', 'a.customer_id')
      .select(['r.id', 'r.call_id', 'r.account_id', 'r.phone_e164', 'r.queue', 'r.status', 'r.requested_at', 'r.queue_entered_at', 'r.attempts',
        'r.next_attempt_at', 'r.last_outcome', 'r.agent_id', 'a.number as account_number', 'c.last_name', 'c.first_name', 'c.middle_name'])
      .where('r.status', 'in', filter.statuses).orderBy('r.requested_at', 'desc').limit(filter.limit).execute();
    const ids = rows.map((r) => r.id);
    const attempts = ids.length === 0 ? [] : await this.deps.db.selectFrom('callback_attempts')
      .select(['request_id', 'call_id', 'agent_id', 'manual', 'started_at', 'ended_at', 'outcome', 'talk_ms']).where('request_id', 'in', ids).orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id, callId: r.call_id, accountId: r.account_id, accountNumber: r.account_number, number: r.phone_e164, queue: r.queue, status: r.status,
      customerName: r.last_name === null ? null : [r.last_name, r.first_name, r.middle_name].filter((p) => p !== null && p !== '').join(' '),
      requestedAt: r.requested_at, queueEnteredAt: r.queue_entered_at, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastOutcome: r.last_outcome, agentId: r.agent_id,
      history: attempts.filter((a) => a.request_id === r.id).map((a) => ({
        callId: a.call_id, agentId: a.agent_id, manual: a.manual === 1, startedAt: a.started_at, endedAt: a.ended_at, outcome: a.outcome, talkMs: a.talk_ms,
      })),
    }));
  }

  /** Requests since `since`, by status: counted apart from abandons on the wallboard. */
  async summary(since: string): Promise<Record<'requested' | 'pending' | 'dialing' | 'completed' | 'failed', number>> {
    const rows = await this.deps.db.selectFrom('callback_requests').select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('requested_at', '>=', since).groupBy('status').execute();
    const by = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
    return {
      requested: rows.reduce((sum, r) => sum + Number(r.n), 0),
      pending: by('pending'), dialing: by('dialing'), completed: by('completed'), failed: by('failed'),
    };
  }

  async #get(requestId: number) {
    const row = await this.deps.db.selectFrom('callback_requests').selectAll().where('id', '=', requestId).executeTakeFirst();
    if (row === undefined) throw callbackNotFound(requestId);
    return row;
  }

  async #update(requestId: number, patch: { status?: string; agent_id?: number | null; next_attempt_at?: string | null }): Promise<void> {
    await this.deps.db.updateTable('callback_requests').set({ ...patch, updated_at: isoNow(this.#clock) }).where('id', '=', requestId).execute();
  }

  #serial(work: () => Promise<void>): Promise<void> {
    const run = this.#chain.then(work);
    this.#chain = run.catch((err: unknown) => this.deps.log.error({ err }, 'callback scheduling step failed'));
    return this.#chain;
  }
}

import type { Db } from '../db/database.js';
import type { Appeal, Consultation } from '../db/schema.js';
import { AppError, isAppError } from '../errors.js';
import { appealNotFound, customerMismatch, idempotencyConflict, invalidTransition, unknownReference } from './errors.js';
import {
  addDays, appealNumber, checkTransition, daysBetween, dueDate, isAppealStatus, kaliningradDay, numberingYear, OPEN_STATUSES,
  type AppealChannel, type AppealKind, type AppealStatus, type ConsultationTopic,
} from './rules.js';
import type { AppealListQuery, AppealView, ConsultationView, DueSoonView, NewAppealBody, NewConsultationBody } from './schemas.js';

export type NewAppeal = Omit<NewAppealBody, 'agentId'>;
export type NewConsultation = Omit<NewConsultationBody, 'agentId'>;

function appealView(a: Appeal): AppealView {
  if (!isAppealStatus(a.status)) throw new AppError('CC_ERR_INTERNAL', `appeal ${a.number} has an unknown status`, { number: a.number, status: a.status });
  return {
    id: a.id, number: a.number, kind: a.kind as AppealKind, channel: a.channel as AppealChannel, subject: a.subject, body: a.body,
    status: a.status, accountId: a.account_id, customerId: a.customer_id, callId: a.call_id, agentId: a.agent_id,
    registeredAt: a.registered_at, dueDate: a.due_date, answeredAt: a.answered_at,
  };
}

function consultationView(c: Consultation): ConsultationView {
  return {
    id: c.id, agentId: c.agent_id, callId: c.call_id, accountId: c.account_id, topic: c.topic as ConsultationTopic,
    notes: c.notes, resolved: c.resolved === 1, createdAt: c.created_at,
  };
}

/** Whether a resubmitted form is the appeal already registered under its key (a double click), not another one. */
function sameAppeal(a: Appeal, b: NewAppeal): boolean {
  return a.kind === b.kind && a.channel === b.channel && a.subject === b.subject && a.body === b.body
    && a.account_id === (b.accountId ?? null) && a.call_id === (b.callId ?? null)
    && (b.customerId === undefined || a.customer_id === b.customerId);
}

/** Checks the ids a payload names; an unknown one is refused naming its field. */
class References {
  constructor(private readonly db: Db) {}

  async agent(id: number): Promise<void> {
    if (await this.db.selectFrom('agents').select('id').where('id', '=', id).executeTakeFirst() === undefined) throw unknownReference('agentId', id);
  }

  async call(id: string | undefined): Promise<void> {
    if (id !== undefined && await this.db.selectFrom('calls').select('id').where('id', '=', id).executeTakeFirst() === undefined) {
      throw unknownReference('callId', id);
    }
  }

  /** The account's customer, or null without an account. */
  async account(id: number | undefined): Promise<number | null> {
    if (id === undefined) return null;
    const row = await this.db.selectFrom('accounts').select('customer_id').where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw unknownReference('accountId', id);
    return row.customer_id;
  }

  async customer(id: number | undefined): Promise<void> {
    if (id !== undefined && await this.db.selectFrom('customers').select('id').where('id', '=', id).executeTakeFirst() === undefined) {
      throw unknownReference('customerId', id);
    }
  }
}

/**
 * Appeals (обращения): registered with a number and a due date under the service standard
 * (rules.ts), followed to an answer, and listed for the supervisor by how soon they are due.
 * Every registration and status change is written in one transaction with its audit_log row.
 */
export class AppealService {
  private readonly refs: References;

  constructor(private readonly db: Db, private readonly clock: () => number = Date.now) {
    this.refs = new References(db);
  }

  /**
   * Registers an appeal on behalf of `actorAgentId`. Returns `created: false` with the appeal
   * already registered under the same idempotency key (a double submit); a key reused for
   * different content is refused (CC_ERR_APPEAL_IDEMPOTENCY_CONFLICT). Refuses unknown
   * references (CC_ERR_APPEAL_UNKNOWN_REFERENCE), a customer other than the account's
   * (CC_ERR_APPEAL_CUSTOMER_MISMATCH) and a bad authority date (CC_ERR_APPEAL_AUTHORITY_DATE_INVALID).
   * With an account and no customer, the account's customer is recorded.
   */
  async register(input: NewAppeal, actorAgentId: number): Promise<{ appeal: AppealView; created: boolean }> {
    const replay = await this.byIdempotencyKey(input);
    if (replay !== undefined) return replay;

    await this.refs.agent(actorAgentId);
    await this.refs.call(input.callId);
    const accountCustomer = await this.refs.account(input.accountId);
    await this.refs.customer(input.customerId);
    if (input.customerId !== undefined && accountCustomer !== null && accountCustomer !== input.customerId) {
      throw customerMismatch(input.customerId, input.accountId!);
    }

    const now = new Date(this.clock());
    const due = dueDate(input.kind, now, input.authorityDueDate);
    const at = now.toISOString();
    const year = numberingYear(now);
    try {
      const row = await this.db.transaction().execute(async (trx) => {
        // The counter row is locked by this upsert until commit (PostgreSQL) or the whole database
        // is (SQLite): numbers are handed out one at a time and a rollback gives the number back.
        const { last_seq } = await trx.insertInto('appeal_counters').values({ year, last_seq: 1 })
          .onConflict((oc) => oc.column('year').doUpdateSet((eb) => ({ last_seq: eb('appeal_counters.last_seq', '+', 1) })))
          .returning('last_seq').executeTakeFirstOrThrow();
        const number = appealNumber(year, last_seq);
        const appeal = await trx.insertInto('appeals').values({
          number, call_id: input.callId ?? null, agent_id: actorAgentId, account_id: input.accountId ?? null,
          customer_id: input.customerId ?? accountCustomer, kind: input.kind, channel: input.channel, subject: input.subject,
          body: input.body, status: 'registered', registered_at: at, due_date: due, answered_at: null, idempotency_key: input.idempotencyKey,
        }).returningAll().executeTakeFirstOrThrow();
        // Often registered in wrap-up, after the caller already rated the call: the answer points at the latest appeal.
        if (input.callId !== undefined) await trx.updateTable('survey_answers').set({ appeal_id: appeal.id }).where('call_id', '=', input.callId).execute();
        await trx.insertInto('audit_log').values({
          at, actor_agent_id: actorAgentId, action: 'appeal_registered', subject: `appeal:${number}`,
          details: JSON.stringify({ id: appeal.id, kind: input.kind, channel: input.channel, dueDate: due, accountId: appeal.account_id, callId: appeal.call_id }),
        }).execute();
        return appeal;
      });
      return { appeal: appealView(row), created: true };
    } catch (err) {
      if (isAppError(err)) throw err;
      // Two submits of one form raced past the first check (possible on PostgreSQL): the unique
      // key let one through; answer the other with it.
      const raced = await this.byIdempotencyKey(input);
      if (raced !== undefined) return raced;
      throw new AppError('CC_ERR_DB_QUERY_FAILED', 'appeal not registered', { idempotencyKey: input.idempotencyKey }, { cause: err });
    }
  }

  private async byIdempotencyKey(input: NewAppeal): Promise<{ appeal: AppealView; created: false } | undefined> {
    const row = await this.db.selectFrom('appeals').selectAll().where('idempotency_key', '=', input.idempotencyKey).executeTakeFirst();
    if (row === undefined) return undefined;
    if (!sameAppeal(row, input)) throw idempotencyConflict(input.idempotencyKey, row.number);
    return { appeal: appealView(row), created: false };
  }

  /** The appeal with this registration number; CC_ERR_APPEAL_NOT_FOUND otherwise. */
  async get(number: string): Promise<AppealView> {
    const row = await this.db.selectFrom('appeals').selectAll().where('number', '=', number).executeTakeFirst();
    if (row === undefined) throw appealNotFound(number);
    return appealView(row);
  }

  /** Appeals matching every filter given (due strictly before `dueBefore`), newest first. */
  async list(q: AppealListQuery): Promise<AppealView[]> {
    let query = this.db.selectFrom('appeals').selectAll();
    if (q.accountId !== undefined) query = query.where('account_id', '=', q.accountId);
    if (q.status !== undefined) query = query.where('status', '=', q.status);
    if (q.dueBefore !== undefined) query = query.where('due_date', '<', q.dueBefore);
    const rows = await query.orderBy('registered_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map(appealView);
  }

  /**
   * Open appeals (registered or in progress) due within `days` days of today in Kaliningrad,
   * overdue ones included: the most urgent first (earliest due date, then earliest registered).
   */
  async dueSoon(days: number): Promise<DueSoonView[]> {
    const today = kaliningradDay(new Date(this.clock()));
    const rows = await this.db.selectFrom('appeals').selectAll()
      .where('status', 'in', OPEN_STATUSES).where('due_date', '<=', addDays(today, days))
      .orderBy('due_date').orderBy('registered_at').orderBy('id').execute();
    return rows.map((r) => {
      const daysLeft = daysBetween(today, r.due_date);
      return { ...appealView(r), daysLeft, overdue: daysLeft < 0 };
    });
  }

  /**
   * Moves an appeal along its life (rules.ts checkTransition); the time of the answer is kept.
   * Asking for the status it already has changes nothing and writes no audit row. Refuses an
   * illegal change with CC_ERR_APPEAL_INVALID_TRANSITION.
   */
  async changeStatus(number: string, to: AppealStatus, actorAgentId: number): Promise<AppealView> {
    await this.refs.agent(actorAgentId);
    const at = new Date(this.clock()).toISOString();
    const row = await this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('appeals').selectAll().where('number', '=', number).executeTakeFirst();
      if (current === undefined) throw appealNotFound(number);
      const from = appealView(current).status;
      if (!checkTransition(from, to)) return current;
      // Guarded by the old status: of two agents changing one appeal at once, the second is refused.
      const updated = await trx.updateTable('appeals')
        .set({ status: to, ...(to === 'answered' && { answered_at: at }) })
        .where('id', '=', current.id).where('status', '=', from).returningAll().executeTakeFirst();
      if (updated === undefined) throw invalidTransition(from, to);
      await trx.insertInto('audit_log').values({
        at, actor_agent_id: actorAgentId, action: 'appeal_status_changed', subject: `appeal:${number}`, details: JSON.stringify({ from, to }),
      }).execute();
      return updated;
    });
    return appealView(row);
  }
}

/** Consultations: questions an agent answered on the spot, recorded by topic for reports. */
export class ConsultationService {
  private readonly refs: References;

  constructor(private readonly db: Db, private readonly clock: () => number = Date.now) {
    this.refs = new References(db);
  }

  /** Records a consultation given by `agentId`; refuses an unknown agent, call or account (CC_ERR_APPEAL_UNKNOWN_REFERENCE). */
  async record(input: NewConsultation, agentId: number): Promise<ConsultationView> {
    await this.refs.agent(agentId);
    await this.refs.call(input.callId);
    await this.refs.account(input.accountId);
    const row = await this.db.insertInto('consultations').values({
      call_id: input.callId ?? null, agent_id: agentId, account_id: input.accountId ?? null, topic: input.topic,
      notes: input.notes, resolved: input.resolved ? 1 : 0, created_at: new Date(this.clock()).toISOString(),
    }).returningAll().executeTakeFirstOrThrow();
    return consultationView(row);
  }
}

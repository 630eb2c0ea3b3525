import type { Db } from '../db/database.js';
import type { Call, CallEventRow, CallOutcome, Identification } from '../db/schema.js';

/** Persistence of calls and their events. Every state change and its event are written together. */
export class CallStore {
  constructor(private readonly db: Db) {}

  async insert(call: {
    id: string; channelId: string; callerNumber: string; callerE164: string | null;
    identification: Identification; accountId: number | null; startedAt: string; state: unknown;
    /** the request URI's user part as the dialplan saw it ('s' for a URI without one); null when unknown */
    dialed?: string | null;
  }, event: { at: string; type: string; data: unknown }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('calls').values({
        id: call.id,
        channel_id: call.channelId,
        direction: 'inbound',
        caller_number: call.callerNumber,
        caller_e164: call.callerE164,
        identification: call.identification,
        account_id: call.accountId,
        started_at: call.startedAt,
        state: JSON.stringify(call.state),
        dialed: call.dialed ?? null,
      }).execute();
      await trx.insertInto('call_events').values({ call_id: call.id, at: event.at, type: event.type, data: JSON.stringify(event.data) }).execute();
    });
  }

  /** Records one event with the state it led to; `patch` sets answered/ended columns when they apply. */
  async record(callId: string, event: { at: string; type: string; data: unknown }, state: unknown, patch: {
    answeredAt?: string; endedAt?: string; outcome?: CallOutcome; hangupCause?: number; hangupCauseText?: string;
  } = {}): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('call_events').values({ call_id: callId, at: event.at, type: event.type, data: JSON.stringify(event.data) }).execute();
      await trx.updateTable('calls').set({
        state: JSON.stringify(state),
        ...(patch.answeredAt !== undefined && { answered_at: patch.answeredAt }),
        ...(patch.endedAt !== undefined && { ended_at: patch.endedAt }),
        ...(patch.outcome !== undefined && { outcome: patch.outcome }),
        ...(patch.hangupCause !== undefined && { hangup_cause: patch.hangupCause }),
        ...(patch.hangupCauseText !== undefined && { hangup_cause_text: patch.hangupCauseText }),
      }).where('id', '=', callId).execute();
    });
  }

  /** Calls not yet ended, oldest first. */
  async live(): Promise<Call[]> {
    return this.db.selectFrom('calls').selectAll().where('ended_at', 'is', null).orderBy('started_at').execute();
  }

  async get(callId: string): Promise<Call | undefined> {
    return this.db.selectFrom('calls').selectAll().where('id', '=', callId).executeTakeFirst();
  }

  async events(callId: string): Promise<CallEventRow[]> {
    return this.db.selectFrom('call_events').selectAll().where('call_id', '=', callId).orderBy('id').execute();
  }

  async recent(limit: number, before?: string): Promise<Call[]> {
    let q = this.db.selectFrom('calls').selectAll().orderBy('started_at', 'desc').orderBy('id').limit(limit);
    if (before !== undefined) q = q.where('started_at', '<', before);
    return q.execute();
  }
}

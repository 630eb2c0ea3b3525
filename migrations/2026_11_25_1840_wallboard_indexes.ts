import type { Kysely } from 'kysely';

/*
 * Indexes for the wallboard's figures of the day (server/wallboard/service.ts): it reads the
 * queue's call events of one day by type and time, and the callback requests made that day.
 * Without them both are full scans of tables that only grow.
 * Never edit this file once merged; add a new migration instead.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('call_events_type_at_idx').on('call_events').columns(['type', 'at']).execute();
  await db.schema.createIndex('callback_requests_requested_idx').on('callback_requests').column('requested_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('callback_requests_requested_idx').ifExists().execute();
  await db.schema.dropIndex('call_events_type_at_idx').ifExists().execute();
}

import type { Kysely } from 'kysely';

/*
 * Every attempt to call a customer back, with its outcome (callback_requests holds the request,
 * its status and the number of attempts): the call that carried it, the agent reserved for it,
 * when the customer was dialled and how it ended. An attempt with no `ended_at` was cut short by
 * a server stop and is closed as 'interrupted' at the next start.
 * Never edit this file once merged; add a new migration instead.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

export async function up(db: Kysely<any>): Promise<void> {
  const table = db.schema.createTable('callback_attempts');
  await (isPostgres(db)
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('request_id', 'integer', (c) => c.notNull().references('callback_requests.id').onDelete('cascade'))
    .addColumn('call_id', 'text', (c) => c.references('calls.id').onDelete('set null'))
    .addColumn('agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('manual', 'integer', (c) => c.notNull().defaultTo(0)) // 1: an agent's own call from the list
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    // answered, no_answer, busy, hung_up_at_once, failed, agent_hung_up, interrupted
    .addColumn('outcome', 'text')
    .addColumn('talk_ms', 'integer')
    .execute();
  await db.schema.createIndex('callback_attempts_request_idx').on('callback_attempts').column('request_id').execute();
  // The agent's list and the dialer read requests by status and due time.
  await db.schema.createIndex('callback_requests_due_idx').on('callback_requests').columns(['status', 'next_attempt_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('callback_requests_due_idx').ifExists().execute();
  await db.schema.dropTable('callback_attempts').ifExists().execute();
}

import type { Kysely } from 'kysely';

/*
 * Every queue and agent event as a line of Asterisk's queue_log (server/queue-log/format.ts), kept
 * beside the file so GET /api/queue-log can serve a time range. The columns are the line's
 * fields; `data` is everything after the event name, joined by '|' exactly as in the file, and
 * `id` keeps the file's order. Portable SQL, as in the first migration.
 * Never edit this file once merged; add a new migration instead.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

export async function up(db: Kysely<any>): Promise<void> {
  const table = db.schema.createTable('queue_log');
  await (isPostgres(db)
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('epoch', 'integer', (c) => c.notNull()) // seconds since the epoch, the line's first field
    .addColumn('call_id', 'text', (c) => c.notNull()) // calls.id, or NONE / MANAGER for member lines
    .addColumn('queue', 'text', (c) => c.notNull()) // a queue id, or NONE
    .addColumn('agent', 'text', (c) => c.notNull()) // PJSIP/<username>, or NONE
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('queue_log_epoch_idx').on('queue_log').column('epoch').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('queue_log').ifExists().execute();
}

import { sql, type Kysely } from 'kysely';

/*
 * Call recordings: one row per recorded conversation (a caller and an agent in one bridge; a call
 * transferred to a second agent may have two). The audio stays in Asterisk's recording spool
 * under `name` and is read through ARI; a row is written when recording starts and completed
 * when Asterisk reports its end. Whether a queue records is `queues.recording` (0/1, off by
 * default), which the queues migration already made. Portable SQL, as in the first migration.
 * Never edit this file once merged; add a new migration instead.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

export async function up(db: Kysely<any>): Promise<void> {
  const table = db.schema.createTable('recordings');
  await (isPostgres(db)
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    // A recording is evidence: the call it belongs to cannot be deleted from under it.
    .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id'))
    .addColumn('name', 'text', (c) => c.notNull().unique()) // ARI's recording name, the file's name in the spool
    .addColumn('format', 'text', (c) => c.notNull()) // 'wav': the file is <name>.wav
    .addColumn('agent_id', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('duration_ms', 'integer') // from the file's own header
    .addColumn('size_bytes', 'integer')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('recording', 'done', 'failed')`))
    .addColumn('failure', 'text') // Asterisk's cause or our error, for a failed one
    .execute();
  await db.schema.createIndex('recordings_call_idx').on('recordings').column('call_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('recordings').ifExists().execute();
}

import type { Kysely } from 'kysely';

/*
 * Staff logins. A session row is keyed by the SHA-256 of the random token the browser holds in
 * its cookie, never by the token itself: a copy of the database (a backup, a stolen file) gives
 * no one a live session. Times are ISO-8601 UTC text, as everywhere else.
 * Never edit this file once merged; add a new migration instead.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey()) // hex SHA-256 of the cookie's token
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull()) // last_seen_at + the idle time, slides with it
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('sessions_agent_idx').on('sessions').column('agent_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sessions').ifExists().execute();
}

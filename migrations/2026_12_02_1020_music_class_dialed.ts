import type { Kysely } from 'kysely';

/*
 * What callers hear and what they dialled (issue 10):
 * - `queues.music_class`: the music-on-hold class (a section of Asterisk's musiconhold.conf) a
 *   queue's waiting callers hear; 'default' for every queue that exists. A class Asterisk does not
 *   have falls back to its 'default' (res_musiconhold), and the server logs a warning.
 * - `calls.dialed`: the request URI's user part the call came in on (the dialplan's extension:
 *   digits, '+', or any text), kept for routing by number later; null for calls we placed and
 *   calls recorded before this column existed.
 * Never edit this file once merged; add a new migration instead.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('queues').addColumn('music_class', 'text', (c) => c.notNull().defaultTo('default')).execute();
  await db.schema.alterTable('calls').addColumn('dialed', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('calls').dropColumn('dialed').execute();
  await db.schema.alterTable('queues').dropColumn('music_class').execute();
}

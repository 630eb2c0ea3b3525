import type { Kysely } from 'kysely';

/*
 * When a waiting caller hears their place and the estimate for the first time (issue 10: it
 * came only after announce_every_s, 45 s of "connecting you" and music). Seconds after joining;
 * the queue API keeps it at 15 s or less. Never edit once merged.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('queues').addColumn('first_announce_s', 'integer', (c) => c.notNull().defaultTo(10)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('queues').dropColumn('first_announce_s').execute();
}

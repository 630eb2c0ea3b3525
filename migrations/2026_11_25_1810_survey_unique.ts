import type { Kysely } from 'kysely';

/*
 * One post-call survey answer per call (server/self-service/survey.ts inserts with ON CONFLICT
 * DO NOTHING on it), so a replayed request never stores a second score. Portable SQL, as in the
 * first migration.
 * Never edit this file once merged; add a new migration instead.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('survey_answers_call_idx').on('survey_answers').column('call_id').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('survey_answers_call_idx').ifExists().execute();
}

import type { Kysely } from 'kysely';

/*
 * Issue 11, staff and reference data edited in the product: a staff member given a one-time
 * password must choose their own at the next login; an office has a phone number callers hear;
 * an audit row keeps the values before and after a change (JSON text; null for a creation's
 * before and for rows of actions that have no such values). Never edit once merged.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agents').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('offices').addColumn('phone', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('audit_log').addColumn('before', 'text').execute();
  await db.schema.alterTable('audit_log').addColumn('after', 'text').execute();
  await db.schema.createIndex('audit_log_subject_idx').on('audit_log').columns(['subject', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_log_subject_idx').execute();
  await db.schema.alterTable('audit_log').dropColumn('after').execute();
  await db.schema.alterTable('audit_log').dropColumn('before').execute();
  await db.schema.alterTable('offices').dropColumn('phone').execute();
  await db.schema.alterTable('agents').dropColumn('must_change_password').execute();
}

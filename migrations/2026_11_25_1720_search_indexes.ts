import type { Kysely } from 'kysely';

/*
 * An index for the agent's customer search at 1,000,000 customers: an address typed from its
 * start ("ул. Горького, д. 5"). Names use customers_name_idx, numbers the unique index on
 * accounts.number, phones account_phones_phone_idx. Never edit once merged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('accounts_address_only_idx').on('accounts').column('address').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('accounts_address_only_idx').ifExists().execute();
}

import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';

/*
 * The first schema: everything the IVR, the queue, the softphone and the wallboard need.
 * Portable SQL only (runs on SQLite and PostgreSQL): times are ISO-8601 UTC text, money is
 * integer kopecks, JSON payloads are text, booleans are 0/1 integers.
 * Never edit this file once merged; add a new migration instead.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

/** A surrogate integer key: AUTOINCREMENT on SQLite, an identity column on PostgreSQL. */
function withId<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) {
  return isPostgres(db)
    ? table.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

const now = (c: ColumnDefinitionBuilder) => c.notNull();

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('customers'))
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('middle_name', 'text')
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', now)
    .execute();
  await db.schema.createIndex('customers_name_idx').on('customers').columns(['last_name', 'first_name']).execute();

  await withId(db, db.schema.createTable('accounts'))
    // лицевой счёт: the number printed on the customer's bill
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('tariff', 'text', (c) => c.notNull().check(sql`tariff in ('single', 'two_zone')`))
    .addColumn('opened_at', 'text', now)
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createIndex('accounts_customer_idx').on('accounts').column('customer_id').execute();
  await db.schema.createIndex('accounts_address_idx').on('accounts').columns(['city', 'address']).execute();

  await db.schema.createTable('account_phones')
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('phone_e164', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addPrimaryKeyConstraint('account_phones_pk', ['account_id', 'phone_e164'])
    .execute();
  await db.schema.createIndex('account_phones_phone_idx').on('account_phones').column('phone_e164').execute();

  await withId(db, db.schema.createTable('charges'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('period', 'text', (c) => c.notNull()) // YYYY-MM
    .addColumn('kwh_day', 'integer', (c) => c.notNull())
    .addColumn('kwh_night', 'integer')
    .addColumn('amount_kop', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', now)
    .addUniqueConstraint('charges_account_period_uq', ['account_id', 'period'])
    .execute();

  await withId(db, db.schema.createTable('payments'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('paid_at', 'text', (c) => c.notNull())
    .addColumn('amount_kop', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull()) // personal_account, bank_card, bank_office, post, terminal
    .execute();
  await db.schema.createIndex('payments_account_idx').on('payments').columns(['account_id', 'paid_at']).execute();

  await withId(db, db.schema.createTable('agents'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('agent', 'supervisor', 'admin')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('sip_password', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('ru'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', now)
    .execute();

  await db.schema.createTable('calls')
    .addColumn('id', 'text', (c) => c.primaryKey()) // UUID, also given to Asterisk as the channel id
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('inbound', 'outbound', 'callback')`))
    .addColumn('caller_number', 'text', (c) => c.notNull()) // exactly as received, may be empty
    .addColumn('caller_e164', 'text')
    .addColumn('identification', 'text', (c) => c.notNull().defaultTo('none').check(sql`identification in ('none', 'one', 'several')`))
    .addColumn('account_id', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('agent_id', 'integer', (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('queue', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('outcome', 'text') // null while the call is live
    .addColumn('hangup_cause', 'integer')
    .addColumn('hangup_cause_text', 'text')
    .addColumn('state', 'text') // the call's state machine, JSON, so a restart can resume it
    .execute();
  await db.schema.createIndex('calls_caller_idx').on('calls').column('caller_e164').execute();
  await db.schema.createIndex('calls_account_idx').on('calls').columns(['account_id', 'started_at']).execute();
  await db.schema.createIndex('calls_started_idx').on('calls').column('started_at').execute();
  await db.schema.createIndex('calls_live_idx').on('calls').column('ended_at').execute();

  await withId(db, db.schema.createTable('call_events'))
    .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('call_events_call_idx').on('call_events').columns(['call_id', 'id']).execute();

  await withId(db, db.schema.createTable('meter_readings'))
    .addColumn('account_id', 'integer', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('taken_at', 'text', (c) => c.notNull())
    .addColumn('day_value', 'integer', (c) => c.notNull())
    .addColumn('night_value', 'integer')
    .addColumn('source', 'text', (c) => c.notNull()) // ivr, agent, personal_account, telegram, controller
    .addColumn('call_id', 'text', (c) => c.references('calls.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('meter_readings_account_idx').on('meter_readings').columns(['account_id', 'taken_at']).execute();

  await withId(db, db.schema.createTable('consultations'))
    .addColumn('call_id', 'text', (c) => c.references('calls.id').onDelete('set null'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id'))
    .addColumn('account_id', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('resolved', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', now)
    .execute();
  await db.schema.createIndex('consultations_account_idx').on('consultations').columns(['account_id', 'created_at']).execute();

  await withId(db, db.schema.createTable('appeals'))
    .addColumn('number', 'text', (c) => c.notNull().unique()) // registration number read to the caller
    .addColumn('call_id', 'text', (c) => c.references('calls.id').onDelete('set null'))
    .addColumn('agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('account_id', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('customer_id', 'integer', (c) => c.references('customers.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull()) // registered, in_progress, answered, closed
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull()) // YYYY-MM-DD, Europe/Kaliningrad calendar day
    .addColumn('answered_at', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .execute();
  await db.schema.createIndex('appeals_account_idx').on('appeals').columns(['account_id', 'registered_at']).execute();
  await db.schema.createIndex('appeals_due_idx').on('appeals').columns(['status', 'due_date']).execute();

  await withId(db, db.schema.createTable('callback_requests'))
    .addColumn('call_id', 'text', (c) => c.references('calls.id').onDelete('set null'))
    .addColumn('account_id', 'integer', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('phone_e164', 'text', (c) => c.notNull())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending, dialing, completed, failed, cancelled
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('queue_entered_at', 'text', (c) => c.notNull()) // the original place in line
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text')
    .addColumn('last_outcome', 'text')
    .addColumn('agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('callback_requests_status_idx').on('callback_requests').columns(['status', 'queue_entered_at']).execute();

  await withId(db, db.schema.createTable('survey_answers'))
    .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id').onDelete('cascade'))
    .addColumn('agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('appeal_id', 'integer', (c) => c.references('appeals.id'))
    .addColumn('score', 'integer', (c) => c.notNull().check(sql`score between 1 and 5`))
    .addColumn('answered_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('audit_log'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_agent_id', 'integer', (c) => c.references('agents.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_log', 'survey_answers', 'callback_requests', 'appeals', 'consultations', 'meter_readings',
    'call_events', 'calls', 'agents', 'payments', 'charges', 'account_phones', 'accounts', 'customers',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

import { sql, type Kysely } from 'kysely';

/*
 * Queues as data, agents' queue memberships, the agents' current state and its history, and how
 * each agent's phone is reached. The four queues below are reference data (titles and timings
 * are meant to be edited in the table, not here). Portable SQL, as in the first migration.
 * Never edit this file once merged; add a new migration instead.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('queues')
    .addColumn('id', 'text', (c) => c.primaryKey()) // 'general', 'billing', … : what the IVR and the ACD name
    .addColumn('title_ru', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('skill', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0)) // higher is served first
    .addColumn('sl_threshold_s', 'integer', (c) => c.notNull().defaultTo(20).check(sql`sl_threshold_s > 0`))
    .addColumn('max_wait_s', 'integer', (c) => c.notNull().defaultTo(600).check(sql`max_wait_s > 0`))
    .addColumn('announce_every_s', 'integer', (c) => c.notNull().defaultTo(45).check(sql`announce_every_s > 0`))
    .addColumn('wrap_up_s', 'integer', (c) => c.notNull().defaultTo(15).check(sql`wrap_up_s >= 0`))
    .addColumn('ring_s', 'integer', (c) => c.notNull().defaultTo(15).check(sql`ring_s > 0`))
    .addColumn('recording', 'integer', (c) => c.notNull().defaultTo(0).check(sql`recording in (0, 1)`))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1).check(sql`active in (0, 1)`))
    .execute();

  await db.schema.createTable('queue_members')
    .addColumn('queue_id', 'text', (c) => c.notNull().references('queues.id').onDelete('cascade'))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(1).check(sql`priority >= 1`)) // 1 is offered calls first
    .addPrimaryKeyConstraint('queue_members_pk', ['queue_id', 'agent_id'])
    .execute();
  await db.schema.createIndex('queue_members_agent_idx').on('queue_members').column('agent_id').execute();

  await db.schema.createTable('agent_states')
    .addColumn('agent_id', 'integer', (c) => c.primaryKey().references('agents.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull()) // JSON: the agent's state machine, restored at start
    .addColumn('since', 'text', (c) => c.notNull())
    .execute();

  const log = db.schema.createTable('agent_state_log');
  await (isPostgres(db)
    ? log.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    : log.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('agent_id', 'integer', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text') // null for the first state an agent ever had
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('agent_state_log_agent_idx').on('agent_state_log').columns(['agent_id', 'at']).execute();
  await db.schema.createIndex('agent_state_log_at_idx').on('agent_state_log').column('at').execute();

  // One column per statement: SQLite's ALTER TABLE adds one at a time.
  await db.schema.alterTable('agents')
    .addColumn('phone_kind', 'text', (c) => c.notNull().defaultTo('webrtc').check(sql`phone_kind in ('webrtc', 'sip')`))
    .execute();
  // A fixed contact URI for a desk phone that does not register (e.g. 'sip:agent@127.0.0.1:5099').
  await db.schema.alterTable('agents').addColumn('sip_contact', 'text').execute();

  await db.insertInto('queues').values([
    { id: 'general', title_ru: 'Общие вопросы', title_en: 'General questions', skill: 'general', priority: 1 },
    { id: 'billing', title_ru: 'Начисления и оплата', title_en: 'Charges and payments', skill: 'billing', priority: 2 },
    { id: 'readings', title_ru: 'Показания счётчиков', title_en: 'Meter readings', skill: 'readings', priority: 1 },
    { id: 'appeals', title_ru: 'Обращения', title_en: 'Appeals', skill: 'appeals', priority: 3 },
  ]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agents').dropColumn('sip_contact').execute();
  await db.schema.alterTable('agents').dropColumn('phone_kind').execute();
  for (const table of ['agent_state_log', 'agent_states', 'queue_members', 'queues']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

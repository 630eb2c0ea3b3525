import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import t from 'tap';
import { openDatabase } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';

const tables = ['customers', 'accounts', 'account_phones', 'charges', 'payments', 'agents', 'calls', 'call_events',
  'meter_readings', 'consultations', 'appeals', 'callback_requests', 'survey_answers', 'audit_log',
  'offices', 'queues', 'queue_members', 'agent_states', 'agent_state_log'];

t.test('migrating an empty database creates every table of the schema', async (t) => {
  const db = openDatabase(':memory:');
  t.teardown(() => db.destroy());
  const result = await migrateToLatest(db);
  t.ok(result.results!.length > 0);
  t.ok(result.results!.every((r) => r.status === 'Success'));
  const names = (await db.introspection.getTables()).map((x) => x.name);
  for (const table of tables) t.ok(names.includes(table), table);
});

t.test('migrating a migrated database changes nothing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-migrate-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'db.sqlite');
  const first = openDatabase(path);
  await migrateToLatest(first);
  await first.insertInto('customers').values({ last_name: 'Иванов', first_name: 'Иван', middle_name: null, email: null, created_at: '2026-01-01T00:00:00.000Z' }).execute();
  await first.destroy();

  const again = openDatabase(path);
  t.teardown(() => again.destroy());
  const result = await migrateToLatest(again);
  t.same(result.results, [], 'no migration ran the second time');
  const count = await again.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  t.equal(Number(count.n), 1, 'data kept');
});

t.test('the database runs in WAL mode with foreign keys enforced', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-migrate-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(join(dir, 'db.sqlite'));
  t.teardown(() => db.destroy());
  await migrateToLatest(db);
  const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
  t.equal(mode.rows[0]!.journal_mode, 'wal');
  await t.rejects(
    db.insertInto('accounts').values({ number: '1', customer_id: 999, city: 'Калининград', address: 'x', tariff: 'single', opened_at: '2026-01-01' }).execute(),
    /FOREIGN KEY/,
  );
});

t.test('the schema refuses a tariff it does not know', async (t) => {
  const db = openDatabase(':memory:');
  t.teardown(() => db.destroy());
  await migrateToLatest(db);
  const c = await db.insertInto('customers').values({ last_name: 'А', first_name: 'Б', middle_name: null, email: null, created_at: 'x' }).returning('id').executeTakeFirstOrThrow();
  await t.rejects(
    db.insertInto('accounts').values({ number: '1', customer_id: c.id, city: 'К', address: 'x', tariff: 'three_zone' as 'single', opened_at: 'x' }).execute(),
    /CHECK/,
  );
});

t.test('the four queues come with the schema, Russian titles and default timings included', async (t) => {
  const db = openDatabase(':memory:');
  t.teardown(() => db.destroy());
  await migrateToLatest(db);
  const queues = await db.selectFrom('queues').selectAll().orderBy('id').execute();
  t.same(queues.map((q) => [q.id, q.title_ru]), [
    ['appeals', 'Обращения'], ['billing', 'Начисления и оплата'], ['general', 'Общие вопросы'], ['readings', 'Показания счётчиков'],
  ]);
  t.ok(queues.every((q) => q.sl_threshold_s === 20 && q.max_wait_s === 600 && q.announce_every_s === 45 && q.wrap_up_s === 15
    && q.ring_s === 15 && q.recording === 0 && q.active === 1));
});

t.test('the schema refuses a queue timing that is not positive, an unknown phone kind and a member of an unknown queue', async (t) => {
  const db = openDatabase(':memory:');
  t.teardown(() => db.destroy());
  await migrateToLatest(db);
  await t.rejects(db.insertInto('queues').values({ id: 'x', title_ru: 'x', title_en: 'x', skill: 'x', ring_s: 0 }).execute(), /CHECK/);
  await t.rejects(db.insertInto('queues').values({ id: 'x', title_ru: 'x', title_en: 'x', skill: 'x', max_wait_s: -1 }).execute(), /CHECK/);
  const agent = { display_name: 'x', role: 'agent' as const, password_hash: 'x', sip_password: 'x', created_at: 'x' };
  await t.rejects(db.insertInto('agents').values({ ...agent, username: 'a', phone_kind: 'pots' as 'sip' }).execute(), /CHECK/);
  const { id } = await db.insertInto('agents').values({ ...agent, username: 'b' }).returning('id').executeTakeFirstOrThrow();
  const row = await db.selectFrom('agents').select(['phone_kind', 'sip_contact']).where('id', '=', id).executeTakeFirstOrThrow();
  t.same(row, { phone_kind: 'webrtc', sip_contact: null }, 'agents get a softphone by default');
  await t.rejects(db.insertInto('queue_members').values({ queue_id: 'nowhere', agent_id: id }).execute(), /FOREIGN KEY/);
  await db.insertInto('queue_members').values({ queue_id: 'general', agent_id: id }).execute();
  await t.rejects(db.insertInto('queue_members').values({ queue_id: 'general', agent_id: id }).execute(), /UNIQUE|PRIMARY/, 'one membership per queue');
});

import { sql, type Kysely } from 'kysely';

/*
 * Registration numbers for appeals: one counter row per calendar year (Kaliningrad), bumped by
 * an upsert inside the transaction that inserts the appeal, so two agents registering at once
 * never get the same number, on SQLite or PostgreSQL. Counters start from any appeals already
 * numbered in the 'YYNNNNNN' form. Portable SQL, as in the first migration.
 * Never edit this file once merged; add a new migration instead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('appeal_counters')
    .addColumn('year', 'integer', (c) => c.primaryKey()) // 2026, not 26
    .addColumn('last_seq', 'integer', (c) => c.notNull().check(sql`last_seq >= 0`))
    .execute();

  const numbered = await db.selectFrom('appeals').select('number').execute() as Array<{ number: string }>;
  const last = new Map<number, number>();
  for (const { number } of numbered) {
    if (!/^\d{8}$/.test(number)) continue;
    const year = 2000 + Number(number.slice(0, 2));
    last.set(year, Math.max(last.get(year) ?? 0, Number(number.slice(2))));
  }
  if (last.size > 0) {
    await db.insertInto('appeal_counters').values([...last].map(([year, seq]) => ({ year, last_seq: seq }))).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('appeal_counters').ifExists().execute();
}

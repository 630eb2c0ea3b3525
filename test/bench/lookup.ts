import { rmSync, statSync } from 'node:fs';
import { findAccountByNumber, findAccountsByPhone } from '../../server/accounts/lookup.js';
import { searchAccounts } from '../../server/customers/service.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { generateDemoData } from '../../server/demo/generator.js';
import { Random } from '../../server/demo/random.js';
import { percentiles, type BenchSection } from './report.js';

/*
 * How long the caller lookups take on a realistic base: the IVR runs findAccountsByPhone on
 * every arriving call and findAccountByNumber whenever a caller keys in an account number.
 * Keys are drawn at random from the generated rows, plus keys that exist nowhere (a caller
 * who is not a customer costs a lookup too). One query at a time, as the server does it.
 */

const HITS = 20_000;
const MISSES = 2_000;
const WARM_UP = 1_000;
const SEED = 20261125;

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** `count` existing phones and account numbers, from accounts picked at random. */
async function existingKeys(db: Db, rng: Random, count: number): Promise<{ phones: string[]; numbers: string[] }> {
  const { maxId } = await db.selectFrom('accounts').select((eb) => eb.fn.max('id').as('maxId')).executeTakeFirstOrThrow();
  const ids = Array.from({ length: count }, () => rng.int(1, Number(maxId)));
  const phones: string[] = [];
  const numbers: string[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const links = await db.selectFrom('account_phones').select(['account_id', 'phone_e164']).where('account_id', 'in', chunk).execute();
    const phoneOf = new Map(links.map((l) => [l.account_id, l.phone_e164]));
    const accounts = await db.selectFrom('accounts').select(['id', 'number']).where('id', 'in', chunk).execute();
    const numberOf = new Map(accounts.map((a) => [a.id, a.number]));
    for (const id of chunk) {
      const phone = phoneOf.get(id);
      const number = numberOf.get(id);
      if (phone !== undefined) phones.push(phone);
      if (number !== undefined) numbers.push(number);
    }
  }
  return { phones, numbers };
}

function shuffle<T>(rng: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Microseconds per call of `lookup` over `keys`, after a warm-up on the first keys. */
async function time(keys: readonly string[], lookup: (key: string) => Promise<unknown>): Promise<number[]> {
  for (const key of keys.slice(0, WARM_UP)) await lookup(key);
  const samples: number[] = [];
  for (const key of keys) {
    const start = performance.now();
    await lookup(key);
    samples.push((performance.now() - start) * 1000);
  }
  return samples;
}

const us = (n: number) => `${n.toFixed(0)} µs`;

export async function benchLookup(opts: { customers: number; dbPath: string }): Promise<BenchSection> {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${opts.dbPath}${suffix}`, { force: true });
  const db = openDatabase(opts.dbPath);
  let section: BenchSection;
  try {
    section = await measure(db, opts.customers);
  } finally {
    await db.destroy();
  }
  // Measured closed, once the WAL has been checkpointed into the file.
  section.rows.splice(2, 0, { name: 'database size', value: `${(sizeOf(opts.dbPath) / 2 ** 20).toFixed(0)} MiB` });
  return section;
}

async function measure(db: Db, customers: number): Promise<BenchSection> {
  await migrateToLatest(db);
  const historyCustomers = Math.min(1000, customers);
  let reported = 0;
  const summary = await generateDemoData(db, {
    customers, seed: SEED, asOf: new Date('2026-11-25T12:00:00.000Z'), historyCustomers,
    onProgress: (done, total) => {
      if (done * 10 >= (reported + 1) * total) {
        reported = Math.floor((done * 10) / total);
        process.stderr.write(`[bench] lookup database: ${done}/${total} customers\n`);
      }
    },
  });

  const rng = new Random(SEED, 0x1009);
  const keys = await existingKeys(db, rng, HITS);
  // Subscriber numbers starting with 1 and account numbers starting with 38 are never generated.
  const absentPhones = Array.from({ length: MISSES }, () => `+74012${rng.int(100000, 199999)}`);
  const absentNumbers = Array.from({ length: MISSES }, () => `38${rng.int(10_000_000, 99_999_999)}`);
  const byPhone = percentiles(await time(shuffle(rng, [...keys.phones, ...absentPhones]), (phone) => findAccountsByPhone(db, phone)));
  const byNumber = percentiles(await time(shuffle(rng, [...keys.numbers, ...absentNumbers]), (number) => findAccountByNumber(db, number)));
  // The agent's search box (issue 5): the same keys typed as an agent would, plus surnames and addresses from their start.
  const people = await db.selectFrom('accounts as a').innerJoin('customers as c', 'c.id', 'a.customer_id')
    .select(['c.last_name', 'c.first_name', 'a.address']).where('a.number', 'in', keys.numbers.slice(0, 2000)).execute();
  const searches = shuffle(rng, [
    ...keys.phones.slice(0, 2000).map((p) => `8 ${p.slice(2, 6)} ${p.slice(6)}`),
    ...keys.numbers.slice(0, 2000),
    ...people.map((p) => `${p.last_name.toLowerCase()} ${p.first_name.slice(0, 3)}`),
    ...people.map((p) => p.address.split(',').slice(0, 2).join(',')),
  ]);
  const bySearch = percentiles(await time(searches, (q) => searchAccounts(db, q)));

  return {
    title: `Account lookups over ${customers.toLocaleString('en-US')} customers (SQLite file)`,
    rows: [
      { name: 'generation', value: `${summary.seconds.toFixed(1)} s (${Math.round(summary.customers / summary.seconds).toLocaleString('en-US')} customers/s)` },
      { name: 'rows', value: `${summary.customers} customers, ${summary.accounts} accounts, ${summary.phones} phones, ${summary.charges} charges` },
      { name: 'findAccountsByPhone median / p99', value: `${us(byPhone.median)} / ${us(byPhone.p99)}` },
      { name: 'findAccountByNumber median / p99', value: `${us(byNumber.median)} / ${us(byNumber.p99)}` },
      { name: 'agent search (phone, number, surname + first name, address) median / p99', value: `${us(bySearch.median)} / ${us(bySearch.p99)}` },
    ],
    notes: [
      `${keys.phones.length} existing phones and ${keys.numbers.length} existing account numbers at random, plus ${MISSES} absent of each, shuffled; ${WARM_UP} warm-up calls first`,
      `history for the first ${historyCustomers} customers only; one query at a time through kysely and better-sqlite3`,
    ],
  };
}

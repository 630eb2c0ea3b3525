import { randomBytes } from 'node:crypto';
import type { Insertable, Kysely, Transaction } from 'kysely';
import { hashPassword } from '../auth/passwords.js';
import type { AgentsTable, Database } from '../db/schema.js';
import { AppError } from '../errors.js';
import { CURATED_CUSTOMERS, DEMO_STAFF } from './curated.js';
import { CustomerFactory, type CustomerDraft } from './customers.js';
import { accountHistory, billingMonths } from './history.js';
import { Random } from './random.js';

export { DEMO_CUSTOMERS, DEMO_STAFF, type DemoCustomer, type DemoScenario, type DemoStaffMember } from './curated.js';

/*
 * Fills an empty database with a demo customer base of the Kaliningrad region. Rows are
 * written with multi-row inserts in short transactions (one per batch of customers), so the
 * server or a test can read the database while a large base is being generated.
 */

export interface DemoOptions {
  /** customers to create, the curated ones included (they are always all created) */
  customers: number;
  seed: number;
  /** the month the billing history ends in (its UTC month); also the agents' creation time */
  asOf: Date;
  /** months of history; default 24 */
  historyMonths?: number;
  /** how many customers, from the first, get a billing history; default all */
  historyCustomers?: number;
  /** called after each committed batch */
  onProgress?: (done: number, total: number) => void;
}

export interface DemoSummary {
  customers: number;
  accounts: number;
  phones: number;
  charges: number;
  payments: number;
  readings: number;
  seconds: number;
}

// The tables the generator fills; any row in one of them means the database is not empty.
const FILLED_TABLES = ['customers', 'accounts', 'account_phones', 'charges', 'payments', 'meter_readings', 'agents'] as const;
const BATCH_CUSTOMERS = 10_000;
const BATCH_HISTORY_ACCOUNTS = 1_000;
// SQLite binds at most 32,766 parameters per statement, PostgreSQL 65,535.
const MAX_PARAMS = 30_000;

/**
 * Generates `customers` demo customers (the curated DEMO_CUSTOMERS first) with their accounts,
 * linked phones and, for the first `historyCustomers`, `historyMonths` of charges, payments and
 * meter readings ending in the month of `asOf`; plus the DEMO_STAFF agents and their queue
 * memberships (the queues themselves come with the migrations). The same seed and
 * asOf give the same rows, except the agents' password hashes and SIP passwords, which are
 * random. Rejects with CC_ERR_VALIDATION for a bad option and CC_ERR_DEMO_DB_NOT_EMPTY when
 * customers, accounts, phones, charges, payments, readings or agents already exist. A failure
 * midway leaves the batches written so far: start again from a new database.
 */
export async function generateDemoData(db: Kysely<Database>, opts: DemoOptions): Promise<DemoSummary> {
  const started = performance.now();
  const { total, historyCustomers, historyMonths, asOf } = validated(opts);
  const staff = await staffRows(asOf);
  await db.transaction().execute(async (trx) => {
    await refuseNonEmpty(trx);
    const agents = await trx.insertInto('agents').values(staff).returning(['id', 'username']).execute();
    const memberships = DEMO_STAFF.flatMap((s) => Object.entries(s.queues).map(([queue, priority]) => ({
      queue_id: queue,
      agent_id: agents.find((a) => a.username === s.username)!.id,
      priority,
    })));
    if (memberships.length > 0) await trx.insertInto('queue_members').values(memberships).execute();
  });

  const months = billingMonths(asOf, historyMonths);
  const first = months[0]!;
  const factory = new CustomerFactory(opts.seed, Date.UTC(first.year, first.month, 1));
  const summary: DemoSummary = { customers: 0, accounts: 0, phones: 0, charges: 0, payments: 0, readings: 0, seconds: 0 };
  let index = 0;
  while (index < total) {
    const batch: CustomerDraft[] = [];
    let historyAccounts = 0;
    while (index < total && batch.length < BATCH_CUSTOMERS && historyAccounts < BATCH_HISTORY_ACCOUNTS) {
      const draft = factory.customer(index);
      if (index < historyCustomers) {
        draft.accounts.forEach((account, k) => {
          account.history = accountHistory(new Random(...draft.historyKey, k), account.profile, months, asOf.getTime());
        });
        historyAccounts += draft.accounts.length;
      }
      batch.push(draft);
      index += 1;
    }
    await db.transaction().execute((trx) => insertBatch(trx, batch, summary));
    opts.onProgress?.(index, total);
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

function validated(opts: DemoOptions) {
  const problem = (option: string, expected: string, got: unknown) =>
    new AppError('CC_ERR_VALIDATION', `demo data: ${option} must be ${expected}`, { option, expected, got });
  const isCount = (n: unknown, min: number) => Number.isSafeInteger(n) && (n as number) >= min;
  if (!isCount(opts.customers, 1)) throw problem('customers', 'a positive integer', opts.customers);
  if (!isCount(opts.seed, 0) || opts.seed > 0xffffffff) throw problem('seed', 'an integer from 0 to 4294967295', opts.seed);
  if (!(opts.asOf instanceof Date) || Number.isNaN(opts.asOf.getTime())) throw problem('asOf', 'a valid Date', opts.asOf);
  const historyMonths = opts.historyMonths ?? 24;
  if (!isCount(historyMonths, 1) || historyMonths > 240) throw problem('historyMonths', 'an integer from 1 to 240', historyMonths);
  const total = Math.max(opts.customers, CURATED_CUSTOMERS.length);
  const historyCustomers = opts.historyCustomers ?? total;
  if (!isCount(historyCustomers, 0)) throw problem('historyCustomers', 'a non-negative integer', historyCustomers);
  return { total, historyCustomers, historyMonths, asOf: opts.asOf };
}

async function staffRows(asOf: Date): Promise<Array<Insertable<AgentsTable>>> {
  return Promise.all(DEMO_STAFF.map(async (s) => ({
    username: s.username,
    display_name: s.displayName,
    role: s.role,
    password_hash: await hashPassword(s.password),
    // A secret for the softphone's SIP registration, not demo data: random, never derived from the seed.
    sip_password: randomBytes(18).toString('base64url'),
    created_at: asOf.toISOString(),
  })));
}

async function refuseNonEmpty(trx: Transaction<Database>): Promise<void> {
  const filled: string[] = [];
  for (const table of FILLED_TABLES) {
    const row = await trx.selectFrom(table).select((eb) => eb.lit(1).as('one')).limit(1).executeTakeFirst();
    if (row !== undefined) filled.push(table);
  }
  if (filled.length > 0) {
    throw new AppError('CC_ERR_DEMO_DB_NOT_EMPTY', `demo data goes into an empty database only; this one has rows in ${filled.join(', ')}`, { tables: filled });
  }
}

/** Rows per statement for a table of `columns` bound columns. */
function* chunks<T>(rows: readonly T[], columns: number): Generator<T[]> {
  const size = Math.floor(MAX_PARAMS / columns);
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

async function insertBatch(trx: Transaction<Database>, batch: readonly CustomerDraft[], summary: DemoSummary): Promise<void> {
  const customerIds: number[] = [];
  for (const chunk of chunks(batch, 5)) {
    const rows = chunk.map((c) => ({ last_name: c.lastName, first_name: c.firstName, middle_name: c.middleName, email: c.email, created_at: c.createdAt }));
    const inserted = await trx.insertInto('customers').values(rows).returning(['id', 'last_name', 'first_name', 'created_at']).execute();
    // Customers have no natural key, so ids are matched by position; check the database kept the order.
    inserted.forEach((r, i) => {
      const sent = rows[i];
      if (sent === undefined || r.last_name !== sent.last_name || r.first_name !== sent.first_name || r.created_at !== sent.created_at) {
        throw new AppError('CC_ERR_INTERNAL', 'customer ids came back in another order than the rows were inserted');
      }
    });
    if (inserted.length !== rows.length) throw new AppError('CC_ERR_INTERNAL', 'fewer customer ids came back than rows were inserted');
    customerIds.push(...inserted.map((r) => r.id));
  }

  const accounts = batch.flatMap((c, i) => c.accounts.map((a) => ({ draft: a, customerId: customerIds[i]! })));
  const accountIds = new Map<string, number>();
  for (const chunk of chunks(accounts, 7)) {
    const inserted = await trx.insertInto('accounts').values(chunk.map(({ draft: a, customerId }) => ({
      number: a.number, customer_id: customerId, city: a.city, address: a.address, tariff: a.tariff, opened_at: a.openedAt, closed_at: null,
    }))).returning(['id', 'number']).execute();
    for (const r of inserted) accountIds.set(r.number, r.id);
  }

  const phones = accounts.flatMap(({ draft: a }) => a.phones.map((p) => ({ account_id: accountIds.get(a.number)!, phone_e164: p.phone, label: p.label })));
  for (const chunk of chunks(phones, 3)) await trx.insertInto('account_phones').values(chunk).execute();

  const history = accounts.flatMap(({ draft: a }) => (a.history === undefined ? [] : [{ id: accountIds.get(a.number)!, h: a.history }]));
  const charges = history.flatMap(({ id, h }) => h.charges.map((r) => ({ ...r, account_id: id })));
  for (const chunk of chunks(charges, 6)) await trx.insertInto('charges').values(chunk).execute();
  const payments = history.flatMap(({ id, h }) => h.payments.map((r) => ({ ...r, account_id: id })));
  for (const chunk of chunks(payments, 4)) await trx.insertInto('payments').values(chunk).execute();
  const readings = history.flatMap(({ id, h }) => h.readings.map((r) => ({ ...r, account_id: id })));
  for (const chunk of chunks(readings, 6)) await trx.insertInto('meter_readings').values(chunk).execute();

  summary.customers += batch.length;
  summary.accounts += accounts.length;
  summary.phones += phones.length;
  summary.charges += charges.length;
  summary.payments += payments.length;
  summary.readings += readings.length;
}

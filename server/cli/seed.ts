import { openDatabase, type Db } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { generateDemoData } from '../demo/generator.js';
import { isAppError } from '../errors.js';

/*
 * `npm run seed -- --db PATH [--customers N] [--seed S] [--history-customers N] [--if-empty]`:
 * migrates the database, then fills it with demo data. The history ends in the current month.
 * Exits 1 with one sentence on a bad flag or a database that already has data; with
 * --if-empty, a database that already has customers is left alone and the exit code is 0.
 */

const USAGE = 'usage: seed --db PATH [--customers N=3000] [--seed S=20261125] [--history-customers N] [--if-empty]';

interface Args {
  db: string;
  customers: number;
  seed: number;
  historyCustomers: number | undefined;
  ifEmpty: boolean;
}

class UsageError extends Error {}

function integer(flag: string, text: string | undefined, min: number): number {
  const expected = min === 0 ? 'a non-negative integer' : 'a positive integer';
  if (text === undefined || !/^\d{1,10}$/.test(text) || Number(text) < min || Number(text) > 0xffffffff) {
    throw new UsageError(`--${flag} must be ${expected}${text === undefined ? '' : ` (got '${text}')`}`);
  }
  return Number(text);
}

function parseArgs(argv: readonly string[]): Args {
  const values = new Map<string, string | undefined>();
  let ifEmpty = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (arg === '--if-empty') {
      ifEmpty = true;
      continue;
    }
    const match = /^--(db|customers|seed|history-customers)(?:=(.*))?$/.exec(arg);
    if (match === null) throw new UsageError(`unknown argument '${arg}'`);
    const name = match[1]!;
    if (values.has(name)) throw new UsageError(`--${name} is given twice`);
    const value = match[2] ?? (argv[i + 1]?.startsWith('--') === false ? argv[++i] : undefined);
    values.set(name, value);
  }
  const db = values.get('db');
  if (db === undefined || db === '') throw new UsageError('--db PATH is required');
  return {
    db,
    customers: values.has('customers') ? integer('customers', values.get('customers'), 1) : 3000,
    seed: values.has('seed') ? integer('seed', values.get('seed'), 0) : 20261125,
    historyCustomers: values.has('history-customers') ? integer('history-customers', values.get('history-customers'), 0) : undefined,
    ifEmpty,
  };
}

const progress = (line: string): void => {
  process.stderr.write(`[seed] ${line}\n`);
};

async function seed(db: Db, args: Args): Promise<void> {
  await migrateToLatest(db);
  if (args.ifEmpty && (await db.selectFrom('customers').select('id').limit(1).executeTakeFirst()) !== undefined) {
    progress(`${args.db} already has customers; nothing to do`);
    return;
  }
  progress(`generating ${args.customers} customers into ${args.db} (seed ${args.seed})`);
  // One line per tenth, so a log stays readable and a terminal still sees it move.
  let reported = 0;
  const summary = await generateDemoData(db, {
    customers: args.customers,
    seed: args.seed,
    asOf: new Date(),
    ...(args.historyCustomers !== undefined && { historyCustomers: args.historyCustomers }),
    onProgress: (done, total) => {
      const tenth = Math.floor((10 * done) / total);
      if (tenth > reported || done === total) {
        reported = tenth;
        progress(`${done}/${total} customers (${Math.floor((100 * done) / total)} %)`);
      }
    },
  });
  progress(`done in ${summary.seconds.toFixed(1)} s: ${summary.customers} customers, ${summary.accounts} accounts, `
    + `${summary.phones} phones, ${summary.charges} charges, ${summary.payments} payments, ${summary.readings} readings`);
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`seed: ${err.message}\n${USAGE}\n`);
    process.exit(1);
  }
  const db = openDatabase(args.db);
  try {
    await seed(db, args);
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`seed: ${isAppError(err) ? err.message : (err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

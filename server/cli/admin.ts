import { loadConfig } from '../config.js';
import { openDatabase, type Db } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { isAppError } from '../errors.js';
import { NO_EFFECTS, StaffService } from '../staff/service.js';

/*
 * `npm run admin -- create-admin --login NAME [--full-name "…"]` and
 * `npm run admin -- reset-password --login NAME`: staff logins without the web page, for a first
 * start with DEMO_DATA=off (no login at all yet) or a locked-out admin. Works on DB_PATH,
 * migrating it first; prints a one-time password, which must be replaced at the next login.
 * Exits 1 with one sentence for a bad command, an existing or invalid login, or an unknown one.
 * A running server sees the change at once (it reads logins from the database on every
 * request); a new person's phone reaches its Asterisk at the server's next ARI connection.
 */

const USAGE = 'usage: npm run admin -- create-admin --login NAME [--full-name "Full Name"]\n'
  + '       npm run admin -- reset-password --login NAME';

class UsageError extends Error {}

type Command = { kind: 'create-admin'; login: string; fullName: string } | { kind: 'reset-password'; login: string };

function parseArgs(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === undefined) throw new UsageError(command === undefined ? 'no command given' : '');
  if (command !== 'create-admin' && command !== 'reset-password') throw new UsageError(`unknown command '${command}'`);
  const values = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const match = /^--(login|full-name)(?:=(.*))?$/.exec(rest[i]!);
    if (match === null) throw new UsageError(`unknown argument '${rest[i]}'`);
    const value = match[2] ?? rest[++i];
    if (value === undefined || value === '') throw new UsageError(`--${match[1]} needs a value`);
    if (values.has(match[1]!)) throw new UsageError(`--${match[1]} is given twice`);
    values.set(match[1]!, value);
  }
  const login = values.get('login');
  if (login === undefined) throw new UsageError('--login NAME is required');
  if (command === 'create-admin') return { kind: 'create-admin', login, fullName: values.get('full-name') ?? login };
  if (values.has('full-name')) throw new UsageError('reset-password takes no --full-name');
  return { kind: 'reset-password', login };
}

async function run(db: Db, command: Command): Promise<string> {
  await migrateToLatest(db);
  const staff = new StaffService({ db, clock: Date.now, effects: NO_EFFECTS });
  if (command.kind === 'create-admin') {
    const { staff: created, oneTimePassword } = await staff.create(null, { login: command.login, fullName: command.fullName, role: 'admin' });
    return `admin '${created.login}' created (id ${created.id}).\n`
      + `One-time password / Одноразовый пароль: ${oneTimePassword}\n`
      + 'It is shown once; they choose their own at the first login. / Показан один раз; при первом входе нужно задать свой.\n';
  }
  const id = await staff.idOf(command.login);
  if (id === undefined) throw new UsageError(`no staff member has the login '${command.login}'`);
  const { oneTimePassword } = await staff.resetPassword(null, id);
  return `password of '${command.login}' reset; their sessions ended.\n`
    + `One-time password / Одноразовый пароль: ${oneTimePassword}\n`
    + 'It is shown once; they choose their own at the next login. / Показан один раз; при следующем входе нужно задать свой.\n';
}

async function main(): Promise<void> {
  let command: Command;
  try {
    command = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message === '') {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    process.stderr.write(`admin: ${err.message}\n${USAGE}\n`);
    process.exit(1);
  }
  const config = loadConfig(process.env);
  const db = openDatabase(config.dbPath);
  try {
    process.stdout.write(await run(db, command));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`admin: ${err.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw err;
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`admin: ${isAppError(err) ? `${err.message} (${err.code})` : (err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { isAppError } from '../errors.js';

/*
 * `npm run migrate`: brings the database at DB_PATH to the latest schema and says which
 * migrations ran (the server does the same at every start; this is for upgrading a database
 * before the server is restarted on it). Exits 1 with one sentence on failure.
 */

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const db = openDatabase(config.dbPath);
  try {
    const result = await migrateToLatest(db);
    const ran = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    process.stdout.write(ran.length === 0 ? `${config.dbPath}: already at the latest schema\n` : `${config.dbPath}: applied ${ran.join(', ')}\n`);
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${isAppError(err) ? err.message : (err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/**
 * Opens the SQLite database at `path` (':memory:' for tests) in WAL mode with foreign keys
 * on. `synchronous=FULL` because a registered appeal or a submitted reading must survive a
 * power cut, not just a process crash; WAL keeps that cheap.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // Another process (the CLI seeding, a test reading results) may hold the write lock briefly.
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/** The current time as the ISO-8601 UTC text every table stores. */
export function isoNow(clock: () => number = Date.now): string {
  return new Date(clock()).toISOString();
}

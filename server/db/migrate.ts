import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { AppError } from '../errors.js';
import * as initialSchema from '../../migrations/2026_11_25_1200_initial_schema.js';
import * as offices from '../../migrations/2026_11_25_1500_offices.js';
import * as searchIndexes from '../../migrations/2026_11_25_1720_search_indexes.js';
import * as queues from '../../migrations/2026_11_25_1600_queues.js';
import * as sessions from '../../migrations/2026_11_25_1710_sessions.js';
import * as appeals from '../../migrations/2026_11_25_1700_appeals.js';
import * as queueLog from '../../migrations/2026_11_25_1800_queue_log.js';
import * as surveyUnique from '../../migrations/2026_11_25_1810_survey_unique.js';
import * as recording from '../../migrations/2026_11_25_1820_recording.js';
import * as callbackAttempts from '../../migrations/2026_11_25_1830_callback_attempts.js';
import * as wallboardIndexes from '../../migrations/2026_11_25_1840_wallboard_indexes.js';
import * as officeTowns from '../../migrations/2026_12_02_1000_office_towns.js';
import * as queueFirstAnnounce from '../../migrations/2026_12_02_1010_queue_first_announce.js';
import * as musicClassDialed from '../../migrations/2026_12_02_1020_music_class_dialed.js';
import * as staffAdmin from '../../migrations/2026_12_08_1000_staff_admin.js';

/*
 * Migrations are listed here rather than discovered on disk: the list is type-checked, works
 * the same under tsx and a bundler, and a migration cannot be skipped by a stray file name.
 * Names sort in the order they must run.
 */
const migrations: Record<string, Migration> = {
  '2026_11_25_1200_initial_schema': initialSchema,
  '2026_11_25_1500_offices': offices,
  '2026_11_25_1600_queues': queues,
  '2026_11_25_1700_appeals': appeals,
  '2026_11_25_1710_sessions': sessions,
  '2026_11_25_1720_search_indexes': searchIndexes,
  '2026_11_25_1800_queue_log': queueLog,
  '2026_11_25_1810_survey_unique': surveyUnique,
  '2026_11_25_1820_recording': recording,
  '2026_11_25_1830_callback_attempts': callbackAttempts,
  '2026_11_25_1840_wallboard_indexes': wallboardIndexes,
  '2026_12_02_1000_office_towns': officeTowns,
  '2026_12_02_1010_queue_first_announce': queueFirstAnnounce,
  '2026_12_02_1020_music_class_dialed': musicClassDialed,
  '2026_12_08_1000_staff_admin': staffAdmin,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings the database to the latest schema. Idempotent: a migrated database is left alone.
 * Throws CC_ERR_DB_MIGRATION_FAILED naming the migration that failed.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider });
  const result = await migrator.migrateToLatest();
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new AppError('CC_ERR_DB_MIGRATION_FAILED', `database migration ${failed?.migrationName ?? '(unknown)'} failed`,
      { migration: failed?.migrationName }, { cause: result.error });
  }
  return result;
}

import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { HealthReply } from './schemas.js';

export interface HealthDeps {
  db: Db;
  ariConnected: () => boolean;
  liveCalls: () => number;
  startedAt?: number;
}

/** Whether the server can take calls: ARI connected and the database answering. */
export async function checkHealth(deps: HealthDeps): Promise<HealthReply> {
  const dbOk = await sql`select 1 as ok`.execute(deps.db).then(() => true, () => false);
  const ariConnected = deps.ariConnected();
  return {
    status: dbOk && ariConnected ? 'ok' : 'degraded',
    ari: { connected: ariConnected },
    db: { ok: dbOk },
    calls: { live: deps.liveCalls() },
    uptimeSeconds: Math.round(process.uptime()),
  };
}

import pino from 'pino';
import { buildApp, type App } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { FakeTelephony } from './fake-telephony.js';
import { FakeSpeech } from './fake-speech.js';
import { defaultMenuDir, MenuRegistry } from '../../server/menus/registry.js';

export interface TestApp extends App {
  db: Db;
  telephony: FakeTelephony;
  speech: FakeSpeech;
}

/** A fresh app over a migrated in-memory database and a fake telephony port, closed at teardown. */
export async function testApp(t: { teardown(fn: () => unknown): void }, opts: { connected?: boolean; seed?: (db: Db) => Promise<void> } = {}): Promise<TestApp> {
  const db = openDatabase(':memory:');
  await migrateToLatest(db);
  await opts.seed?.(db);
  const telephony = new FakeTelephony();
  const speech = new FakeSpeech();
  const log = pino({ level: 'silent' });
  const menus = await MenuRegistry.load(defaultMenuDir, log);
  const app = await buildApp({ config: loadConfig({}), db, telephony, log, speech, menus: () => menus.current() });
  t.teardown(async () => {
    await app.http.close();
    await db.destroy();
  });
  if (opts.connected ?? true) telephony.connect();
  return { ...app, db, telephony, speech };
}

/** Adds one customer with one account linked to `phone`; returns the account id. */
export async function addAccount(db: Db, number: string, phone: string): Promise<number> {
  const at = '2026-01-01T00:00:00.000Z';
  const customer = await db.insertInto('customers')
    .values({ last_name: 'Петров', first_name: 'Пётр', middle_name: 'Петрович', email: null, created_at: at })
    .returning('id').executeTakeFirstOrThrow();
  const account = await db.insertInto('accounts')
    .values({ number, customer_id: customer.id, city: 'Калининград', address: 'ул. Горького, д. 1, кв. 1', tariff: 'single', opened_at: at })
    .returning('id').executeTakeFirstOrThrow();
  await db.insertInto('account_phones').values({ account_id: account.id, phone_e164: phone, label: null }).execute();
  return account.id;
}

/** Adds an agent with a plain-SIP phone who serves `queues` (queue id → member priority); returns the agent id. */
export async function addAgent(db: Db, username: string, queues: Record<string, number> = { general: 1 }): Promise<number> {
  const agent = await db.insertInto('agents').values({
    username, display_name: username, role: 'agent', password_hash: 'x', sip_password: `${username}-sip-secret`, created_at: '2026-01-01T00:00:00.000Z',
    phone_kind: 'sip',
  }).returning('id').executeTakeFirstOrThrow();
  for (const [queueId, priority] of Object.entries(queues)) {
    await db.insertInto('queue_members').values({ queue_id: queueId, agent_id: agent.id, priority }).execute();
  }
  return agent.id;
}

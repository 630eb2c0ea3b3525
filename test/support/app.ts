import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { hashPassword } from '../../server/auth/passwords.js';
import type { AgentRole } from '../../server/db/schema.js';
import { buildApp, type App } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { FakeTelephony } from './fake-telephony.js';
import { FakeSpeech } from './fake-speech.js';
import { defaultMenuDir, MenuRegistry } from '../../server/menus/registry.js';
import { agentUiBundle } from './browser.js';
import type { WorkingHours } from '../../server/schedule/service.js';

export interface TestApp extends App {
  db: Db;
  telephony: FakeTelephony;
  speech: FakeSpeech;
  /** Logs in through POST /api/session (throws unless it answers 200); see Session. */
  loginAs(username: string, password: string): Promise<Session>;
  /** with `ui`: the app listening on 127.0.0.1, serving the agent's web app here */
  url?: string;
}

/** A logged-in staff member: `inject` is app.http.inject with their session cookie. */
export interface Session {
  agentId: number;
  /** 'cc_session=<token>', for a request's cookie header */
  cookie: string;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

/** Logs `username` in on `http` (an app's or a test server's) and returns the session. */
export async function loginAs(http: App['http'], username: string, password: string): Promise<Session> {
  const res = await http.inject({ method: 'POST', url: '/api/session', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login as ${username}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'cc_session');
  if (cookie === undefined) throw new Error(`login as ${username}: no cc_session cookie`);
  const header = `cc_session=${cookie.value}`;
  return {
    agentId: (res.json() as { agent: { id: number } }).agent.id,
    cookie: header,
    inject: (opts) => http.inject({ ...opts, headers: { ...opts.headers, cookie: header } }),
  };
}

/** A fresh app over a migrated in-memory database and a fake telephony port, closed at teardown. */
export async function testApp(t: { teardown(fn: () => unknown): void }, opts: {
  connected?: boolean; seed?: (db: Db) => Promise<void>; ui?: boolean; env?: Record<string, string>; hours?: WorkingHours;
  /** serve https with this certificate (listening on 127.0.0.1, `url` set) */
  https?: { key: Buffer; cert: Buffer };
  /** what /sip proxies to */
  asteriskHttpUrl?: string;
  /** listen on 127.0.0.1 even without the web app */
  listen?: boolean;
} = {}): Promise<TestApp> {
  const db = openDatabase(':memory:');
  await migrateToLatest(db);
  await opts.seed?.(db);
  const telephony = new FakeTelephony();
  const speech = new FakeSpeech();
  const log = pino({ level: 'silent' });
  const menus = await MenuRegistry.load(defaultMenuDir, log);
  const ui = opts.ui === true ? await agentUiBundle() : undefined;
  const app = await buildApp({
    config: loadConfig(opts.env ?? {}), db, telephony, log, speech, menus: () => menus.current(), ...(ui && { ui }), ...(opts.hours && { hours: opts.hours }),
    ...(opts.https && { https: opts.https }), ...(opts.asteriskHttpUrl !== undefined && { asteriskHttpUrl: opts.asteriskHttpUrl }),
  });
  t.teardown(async () => {
    await app.http.close();
    await db.destroy();
  });
  if (opts.connected ?? true) telephony.connect();
  const url = ui !== undefined || opts.https !== undefined || opts.listen === true ? await app.http.listen({ host: '127.0.0.1', port: 0 }) : undefined;
  return { ...app, db, telephony, speech, loginAs: (username, password) => loginAs(app.http, username, password), ...(url !== undefined && { url }) };
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

/**
 * Adds an agent with a plain-SIP phone who serves `queues` (queue id → member priority); returns
 * the agent id. With `password` they can log in (a real scrypt hash); without it, nobody can.
 * The SIP password is `<username>-sip-secret`.
 */
export async function addAgent(db: Db, username: string, queues: Record<string, number> = { general: 1 },
  opts: { password?: string; role?: AgentRole; active?: boolean; sipContact?: string } = {}): Promise<number> {
  const agent = await db.insertInto('agents').values({
    username, display_name: username, role: opts.role ?? 'agent',
    password_hash: opts.password === undefined ? 'x' : await hashPassword(opts.password),
    sip_password: `${username}-sip-secret`, created_at: '2026-01-01T00:00:00.000Z', phone_kind: 'sip', sip_contact: opts.sipContact ?? null,
    active: opts.active === false ? 0 : 1,
  }).returning('id').executeTakeFirstOrThrow();
  for (const [queueId, priority] of Object.entries(queues)) {
    await db.insertInto('queue_members').values({ queue_id: queueId, agent_id: agent.id, priority }).execute();
  }
  return agent.id;
}

/** An agent whose desk phone is a sipp UAS listening on 127.0.0.1:`port` (a fixed contact, no registration). */
export function addDeskAgent(db: Db, username: string, port: number, queues: Record<string, number> = { general: 1 }): Promise<number> {
  return addAgent(db, username, queues, { sipContact: `sip:${username}@127.0.0.1:${port}` });
}

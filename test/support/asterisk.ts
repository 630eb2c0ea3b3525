import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { buildApp, type App } from '../../server/app.js';
import { AriConnection } from '../../server/ari/connection.js';
import { provisionAsterisk } from '../../server/asterisk/install.js';
import { createAsteriskInstance, type AsteriskInstance } from '../../server/asterisk/instance.js';
import { allocateTestPorts } from '../../server/asterisk/ports.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { eventually } from './fake-telephony.js';
import { addAccount, addAgent, addDeskAgent, loginAs, type Session } from './app.js';
import { agentUiBundle } from './browser.js';
import { defaultMenuDir, MenuRegistry } from '../../server/menus/registry.js';
import { SynthesizedSpeech } from '../../server/speech/synthesized.js';
import { prevoiceOffices } from '../../server/speech/prevoice.js';
import { PromptAudio } from '../../prompts/synth/store.js';
import type { WorkingHours } from '../../server/schedule/service.js';
import type { Trunk } from '../../server/trunks/definition.js';

interface Teardown { teardown(fn: () => unknown): void }

export const TEST_APP = 'cc-test';

/** The project's own Asterisk on ports of its own, stopped and removed at teardown. */
export async function startTestAsterisk(t: Teardown, name: string, opts: {
  rtp?: { start: number; end: number }; bench?: boolean;
  /** the carrier trunks (default: the one trunk taking every call from 127.0.0.1), e.g. loadConfig({ TRUNKS_FILE }).trunks */
  trunks?: readonly Trunk[];
  /** the certificate and key of the carriers' TLS transport, listening on 127.0.0.1:`tlsPort` (SIP_TLS_PORT) */
  tls?: { certPath: string; keyPath: string; port: number };
} = {}): Promise<AsteriskInstance> {
  const config = loadConfig(process.env);
  const install = await provisionAsterisk({ cacheDir: config.localAsterisk.cacheDir, log: () => {} });
  const ports = await allocateTestPorts();
  const asterisk = await createAsteriskInstance({
    install, name: `t-${name}-${process.pid}`, baseRunDir: join(tmpdir(), 'cc-asterisk-runs'),
    httpPort: ports.httpPort, sipPort: ports.sipPort, rtpStart: opts.rtp?.start ?? ports.rtpStart, rtpEnd: opts.rtp?.end ?? ports.rtpEnd,
    ariApp: TEST_APP, log: () => {}, ...(opts.bench === true && { bench: true }), ...(opts.trunks !== undefined && { trunks: opts.trunks }),
    ...(opts.tls !== undefined && { tls: { certPath: opts.tls.certPath, keyPath: opts.tls.keyPath }, tlsPort: opts.tls.port }),
  });
  await asterisk.start();
  t.teardown(async () => {
    await asterisk.stop();
    rmSync(asterisk.runDir, { recursive: true, force: true });
  });
  return asterisk;
}

/** GET an ARI resource with the instance's credentials. */
export async function ariGet<T>(asterisk: AsteriskInstance, path: string): Promise<T> {
  const { url, username, password } = asterisk.ari;
  const res = await fetch(`${url}/ari${path}`, { headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` } });
  if (!res.ok) throw new Error(`ARI GET ${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** Waits until Asterisk has no channel and no bridge left. */
export async function noLeftovers(asterisk: AsteriskInstance, ms = 10_000): Promise<void> {
  await eventually(async () => {
    const channels = await ariGet<unknown[]>(asterisk, '/channels');
    const bridges = await ariGet<unknown[]>(asterisk, '/bridges');
    return channels.length === 0 && bridges.length === 0 ? true : undefined;
  }, ms, 'no channels and no bridges left in Asterisk');
}

/** No channel and no call bridge left: only queues' holding bridges, which live as long as the server. */
export async function noCallsLeft(asterisk: AsteriskInstance, ms = 15_000): Promise<void> {
  await eventually(async () => {
    const channels = await ariGet<unknown[]>(asterisk, '/channels');
    const bridges = (await ariGet<Array<{ bridge_type: string }>>(asterisk, '/bridges')).filter((b) => b.bridge_type !== 'holding');
    return channels.length === 0 && bridges.length === 0 ? true : undefined;
  }, ms, 'an empty Asterisk');
}

export interface TestServer extends App {
  db: Db;
  dbPath: string;
  telephony: AriConnection;
  speech: SynthesizedSpeech;
  /** Logs in through POST /api/session (throws unless it answers 200). */
  loginAs(username: string, password: string): Promise<Session>;
  /** with `ui`: where the agent's web app is served (http://127.0.0.1:<port>) */
  url?: string;
}

/** The server in this process, connected to `asterisk`, over a fresh database file. */
export async function startTestServer(t: Teardown, asterisk: AsteriskInstance, opts: {
  seed?: (db: Db) => Promise<void>; env?: Record<string, string>; ui?: boolean; hours?: WorkingHours;
  /** the server's logger (default: silent), e.g. to assert what it warns about */
  log?: pino.Logger;
  /**
   * How the page's softphone reaches Asterisk's SIP WebSocket: `direct` (default) to Asterisk's
   * own ws://…/ws, or `proxy` through the server's /sip on the page's origin, as in production.
   */
  sip?: 'direct' | 'proxy';
  /** read trunk registration states and refused calls from `asterisk` (as main.ts does with its own) */
  observeAsterisk?: boolean;
} = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-server-'));
  const dbPath = join(dir, 'cc.db');
  const db = openDatabase(dbPath);
  await migrateToLatest(db);
  await opts.seed?.(db);
  const log = opts.log ?? pino({ level: 'silent' });
  const telephony = new AriConnection({ ...asterisk.ari, app: TEST_APP, log, maxBackoffMs: 500 });
  const menus = await MenuRegistry.load(defaultMenuDir, log);
  const audio = await PromptAudio.create({ install: asterisk.install, log: () => {} });
  const speech = new SynthesizedSpeech(audio);
  await prevoiceOffices(db, speech);
  const app = await buildApp({
    config: loadConfig(opts.env ?? {}), db, telephony, log, speech, menus: () => menus.current(),
    ...(opts.sip === 'proxy' ? { asteriskHttpUrl: asterisk.ari.url } : { sipWsUrl: `${asterisk.ari.url.replace(/^http/, 'ws')}/ws` }),
    ...(opts.ui === true && { ui: await agentUiBundle() }),
    ...(opts.hours && { hours: opts.hours }),
    ...(opts.observeAsterisk === true && { asteriskObserver: asterisk }),
  });
  await telephony.start(10_000);
  if (!telephony.connected) throw new Error('the test server did not connect to ARI');
  t.teardown(async () => {
    await app.http.close();
    await telephony.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  const url = opts.ui === true ? await app.http.listen({ host: '127.0.0.1', port: 0 }) : undefined;
  return { ...app, db, dbPath, telephony, speech, loginAs: (username, password) => loginAs(app.http, username, password), ...(url !== undefined && { url }) };
}

/** Waits until the server has pushed `username`'s phone into Asterisk (after its ARI connection). */
export async function phoneProvisioned(asterisk: AsteriskInstance, username: string): Promise<void> {
  await eventually(async () => { try { await ariGet(asterisk, `/endpoints/PJSIP/${username}`); return true; } catch { return undefined; } }, 10_000, `${username}'s phone provisioned`);
}

/**
 * The usual cast of a desk-phone test over `asterisk`: one known caller (+74012000001, account
 * 3900000001), the agent 'desk1' in the general queue whose phone is a sipp UAS on `deskPort`,
 * and a supervisor whose session is `boss`. Resolves once desk1's phone is in Asterisk.
 */
export async function startDeskServer(t: Teardown, asterisk: AsteriskInstance, deskPort: number, env: Record<string, string> = {}): Promise<{ server: TestServer; agentId: number; boss: Session }> {
  let agentId = 0;
  const server = await startTestServer(t, asterisk, {
    env,
    seed: async (db) => {
      await addAccount(db, '3900000001', '+74012000001');
      agentId = await addDeskAgent(db, 'desk1', deskPort);
      await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
    },
  });
  const boss = await server.loginAs('boss', 'boss-password');
  await phoneProvisioned(asterisk, 'desk1');
  return { server, agentId, boss };
}

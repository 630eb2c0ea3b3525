import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { defaultMenuDir, MenuRegistry } from '../../server/menus/registry.js';
import { addAccount, addAgent, loginAs, testApp } from '../support/app.js';
import { FakeSpeech } from '../support/fake-speech.js';
import { eventually, FakeTelephony } from '../support/fake-telephony.js';

/**
 * testApp, plus the queue_log file: apps built by testApp write none (see AppDeps.queueLogFile),
 * so this one passes a file in a temporary folder. operator1 serves general; boss supervises.
 */
async function queueLogApp(t: { teardown(fn: () => unknown): void }, file: string) {
  const db = openDatabase(':memory:');
  await migrateToLatest(db);
  await addAccount(db, '3900000001', '+74012000001');
  const op1 = await addAgent(db, 'operator1', { general: 1 });
  await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
  const log = pino({ level: 'silent' });
  const menus = await MenuRegistry.load(defaultMenuDir, log);
  const telephony = new FakeTelephony();
  const app = await buildApp({ config: loadConfig({}), db, telephony, log, speech: new FakeSpeech(), menus: () => menus.current(), queueLogFile: file });
  t.teardown(async () => {
    await app.http.close();
    await db.destroy();
  });
  telephony.connect();
  return { db, telephony, op1, boss: await loginAs(app.http, 'boss', 'boss-password') };
}

type QueueLogApp = Awaited<ReturnType<typeof queueLogApp>>;

async function queueLog(app: QueueLogApp, query = ''): Promise<string> {
  const res = await app.boss.inject({ method: 'GET', url: `/api/queue-log${query}` });
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.body;
}

/** Polls the supervisor's queue_log until a line with `event` is there; returns every line. */
async function linesUntil(app: QueueLogApp, event: string, ms = 3000): Promise<string[]> {
  return eventually(async () => {
    const lines = (await queueLog(app)).split('\n').filter((l) => l !== '');
    return lines.some((l) => l.split('|')[4] === event) ? lines : undefined;
  }, ms, `a ${event} line`);
}

t.test('a morning through the app: a supervisor reads the queue_log lines as text, and the file holds the same lines', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-queue-log-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'asterisk', 'queue_log');
  const app = await queueLogApp(t, file);
  const started = Math.floor(Date.now() / 1000);
  const agent = (path: string, payload?: object) => app.boss.inject({ method: 'POST', url: `/api/agents/${app.op1}/${path}`, ...(payload && { payload }) });

  await agent('login');
  await agent('state', { state: 'paused', reason: 'break' });
  await agent('state', { state: 'available' });
  await app.telephony.callerWaits('caller1');
  const offer = await eventually(() => app.telephony.requests.find((r) => r.op === 'originate'));
  if (offer.op === 'originate') app.telephony.agentAnswers(offer.channelId, offer.appArgs);
  await linesUntil(app, 'CONNECT');
  app.telephony.hangUpFromCaller('caller1');
  await eventually(async () => ((await app.boss.inject({ method: 'GET', url: `/api/agents/${app.op1}` })).json().state.kind === 'wrap_up' ? true : undefined));
  await app.telephony.callerWaits('caller2'); // operator1 wraps up: caller2 waits
  app.telephony.hangUpFromCaller('caller2');
  await linesUntil(app, 'ABANDON');
  await agent('logout');
  const lines = await linesUntil(app, 'REMOVEMEMBER');

  const calls = await app.db.selectFrom('calls').select(['id', 'channel_id']).execute();
  const callOf = (channel: string) => calls.find((c) => c.channel_id === channel)?.id;
  const fields = lines.filter((l) => !l.includes('|COMPLETE')).map((l) => l.split('|').slice(1));
  t.same(fields, [
    ['MANAGER', 'general', 'PJSIP/operator1', 'ADDMEMBER', ''],
    ['NONE', 'general', 'PJSIP/operator1', 'PAUSE', 'break'],
    ['NONE', 'general', 'PJSIP/operator1', 'UNPAUSE', 'break'],
    [callOf('caller1'), 'general', 'NONE', 'ENTERQUEUE', '', '+74012000001', '1'],
    [callOf('caller1'), 'general', 'PJSIP/operator1', 'CONNECT', fields[4]![4]!, '', fields[4]![6]!],
    [callOf('caller2'), 'general', 'NONE', 'ENTERQUEUE', '', '+74012000001', '1'],
    [callOf('caller2'), 'general', 'NONE', 'ABANDON', '1', '1', fields[6]![6]!],
    ['MANAGER', 'general', 'PJSIP/operator1', 'REMOVEMEMBER', ''],
  ]);
  t.ok(lines.every((l) => Number(l.split('|')[0]) >= started && Number(l.split('|')[0]) <= Date.now() / 1000), 'epoch seconds of now');
  const completed = lines.filter((l) => l.includes('|COMPLETE')).map((l) => l.split('|').slice(1, 5));
  t.same(completed, [[callOf('caller1'), 'general', 'PJSIP/operator1', 'COMPLETECALLER']], 'the caller who hung up after talking completes the call');

  t.equal(readFileSync(file, 'utf8'), await queueLog(app), 'the file and the API hold the same lines');
  t.equal(await queueLog(app, `?from=${Number(lines.at(-1)!.split('|')[0]) + 1}`), '', 'nothing after the last line');
});

t.test('the queue_log API answers text/plain with at most `limit` lines and says when more are left', async (t) => {
  const app = await testApp(t, {
    seed: async (db) => {
      await addAgent(db, 'operator1', { general: 1, billing: 1 });
      await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
    },
  });
  const boss = await app.loginAs('boss', 'boss-password');
  await boss.inject({ method: 'POST', url: '/api/agents/1/login' });
  const res = await boss.inject({ method: 'GET', url: '/api/queue-log?from=2026-01-01&limit=1' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/plain/);
  t.match(res.body, /^\d+\|MANAGER\|billing\|PJSIP\/operator1\|ADDMEMBER\|\n$/);
  t.equal(res.headers['x-queue-log-more'], '1');
  const all = await boss.inject({ method: 'GET', url: '/api/queue-log?from=0&to=2026-01-01T00:00:00Z' });
  t.equal(all.body, '', 'nothing before 2026');
});

t.test('the queue_log API is for supervisors and admins: an agent gets 403, no session 401, a bad range 400', async (t) => {
  const app = await testApp(t, {
    seed: async (db) => {
      await addAgent(db, 'operator1', { general: 1 }, { password: 'operator1-password' });
      await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
    },
  });
  const agent = await app.loginAs('operator1', 'operator1-password');
  const forbidden = await agent.inject({ method: 'GET', url: '/api/queue-log' });
  t.equal(forbidden.statusCode, 403);
  t.equal(forbidden.json().code, 'CC_ERR_AUTH_FORBIDDEN');
  const anonymous = await app.http.inject({ method: 'GET', url: '/api/queue-log' });
  t.equal(anonymous.statusCode, 401);
  t.equal(anonymous.json().code, 'CC_ERR_AUTH_REQUIRED');
  const boss = await app.loginAs('boss', 'boss-password');
  for (const query of ['from=yesterday', 'from=2026-02-30', 'from=2026-11-25T12:00', 'to=2026-11-25T25:00Z', 'from=1795600000&to=1795500000', 'limit=0', 'since=0']) {
    const res = await boss.inject({ method: 'GET', url: `/api/queue-log?${query}` });
    t.equal(res.statusCode, 400, query);
    t.equal(res.json().code, 'CC_ERR_VALIDATION', query);
  }
});

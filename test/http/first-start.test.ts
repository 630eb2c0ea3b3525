import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { isLoopbackHost, refuseDemoPasswordsBeyondLoopback } from '../../server/auth/demo-passwords.js';
import { verifyPassword } from '../../server/auth/passwords.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { seedIfEmpty } from '../../server/demo/seed-if-empty.js';
import { StaffService, NO_EFFECTS } from '../../server/staff/service.js';

/*
 * Issue 11, a first start that is not a demo: DEMO_DATA=off makes no login, `npm run admin`
 * makes the first admin, and a server on the network refuses to start while a demo login keeps
 * the password printed in README (the check server/main.ts runs before anything else starts).
 */

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'cc-first-start-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const quiet = () => undefined;

async function database(t: { teardown(fn: () => unknown): void }) {
  const db = openDatabase(':memory:');
  t.teardown(() => db.destroy());
  await migrateToLatest(db);
  return db;
}

t.test('with DEMO_DATA=off an empty database gets no login at all; with it on, the demo logins', async (t) => {
  const off = await database(t);
  t.equal(await seedIfEmpty(off, loadConfig({ DEMO_DATA: 'off' }), quiet), false);
  t.same(await off.selectFrom('agents').select('id').execute(), []);
  t.same(await off.selectFrom('customers').select('id').execute(), []);

  const on = await database(t);
  t.equal(await seedIfEmpty(on, loadConfig({ DEMO_DATA: 'on', DEMO_CUSTOMERS: '1' }), quiet), true);
  t.same((await on.selectFrom('agents').select('username').orderBy('username').execute()).map((a) => a.username), ['admin', 'operator1', 'operator2', 'supervisor1']);
});

t.test('only loopback hosts count as this machine', async (t) => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) t.ok(isLoopbackHost(h), h);
  for (const h of ['0.0.0.0', '10.0.0.5', '192.168.1.10', '::', 'contact-center.example', 'fe80::1']) t.notOk(isLoopbackHost(h), h);
});

t.test('a server on the network refuses to start while a demo login keeps its demo password, naming the logins', async (t) => {
  const db = await database(t);
  await seedIfEmpty(db, loadConfig({ DEMO_CUSTOMERS: '1' }), quiet);
  await t.resolves(refuseDemoPasswordsBeyondLoopback(db, '127.0.0.1'), 'the demo on loopback starts');
  await t.rejects(refuseDemoPasswordsBeyondLoopback(db, '10.0.0.5'),
    { code: 'CC_ERR_AUTH_DEMO_PASSWORDS', details: { host: '10.0.0.5', logins: ['admin', 'operator1', 'operator2', 'supervisor1'] } });
  await t.rejects(refuseDemoPasswordsBeyondLoopback(db, '0.0.0.0'), { code: 'CC_ERR_AUTH_DEMO_PASSWORDS' }, 'every address is the network too');

  const staff = new StaffService({ db, clock: Date.now, effects: NO_EFFECTS });
  const ids = Object.fromEntries((await db.selectFrom('agents').select(['id', 'username']).execute()).map((a) => [a.username, a.id]));
  await staff.resetPassword(null, ids['admin']!);
  await staff.update(ids['admin']!, ids['operator2']!, { active: false });
  await t.rejects(refuseDemoPasswordsBeyondLoopback(db, '10.0.0.5'), { code: 'CC_ERR_AUTH_DEMO_PASSWORDS', details: { logins: ['operator1', 'supervisor1'] } }, 'a reset or a deactivated login no longer counts');
  await staff.resetPassword(null, ids['operator1']!);
  await staff.resetPassword(null, ids['supervisor1']!);
  await t.resolves(refuseDemoPasswordsBeyondLoopback(db, '10.0.0.5'), 'no demo password left: it starts');
});

/** `npm run admin -- …` on DB_PATH `path`. */
function admin(path: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'server', 'cli', 'admin.ts'), ...args], {
    cwd: repo, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', DB_PATH: path },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

t.test('`npm run admin -- create-admin` makes the first admin of a new database, with a one-time password to replace at the first login', async (t) => {
  const path = join(dir, 'fresh', 'contact-center.db');
  const made = admin(path, 'create-admin', '--login', 'ivanova', '--full-name', 'Анна Иванова');
  t.equal(made.status, 0, made.stderr);
  const password = /: ([A-Za-z0-9]{14})\n/.exec(made.stdout)?.[1];
  t.ok(password, 'the one-time password is printed');

  const db = openDatabase(path);
  t.teardown(() => db.destroy());
  const row = await db.selectFrom('agents').selectAll().where('username', '=', 'ivanova').executeTakeFirstOrThrow();
  t.match(row, { display_name: 'Анна Иванова', role: 'admin', active: 1, must_change_password: 1 });
  t.ok(await verifyPassword(password!, row.password_hash));
  t.match(await db.selectFrom('audit_log').selectAll().execute(), [{ action: 'staff.create', actor_agent_id: null, subject: `staff:${row.id}` }]);

  const again = admin(path, 'create-admin', '--login', 'ivanova');
  t.equal(again.status, 1);
  t.match(again.stderr, 'CC_ERR_STAFF_LOGIN_TAKEN');
  const bad = admin(path, 'create-admin', '--login', 'Bad Name');
  t.equal(bad.status, 1);
  t.match(bad.stderr, 'CC_ERR_STAFF_LOGIN_INVALID');
  t.equal(admin(path, 'create-admin').status, 1, 'no login');
  t.equal(admin(path, 'promote', '--login', 'ivanova').status, 1, 'no such command');
  t.equal((await db.selectFrom('agents').select('id').execute()).length, 1, 'nothing else made');
});

t.test('`npm run admin -- reset-password` gives a login a new one-time password and ends its sessions', async (t) => {
  const path = join(dir, 'reset', 'contact-center.db');
  t.equal(admin(path, 'create-admin', '--login', 'chief').status, 0);
  const db = openDatabase(path);
  t.teardown(() => db.destroy());
  const { id } = await db.selectFrom('agents').select('id').where('username', '=', 'chief').executeTakeFirstOrThrow();
  await db.insertInto('sessions').values({ id: 'x'.repeat(64), agent_id: id, created_at: '2026-01-01T00:00:00.000Z', last_seen_at: '2026-01-01T00:00:00.000Z', expires_at: '2999-01-01T00:00:00.000Z' }).execute();
  await db.updateTable('agents').set({ must_change_password: 0 }).execute();

  const reset = admin(path, 'reset-password', '--login', 'chief');
  t.equal(reset.status, 0, reset.stderr);
  const password = /: ([A-Za-z0-9]{14})\n/.exec(reset.stdout)?.[1];
  const row = await db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  t.ok(await verifyPassword(password!, row.password_hash));
  t.equal(row.must_change_password, 1);
  t.same(await db.selectFrom('sessions').select('id').execute(), []);
  const unknown = admin(path, 'reset-password', '--login', 'nobody');
  t.equal(unknown.status, 1);
  t.match(unknown.stderr, 'nobody');
});

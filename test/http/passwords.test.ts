import t from 'tap';
import { addAgent, testApp, type Session, type TestApp } from '../support/app.js';

/*
 * Issue 11: a one-time password (a new staff member, a reset) must be replaced before anything
 * else; the new one must pass the password rules (server/auth/password-rules.ts).
 */

/** An app with an admin and an agent; the agent was just given the one-time password 'Temp-pass-4821'. */
async function freshApp(t: Parameters<typeof testApp>[0]): Promise<{ app: TestApp; agentId: number }> {
  let agentId = 0;
  const app = await testApp(t, {
    seed: async (db) => {
      await addAgent(db, 'chief', {}, { role: 'admin', password: 'chief-password' });
      agentId = await addAgent(db, 'ivanova', { general: 1 }, { password: 'Temp-pass-4821' });
      await db.updateTable('agents').set({ must_change_password: 1 }).where('id', '=', agentId).execute();
    },
  });
  return { app, agentId };
}

const change = (inject: Session['inject'], currentPassword: string, newPassword: string) =>
  inject({ method: 'PUT', url: '/api/session/password', payload: { currentPassword, newPassword } });

t.test('until the one-time password is replaced, only the session routes answer; /api/live and /sip are refused too', async (t) => {
  const { app, agentId } = await freshApp(t);
  const login = await app.http.inject({ method: 'POST', url: '/api/session', payload: { username: 'ivanova', password: 'Temp-pass-4821' } });
  t.equal(login.statusCode, 200);
  t.equal(login.json().agent.mustChangePassword, true);
  const s = await app.loginAs('ivanova', 'Temp-pass-4821');
  for (const r of [
    { method: 'GET', url: '/api/agents' }, { method: 'POST', url: `/api/agents/${agentId}/login` }, { method: 'GET', url: '/api/session/sip' },
    { method: 'GET', url: '/api/offices' }, { method: 'GET', url: '/api/queues' }, { method: 'GET', url: '/api/no-such-route' },
  ] as const) {
    const res = await s.inject(r);
    t.equal(res.statusCode, 403, `${r.method} ${r.url}`);
    t.equal(res.json().code, 'CC_ERR_AUTH_PASSWORD_CHANGE_REQUIRED');
  }
  t.equal((await s.inject({ method: 'GET', url: '/api/session' })).statusCode, 200);
  t.equal((await s.inject({ method: 'PUT', url: '/api/session/language', payload: { language: 'en' } })).statusCode, 200);
  await t.rejects(app.http.injectWS('/api/live', { headers: { cookie: s.cookie } } as never), 'the live socket is refused');
  const sip = await s.inject({ method: 'GET', url: '/sip', headers: { connection: 'Upgrade', upgrade: 'websocket' } });
  t.equal(sip.statusCode, 403);
  t.equal(sip.json().code, 'CC_ERR_AUTH_PASSWORD_CHANGE_REQUIRED');
  t.equal(app.queue.agentState(agentId).kind, 'offline', 'they could not log in to the queue');
  t.equal((await s.inject({ method: 'DELETE', url: '/api/session' })).statusCode, 204, 'logging out works');
});

t.test('choosing a good password lifts the restriction, keeps this session, ends the others and is audited', async (t) => {
  const { app, agentId } = await freshApp(t);
  const other = await app.loginAs('ivanova', 'Temp-pass-4821');
  const s = await app.loginAs('ivanova', 'Temp-pass-4821');
  const res = await change(s.inject, 'Temp-pass-4821', 'Синий трактор 1987');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['cache-control'], 'no-store');
  t.match(res.json(), { agent: { id: agentId, username: 'ivanova', mustChangePassword: false } });
  t.equal((await s.inject({ method: 'GET', url: '/api/agents' })).statusCode, 200, 'everything answers now');
  t.equal((await other.inject({ method: 'GET', url: '/api/session' })).statusCode, 401, 'the other session ended');
  await app.loginAs('ivanova', 'Синий трактор 1987');
  const old = await app.http.inject({ method: 'POST', url: '/api/session', payload: { username: 'ivanova', password: 'Temp-pass-4821' } });
  t.equal(old.statusCode, 401);
  const rows = await app.db.selectFrom('audit_log').selectAll().where('action', '=', 'password.change').execute();
  t.match(rows, [{ actor_agent_id: agentId, subject: `staff:${agentId}` }]);
  t.same(JSON.parse(rows[0]!.after!), { mustChangePassword: false });
  t.notOk(JSON.stringify(rows).includes('трактор') || JSON.stringify(rows).includes('Temp-pass'), 'no password in the audit');
});

t.test('a new password is refused naming the rule: too short, the login, a common one, unchanged', async (t) => {
  const { app } = await freshApp(t);
  const s = await app.loginAs('ivanova', 'Temp-pass-4821');
  for (const [password, reason] of [
    ['Short-1', 'too_short'], ['IVANOVA2026', 'same_as_login'], ['qwertyuiop', 'common'], ['password123', 'common'],
    ['1234567890', 'common'], ['йцукен1234', 'common'], ['Temp-pass-4821', 'unchanged'],
  ] as const) {
    const res = await change(s.inject, 'Temp-pass-4821', password);
    t.equal(res.statusCode, 400, password);
    t.equal(res.json().code, 'CC_ERR_AUTH_PASSWORD_WEAK');
    t.equal(res.json().details.reason, reason);
  }
  t.equal((await s.inject({ method: 'GET', url: '/api/session' })).json().agent.mustChangePassword, true, 'still to be changed');
  t.equal((await change(s.inject, 'Temp-pass-4821', 'x'.repeat(1025))).json().code, 'CC_ERR_VALIDATION');
});

t.test('a wrong current password is 403 and counted like a failed login: the sixth try is throttled', async (t) => {
  const { app } = await freshApp(t);
  const s = await app.loginAs('ivanova', 'Temp-pass-4821');
  for (let i = 0; i < 5; i++) {
    const res = await change(s.inject, 'not-my-password', 'Синий трактор 1987');
    t.equal(res.statusCode, 403);
    t.equal(res.json().code, 'CC_ERR_AUTH_INVALID');
  }
  const throttled = await change(s.inject, 'Temp-pass-4821', 'Синий трактор 1987');
  t.equal(throttled.statusCode, 429);
  t.equal(throttled.json().code, 'CC_ERR_AUTH_THROTTLED');
  t.ok(Number(throttled.headers['retry-after']) > 0);
  t.equal((await s.inject({ method: 'GET', url: '/api/session' })).statusCode, 200, 'the session itself is untouched');
});

t.test('anyone may change their own password, not only after a reset', async (t) => {
  const { app } = await freshApp(t);
  const admin = await app.loginAs('chief', 'chief-password');
  t.equal((await change(admin.inject, 'chief-password', 'Белый медведь на льдине')).statusCode, 200);
  t.equal((await app.http.inject({ method: 'PUT', url: '/api/session/password', payload: { currentPassword: 'a', newPassword: 'b' } })).json().code, 'CC_ERR_AUTH_REQUIRED');
});

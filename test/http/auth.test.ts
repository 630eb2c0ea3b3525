import { createHash } from 'node:crypto';
import t from 'tap';
import { addAgent, testApp } from '../support/app.js';

/** An app with two agents (operator1, operator2), a supervisor (boss) and an inactive agent (gone), each with a password. */
async function staffApp(t: Parameters<typeof testApp>[0]) {
  const ids = { op1: 0, op2: 0, boss: 0, gone: 0 };
  const app = await testApp(t, {
    seed: async (db) => {
      ids.op1 = await addAgent(db, 'operator1', { general: 1 }, { password: 'operator1-pw' });
      ids.op2 = await addAgent(db, 'operator2', { general: 2 }, { password: 'operator2-pw' });
      ids.boss = await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-pw' });
      ids.gone = await addAgent(db, 'gone', {}, { password: 'gone-pw', active: false });
    },
  });
  return { app, ...ids };
}

const login = (app: Awaited<ReturnType<typeof testApp>>, username: string, password: string) =>
  app.http.inject({ method: 'POST', url: '/api/session', payload: { username, password }, headers: { 'user-agent': 'test-browser/1.0' } });

t.test('a staff member logs in with their password and gets their profile and a session cookie', async (t) => {
  const { app, op1 } = await staffApp(t);
  const res = await login(app, 'operator1', 'operator1-pw');
  t.equal(res.statusCode, 200);
  t.same(res.json(), { agent: { id: op1, username: 'operator1', displayName: 'operator1', role: 'agent', language: 'ru', mustChangePassword: false } });
  t.equal(res.headers['cache-control'], 'no-store');
  const cookie = res.cookies.find((c) => c.name === 'cc_session');
  t.ok(cookie?.value, 'a cc_session cookie');
  const me = await app.http.inject({ method: 'GET', url: '/api/session', headers: { cookie: `cc_session=${cookie!.value}` } });
  t.equal(me.statusCode, 200);
  t.equal(me.json().agent.id, op1);
});

t.test('the session cookie is HttpOnly, SameSite=Strict, for the whole site, and not Secure over plain http', async (t) => {
  const { app } = await staffApp(t);
  const res = await login(app, 'operator1', 'operator1-pw');
  const header = String(res.headers['set-cookie']);
  t.match(header, /^cc_session=[A-Za-z0-9_-]{43};/);
  t.match(header, /; HttpOnly/);
  t.match(header, /; SameSite=Strict/);
  t.match(header, /; Path=\//);
  t.notMatch(header, /Secure/, 'http://127.0.0.1 is a secure context; a Secure cookie would be dropped there');
});

t.test('a wrong password and an unknown username get the same 401', async (t) => {
  const { app } = await staffApp(t);
  const wrong = await login(app, 'operator1', 'not-the-password');
  const unknown = await login(app, 'nobody', 'operator1-pw');
  t.equal(wrong.statusCode, 401);
  t.equal(wrong.json().code, 'CC_ERR_AUTH_INVALID');
  t.equal(unknown.statusCode, 401);
  t.same(unknown.json(), wrong.json(), 'nothing tells the two apart');
  t.notOk(wrong.headers['set-cookie'], 'no cookie');
  t.equal(await app.db.selectFrom('sessions').select('id').executeTakeFirst(), undefined, 'no session stored');
});

t.test('an inactive agent cannot log in, even with the right password', async (t) => {
  const { app } = await staffApp(t);
  const res = await login(app, 'gone', 'gone-pw');
  t.equal(res.statusCode, 401);
  t.equal(res.json().code, 'CC_ERR_AUTH_INVALID');
});

t.test('after 5 failed logins for a username, the next attempt is refused with 429 even with the right password; other usernames are not', async (t) => {
  const { app } = await staffApp(t);
  for (let i = 1; i <= 5; i++) {
    t.equal((await login(app, 'operator1', `guess-${i}`)).statusCode, 401, `guess ${i} is checked`);
  }
  const blocked = await login(app, 'operator1', 'operator1-pw');
  t.equal(blocked.statusCode, 429);
  t.equal(blocked.json().code, 'CC_ERR_AUTH_THROTTLED');
  t.ok(Number(blocked.headers['retry-after']) > 0, 'Retry-After in seconds');
  t.equal((await login(app, 'operator2', 'operator2-pw')).statusCode, 200, 'another username logs in');
});

t.test('a successful login forgives earlier failures', async (t) => {
  const { app } = await staffApp(t);
  for (let i = 1; i <= 4; i++) await login(app, 'operator1', `guess-${i}`);
  t.equal((await login(app, 'operator1', 'operator1-pw')).statusCode, 200);
  for (let i = 5; i <= 8; i++) t.equal((await login(app, 'operator1', `guess-${i}`)).statusCode, 401);
});

/** Every route of the app as [method, path], read from Fastify's route tree. */
function routesOf(tree: string): Array<[string, string]> {
  const routes: Array<[string, string]> = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:[│ ] {3})*)[├└]── (\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (m === null) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + m[2]!;
    stack[depth] = path;
    for (const method of m[3]!.split(', ')) routes.push([method, path]);
  }
  return routes;
}

t.test('every /api route needs a session, except logging in and the health check', async (t) => {
  const { app } = await staffApp(t);
  await app.http.ready();
  const routes = routesOf(app.http.printRoutes({ commonPrefix: false }));
  t.ok(routes.some(([m, p]) => m === 'PUT' && p === '/api/queues/:queueId/members'), 'the route tree is read to its leaves');
  const open = new Set(['POST /api/session', 'GET /api/health', 'HEAD /api/health']);
  for (const [method, path] of routes) {
    const url = path.replace(/:[A-Za-z]+/g, '1');
    for (const cookie of [undefined, 'cc_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'cc_session=forged']) {
      const res = await app.http.inject({ method: method as 'GET', url, ...(cookie && { headers: { cookie } }), payload: method === 'GET' || method === 'HEAD' ? undefined : {} });
      if (open.has(`${method} ${path}`)) {
        t.not(res.statusCode, 401, `${method} ${path} is open`);
      } else {
        t.equal(res.statusCode, 401, `${method} ${path} ${cookie ?? 'without a cookie'}`);
        if (method !== 'HEAD') t.equal(res.json().code, 'CC_ERR_AUTH_REQUIRED');
      }
    }
  }
  const unknown = await app.http.inject({ method: 'GET', url: '/api/no-such-thing' });
  t.equal(unknown.statusCode, 401, 'an unknown /api path does not reveal that it is unknown');
});

t.test('an agent changes their own state but not another agent\'s; a supervisor changes anyone\'s', async (t) => {
  const { app, op1, op2 } = await staffApp(t);
  const agent = await app.loginAs('operator1', 'operator1-pw');
  const boss = await app.loginAs('boss', 'boss-pw');
  t.equal((await agent.inject({ method: 'POST', url: `/api/agents/${op1}/login` })).statusCode, 200, 'themself');
  for (const [url, payload] of [
    [`/api/agents/${op2}/login`, undefined], [`/api/agents/${op2}/state`, { state: 'paused', reason: 'break' }],
    [`/api/agents/${op2}/logout`, undefined], [`/api/agents/${op2}/call/hold`, { on: true }], [`/api/agents/${op2}/call/mute`, { on: true }],
    [`/api/agents/${op2}/call/transfer`, { ivr: true }], [`/api/agents/${op2}/calls`, { number: '+74012000001' }],
    [`/api/agents/${op2}/state`, { state: 'sleeping' }],
  ] as const) {
    const res = await agent.inject({ method: 'POST', url, ...(payload && { payload }) });
    t.equal(res.statusCode, 403, `${url} ${JSON.stringify(payload)}`);
    t.equal(res.json().code, 'CC_ERR_AUTH_FORBIDDEN');
  }
  t.equal((await boss.inject({ method: 'POST', url: `/api/agents/${op2}/login` })).statusCode, 200);
  const paused = await boss.inject({ method: 'POST', url: `/api/agents/${op1}/state`, payload: { state: 'paused', reason: 'supervisor' } });
  t.equal(paused.statusCode, 200);
  t.match(paused.json().state, { kind: 'paused', reason: 'supervisor' });
  const list = await agent.inject({ method: 'GET', url: '/api/agents' });
  t.equal(list.statusCode, 200, 'any logged-in agent sees the agents');
  t.equal((await agent.inject({ method: 'GET', url: `/api/agents/${op2}` })).statusCode, 200);
});

t.test('an agent reads the queues but cannot edit them', async (t) => {
  const { app, op1 } = await staffApp(t);
  const agent = await app.loginAs('operator1', 'operator1-pw');
  t.equal((await agent.inject({ method: 'GET', url: '/api/queues' })).statusCode, 200);
  const edit = await agent.inject({ method: 'PUT', url: '/api/queues/general/members', payload: [{ agentId: op1, priority: 1 }] });
  t.equal(edit.statusCode, 403);
  t.equal(edit.json().code, 'CC_ERR_AUTH_FORBIDDEN');
  const create = await agent.inject({ method: 'PUT', url: '/api/queues/outages', payload: {} });
  t.equal(create.statusCode, 403, 'refused before the body is looked at');
  t.equal((await agent.inject({ method: 'GET', url: '/api/calls' })).statusCode, 200, 'calls are for any logged-in agent');
});

t.test('logging out ends the session: the cookie is cleared and no longer works', async (t) => {
  const { app } = await staffApp(t);
  const agent = await app.loginAs('operator1', 'operator1-pw');
  const out = await agent.inject({ method: 'DELETE', url: '/api/session' });
  t.equal(out.statusCode, 204);
  const cleared = out.cookies.find((c) => c.name === 'cc_session');
  t.equal(cleared?.value, '', 'the cookie is emptied');
  t.ok(cleared?.expires !== undefined && cleared.expires.getTime() <= Date.now(), 'and expired');
  const after = await agent.inject({ method: 'GET', url: '/api/session' });
  t.equal(after.statusCode, 401);
  t.equal(after.json().code, 'CC_ERR_AUTH_REQUIRED');
  t.equal(await app.db.selectFrom('sessions').select('id').executeTakeFirst(), undefined, 'the row is deleted');
});

t.test('a session idle for longer than the idle time is refused and removed; one in use slides on', async (t) => {
  const { app } = await staffApp(t);
  const idle = await app.loginAs('operator1', 'operator1-pw');
  const busy = await app.loginAs('operator2', 'operator2-pw');
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  await app.db.updateTable('sessions').set({ last_seen_at: hoursAgo(13), expires_at: hoursAgo(1) })
    .where('agent_id', '=', idle.agentId).execute();
  const refused = await idle.inject({ method: 'GET', url: '/api/session' });
  t.equal(refused.statusCode, 401);
  t.equal(refused.json().code, 'CC_ERR_AUTH_REQUIRED');
  t.equal(await app.db.selectFrom('sessions').select('id').where('agent_id', '=', idle.agentId).executeTakeFirst(), undefined);

  await app.db.updateTable('sessions').set({ last_seen_at: hoursAgo(11), expires_at: hoursAgo(-1) })
    .where('agent_id', '=', busy.agentId).execute();
  t.equal((await busy.inject({ method: 'GET', url: '/api/session' })).statusCode, 200);
  const row = await app.db.selectFrom('sessions').selectAll().where('agent_id', '=', busy.agentId).executeTakeFirstOrThrow();
  t.ok(Date.parse(row.last_seen_at) > Date.now() - 60_000, 'last seen now');
  t.ok(Date.parse(row.expires_at) > Date.now() + 11.9 * 3_600_000, 'twelve hours from now (SESSION_IDLE_HOURS)');
});

t.test('deactivating an agent ends their sessions at once', async (t) => {
  const { app, op1 } = await staffApp(t);
  const agent = await app.loginAs('operator1', 'operator1-pw');
  await app.db.updateTable('agents').set({ active: 0 }).where('id', '=', op1).execute();
  t.equal((await agent.inject({ method: 'GET', url: '/api/agents' })).statusCode, 401);
});

t.test('the softphone gets the logged-in agent\'s own SIP account, never without a session', async (t) => {
  const { app } = await staffApp(t);
  const anonymous = await app.http.inject({ method: 'GET', url: '/api/session/sip' });
  t.equal(anonymous.statusCode, 401);
  t.equal(anonymous.json().code, 'CC_ERR_AUTH_REQUIRED');
  const agent = await app.loginAs('operator2', 'operator2-pw');
  const res = await agent.inject({ method: 'GET', url: '/api/session/sip' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { username: 'operator2', password: 'operator2-sip-secret', wsUrl: 'ws://localhost:80/sip', domain: 'localhost', iceServers: [] }, 'the SIP WebSocket on the page\'s own origin, proxied to Asterisk');
  t.equal(res.headers['cache-control'], 'no-store');
});

t.test('the sessions table keeps a hash of the token, never the token itself', async (t) => {
  const { app, op1 } = await staffApp(t);
  const agent = await app.loginAs('operator1', 'operator1-pw');
  const token = agent.cookie.replace('cc_session=', '');
  const rows = await app.db.selectFrom('sessions').selectAll().execute();
  t.equal(rows.length, 1);
  t.match(rows[0], { id: createHash('sha256').update(token).digest('hex'), agent_id: op1, user_agent: 'lightMyRequest' });
  t.notOk(JSON.stringify(rows).includes(token), 'the token appears in no column');
});

t.test('an agent switches their own page to English and back; other languages and fields are refused', async (t) => {
  const { app, op1 } = await staffApp(t);
  const anonymous = await app.http.inject({ method: 'PUT', url: '/api/session/language', payload: { language: 'en' } });
  t.equal(anonymous.statusCode, 401);
  const agent = await app.loginAs('operator1', 'operator1-pw');
  const res = await agent.inject({ method: 'PUT', url: '/api/session/language', payload: { language: 'en' } });
  t.equal(res.statusCode, 200);
  t.equal(res.json().agent.language, 'en');
  t.equal((await agent.inject({ method: 'GET', url: '/api/session' })).json().agent.language, 'en', 'the session shows it');
  const stored = await app.db.selectFrom('agents').select('language').where('id', '=', op1).executeTakeFirstOrThrow();
  t.equal(stored.language, 'en');
  for (const payload of [{ language: 'de' }, { language: 'en', agentId: 2 }, {}]) {
    const bad = await agent.inject({ method: 'PUT', url: '/api/session/language', payload });
    t.equal(bad.statusCode, 400, JSON.stringify(payload));
    t.equal(bad.json().code, 'CC_ERR_VALIDATION');
  }
});

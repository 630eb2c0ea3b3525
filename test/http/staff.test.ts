import t from 'tap';
import { addAgent, testApp, type Session, type TestApp } from '../support/app.js';
import { eventually } from '../support/fake-telephony.js';

/*
 * Issue 11: staff administered in the product, by admins only; every change audited with the
 * values before and after; deactivation ends sessions and removes the phone from Asterisk at once.
 */

const ONE_TIME = /^[a-km-np-zA-HJ-NP-RT-Y346789]{14}$/;

interface Staffed { app: TestApp; admin: Session; adminId: number; op1: number; boss: number }

/** An app with an admin (logged in), an agent in 'general' and a supervisor, each with a password. */
async function staffApp(t: Parameters<typeof testApp>[0]): Promise<Staffed> {
  const ids = { adminId: 0, op1: 0, boss: 0 };
  const app = await testApp(t, {
    seed: async (db) => {
      ids.adminId = await addAgent(db, 'chief', {}, { role: 'admin', password: 'chief-password' });
      ids.op1 = await addAgent(db, 'operator1', { general: 1 }, { password: 'operator1-password' });
      ids.boss = await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
    },
  });
  // The connection's first synchronisation of every phone, before a test looks at what is pushed.
  await eventually(() => (app.telephony.config.has('endpoint/boss') ? true : undefined));
  return { app, admin: await app.loginAs('chief', 'chief-password'), ...ids };
}

const audit = (app: TestApp, subject: string) =>
  app.db.selectFrom('audit_log').selectAll().where('subject', '=', subject).orderBy('id').execute();

t.test('an admin creates a staff member who gets a one-time password, must change it at the first login, and a phone in Asterisk', async (t) => {
  const { app, admin, adminId } = await staffApp(t);
  const res = await admin.inject({ method: 'POST', url: '/api/staff', payload: { login: 'ivanova', fullName: 'Анна Иванова', role: 'agent', queues: [{ queueId: 'billing', priority: 2 }] } });
  t.equal(res.statusCode, 201);
  t.equal(res.headers['cache-control'], 'no-store');
  const body = res.json();
  t.match(body.oneTimePassword, ONE_TIME);
  t.equal(body.sipPassword, undefined, 'a browser softphone gets its SIP password from its own session');
  t.match(body.staff, {
    login: 'ivanova', fullName: 'Анна Иванова', role: 'agent', active: true, language: 'ru', phone: { kind: 'browser' },
    queues: [{ queueId: 'billing', priority: 2 }], mustChangePassword: true,
  });
  t.match(body.staff.createdAt, /^\d{4}-\d\d-\d\dT/);
  t.same(app.telephony.config.get('endpoint/ivanova')?.['webrtc'], 'yes', 'the browser phone is in Asterisk at once');
  t.ok(app.queue.agentStates().some((a) => a.username === 'ivanova'), 'the queue engine knows them');

  const session = await app.loginAs('ivanova', body.oneTimePassword);
  const me = await session.inject({ method: 'GET', url: '/api/session' });
  t.equal(me.json().agent.mustChangePassword, true);
  const blocked = await session.inject({ method: 'GET', url: '/api/queues' });
  t.equal(blocked.statusCode, 403);
  t.equal(blocked.json().code, 'CC_ERR_AUTH_PASSWORD_CHANGE_REQUIRED');

  const rows = await audit(app, `staff:${body.staff.id}`);
  t.equal(rows.length, 1);
  t.match(rows[0], { action: 'staff.create', actor_agent_id: adminId, before: null });
  t.match(JSON.parse(rows[0]!.after!), { login: 'ivanova', role: 'agent', queues: [{ queueId: 'billing', priority: 2 }] });
  const row = await app.db.selectFrom('agents').select(['password_hash', 'sip_password']).where('id', '=', body.staff.id).executeTakeFirstOrThrow();
  t.notOk(JSON.stringify(rows).includes(body.oneTimePassword) || JSON.stringify(rows).includes(row.password_hash) || JSON.stringify(rows).includes(row.sip_password),
    'no password or hash in the audit');
});

t.test('a desk SIP phone\'s password is shown once with the new staff member, and the phone is pushed as plain SIP', async (t) => {
  const { app, admin } = await staffApp(t);
  const res = await admin.inject({ method: 'POST', url: '/api/staff', payload: { login: 'desk.one', fullName: 'Desk One', role: 'agent', phone: { kind: 'sip', contact: 'sip:desk.one@127.0.0.1:5099' } } });
  t.equal(res.statusCode, 201);
  t.match(res.json().sipPassword, /^[A-Za-z0-9_-]{24}$/);
  t.same(res.json().staff.phone, { kind: 'sip', contact: 'sip:desk.one@127.0.0.1:5099' });
  t.equal(app.telephony.config.get('auth/desk.one')?.['password'], res.json().sipPassword);
  t.equal(app.telephony.config.get('aor/desk.one')?.['contact'], 'sip:desk.one@127.0.0.1:5099');
});

t.test('staff are listed by login with their queues and phones', async (t) => {
  const { admin } = await staffApp(t);
  const res = await admin.inject({ method: 'GET', url: '/api/staff' });
  t.equal(res.statusCode, 200);
  t.same(res.json().map((s: { login: string }) => s.login), ['boss', 'chief', 'operator1']);
  t.match(res.json()[2], { role: 'agent', active: true, phone: { kind: 'sip', contact: null }, queues: [{ queueId: 'general', priority: 1 }], mustChangePassword: false });
});

t.test('agents and supervisors are refused every staff route and the audit; without a session it is 401', async (t) => {
  const { app, op1 } = await staffApp(t);
  const routes = [
    { method: 'GET', url: '/api/staff' },
    { method: 'POST', url: '/api/staff', payload: { login: 'newbie', fullName: 'N', role: 'admin' } },
    { method: 'PATCH', url: `/api/staff/${op1}`, payload: { role: 'admin' } },
    { method: 'POST', url: `/api/staff/${op1}/reset-password` },
    { method: 'GET', url: '/api/audit' },
  ] as const;
  for (const [login, password] of [['operator1', 'operator1-password'], ['boss', 'boss-password']] as const) {
    const session = await app.loginAs(login, password);
    for (const r of routes) {
      const res = await session.inject(r);
      t.equal(res.statusCode, 403, `${login} ${r.method} ${r.url}`);
      t.equal(res.json().code, 'CC_ERR_AUTH_FORBIDDEN');
    }
  }
  for (const r of routes) t.equal((await app.http.inject(r)).json().code, 'CC_ERR_AUTH_REQUIRED');
  t.equal(await app.db.selectFrom('agents').select('id').where('username', '=', 'newbie').executeTakeFirst(), undefined);
  t.equal((await app.db.selectFrom('agents').select('role').where('id', '=', op1).executeTakeFirstOrThrow()).role, 'agent');
});

t.test('a taken login is 409, an unknown queue 400 naming it, a bad login or name a validation error; nothing is created', async (t) => {
  const { app, admin } = await staffApp(t);
  const post = (payload: object) => admin.inject({ method: 'POST', url: '/api/staff', payload });
  const taken = await post({ login: 'operator1', fullName: 'Someone', role: 'agent' });
  t.equal(taken.statusCode, 409);
  t.equal(taken.json().code, 'CC_ERR_STAFF_LOGIN_TAKEN');
  t.equal((await post({ login: 'trunk', fullName: 'Trunk', role: 'agent' })).json().code, 'CC_ERR_STAFF_LOGIN_TAKEN', 'pjsip.conf\'s own name');
  const queue = await post({ login: 'newbie', fullName: 'Newbie', role: 'agent', queues: [{ queueId: 'nosuch', priority: 1 }] });
  t.equal(queue.statusCode, 400);
  t.equal(queue.json().code, 'CC_ERR_STAFF_QUEUE_UNKNOWN');
  t.same(queue.json().details, { queueId: 'nosuch' });
  for (const payload of [
    { login: 'Newbie', fullName: 'Newbie', role: 'agent' },
    { login: 'nb', fullName: 'Newbie', role: 'agent' },
    { login: 'new bie', fullName: 'Newbie', role: 'agent' },
    { login: 'newbie', fullName: '', role: 'agent' },
    { login: 'newbie', fullName: 'Newbie', role: 'root' },
    { login: 'newbie', fullName: 'Newbie', role: 'agent', password: 'mine' },
    { login: 'newbie', fullName: 'Newbie', role: 'agent', phone: { kind: 'sip', contact: 'http://x' } },
    { login: 'newbie', fullName: 'Newbie', role: 'agent', queues: [{ queueId: 'general', priority: 0 }] },
  ]) {
    const res = await post(payload);
    t.equal(res.statusCode, 400, JSON.stringify(payload));
    t.equal(res.json().code, 'CC_ERR_VALIDATION');
  }
  t.equal(await app.db.selectFrom('agents').select('id').where('username', 'in', ['newbie', 'Newbie', 'trunk']).executeTakeFirst(), undefined);
  t.same(await app.db.selectFrom('audit_log').select('id').execute(), []);
});

t.test('an edit changes name, role, queues and phone, is audited with only the changed values, and re-pushes the phone', async (t) => {
  const { app, admin, adminId, op1 } = await staffApp(t);
  app.telephony.requests.length = 0;
  const res = await admin.inject({ method: 'PATCH', url: `/api/staff/${op1}`, payload: {
    fullName: 'Мария Ковалёва', role: 'supervisor', queues: [{ queueId: 'billing', priority: 3 }], phone: { kind: 'browser' },
  } });
  t.equal(res.statusCode, 200);
  t.match(res.json(), { id: op1, login: 'operator1', fullName: 'Мария Ковалёва', role: 'supervisor', queues: [{ queueId: 'billing', priority: 3 }], phone: { kind: 'browser' } });
  t.equal(app.telephony.config.get('endpoint/operator1')?.['webrtc'], 'yes', 'now a browser phone in Asterisk');
  const [row] = await audit(app, `staff:${op1}`);
  t.match(row, { action: 'staff.update', actor_agent_id: adminId });
  t.same(JSON.parse(row!.before!), { fullName: 'operator1', role: 'agent', phone: { kind: 'sip', contact: null }, queues: [{ queueId: 'general', priority: 1 }] });
  t.same(JSON.parse(row!.after!), { fullName: 'Мария Ковалёва', role: 'supervisor', phone: { kind: 'browser' }, queues: [{ queueId: 'billing', priority: 3 }] });

  const api = await admin.inject({ method: 'GET', url: `/api/audit?subject=staff:${op1}` });
  t.equal(api.statusCode, 200);
  t.match(api.json(), [{ action: 'staff.update', actor: { id: adminId, login: 'chief' }, subject: `staff:${op1}`, before: { role: 'agent' }, after: { role: 'supervisor' } }]);
});

t.test('a staff edit that fails validation changes nothing', async (t) => {
  const { app, admin, op1 } = await staffApp(t);
  const before = await admin.inject({ method: 'GET', url: '/api/staff' });
  for (const [payload, code] of [
    [{ fullName: 'Changed', queues: [{ queueId: 'nosuch', priority: 1 }] }, 'CC_ERR_STAFF_QUEUE_UNKNOWN'],
    [{ fullName: 'Changed', queues: [{ queueId: 'general', priority: 1 }, { queueId: 'general', priority: 2 }] }, 'CC_ERR_VALIDATION'],
    [{ fullName: 'Changed', role: 'king' }, 'CC_ERR_VALIDATION'],
    [{ fullName: 'Changed', login: 'renamed' }, 'CC_ERR_VALIDATION'],
    [{}, 'CC_ERR_VALIDATION'],
  ] as const) {
    const res = await admin.inject({ method: 'PATCH', url: `/api/staff/${op1}`, payload });
    t.equal(res.statusCode, 400, JSON.stringify(payload));
    t.equal(res.json().code, code);
  }
  const missing = await admin.inject({ method: 'PATCH', url: '/api/staff/9999', payload: { fullName: 'X' } });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().code, 'CC_ERR_STAFF_NOT_FOUND');
  t.same((await admin.inject({ method: 'GET', url: '/api/staff' })).json(), before.json());
  t.same(await app.db.selectFrom('audit_log').select('id').execute(), []);
});

t.test('deactivating ends the person\'s sessions, removes their phone from Asterisk and the queue stops offering them calls; reactivating pushes it again', async (t) => {
  const { app, admin, op1 } = await staffApp(t);
  const session = await app.loginAs('operator1', 'operator1-password');
  await session.inject({ method: 'POST', url: `/api/agents/${op1}/login` });
  t.equal(app.queue.agentState(op1).kind, 'available');
  app.telephony.requests.length = 0;

  const res = await admin.inject({ method: 'PATCH', url: `/api/staff/${op1}`, payload: { active: false } });
  t.equal(res.statusCode, 200);
  t.equal(res.json().active, false);
  t.same(await app.db.selectFrom('sessions').select('id').where('agent_id', '=', op1).execute(), [], 'sessions deleted');
  t.equal((await session.inject({ method: 'GET', url: '/api/session' })).json().code, 'CC_ERR_AUTH_REQUIRED');
  t.same(app.telephony.requests.filter((r) => r.op === 'delete_config').map((r) => r.op === 'delete_config' && `${r.objectType}/${r.id}`),
    ['endpoint/operator1', 'aor/operator1', 'auth/operator1'], 'endpoint, AOR and auth deleted, in that order');
  t.notOk(app.telephony.config.has('endpoint/operator1'));
  t.equal(app.queue.agentState(op1).kind, 'offline', 'logged out of the queue');
  t.notOk(app.queue.agentStates().some((a) => a.agentId === op1));
  await app.telephony.callerWaits('caller-1');
  t.notOk(app.telephony.requests.some((r) => r.op === 'originate'), 'a waiting caller is not offered to them');
  t.match(JSON.parse((await audit(app, `staff:${op1}`))[0]!.after!), { active: false });

  const back = await admin.inject({ method: 'PATCH', url: `/api/staff/${op1}`, payload: { active: true } });
  t.equal(back.statusCode, 200);
  t.ok(app.telephony.config.has('endpoint/operator1'), 'pushed again');
  const again = await app.loginAs('operator1', 'operator1-password');
  await again.inject({ method: 'POST', url: `/api/agents/${op1}/login` });
  const offer = await eventually(() => app.telephony.requests.find((r) => r.op === 'originate'), 3000, 'the waiting caller offered');
  t.match(offer, { endpoint: 'PJSIP/operator1' }, 'in their queue again');
  app.telephony.hangUpFromCaller('caller-1');
  await eventually(async () => (await app.db.selectFrom('calls').select('ended_at').executeTakeFirst())?.ended_at ?? undefined, 3000, 'the call over');
});

t.test('an admin cannot deactivate themself or give up their own admin role', async (t) => {
  const { app, admin, adminId } = await staffApp(t);
  for (const payload of [{ active: false }, { role: 'supervisor' }, { fullName: 'Me', role: 'agent' }]) {
    const res = await admin.inject({ method: 'PATCH', url: `/api/staff/${adminId}`, payload });
    t.equal(res.statusCode, 409);
    t.equal(res.json().code, 'CC_ERR_STAFF_SELF_LOCKOUT');
  }
  t.match(await app.db.selectFrom('agents').select(['role', 'active', 'display_name']).where('id', '=', adminId).executeTakeFirstOrThrow(), { role: 'admin', active: 1, display_name: 'chief' });
  const renamed = await admin.inject({ method: 'PATCH', url: `/api/staff/${adminId}`, payload: { fullName: 'Главный', role: 'admin' } });
  t.equal(renamed.statusCode, 200, 'anything else of their own is fine');
});

t.test('a password reset gives a new one-time password, ends the person\'s sessions and forces a change at the next login', async (t) => {
  const { app, admin, adminId, op1 } = await staffApp(t);
  const old = await app.loginAs('operator1', 'operator1-password');
  const res = await admin.inject({ method: 'POST', url: `/api/staff/${op1}/reset-password` });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['cache-control'], 'no-store');
  t.match(res.json().oneTimePassword, ONE_TIME);
  t.equal((await old.inject({ method: 'GET', url: '/api/session' })).statusCode, 401, 'their session ended');
  const login = await app.http.inject({ method: 'POST', url: '/api/session', payload: { username: 'operator1', password: 'operator1-password' } });
  t.equal(login.statusCode, 401, 'the old password is gone');
  const fresh = await app.loginAs('operator1', res.json().oneTimePassword);
  t.equal((await fresh.inject({ method: 'GET', url: '/api/session' })).json().agent.mustChangePassword, true);
  t.equal((await fresh.inject({ method: 'GET', url: '/api/agents' })).json().code, 'CC_ERR_AUTH_PASSWORD_CHANGE_REQUIRED');
  const rows = await audit(app, `staff:${op1}`);
  t.match(rows, [{ action: 'staff.reset_password', actor_agent_id: adminId }]);
  t.notOk(JSON.stringify(rows).includes(res.json().oneTimePassword));
  t.equal((await admin.inject({ method: 'POST', url: '/api/staff/9999/reset-password' })).json().code, 'CC_ERR_STAFF_NOT_FOUND');
});

t.test('the audit lists the newest first, at most `limit`, with the actor\'s login', async (t) => {
  const { admin, adminId, op1 } = await staffApp(t);
  await admin.inject({ method: 'PATCH', url: `/api/staff/${op1}`, payload: { fullName: 'First' } });
  await admin.inject({ method: 'PATCH', url: `/api/staff/${op1}`, payload: { fullName: 'Second' } });
  await admin.inject({ method: 'POST', url: `/api/staff/${op1}/reset-password` });
  const all = await admin.inject({ method: 'GET', url: '/api/audit' });
  t.same(all.json().map((r: { action: string }) => r.action), ['staff.reset_password', 'staff.update', 'staff.update']);
  t.match(all.json()[1], { actor: { id: adminId, login: 'chief' }, before: { fullName: 'First' }, after: { fullName: 'Second' } });
  const two = await admin.inject({ method: 'GET', url: '/api/audit?limit=2' });
  t.equal(two.json().length, 2);
  t.equal((await admin.inject({ method: 'GET', url: '/api/audit?limit=0' })).json().code, 'CC_ERR_VALIDATION');
});

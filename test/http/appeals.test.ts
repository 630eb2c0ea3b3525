import type { InjectOptions } from 'fastify';
import pino from 'pino';
import t from 'tap';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { openDatabase } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { AppealService } from '../../server/appeals/service.js';
import { defaultMenuDir, MenuRegistry } from '../../server/menus/registry.js';
import { SelfService } from '../../server/self-service/service.js';
import { addAccount, addAgent, loginAs, type Session } from '../support/app.js';
import { FakeSpeech } from '../support/fake-speech.js';
import { FakeTelephony } from '../support/fake-telephony.js';

const PASSWORD = 'operator1-test-password';
const CALL_ID = '00000000-0000-4000-8000-0000000000a1';

/**
 * testApp with a clock the test sets: due dates and numbers depend on the day in Kaliningrad.
 * Setting the time logs in again, since a jump of days ends the session.
 */
async function appealsApp(t: { teardown(fn: () => unknown): void }, start: string) {
  let now = Date.parse(start);
  const db = openDatabase(':memory:');
  await migrateToLatest(db);
  const agentId = await addAgent(db, 'operator1', {}, { password: PASSWORD });
  const accountId = await addAccount(db, '3901001234', '+74012000001');
  const otherAccountId = await addAccount(db, '3901005678', '+74012000002');
  await db.insertInto('calls').values({
    id: CALL_ID, channel_id: 'ch-a1', direction: 'inbound', caller_number: '+74012000001', caller_e164: '+74012000001',
    account_id: accountId, started_at: '2026-03-02T08:00:00.000Z', ended_at: '2026-03-02T08:05:00.000Z', outcome: 'completed',
  }).execute();
  const log = pino({ level: 'silent' });
  const menus = await MenuRegistry.load(defaultMenuDir, log);
  const telephony = new FakeTelephony();
  const app = await buildApp({
    config: loadConfig({}), db, telephony, log, speech: new FakeSpeech(), menus: () => menus.current(), clock: () => now,
  });
  t.teardown(async () => {
    await app.http.close();
    await db.destroy();
  });
  telephony.connect();
  let session: Session = await loginAs(app.http, 'operator1', PASSWORD);
  return {
    http: app.http, db, agentId, accountId, otherAccountId,
    async setTime(iso: string) {
      now = Date.parse(iso);
      session = await loginAs(app.http, 'operator1', PASSWORD);
    },
    inject: (opts: InjectOptions) => session.inject(opts),
    register(fields: Record<string, unknown> = {}) {
      return session.inject({ method: 'POST', url: '/api/appeals', payload: { ...letter(agentId), ...fields } });
    },
  };
}

let keys = 0;
const letter = (agentId: number) => ({
  kind: 'paper' as const, channel: 'post' as const, subject: 'Перерасчёт за март', body: 'Прошу пересчитать начисления за март.',
  idempotencyKey: `form-${++keys}-${Date.now()}`,
});

t.test('registering an appeal answers its number and due date, and stores it with one audit row', async (t) => {
  const app = await appealsApp(t, '2026-03-02T10:00:00Z');
  const res = await app.register({ accountId: app.accountId, callId: CALL_ID, channel: 'call_center' });
  t.equal(res.statusCode, 201);
  const body = res.json();
  t.match(body, { number: '26000001', dueDate: '2026-04-01', status: 'registered', accountId: app.accountId, callId: CALL_ID, agentId: app.agentId });
  t.type(body.id, 'number');

  const rows = await app.db.selectFrom('appeals').selectAll().execute();
  t.equal(rows.length, 1);
  t.match(rows[0], { number: '26000001', kind: 'paper', channel: 'call_center', status: 'registered', due_date: '2026-04-01', registered_at: '2026-03-02T10:00:00.000Z' });
  const account = await app.db.selectFrom('accounts').select('customer_id').where('id', '=', app.accountId).executeTakeFirstOrThrow();
  t.equal(rows[0]!.customer_id, account.customer_id, 'the account\'s customer is recorded');
  const audit = await app.db.selectFrom('audit_log').selectAll().execute();
  t.equal(audit.length, 1);
  t.match(audit[0], { action: 'appeal_registered', subject: 'appeal:26000001', actor_agent_id: app.agentId });

  const got = await app.inject({ method: 'GET', url: '/api/appeals/26000001' });
  t.equal(got.statusCode, 200);
  t.same(got.json(), body);
});

t.test('a registered appeal is found by the IVR\'s status lookup with a status it has a prompt for', async (t) => {
  const app = await appealsApp(t, '2026-03-02T10:00:00Z');
  const { number } = (await app.register({ kind: 'outside_competence' })).json();
  const ivr = new SelfService(app.db);
  t.same(await ivr.answer(CALL_ID, 'ru', { kind: 'find_appeal', number }),
    { kind: 'appeal', appeal: { number, status: 'registered', dueDate: '2026-03-09' } });
  await app.inject({ method: 'PATCH', url: `/api/appeals/${number}`, payload: { status: 'in_progress' } });
  t.match(await ivr.answer(CALL_ID, 'ru', { kind: 'find_appeal', number }), { appeal: { status: 'in_progress' } });
});

t.test('a double-clicked submit registers one appeal: the second answers 200 with the first', async (t) => {
  const app = await appealsApp(t, '2026-03-02T10:00:00Z');
  const form = letter(app.agentId);
  const first = await app.register(form);
  const second = await app.register(form);
  t.equal(first.statusCode, 201);
  t.equal(second.statusCode, 200);
  t.same(second.json(), first.json());
  // Two at the very same moment.
  const racing = letter(app.agentId);
  const [a, b] = await Promise.all([app.register(racing), app.register(racing)]);
  t.same([a.statusCode, b.statusCode].sort(), [200, 201]);
  t.equal(a.json().number, b.json().number);
  t.equal(a.json().number, '26000002', 'no number is lost to the duplicate');
  const count = await app.db.selectFrom('appeals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  t.equal(Number(count.n), 2);
  const audit = await app.db.selectFrom('audit_log').select('subject').execute();
  t.same(audit.map((r) => r.subject), ['appeal:26000001', 'appeal:26000002']);
});

t.test('two submits that both pass the key check before either is stored still register one appeal', async (t) => {
  const app = await appealsApp(t, '2026-03-02T10:00:00Z');
  const service = new AppealService(app.db, () => Date.parse('2026-03-02T10:00:00Z'));
  const form = letter(app.agentId);
  // Started together, both look the key up before either transaction runs; the unique key lets one in.
  const [a, b] = await Promise.all([service.register(form, app.agentId), service.register(form, app.agentId)]);
  t.same([a.created, b.created].sort(), [false, true]);
  t.equal(a.appeal.number, b.appeal.number);
  t.same(await app.db.selectFrom('appeal_counters').selectAll().execute(), [{ year: 2026, last_seq: 1 }], 'the loser\'s number went back');
  t.equal(await app.db.selectFrom('audit_log').select('id').execute().then((r) => r.length), 1);
});

t.test('a key reused for a different appeal is refused, not answered with the first', async (t) => {
  const app = await appealsApp(t, '2026-03-02T10:00:00Z');
  const form = letter(app.agentId);
  await app.register(form);
  const res = await app.register({ ...form, subject: 'Другая тема' });
  t.equal(res.statusCode, 409);
  t.match(res.json(), { code: 'CC_ERR_APPEAL_IDEMPOTENCY_CONFLICT', details: { field: 'idempotencyKey', number: '26000001' } });
});

t.test('numbers run in sequence within a Kaliningrad year and start again at 000001 in the next', async (t) => {
  const app = await appealsApp(t, '2026-03-02T10:00:00Z');
  const numbers: string[] = [];
  for (let i = 0; i < 3; i++) numbers.push((await app.register()).json().number);
  await app.setTime('2026-12-31T21:30:00Z'); // 23:30 on December 31 in Kaliningrad
  numbers.push((await app.register()).json().number);
  await app.setTime('2026-12-31T22:30:00Z'); // 00:30 on January 1 in Kaliningrad
  const newYear = (await app.register()).json();
  numbers.push(newYear.number);
  numbers.push((await app.register()).json().number);
  t.same(numbers, ['26000001', '26000002', '26000003', '26000004', '27000001', '27000002']);
  t.equal(newYear.dueDate, '2027-01-31');
  const counters = await app.db.selectFrom('appeal_counters').selectAll().orderBy('year').execute();
  t.same(counters, [{ year: 2026, last_seq: 4 }, { year: 2027, last_seq: 2 }]);
});

t.test('an authority\'s request is due on the date it sets, and a past date is refused naming the field', async (t) => {
  const app = await appealsApp(t, '2026-03-02T10:00:00Z');
  const set = await app.register({ kind: 'authority_request', channel: 'email', authorityDueDate: '2026-03-06' });
  t.equal(set.statusCode, 201);
  t.equal(set.json().dueDate, '2026-03-06');
  const unset = await app.register({ kind: 'authority_request', channel: 'email' });
  t.equal(unset.json().dueDate, '2026-03-17');
  const past = await app.register({ kind: 'authority_request', authorityDueDate: '2026-03-01' });
  t.equal(past.statusCode, 400);
  t.match(past.json(), { code: 'CC_ERR_APPEAL_AUTHORITY_DATE_INVALID', details: { field: 'authorityDueDate', problem: 'in_the_past' } });
  const otherKind = await app.register({ kind: 'paper', authorityDueDate: '2026-03-20' });
  t.match(otherKind.json(), { code: 'CC_ERR_APPEAL_AUTHORITY_DATE_INVALID', details: { field: 'authorityDueDate', problem: 'not_allowed_for_kind' } });
  const noSuchDay = await app.register({ kind: 'authority_request', authorityDueDate: '2026-02-30' });
  t.match(noSuchDay.json(), { code: 'CC_ERR_APPEAL_INVALID', details: { field: '/authorityDueDate' } });
  t.equal(await app.db.selectFrom('appeals').select('id').execute().then((r) => r.length), 2, 'refused appeals are not stored');
});

for (const [field, value] of [
  ['kind', 'oral'], ['channel', 'fax'], ['subject', ''], ['subject', '   '], ['subject', undefined], ['body', { text: 'x' }], ['accountId', 0],
  ['callId', 'not-a-uuid'], ['idempotencyKey', 'short'], ['idempotencyKey', undefined], ['extra', 'x'],
] as const) {
  t.test(`an appeal with a bad ${field} (${JSON.stringify(value)}) is refused with a 400 naming /${field}`, async (t) => {
    const app = await appealsApp(t, '2026-03-02T10:00:00Z');
    const res = await app.register({ [field]: value });
    t.equal(res.statusCode, 400);
    t.match(res.json(), { code: 'CC_ERR_APPEAL_INVALID', details: { field: `/${field}`, in: 'body' } });
  });
}

t.test('an account, customer, call or agent that does not exist is refused naming it', async (t) => {
  const app = await appealsApp(t, '2026-03-02T10:00:00Z');
  for (const [field, value] of [['accountId', 999], ['customerId', 999], ['callId', '00000000-0000-4000-8000-0000000000ff']] as const) {
    const res = await app.register({ [field]: value });
    t.equal(res.statusCode, 400, field);
    t.match(res.json(), { code: 'CC_ERR_APPEAL_UNKNOWN_REFERENCE', details: { field, value } }, field);
  }
  const other = await app.db.selectFrom('accounts').select('customer_id').where('id', '=', app.otherAccountId).executeTakeFirstOrThrow();
  const mismatch = await app.register({ accountId: app.accountId, customerId: other.customer_id });
  t.match(mismatch.json(), { code: 'CC_ERR_APPEAL_CUSTOMER_MISMATCH', details: { field: 'customerId' } });
  t.equal(await app.db.selectFrom('appeals').select('id').execute().then((r) => r.length), 0);
});

t.test('an appeal goes registered → in progress → answered → closed, and is never closed unanswered nor reopened', async (t) => {
  const app = await appealsApp(t, '2026-03-02T10:00:00Z');
  const { number } = (await app.register()).json();
  const patch = (status: string) => app.inject({ method: 'PATCH', url: `/api/appeals/${number}`, payload: { status } });

  const early = await patch('closed');
  t.equal(early.statusCode, 409);
  t.match(early.json(), { code: 'CC_ERR_APPEAL_INVALID_TRANSITION', details: { field: 'status', from: 'registered', to: 'closed' } });
  t.match((await patch('in_progress')).json(), { status: 'in_progress', answeredAt: null });
  t.equal((await patch('in_progress')).statusCode, 200, 'the same status again changes nothing');
  await app.setTime('2026-03-10T12:00:00Z');
  t.match((await patch('answered')).json(), { status: 'answered', answeredAt: '2026-03-10T12:00:00.000Z' });
  t.match((await patch('in_progress')).json(), { code: 'CC_ERR_APPEAL_INVALID_TRANSITION', details: { from: 'answered', to: 'in_progress' } });
  t.match((await patch('closed')).json(), { status: 'closed' });
  t.equal((await patch('answered')).statusCode, 409, 'closed is final');

  const back = await patch('registered');
  t.equal(back.statusCode, 400);
  t.match(back.json(), { code: 'CC_ERR_APPEAL_INVALID', details: { field: '/status' } });
  const audit = await app.db.selectFrom('audit_log').select(['action', 'details']).orderBy('id').execute();
  t.same(audit.map((a) => [a.action, a.details]), [
    ['appeal_registered', audit[0]!.details],
    ['appeal_status_changed', '{"from":"registered","to":"in_progress"}'],
    ['appeal_status_changed', '{"from":"in_progress","to":"answered"}'],
    ['appeal_status_changed', '{"from":"answered","to":"closed"}'],
  ]);
});

t.test('a simple appeal may be answered straight from registered', async (t) => {
  const app = await appealsApp(t, '2026-03-02T10:00:00Z');
  const { number } = (await app.register({ kind: 'outside_competence' })).json();
  const res = await app.inject({ method: 'PATCH', url: `/api/appeals/${number}`, payload: { status: 'answered' } });
  t.match(res.json(), { status: 'answered' });
});

t.test('an unknown or malformed appeal number answers 404 or 400', async (t) => {
  const app = await appealsApp(t, '2026-03-02T10:00:00Z');
  const missing = await app.inject({ method: 'GET', url: '/api/appeals/26999999' });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().code, 'CC_ERR_APPEAL_NOT_FOUND');
  const patch = await app.inject({ method: 'PATCH', url: '/api/appeals/26999999', payload: { status: 'answered' } });
  t.equal(patch.json().code, 'CC_ERR_APPEAL_NOT_FOUND');
  const bad = await app.inject({ method: 'GET', url: '/api/appeals/26-42' });
  t.match(bad.json(), { code: 'CC_ERR_APPEAL_INVALID', details: { field: '/number', in: 'params' } });
});

t.test('appeals are listed by account, status and due date, newest first', async (t) => {
  const app = await appealsApp(t, '2026-03-02T10:00:00Z');
  const a = (await app.register({ accountId: app.accountId })).json(); // due 04-01
  const b = (await app.register({ accountId: app.accountId, kind: 'illegible' })).json(); // due 03-09
  const c = (await app.register({ accountId: app.otherAccountId, kind: 'illegible' })).json(); // due 03-09
  await app.inject({ method: 'PATCH', url: `/api/appeals/${b.number}`, payload: { status: 'in_progress' } });
  const list = async (q: string) => ((await app.inject({ method: 'GET', url: `/api/appeals${q}` })).json() as Array<{ number: string }>).map((x) => x.number);
  t.same(await list(''), [c.number, b.number, a.number]);
  t.same(await list(`?accountId=${app.accountId}`), [b.number, a.number]);
  t.same(await list('?status=in_progress'), [b.number]);
  t.same(await list('?dueBefore=2026-03-10'), [c.number, b.number]);
  t.same(await list('?dueBefore=2026-03-09'), [], 'strictly before');
  t.same(await list(`?accountId=${app.accountId}&status=registered&dueBefore=2026-12-31`), [a.number]);
  t.same(await list('?limit=1'), [c.number]);
  const bad = await app.inject({ method: 'GET', url: '/api/appeals?status=lost' });
  t.match(bad.json(), { code: 'CC_ERR_APPEAL_INVALID', details: { field: '/status', in: 'querystring' } });
});

t.test('the wallboard lists open appeals due within N days or overdue, most urgent first', async (t) => {
  const app = await appealsApp(t, '2026-03-02T10:00:00Z');
  const paper = (await app.register()).json(); // due 04-01
  const illegible = (await app.register({ kind: 'illegible' })).json(); // due 03-09
  await app.setTime('2026-03-03T10:00:00Z');
  const outside = (await app.register({ kind: 'outside_competence' })).json(); // due 03-10
  const answered = (await app.register({ kind: 'illegible' })).json(); // due 03-10, but answered
  await app.inject({ method: 'PATCH', url: `/api/appeals/${answered.number}`, payload: { status: 'answered' } });
  const authority = (await app.register({ kind: 'authority_request', authorityDueDate: '2026-03-12' })).json();

  await app.setTime('2026-03-10T21:59:00Z'); // 23:59 on March 10 in Kaliningrad
  const soon = async (q = '') => (await app.inject({ method: 'GET', url: `/api/appeals/due-soon${q}` })).json() as Array<{ number: string; daysLeft: number; overdue: boolean }>;
  t.same((await soon()).map((a) => [a.number, a.daysLeft, a.overdue]), [
    [illegible.number, -1, true],
    [outside.number, 0, false],
    [authority.number, 2, false],
  ], 'three days by default; answered ones are off the board');
  t.same((await soon('?days=0')).map((a) => a.number), [illegible.number, outside.number]);
  t.same((await soon('?days=30')).map((a) => a.number), [illegible.number, outside.number, authority.number, paper.number]);
  await app.setTime('2026-03-10T22:00:00Z'); // March 11 in Kaliningrad
  t.same((await soon('?days=0')).map((a) => [a.number, a.daysLeft]), [[illegible.number, -2], [outside.number, -1]]);
  const bad = await app.inject({ method: 'GET', url: '/api/appeals/due-soon?days=-1' });
  t.match(bad.json(), { code: 'CC_ERR_APPEAL_INVALID', details: { field: '/days' } });
});

t.test('a consultation is recorded with its topic and whether it resolved the question', async (t) => {
  const app = await appealsApp(t, '2026-03-02T10:00:00Z');
  const res = await app.inject({
    method: 'POST', url: '/api/consultations',
    payload: { callId: CALL_ID, accountId: app.accountId, topic: 'tariffs', notes: 'Разъяснён двухзонный тариф', resolved: true },
  });
  t.equal(res.statusCode, 201);
  t.match(res.json(), { agentId: app.agentId, callId: CALL_ID, accountId: app.accountId, topic: 'tariffs', resolved: true, createdAt: '2026-03-02T10:00:00.000Z' });
  const noCall = await app.inject({ method: 'POST', url: '/api/consultations', payload: { topic: 'other', notes: '', resolved: false } });
  t.equal(noCall.statusCode, 201);
  const rows = await app.db.selectFrom('consultations').select(['topic', 'resolved', 'call_id']).orderBy('id').execute();
  t.same(rows, [{ topic: 'tariffs', resolved: 1, call_id: CALL_ID }, { topic: 'other', resolved: 0, call_id: null }]);
});

t.test('a consultation with an unknown topic, call or account is refused naming the field', async (t) => {
  const app = await appealsApp(t, '2026-03-02T10:00:00Z');
  const post = (fields: Record<string, unknown>) => app.inject({
    method: 'POST', url: '/api/consultations', payload: { topic: 'billing', notes: '', resolved: true, ...fields },
  });
  t.match((await post({ topic: 'weather' })).json(), { code: 'CC_ERR_APPEAL_INVALID', details: { field: '/topic' } });
  t.match((await post({ resolved: 'yes' })).json(), { code: 'CC_ERR_APPEAL_INVALID', details: { field: '/resolved' } });
  t.match((await post({ callId: '00000000-0000-4000-8000-0000000000ff' })).json(), { code: 'CC_ERR_APPEAL_UNKNOWN_REFERENCE', details: { field: 'callId' } });
  t.match((await post({ accountId: 999 })).json(), { code: 'CC_ERR_APPEAL_UNKNOWN_REFERENCE', details: { field: 'accountId' } });
  t.match((await post({ agentId: 999 })).json(), { code: 'CC_ERR_APPEAL_INVALID' }, 'the agent is the logged-in one, never named in the body');
  t.equal(await app.db.selectFrom('consultations').select('id').execute().then((r) => r.length), 0);
});

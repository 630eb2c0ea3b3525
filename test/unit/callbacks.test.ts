import pino from 'pino';
import t from 'tap';
import { CallbackService, type CallbackQueue } from '../../server/callbacks/service.js';
import { afterAttempt, classifyAttempt } from '../../server/callbacks/rules.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { WorkingHours } from '../../server/schedule/service.js';
import { validateCalendar } from '../../ivr/working-hours.js';

/*
 * Callbacks with a fake clock: how an attempt is judged, when it is tried again (only in working
 * hours, across a holiday and a moved working day), and what a restart does to a request that
 * was mid-attempt.
 */

// Kaliningrad is UTC+2: 08:00 there is 06:00Z. 2026-11-04 is a holiday (Wednesday); Saturday 2026-11-07 a moved working day.
const hours = WorkingHours.of(validateCalendar({
  weekly: {
    mon: [{ from: '08:00', to: '20:00' }], tue: [{ from: '08:00', to: '20:00' }], wed: [{ from: '08:00', to: '20:00' }],
    thu: [{ from: '08:00', to: '20:00' }], fri: [{ from: '08:00', to: '20:00' }], sat: [], sun: [],
  },
  holidays: ['2026-11-04'],
  workdays: [{ date: '2026-11-07', hours: [{ from: '08:00', to: '17:00' }] }],
}));
const settings = { retryDelayMs: 600_000, maxAttempts: 3, minTalkMs: 5_000 };
const next = (at: Date) => hours.nextOpening(at);

t.test('an attempt is answered only when the customer talked; hanging up at once is a failure', async (t) => {
  t.equal(classifyAttempt({ answered: true, talkMs: 42_000, cause: null, endedBy: 'customer' }, 5_000), 'answered');
  t.equal(classifyAttempt({ answered: true, talkMs: 1_200, cause: null, endedBy: 'customer' }, 5_000), 'hung_up_at_once');
  t.equal(classifyAttempt({ answered: false, talkMs: 0, cause: 17, endedBy: 'none' }, 5_000), 'busy');
  t.equal(classifyAttempt({ answered: false, talkMs: 0, cause: 19, endedBy: 'none' }, 5_000), 'no_answer');
  t.equal(classifyAttempt({ answered: false, talkMs: 0, cause: null, endedBy: 'agent' }, 5_000), 'agent_hung_up');
  t.equal(classifyAttempt({ answered: false, talkMs: 0, cause: 38, endedBy: 'none' }, 5_000), 'failed');
});

t.test('a failed attempt is retried after the delay while attempts remain, then the request fails', async (t) => {
  const now = new Date('2026-11-25T10:00:00Z'); // Wednesday 12:00 in Kaliningrad
  t.same(afterAttempt('no_answer', 1, settings, now, next), { status: 'pending', nextAttemptAt: new Date('2026-11-25T10:10:00Z') });
  t.same(afterAttempt('busy', 2, settings, now, next), { status: 'pending', nextAttemptAt: new Date('2026-11-25T10:10:00Z') });
  t.same(afterAttempt('no_answer', 3, settings, now, next), { status: 'failed' });
  t.same(afterAttempt('answered', 1, settings, now, next), { status: 'completed' });
});

t.test('a retry that would fall after closing waits for the next opening, across a holiday', async (t) => {
  // Tuesday 19:55 Kaliningrad; +10 min is after 20:00; Wednesday 4 November is a holiday.
  t.same(afterAttempt('no_answer', 1, settings, new Date('2026-11-03T17:55:00Z'), next), { status: 'pending', nextAttemptAt: new Date('2026-11-05T06:00:00Z') });
});

t.test('a retry after Friday closing goes to the moved working Saturday, not to Monday', async (t) => {
  t.same(afterAttempt('busy', 1, settings, new Date('2026-11-06T17:58:00Z'), next), { status: 'pending', nextAttemptAt: new Date('2026-11-07T06:00:00Z') });
});

class FakeQueue implements CallbackQueue {
  joined: Array<{ requestId: number; joinedAt: number }> = [];
  withdrawn: number[] = [];
  calls: Array<[number, string]> = [];
  async joinCallback(e: { requestId: number; number: string; queueId: string; joinedAt: number }) { this.joined.push({ requestId: e.requestId, joinedAt: e.joinedAt }); }
  async withdrawCallback(requestId: number) { this.withdrawn.push(requestId); return true; }
  async placeCall(agentId: number, number: string) { this.calls.push([agentId, number]); return '11111111-1111-4111-8111-111111111111'; }
}

async function setup(t: { teardown(fn: () => unknown): void }, now: { ms: number }) {
  const db: Db = openDatabase(':memory:');
  await migrateToLatest(db);
  t.teardown(() => db.destroy());
  await db.insertInto('calls').values({ id: 'c0', channel_id: 'ch0', direction: 'inbound', caller_number: '+74012000001', started_at: '2026-11-25T09:00:00.000Z', state: null }).execute();
  await db.insertInto('agents').values({ username: 'op', display_name: 'op', role: 'agent', password_hash: 'x', sip_password: 's', created_at: '2026-01-01T00:00:00.000Z' }).execute();
  const queue = new FakeQueue();
  const service = new CallbackService({ db, hours, settings, log: pino({ level: 'silent' }), clock: () => now.ms });
  service.attach(queue);
  t.teardown(() => service.stop());
  return { db, queue, service };
}

t.test('a request mid-attempt when the server stopped is pending again at start, its attempt closed as interrupted and not counted', async (t) => {
  const now = { ms: Date.parse('2026-11-25T10:00:00Z') };
  const { db, queue, service } = await setup(t, now);
  const requestId = await service.create({ callId: 'c0', numberE164: '+74012000001', queueId: 'general', queueEnteredAt: Date.parse('2026-11-25T09:55:00Z') });
  await service.reserved(requestId, 1);
  await db.insertInto('callback_attempts').values({ request_id: requestId, call_id: null, agent_id: 1, started_at: '2026-11-25T09:59:00.000Z' }).execute();
  // A new server over the same database:
  const restarted = new CallbackService({ db, hours, settings, log: pino({ level: 'silent' }), clock: () => now.ms });
  const queue2 = new FakeQueue();
  restarted.attach(queue2);
  t.teardown(() => restarted.stop());
  await restarted.start();
  const row = await db.selectFrom('callback_requests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();
  t.equal(row.status, 'pending');
  t.equal(row.attempts, 0);
  t.same((await db.selectFrom('callback_attempts').select('outcome').execute()).map((a) => a.outcome), ['interrupted']);
  t.same(queue2.joined, [{ requestId, joinedAt: Date.parse('2026-11-25T09:55:00Z') }], 'back in line at the caller\'s original place, once');
  t.same(queue.joined, []);
});

t.test('a no-answer is retried after the delay, and three failures end the request', async (t) => {
  const now = { ms: Date.parse('2026-11-25T10:00:00Z') };
  const { db, queue, service } = await setup(t, now);
  await service.start();
  const requestId = await service.create({ callId: 'c0', numberE164: '+74012000001', queueId: 'general', queueEnteredAt: now.ms - 60_000 });
  const leg = { answered: false, talkMs: 0, cause: 19, endedBy: 'none' as const };
  for (let attempt = 1; attempt <= 3; attempt++) {
    await db.insertInto('calls').values({ id: `a${attempt}`, channel_id: `x${attempt}`, direction: 'callback', caller_number: '+74012000001', started_at: new Date(now.ms).toISOString(), state: null }).execute();
    await service.dialing(requestId, `a${attempt}`, 1);
    t.equal(await service.attemptEnded(requestId, `a${attempt}`, leg), 'no_answer');
    const row = await db.selectFrom('callback_requests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();
    if (attempt < 3) {
      t.same([row.status, row.attempts, row.next_attempt_at], ['pending', attempt, new Date(now.ms + 600_000).toISOString()], `attempt ${attempt}: due again in 10 minutes`);
      now.ms += 600_000;
      await service.start(); // any dispatch: the due retry goes into line
      t.equal(queue.joined.at(-1)?.requestId, requestId);
    } else {
      t.same([row.status, row.attempts, row.next_attempt_at, row.last_outcome], ['failed', 3, null, 'no_answer']);
    }
  }
  const attempts = await db.selectFrom('callback_attempts').select(['outcome', 'ended_at']).execute();
  t.same(attempts.map((a) => a.outcome), ['no_answer', 'no_answer', 'no_answer'], 'every attempt and its outcome are stored');
  t.equal(queue.joined.length, 2, 'put back in line once for each retry');
});

t.test('a request for later is due at the next opening and goes into line only then', async (t) => {
  const now = { ms: Date.parse('2026-11-03T19:00:00Z') }; // Tuesday 21:00 Kaliningrad: closed; Wednesday a holiday
  const { db, queue, service } = await setup(t, now);
  await service.start();
  const { requestId, dueAt } = await service.requestLater({ callId: 'c0', numberE164: '8 (4012) 00-00-01', queueId: 'general' });
  t.same(dueAt, new Date('2026-11-05T06:00:00Z'));
  await service.start();
  t.same(queue.joined, [], 'not while closed');
  now.ms = dueAt.getTime();
  await service.start();
  t.same(queue.joined.map((j) => j.requestId), [requestId]);
  const row = await db.selectFrom('callback_requests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();
  t.equal(row.phone_e164, '+74012000001');
});

t.test('a number that is not Russian is refused', async (t) => {
  const now = { ms: Date.parse('2026-11-25T10:00:00Z') };
  const { service } = await setup(t, now);
  await t.rejects(service.requestLater({ callId: 'c0', numberE164: '+442071234567', queueId: 'general' }), { code: 'CC_ERR_CALLBACK_NUMBER_INVALID' });
});

t.test('at closing time the entries in line leave it and come back at the next opening', async (t) => {
  const now = { ms: Date.parse('2026-11-25T17:50:00Z') }; // Wednesday 19:50 Kaliningrad
  const { db, queue, service } = await setup(t, now);
  await service.start();
  const requestId = await service.create({ callId: 'c0', numberE164: '+74012000001', queueId: 'general', queueEnteredAt: now.ms - 60_000 });
  now.ms = Date.parse('2026-11-25T18:01:00Z'); // 20:01: closed
  await (service as unknown as { stop(): void }).stop();
  const again = new CallbackService({ db, hours, settings, log: pino({ level: 'silent' }), clock: () => now.ms });
  again.attach(queue);
  t.teardown(() => again.stop());
  await again.start();
  t.same(queue.joined, [], 'nothing goes into line after closing');
  const row = await db.selectFrom('callback_requests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();
  t.equal(row.status, 'pending');
  now.ms = Date.parse('2026-11-26T06:00:00Z');
  await again.start();
  t.same(queue.joined, [{ requestId, joinedAt: Date.parse('2026-11-25T17:49:00Z') }], 'at 08:00 the next day, still in its original place');
});

t.test('an agent calls back by hand and marks the request done; it cannot be taken twice', async (t) => {
  const now = { ms: Date.parse('2026-11-25T10:00:00Z') };
  const { db, queue, service } = await setup(t, now);
  await service.start();
  const requestId = await service.create({ callId: 'c0', numberE164: '+74012000001', queueId: 'general', queueEnteredAt: now.ms });
  await db.insertInto('calls').values({ id: '11111111-1111-4111-8111-111111111111', channel_id: 'm', direction: 'outbound', caller_number: '+74012000001', started_at: new Date(now.ms).toISOString(), state: null }).execute();
  t.same(await service.callByHand(requestId, 1), { callId: '11111111-1111-4111-8111-111111111111' });
  t.same(queue.withdrawn, [requestId], 'taken out of line first');
  t.same(queue.calls, [[1, '+74012000001']]);
  await t.rejects(service.callByHand(requestId, 1), { code: 'CC_ERR_CALLBACK_BUSY' });
  await service.resolve(requestId, 1, 'completed', 'Объяснил начисление');
  const row = await db.selectFrom('callback_requests').selectAll().where('id', '=', requestId).executeTakeFirstOrThrow();
  t.same([row.status, row.last_outcome, row.attempts], ['completed', 'Объяснил начисление', 1]);
  const attempt = await db.selectFrom('callback_attempts').selectAll().executeTakeFirstOrThrow();
  t.same([attempt.manual, attempt.outcome], [1, 'answered']);
  t.same(await service.summary('2026-11-25T00:00:00.000Z'), { requested: 1, pending: 0, dialing: 0, completed: 1, failed: 0 });
});

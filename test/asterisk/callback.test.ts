import t from 'tap';
import { eventually } from '../support/fake-telephony.js';
import { noLeftovers, startDeskServer, startTestAsterisk } from '../support/asterisk.js';
import { runSipp, runSippPhone } from '../support/sipp.js';

/*
 * Callbacks over the real Asterisk: a caller waiting in the queue (sipp) is turned into a
 * callback and hangs up; when a plain-SIP agent (a sipp desk phone) is free, the agent's phone
 * rings first, and once it answers the customer (a sipp UAS on loopback, reached through the
 * outbound route) is called and bridged to the agent. A customer whose line is busy is tried
 * again after the delay and the request is finally marked failed.
 */

async function setup(t: { teardown(fn: () => unknown): void }, customerScenario: string, customerCalls: number, env: Record<string, string> = {}) {
  const asterisk = await startTestAsterisk(t, 'callback');
  const desk = await runSippPhone({ scenario: 'agent-answers.xml', calls: customerCalls, timeoutS: 90 });
  const customer = await runSippPhone({ scenario: customerScenario, calls: customerCalls, timeoutS: 90 });
  t.teardown(() => { desk.kill(); customer.kill(); });
  const { server, agentId, boss } = await startDeskServer(t, asterisk, desk.port,
    { OUTBOUND_ROUTE: `PJSIP/trunk/sip:{number}@127.0.0.1:${customer.port}`, CALLBACK_MIN_TALK_S: '1', ...env });

  /** A caller presses 0, waits with nobody free, is turned into a callback (as the IVR does) and hangs up. */
  async function callerTakesCallback(): Promise<number> {
    const caller = await runSipp({ scenario: [{ keys: '0' }, { waitBye: 20_000, orHangUp: true }], sipPort: asterisk.sipPort, caller: '+74012000001', timeoutS: 40 });
    t.teardown(() => caller.kill());
    const call = await eventually(async () => {
      const row = await server.db.selectFrom('calls').select(['id', 'channel_id']).where('caller_number', '=', '+74012000001').where('direction', '=', 'inbound').executeTakeFirst();
      if (row === undefined) return undefined;
      const queued = await server.db.selectFrom('call_events').select('id').where('call_id', '=', row.id).where('type', '=', 'queue_entered').executeTakeFirst();
      return queued === undefined ? undefined : row;
    }, 15_000, 'the caller in the queue');
    const { requestId } = await server.queue.convertToCallback(call.id, '+74012000001');
    // What the voice menu does next: a goodbye, and our hang-up.
    await server.telephony.hangup(call.channel_id);
    await caller.done;
    return requestId;
  }
  const request = (id: number) => server.db.selectFrom('callback_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return { asterisk, server, boss, agentId, desk, customer, callerTakesCallback, request };
}

t.test('when the agent frees up, their phone rings first, then the customer is called and bridged to them', async (t) => {
  const { asterisk, server, boss, agentId, customer, callerTakesCallback, request } = await setup(t, 'agent-answers-hangs-up.xml', 1);
  const requestId = await callerTakesCallback();
  t.equal((await request(requestId)).status, 'pending');
  await boss.inject({ method: 'POST', url: `/api/agents/${agentId}/login` });
  const done = await eventually(async () => {
    const r = await request(requestId);
    return r.status === 'completed' ? r : undefined;
  }, 30_000, 'the callback completed');
  t.equal(done.attempts, 1);
  const attempt = await server.db.selectFrom('callback_attempts').selectAll().where('request_id', '=', requestId).executeTakeFirstOrThrow();
  t.equal(attempt.outcome, 'answered');
  t.ok((attempt.talk_ms ?? 0) >= 1000, `they talked (${attempt.talk_ms} ms)`);
  const call = await server.db.selectFrom('calls').selectAll().where('id', '=', attempt.call_id!).executeTakeFirstOrThrow();
  t.match(call, { direction: 'callback', caller_number: '+74012000001', agent_id: agentId, outcome: 'completed' });
  t.ok(call.answered_at !== null, 'the customer answered');
  const events = (await server.db.selectFrom('call_events').select('type').where('call_id', '=', call.id).orderBy('id').execute()).map((e) => e.type);
  t.ok(events.indexOf('outbound_agent_answered') === -1 && events.includes('outbound_customer_dialled') && events.includes('outbound_customer_answered'), `the agent first, then the customer (${events.join(', ')})`);
  t.equal((await customer.done).code, 0, 'the customer\'s phone took the call');
  await noLeftovers(asterisk);
});

t.test('a customer who does not answer is tried again after the delay, and the request is finally marked failed', async (t) => {
  // The customer's phone rings (180) and nobody picks up; it gives up after OUTBOUND_RING_S.
  const { asterisk, server, boss, agentId, callerTakesCallback, request } = await setup(t, 'agent-rings-out.xml', 2, { CALLBACK_RETRY_DELAY_S: '1', CALLBACK_MAX_ATTEMPTS: '2', OUTBOUND_RING_S: '5' });
  const requestId = await callerTakesCallback();
  await boss.inject({ method: 'POST', url: `/api/agents/${agentId}/login` });
  // Between the attempts the agent is made ready at once instead of waiting out wrap-up.
  const ready = setInterval(() => void boss.inject({ method: 'POST', url: `/api/agents/${agentId}/state`, payload: { state: 'available' } }), 500);
  t.teardown(() => clearInterval(ready));
  const failed = await eventually(async () => {
    const r = await request(requestId);
    return r.status === 'failed' ? r : undefined;
  }, 40_000, 'the request failed');
  clearInterval(ready);
  t.match(failed, { attempts: 2, last_outcome: 'no_answer', next_attempt_at: null });
  const attempts = await server.db.selectFrom('callback_attempts').select(['outcome', 'started_at', 'ended_at']).where('request_id', '=', requestId).orderBy('id').execute();
  t.same(attempts.map((a) => a.outcome), ['no_answer', 'no_answer'], 'each attempt stored with its outcome');
  t.ok(Date.parse(attempts[1]!.started_at) - Date.parse(attempts[0]!.ended_at!) >= 1000, 'the second attempt came after the retry delay');
  await noLeftovers(asterisk);
});

t.test('a busy line is a failed attempt too', async (t) => {
  const { asterisk, boss, agentId, callerTakesCallback, request } = await setup(t, 'customer-busy.xml', 1, { CALLBACK_MAX_ATTEMPTS: '1' });
  const requestId = await callerTakesCallback();
  await boss.inject({ method: 'POST', url: `/api/agents/${agentId}/login` });
  const failed = await eventually(async () => {
    const r = await request(requestId);
    return r.status === 'failed' ? r : undefined;
  }, 20_000, 'the request failed');
  t.match(failed, { attempts: 1, last_outcome: 'busy' });
  await noLeftovers(asterisk);
});

import type { AsteriskInstance } from '../../server/asterisk/instance.js';
import { startDeskServer, startTestAsterisk } from '../support/asterisk.js';
import { eventually } from '../support/fake-telephony.js';
import { runSipp } from '../support/sipp.js';
import { startUas } from './acd.js';
import { percentiles, runAlone, type BenchSection } from './report.js';

/*
 * Callback latency: a callback request waits in line (a real caller pressed 0, was turned into a
 * callback and hung up); the agent becomes available; the clock stops when the customer's phone
 * (a sipp UAS behind the outbound route) receives the INVITE. In between: the ACD offers the
 * callback to the agent, the agent's desk phone (a sipp UAS that answers at once) rings and
 * answers, and the customer is dialled. One clock: this process's Date.now() and sipp's
 * -trace_msg timestamps (µs), both the machine's wall clock.
 */

const SAMPLES = 10;

export async function benchCallback(asterisk: AsteriskInstance): Promise<BenchSection> {
  const teardowns: Array<() => unknown> = [];
  const t = { teardown: (fn: () => unknown) => teardowns.push(fn) };
  const desk = await startUas();
  const customer = await startUas();
  const samples: number[] = [];
  try {
    const { server, agentId, boss } = await startDeskServer(t, asterisk, desk.port,
      { OUTBOUND_ROUTE: `PJSIP/trunk/sip:{number}@127.0.0.1:${customer.port}`, CALLBACK_MIN_TALK_S: '1', SURVEY: 'off' });
    const post = (url: string, payload?: object) => boss.inject({ method: 'POST', url, ...(payload && { payload }) });
    await eventually(async () => (await post(`/api/agents/${agentId}/login`)).statusCode === 200 ? true : undefined, 10_000, 'the agent logged in');
    await post(`/api/agents/${agentId}/state`, { state: 'paused', reason: 'break' });

    for (let i = 0; i < SAMPLES; i++) {
      const caller = await runSipp({ scenario: [{ keys: '0' }, { waitBye: 30_000, orHangUp: true }], sipPort: asterisk.sipPort, caller: '+74012000001', timeoutS: 60 });
      const call = await eventually(async () => {
        const rows = await server.db.selectFrom('calls').select(['id', 'channel_id']).where('direction', '=', 'inbound').where('ended_at', 'is', null).execute();
        for (const row of rows) {
          const queued = await server.db.selectFrom('call_events').select('id').where('call_id', '=', row.id).where('type', '=', 'queue_entered').executeTakeFirst();
          if (queued !== undefined) return row;
        }
        return undefined;
      }, 15_000, 'the caller in the queue');
      const { requestId } = await server.queue.convertToCallback(call.id, '+74012000001');
      await server.telephony.hangup(call.channel_id);
      await caller.done;

      const seen = customer.invites().length;
      const start = Date.now();
      await post(`/api/agents/${agentId}/state`, { state: 'available' });
      const rang = await eventually(async () => customer.invites()[seen], 15_000, 'the customer\'s phone to ring');
      samples.push(rang - start);
      await eventually(async () => {
        const r = await server.db.selectFrom('callback_requests').select('status').where('id', '=', requestId).executeTakeFirstOrThrow();
        return r.status === 'completed' || r.status === 'failed' ? true : undefined;
      }, 20_000, 'the callback to end');
      // Paused again (from wrap-up, the pause starts when it ends) before the next request.
      await post(`/api/agents/${agentId}/state`, { state: 'paused', reason: 'break' });
    }
  } finally {
    for (const fn of teardowns.reverse()) await fn();
    desk.kill();
    customer.kill();
  }
  const p = percentiles(samples);
  return {
    title: 'Callback: an agent frees up → the callback customer\'s phone rings (sipp UAS behind the outbound route)',
    rows: [
      { name: 'agent available → customer INVITE, median', value: `${p.median.toFixed(1)} ms` },
      { name: 'agent available → customer INVITE, p99', value: `${p.p99.toFixed(1)} ms` },
      { name: 'samples', value: String(samples.length) },
    ],
    notes: [
      'From POST /api/agents/:id/state {available} (in-process inject; Date.now() just before) to the customer UAS receiving the INVITE (sipp -trace_msg). Includes the ACD offering the waiting callback, originating the agent\'s desk phone (a sipp UAS answering at once), the answer reaching our application, and originating the customer through OUTBOUND_ROUTE.',
      `Each request made the real way: a sipp caller pressed 0 and waited, was converted to a callback and hung up. ${SAMPLES} samples, one at a time; p99 of ${SAMPLES} is the maximum.`,
    ],
  };
}

/** `npx tsx test/bench/callback.ts --alone`: this section only, with an Asterisk of its own. */
runAlone(import.meta.url, async (t) => benchCallback(await startTestAsterisk(t, 'bench-callback')));

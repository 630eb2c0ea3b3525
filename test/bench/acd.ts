import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AsteriskInstance } from '../../server/asterisk/instance.js';
import { addAgent, addDeskAgent } from '../support/app.js';
import { ariGet, phoneProvisioned, startTestServer, type TestServer } from '../support/asterisk.js';
import { eventually } from '../support/fake-telephony.js';
import { freeUdpPort, runSipp, type SippRun } from '../support/sipp.js';
import { percentiles, type BenchSection } from './report.js';

/*
 * Ring latency of our ACD against Asterisk's app_queue on the same Asterisk in the same run:
 * from an agent becoming available (W callers waiting), and from a caller joining with an agent
 * free, to the agent's desk phone (a sipp UAS) receiving the INVITE. One clock: the machine's
 * wall clock, read by this process (Date.now), by our server (call_events.at, ms), by Asterisk
 * (STRFTIME %6q in its log) and by sipp (-trace_msg timestamps, µs).
 */

const sippDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'support', 'sipp');
const LEVELS = [1, 10, 50];
const SAMPLES = 6;
/** Longer than the "queue_entered" prompt (~3.7 s) and the agent's 3 s of talk. */
const SETTLE_MS = 4500;

export interface Uas { port: number; invites(): number[]; kill(): void }


/** A desk phone (answers, talks 3 s, hangs up) whose every received INVITE is timestamped by sipp. */
export async function startUas(): Promise<Uas> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-bench-acd-uas-'));
  const port = await freeUdpPort();
  const mediaPort = await freeUdpPort(true);
  const trace = join(dir, 'messages.log');
  const child = spawn('sipp', [
    '-sf', join(sippDir, 'agent-answers-hangs-up.xml'), '-i', '127.0.0.1', '-p', String(port), '-mi', '127.0.0.1', '-mp', String(mediaPort),
    '-m', '1000', '-timeout', '900s', '-nostdin', '-trace_msg', '-message_file', trace,
  ], { cwd: dir, stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  return {
    port,
    invites: () => {
      if (!existsSync(trace)) return [];
      const out: number[] = [];
      // "----------------------------------------------- 2026-11-25\t13:53:29.858917\nUDP message received [n] bytes :\n\nINVITE sip:"
      for (const m of readFileSync(trace, 'utf8').matchAll(/-{10,} (\d{4}-\d\d-\d\d)\s+(\d\d:\d\d:\d\d)\.(\d{6})\s*\n\S+ message received[^\n]*\n\s*\nINVITE /g)) {
        out.push(new Date(`${m[1]}T${m[2]}`).getTime() + Number(m[3]) / 1000);
      }
      return out;
    },
    kill: () => { child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); },
  };
}

/** The next INVITE after `count` already seen, as its wall-clock time in ms. */
async function nextInvite(uas: Uas, count: number, ms = 10_000): Promise<number> {
  return eventually(async () => uas.invites()[count], ms, 'the agent phone to ring');
}

const fmt = (xs: number[]) => {
  if (xs.length === 0) return 'no samples';
  const p = percentiles(xs);
  return `median ${p.median.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms (n=${xs.length})`;
};
const ratio = (a: number[], b: number[]) => (a.length && b.length ? `${(percentiles(a).median / percentiles(b).median).toPrecision(2)} (median), ${(percentiles(a).p99 / percentiles(b).p99).toPrecision(2)} (p99)` : 'n/a');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchAcd(asterisk: AsteriskInstance): Promise<BenchSection> {
  const teardowns: Array<() => unknown> = [];
  const t = { teardown: (fn: () => unknown) => teardowns.push(fn) };
  const callers: SippRun[] = [];
  try {
    const ours = await startUas();
    const theirs = await startUas();
    teardowns.push(() => ours.kill(), () => theirs.kill());
    let agentId = 0;
    const server = await startTestServer(t, asterisk, {
      // Callers here wait for our BYE after their agent hangs up: no survey to sit through.
      env: { SURVEY: 'off' },
      seed: async (db) => {
        // Long wrap-up: the agent stays out of the queue after each call until the bench makes them available.
        await db.updateTable('queues').set({ wrap_up_s: 900, max_wait_s: 900, ring_s: 15, announce_every_s: 900 }).where('id', '=', 'general').execute();
        for (const [username, port, member] of [['bench1', ours.port, true], ['qbench1', theirs.port, false]] as const) {
          const id = await addDeskAgent(db, username, port, member ? { general: 1 } : {});
          if (member) agentId = id;
        }
        await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
      },
    });
    const boss = await server.loginAs('boss', 'boss-password');
    for (const u of ['bench1', 'qbench1']) {
      await phoneProvisioned(asterisk, u);
    }
    const caller = async (service: string, n: number) => {
      const run = await runSipp({ scenario: [{ keys: '0' }, { waitBye: 600_000 }], sipPort: asterisk.sipPort, caller: '+79990200001', service, calls: n, rate: 20, limit: 500, timeoutS: 900 });
      callers.push(run);
    };
    const state = async () => (await boss.inject({ method: 'GET', url: `/api/agents/${agentId}` })).json().state.kind as string;
    const waitingOurs = async (n: number) => eventually(async () => ((await waitingCount(server)) >= n ? true : undefined), 30_000, `${n} callers waiting in our queue`);

    // ---- ours, agent becomes available with W waiting
    const oursAvail: Record<number, number[]> = {};
    await boss.inject({ method: 'POST', url: `/api/agents/${agentId}/login` });
    await boss.inject({ method: 'POST', url: `/api/agents/${agentId}/state`, payload: { state: 'paused', reason: 'break' } });
    let seen = 0;
    for (const w of LEVELS) {
      oursAvail[w] = [];
      // Top up to W + 1 waiting (each sample takes one away), then keep adding one per sample.
      const have = await waitingCount(server);
      if (have < w + 1) await caller('1000', w + 1 - have);
      await waitingOurs(w + 1);
      await sleep(SETTLE_MS);
      for (let i = 0; i < SAMPLES; i++) {
        const kind = await eventually(async () => { const k = await state(); return k === 'paused' || k === 'wrap_up' ? k : undefined; }, 15_000, 'the agent out of the queue');
        void kind;
        const t0 = Date.now();
        const res = await boss.inject({ method: 'POST', url: `/api/agents/${agentId}/state`, payload: { state: 'available' } });
        if (res.statusCode !== 200) throw new Error(`available: ${res.statusCode} ${res.body}`);
        const t1 = await nextInvite(ours, seen);
        seen += 1;
        oursAvail[w]!.push(t1 - t0);
        await caller('1000', 1);
        await waitingOurs(w);
        await sleep(SETTLE_MS);
      }
    }
    // Drain our callers: they are no longer needed.
    await hangUpAll(asterisk, callers);

    // ---- ours, caller joins with the agent free (nobody else waiting): '0' received → INVITE
    const oursJoin: number[] = [];
    await eventually(async () => (await state()) === 'wrap_up' ? true : undefined, 15_000, 'agent in wrap-up');
    for (let i = 0; i < SAMPLES; i++) {
      await boss.inject({ method: 'POST', url: `/api/agents/${agentId}/state`, payload: { state: 'available' } });
      const since = new Date().toISOString();
      await caller('1000', 1);
      const t1 = await nextInvite(ours, seen);
      seen += 1;
      const dtmf = await eventually(async () => server.db.selectFrom('call_events').innerJoin('calls', 'calls.id', 'call_events.call_id')
        .select('call_events.at').where('calls.started_at', '>=', since).where('call_events.type', '=', 'dtmf').executeTakeFirst(), 5000, 'the key recorded');
      oursJoin.push(t1 - Date.parse(dtmf.at));
      await eventually(async () => (await state()) === 'wrap_up' ? true : undefined, 15_000, 'agent in wrap-up');
    }
    await hangUpAll(asterisk, callers);

    // ---- app_queue: member PJSIP/qbench1, paused; unpause = becomes available
    const cliMs: number[] = [];
    for (let i = 0; i < 5; i++) { const a = Date.now(); await asterisk.cli('core show uptime'); cliMs.push(Date.now() - a); }
    await asterisk.cli('queue add member PJSIP/qbench1 to bench penalty 0 as qbench1');
    await asterisk.cli('queue pause member PJSIP/qbench1 queue bench');
    const queueCount = async () => {
      const out = await asterisk.cli('queue show bench');
      return Number(/has (\d+) calls/.exec(out)?.[1] ?? 0);
    };
    const theirsAvail: Record<number, number[]> = {};
    const theirsAvailCli: Record<number, number[]> = {};
    let seenQ = 0;
    for (const w of LEVELS) {
      theirsAvail[w] = [];
      theirsAvailCli[w] = [];
      const have = await queueCount();
      if (have < w + 1) await caller('8100', w + 1 - have);
      await eventually(async () => ((await queueCount()) >= w + 1 ? true : undefined), 30_000, `${w + 1} waiting in app_queue`);
      for (let i = 0; i < SAMPLES; i++) {
        const t0 = Date.now();
        await asterisk.cli('queue unpause member PJSIP/qbench1 queue bench');
        const t0end = Date.now();
        const t1 = await nextInvite(theirs, seenQ);
        seenQ += 1;
        await asterisk.cli('queue pause member PJSIP/qbench1 queue bench');
        theirsAvail[w]!.push(t1 - t0);
        theirsAvailCli[w]!.push(t1 - t0end);
        await caller('8100', 1);
        await eventually(async () => ((await queueCount()) >= w ? true : undefined), 30_000, `${w} waiting in app_queue`);
        await sleep(SETTLE_MS - 1000); // the agent's 3 s call ends
      }
    }
    await hangUpAll(asterisk, callers);

    // ---- app_queue, caller joins with the member free: Log() just before Queue() → INVITE
    await sleep(3500);
    await asterisk.cli('queue unpause member PJSIP/qbench1 queue bench');
    const logFile = join(asterisk.runDir, 'log', 'messages.log');
    const theirsJoin: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const offset = statSync(logFile).size;
      await caller('8100', 1);
      const t1 = await nextInvite(theirs, seenQ);
      seenQ += 1;
      const joined = await eventually(async () => {
        const m = /BENCH_QJOIN (\d+\.\d+)/.exec(readFileSync(logFile).subarray(offset).toString());
        return m === null ? undefined : Number(m[1]) * 1000;
      }, 5000, 'the join logged');
      theirsJoin.push(t1 - joined);
      await sleep(SETTLE_MS);
    }
    for (const c of callers.splice(0)) c.kill();

    const rows: BenchSection['rows'] = [];
    for (const w of LEVELS) {
      rows.push({ name: `agent available, ${w} waiting: ours`, value: fmt(oursAvail[w]!) });
      rows.push({ name: `agent available, ${w} waiting: app_queue`, value: `${fmt(theirsAvail[w]!)}; from the CLI's return ${fmt(theirsAvailCli[w]!)}` });
      rows.push({ name: `agent available, ${w} waiting: ours/app_queue`, value: ratio(oursAvail[w]!, theirsAvail[w]!) });
    }
    rows.push({ name: 'caller joins, agent free: ours', value: fmt(oursJoin) });
    rows.push({ name: 'caller joins, agent free: app_queue', value: fmt(theirsJoin) });
    rows.push({ name: 'caller joins, agent free: ours/app_queue', value: ratio(oursJoin, theirsJoin) });
    return {
      title: 'ACD ring latency: ours vs Asterisk app_queue (same Asterisk, same run; agent phone = sipp UAS, "ringing" = INVITE received)',
      rows,
      notes: [
        'agent available, ours: POST /api/agents/:id/state {available} (from paused or wrap-up) sent in-process (fastify inject), Date.now() just before it → the agent UAS receives the INVITE (sipp -trace_msg timestamp). W+1..W callers waiting in the same queue, each having waited > 4 s (no prompt playing).',
        `agent available, app_queue: Date.now() just before spawning \`asterisk -rx "queue unpause member …"\` → INVITE received; "from the CLI's return" starts the clock when that command has returned (the CLI round trip itself: ${fmt(cliMs)}, core show uptime). Member paused again after each ring; strategy leastrecent, ringinuse=no.`,
        'caller joins, ours: the call_events "dtmf" row of the caller\'s 0 (server clock, ms resolution; the key barges into the greeting) → INVITE received; includes enqueue (holding bridge join) and the originate. Agent free, nobody else waiting.',
        'caller joins, app_queue: Log(NOTICE) with STRFTIME %6q just before Queue(bench) in extensions.conf (8100) → INVITE received. Agent free, nobody else waiting.',
        `"caller joins" is measured only with nobody else waiting: with an agent free no caller waits, so 10 or 50 waiting callers do not exist in that case. ${SAMPLES} samples per figure (p99 of ${SAMPLES} is the maximum).`,
      ],
    };
  } finally {
    for (const c of callers) c.kill();
    for (const fn of teardowns.reverse()) await fn();
  }
}

/** Hangs up every channel through ARI (the sipp callers answer the BYE and exit), then waits for none left. */
async function hangUpAll(asterisk: AsteriskInstance, callers: SippRun[]): Promise<void> {
  const { url, username, password } = asterisk.ari;
  const auth = { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
  for (const ch of await ariGet<Array<{ id: string }>>(asterisk, '/channels')) {
    await fetch(`${url}/ari/channels/${ch.id}`, { method: 'DELETE', headers: auth }).catch(() => undefined);
  }
  await eventually(async () => ((await ariGet<unknown[]>(asterisk, '/channels')).length === 0 ? true : undefined), 30_000, 'no channels left');
  await Promise.all(callers.splice(0).map((c) => Promise.race([c.done, sleep(5000)]).then(() => c.kill())));
}

/** Callers waiting in our ACD now: live calls that entered the queue and have no agent. */
async function waitingCount(server: TestServer): Promise<number> {
  const rows = await server.db.selectFrom('calls').innerJoin('call_events', 'call_events.call_id', 'calls.id')
    .select('calls.id').distinct().where('calls.ended_at', 'is', null).where('calls.agent_id', 'is', null)
    .where('call_events.type', '=', 'queue_entered').execute();
  return rows.length;
}

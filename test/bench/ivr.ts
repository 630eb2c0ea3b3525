import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { officeSentence } from '../../ivr/offices.js';
import { say } from '../../ivr/speech.js';
import type { AsteriskInstance } from '../../server/asterisk/instance.js';
import { isUdpPortFree } from '../../server/asterisk/ports.js';
import { generateDemoData } from '../../server/demo/generator.js';
import { SelfService } from '../../server/self-service/service.js';
import { ariGet, startTestAsterisk, startTestServer, type TestServer } from '../support/asterisk.js';
import { eventually } from '../support/fake-telephony.js';
import { runSipp, type SippResult } from '../support/sipp.js';
import type { CallerStep } from '../support/sipp-script.js';
import { percentiles, printSection, type BenchSection } from './report.js';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchVoicing } from './voicing.js';

/*
 * The IVR under load, ours (ARI, Stasis app → this process) against a plain-dialplan IVR of the
 * same shape (extensions.conf, number 8000) on the same Asterisk in the same run; the delay to
 * the first prompt; and how long a caller who knows the menu stays on the line.
 */

export interface BenchIvrOptions {
  /** Load steps in new calls per second; escalation stops at the first step with ≥ 1 % failed. */
  rates?: number[];
  /** Seconds of new calls per load step (calls = rate × this). */
  stepSeconds?: number;
  /** Only the sections that are not about load: seconds on the line and on-demand voicing. */
  withoutLoad?: boolean;
}

const OURS = '1000';
const DIALPLAN = '8000';
/** The same dialplan IVR, logging its arrival and prompt-start times. */
const DIALPLAN_LOGGED = '8001';
/** The same short IVR call for both targets: listen, choose 1, listen, hang up. */
const LOAD_SCRIPT: CallerStep[] = [{ pause: 1500 }, { keys: '1' }, { pause: 1500 }, { hangup: true }];
const RTP_PORTS = 2000;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface Teardown { teardown(fn: () => unknown): void }

/** Like startTestAsterisk, with a 2,000-port RTP range: the test block of 200 ports caps a load test at ~100 calls at once. */
async function startBenchAsterisk(t: Teardown): Promise<AsteriskInstance> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const start = 30000 + randomInt(Math.floor((60000 - 30000) / RTP_PORTS) - 1) * RTP_PORTS;
    let free = true;
    for (let p = start; p < start + RTP_PORTS && free; p++) free = await isUdpPortFree(p, '0.0.0.0');
    if (free) return startTestAsterisk(t, 'b-ivr', { rtp: { start, end: start + RTP_PORTS - 1 }, bench: true });
  }
  throw new Error(`no free block of ${RTP_PORTS} UDP ports for RTP`);
}

/** utime + stime of a process, in ms. */
function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime 15
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

function nodeCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function noChannels(asterisk: AsteriskInstance, ms: number): Promise<void> {
  await eventually(async () => ((await ariGet<unknown[]>(asterisk, '/channels')).length === 0 ? true : undefined), ms, 'no channels left');
}

interface LoadStep { target: 'ours' | 'dialplan'; rate: number; calls: number; result: SippResult; asteriskMs: number; nodeMs: number }

const failedPct = (s: LoadStep) => (100 * s.result.failed) / Math.max(1, s.result.failed + s.result.successful);
const perCall = (ms: number, s: LoadStep) => (s.result.successful > 0 ? ms / s.result.successful : NaN);

async function loadStep(asterisk: AsteriskInstance, target: LoadStep['target'], rate: number, calls: number): Promise<LoadStep> {
  const pid = asterisk.pid!;
  const a0 = procCpuMs(pid);
  const n0 = nodeCpuMs();
  const run = await runSipp({
    scenario: LOAD_SCRIPT, sipPort: asterisk.sipPort, caller: '+79990001000', service: target === 'ours' ? OURS : DIALPLAN,
    calls, rate, limit: 2000, timeoutS: Math.ceil(calls / rate) + 60,
  });
  const result = await run.done;
  await noChannels(asterisk, 30_000).catch(() => {});
  return { target, rate, calls, result, asteriskMs: procCpuMs(pid) - a0, nodeMs: nodeCpuMs() - n0 };
}

const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : 'n/a');
const iso = (s: string) => Date.parse(s);

export async function benchIvr(opts: BenchIvrOptions = {}): Promise<BenchSection[]> {
  const rates = opts.rates ?? [5, 10, 20, 40];
  const stepSeconds = opts.stepSeconds ?? 8;
  const teardowns: Array<() => unknown> = [];
  const t: Teardown = { teardown: (fn) => teardowns.push(fn) };
  try {
    const asterisk = await startBenchAsterisk(t);
    const server = await startTestServer(t, asterisk);
    await generateDemoData(server.db, { customers: 200, seed: 7, asOf: new Date('2026-11-01T00:00:00Z') });
    if (opts.withoutLoad === true) return [await fastestKeys(asterisk, server), await benchVoicing(server.speech)];
    // Warm up both (prompt synthesis and caches, Asterisk's file cache).
    for (const target of ['ours', 'dialplan'] as const) await loadStep(asterisk, target, 2, 4);
    return [await load(asterisk), await firstPrompt(asterisk, server), await fastestKeys(asterisk, server), await benchVoicing(server.speech)];
  } finally {
    for (const fn of teardowns.reverse()) await fn();
  }

  async function load(asterisk: AsteriskInstance): Promise<BenchSection> {
    const steps: LoadStep[] = [];
    const best: Record<LoadStep['target'], number> = { ours: 0, dialplan: 0 };
    for (const target of ['ours', 'dialplan'] as const) {
      for (const rate of rates) {
        const s = await loadStep(asterisk, target, rate, rate * stepSeconds);
        steps.push(s);
        if (failedPct(s) >= 1) break;
        best[target] = rate;
      }
    }
    const rows = steps.map((s) => ({
      name: `${s.target} ${s.rate}/s × ${s.calls}`,
      value: `failed ${failedPct(s).toFixed(1)} % (${s.result.failed}/${s.result.failed + s.result.successful}), CPU/call ` +
        (s.target === 'ours'
          ? `${ms(perCall(s.asteriskMs + s.nodeMs, s))} (Asterisk ${ms(perCall(s.asteriskMs, s))} + node ${ms(perCall(s.nodeMs, s))})`
          : `${ms(perCall(s.asteriskMs, s))} (Asterisk; node idle ${ms(perCall(s.nodeMs, s))})`),
    }));
    rows.push({ name: 'highest rate < 1 % failed', value: `ours ${best.ours}/s, dialplan ${best.dialplan}/s (ratio ${(best.ours / Math.max(1, best.dialplan)).toFixed(2)}; tried up to ${rates.at(-1)}/s)` });
    const common = Math.min(best.ours, best.dialplan);
    const o = steps.find((s) => s.target === 'ours' && s.rate === common);
    const d = steps.find((s) => s.target === 'dialplan' && s.rate === common);
    if (o !== undefined && d !== undefined) {
      const oc = perCall(o.asteriskMs + o.nodeMs, o);
      const dc = perCall(d.asteriskMs, d);
      rows.push({ name: `CPU/call at ${common}/s`, value: `ours ${ms(oc)}, dialplan ${ms(dc)}, ratio ours/dialplan ${(oc / dc).toFixed(2)} (Asterisk alone: ${(perCall(o.asteriskMs, o) / dc).toFixed(2)})` });
    }
    const errs = steps.filter((s) => s.result.failed > 0).map((s) => `${s.target} ${s.rate}/s: ${s.result.errors.split('\n').filter((l) => /\d{3} |error|Aborting|timeout/i.test(l)).slice(0, 2).join(' | ').slice(0, 200)}`);
    return {
      title: `IVR under load: ours (ARI) vs plain dialplan, same Asterisk (callers send RTP; script: 1.5 s, key 1, 1.5 s, hang up; ${stepSeconds} s of calls per step)`,
      rows,
      notes: [
        'CPU = utime+stime deltas (Asterisk from /proc/<pid>/stat, our server = this process, process.cpuUsage()) over the step incl. the drain, divided by successful calls; sipp itself is not counted.',
        `RTP range ${RTP_PORTS} ports (own Asterisk for this section); escalation stops at the first step with ≥ 1 % failed.`,
        ...errs,
      ],
    };
  }

  async function firstPrompt(asterisk: AsteriskInstance, server: TestServer): Promise<BenchSection> {
    const rate = 5;
    const calls = 40;
    // ours: call_arrived → first media_started, both written by our server
    const since = new Date().toISOString();
    const r1 = await (await runSipp({ scenario: LOAD_SCRIPT, sipPort: asterisk.sipPort, caller: '+79990002000', service: OURS, calls, rate, limit: 500, timeoutS: 60 })).done;
    await noChannels(asterisk, 30_000).catch(() => {});
    const rows = await server.db.selectFrom('call_events').innerJoin('calls', 'calls.id', 'call_events.call_id')
      .select(['call_events.call_id', 'call_events.type', 'call_events.at']).where('calls.started_at', '>=', since)
      .where('call_events.type', 'in', ['call_arrived', 'media_started']).orderBy('call_events.id').execute();
    const byCall = new Map<string, { arrived?: number; first?: number }>();
    for (const r of rows) {
      const c = byCall.get(r.call_id) ?? {};
      if (r.type === 'call_arrived') c.arrived = iso(r.at);
      else if (c.first === undefined) c.first = iso(r.at);
      byCall.set(r.call_id, c);
    }
    const ours = [...byCall.values()].filter((c) => c.arrived !== undefined && c.first !== undefined).map((c) => c.first! - c.arrived!);
    // dialplan: its own clock at priority 1 and just before Background, logged only for this run
    const logFile = join(asterisk.runDir, 'log', 'messages.log');
    const offset = statSync(logFile).size;
    const r2 = await (await runSipp({ scenario: LOAD_SCRIPT, sipPort: asterisk.sipPort, caller: '+79990002001', service: DIALPLAN_LOGGED, calls, rate, limit: 500, timeoutS: 60 })).done;
    await noChannels(asterisk, 30_000).catch(() => {});
    const seen = new Set<string>();
    const dialplan: number[] = [];
    for (const m of readFileSync(logFile).subarray(offset).toString().matchAll(/BENCH_IVR (\d+\.\d+) (\d+\.\d+)/g)) {
      if (seen.has(m[1]!)) continue; // the menu repeats after a key: keep each call's first prompt
      seen.add(m[1]!);
      dialplan.push((Number(m[2]) - Number(m[1])) * 1000);
    }
    const fmt = (xs: number[]) => {
      if (xs.length === 0) return 'no samples';
      const p = percentiles(xs);
      return `median ${p.median.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms (n=${xs.length})`;
    };
    return {
      title: `Call arrival to the first prompt starting, ${rate} calls/s × ${calls}`,
      rows: [
        { name: 'ours', value: `${fmt(ours)}; sipp failed ${r1.failed}` },
        { name: 'dialplan', value: `${fmt(dialplan)}; sipp failed ${r2.failed}` },
      ],
      notes: [
        'ours: call_arrived event (StasisStart handled, caller identified) to the first media_started event (ARI PlaybackStarted received), both timestamped by our server; answer is in between.',
        'dialplan: STRFTIME(%s.%6q) at priority 1 to the same just before Background(), after Answer() — the playback start itself (file open) is not in it, while ours includes the PlaybackStarted event round trip. Neither includes the SIP INVITE leg.',
      ],
    };
  }

  async function fastestKeys(asterisk: AsteriskInstance, server: TestServer): Promise<BenchSection> {
    const root = asterisk.install.kind === 'chroot' ? asterisk.install.root : '/';
    const duration = (media: string) => {
      const file = join(root, `${media.replace(/^sound:/, '')}.wav`);
      return (statSync(file).size - 44) / 16000 * 1000;
    };
    const accountId = async (number: string) => (await server.db.selectFrom('accounts').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;
    await server.db.insertInto('appeals').values({
      number: '26000077', account_id: await accountId('3900000001'), kind: 'paper_letter', channel: 'call_center', subject: 'Перерасчёт',
      status: 'in_progress', registered_at: '2026-11-20T10:00:00.000Z', due_date: '2026-12-20',
    }).execute();
    const balance = await new SelfService(server.db).balance(await accountId('3900000001'));
    if (balance.kind !== 'balance' || balance.lastPayment === null) throw new Error('demo account 3900000001 has no balance with a payment');
    const lastPayment = (await server.speech.media([say('balance_last_payment', {
      date: { kind: 'date', iso: balance.lastPayment.date }, amount: { kind: 'money', kopecks: balance.lastPayment.amountKop },
    })], 'ru'))[0]!;
    const [saved] = await server.speech.media([say('reading_saved')], 'ru');
    const [intro] = await server.speech.media([say('info_offices_intro')], 'ru');
    const [infoMenu] = await server.speech.media([say('info_menu')], 'ru');
    const offices = await new SelfService(server.db).answer('', 'ru', { kind: 'offices' });
    if (offices.kind !== 'offices' || offices.offices[0]?.city !== 'Калининград') throw new Error('the first office is Kaliningrad\'s');
    const [kaliningrad] = await server.speech.media([officeSentence(offices.offices[0])], 'ru');
    const [appealStatus] = await server.speech.media([say('appeal_status', {
      digits: { kind: 'digits', value: '26000077' }, status: { kind: 'prompt', prompt: 'appeal_status_in_progress' }, date: { kind: 'date', iso: '2026-12-20' },
    })], 'ru');
    const reading = async () => {
      const last = await server.db.selectFrom('meter_readings').select('day_value').where('account_id', '=', await accountId('3900000005')).orderBy('taken_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
      return last.day_value + 123;
    };

    /** Index of the media (in the heard list) whose end is the answer's end. */
    type Pick = (heard: string[]) => number;
    const cases: Array<{ name: string; caller: string; steps: () => Promise<CallerStep[]>; pick: Pick; pauseS: number }> = [
      {
        name: '1 office hours, identified caller (1, 1): their own town\'s office', caller: '+74012000001', pauseS: 16,
        steps: async () => [{ keys: '11' }],
        // "the office nearest to you:", then its sentence: the answer ends with it
        pick: (h) => h.indexOf(kaliningrad!),
      },
      {
        name: '1 office hours, unidentified caller (1, 1, 1): picks Kaliningrad in the town menu', caller: '+79990003001', pauseS: 14,
        steps: async () => [{ keys: '111' }],
        pick: (h) => h.indexOf(kaliningrad!),
      },
      {
        name: '1 every office, unidentified caller (1, 1, 9)', caller: '+79990003001', pauseS: 30,
        steps: async () => [{ keys: '119' }],
        // the offices announcement: intro + one sentence per office, then the info menu again
        pick: (h) => {
          const i = h.indexOf(intro!);
          if (i < 0) return -1;
          const next = h.indexOf(infoMenu!, i);
          return next < 0 ? h.length - 1 : next - 1;
        },
      },
      {
        name: '2 send a reading (2, account#, 1, value#, 1)', caller: '+79990003002', pauseS: 12,
        steps: async () => [{ keys: '23900000005#' }, { pause: 300 }, { keys: '1' }, { pause: 500 }, { keys: `${await reading()}#` }, { pause: 300 }, { keys: '1' }],
        pick: (h) => h.indexOf(saved!),
      },
      {
        name: '3 balance, identified by number (3, 1)', caller: '+74012000001', pauseS: 16,
        steps: async () => [{ keys: '3' }, { pause: 300 }, { keys: '1' }],
        pick: (h) => h.indexOf(lastPayment),
      },
      {
        name: '4 appeal status (4, 26000077#)', caller: '+79990003004', pauseS: 14,
        steps: async () => [{ keys: '426000077#' }],
        pick: (h) => h.indexOf(appealStatus!),
      },
    ];
    const rows: BenchSection['rows'] = [];
    const notes: string[] = [];
    for (const c of cases) {
      const figures: string[] = [];
      for (let run = 0; run < 2; run++) {
        const since = new Date().toISOString();
        const steps = [...(await c.steps()), { pause: c.pauseS * 1000 }, { hangup: true as const }];
        const result = await (await runSipp({ scenario: steps, sipPort: asterisk.sipPort, caller: c.caller, service: OURS, timeoutS: c.pauseS + 60 })).done;
        const call = await eventually(async () => {
          const row = await server.db.selectFrom('calls').selectAll().where('started_at', '>=', since).executeTakeFirst();
          return row?.ended_at != null ? row : undefined;
        }, 20_000, 'the call to end');
        const media = (await server.db.selectFrom('call_events').select(['at', 'data']).where('call_id', '=', call.id).where('type', '=', 'media_started').orderBy('id').execute())
          .map((e) => ({ at: iso(e.at), media: (JSON.parse(e.data) as { media: string }).media }));
        const i = c.pick(media.map((m) => m.media));
        if (result.code !== 0 || i < 0 || call.answered_at === null) {
          figures.push('failed');
          notes.push(`${c.name}, run ${run + 1}: sipp code ${result.code}, answer media ${i < 0 ? 'not heard' : 'heard'}; heard: ${media.map((m) => m.media.split('/').pop()!.slice(0, 8)).join(' ')}`);
          continue;
        }
        const end = media[i]!.at + duration(media[i]!.media);
        const cut = call.ended_at !== null && iso(call.ended_at) < end ? ' (cut by hang-up!)' : '';
        figures.push(`${((end - iso(call.answered_at)) / 1000).toFixed(2)} s${cut}`);
      }
      rows.push({ name: c.name, value: figures.join(' / ') });
    }
    return {
      title: 'Seconds on the line, answer to the end of the wanted information, fastest correct keys (run 1 / run 2)',
      rows,
      notes: [
        'calls.answered_at to the answer sentence\'s media_started time plus its WAV length ((bytes-44)/16000 s); keys as SIP INFO 150 ms apart, barge-in and type-ahead, short pauses only where a lookup must return.',
        'office hours: to the end of the office sentence the caller wanted (all offices: the last one); reading: to the end of reading_saved; balance: to the end of the last-payment sentence; appeal: to the end of the status sentence. Run 1 may include on-demand synthesis of dynamic phrases.',
        ...notes,
      ],
    };
  }
}

/** `npx tsx test/bench/ivr.ts --alone [--without-load]`: the IVR sections only, with an Asterisk of their own. */
if (process.argv.includes('--alone') && realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url))) {
  for (const section of await benchIvr({ withoutLoad: process.argv.includes('--without-load') })) printSection(section);
}

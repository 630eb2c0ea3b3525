import type { AsteriskInstance } from '../../server/asterisk/instance.js';
import { addAgent } from '../support/app.js';
import { startTestAsterisk, startTestServer } from '../support/asterisk.js';
import { callersWaitInQueue } from '../support/waiting-callers.js';
import { percentiles, runAlone, type BenchSection } from './report.js';

/*
 * What a waiting caller hears: CALLERS sipp callers wait together for 60 s in a queue where
 * nobody answers (the only agent is on a break) and each hears an announcement every 10 s (the
 * API's shortest interval, so every caller goes in and out of the music six times). The RTP that
 * reaches each caller is captured on lo (test/support/rtp-capture.ts); the figure is the longest
 * time any of them got no RTP packet at all.
 */

const CALLERS = 3;
const WAIT_MS = 60_000;
const ANNOUNCE_EVERY_S = 10;

export async function benchHoldMusic(asterisk: AsteriskInstance): Promise<BenchSection> {
  const teardowns: Array<() => unknown> = [];
  const t = { teardown: (fn: () => unknown) => teardowns.push(fn) };
  try {
    let agentId = 0;
    const server = await startTestServer(t, asterisk, {
      env: { CALLBACK_OFFER_AFTER_S: '0', CALLBACK_OFFER_ESTIMATE_S: '0' },
      seed: async (db) => {
        await db.updateTable('queues').set({ announce_every_s: ANNOUNCE_EVERY_S, max_wait_s: 600 }).where('id', '=', 'general').execute();
        agentId = await addAgent(db, 'resting', { general: 1 });
        await addAgent(db, 'boss', {}, { role: 'supervisor', password: 'boss-password' });
      },
    });
    const boss = await server.loginAs('boss', 'boss-password');
    await boss.inject({ method: 'POST', url: `/api/agents/${agentId}/login` });
    await boss.inject({ method: 'POST', url: `/api/agents/${agentId}/state`, payload: { state: 'paused', reason: 'break' } });
    const callers = await callersWaitInQueue({ asterisk, server, count: CALLERS, waitMs: WAIT_MS, numberPrefix: '+7999060000' });
    const failed = callers.filter((c) => c.sipp.code !== 0);
    if (failed.length > 0) throw new Error(`hold-music bench: ${failed.length} caller(s) failed: ${failed[0]!.sipp.errors}`);
    const gaps = callers.map((c) => c.heard.longestGapMs);
    const silences = callers.map((c) => c.heard.longestSilenceMs);
    const expected = WAIT_MS / 20;
    return {
      title: `Hold music: what a waiting caller hears (${CALLERS} callers waiting together ${WAIT_MS / 1000} s, an announcement every ${ANNOUNCE_EVERY_S} s, RTP captured at each sipp leg)`,
      rows: [
        { name: 'longest RTP gap a waiting caller hears (any caller)', value: `${Math.max(...gaps).toFixed(0)} ms` },
        { name: 'longest RTP gap, per caller', value: gaps.map((g) => `${g.toFixed(0)} ms`).join(', ') },
        { name: 'longest stretch without sound (below -66 dBFS), per caller', value: silences.map((s) => `${s.toFixed(0)} ms`).join(', ') },
        { name: 'RTP packets received of 20-ms frames expected, per caller', value: callers.map((c) => `${c.heard.packets}/${expected}`).join(', ') },
        { name: 'announcements heard, per caller', value: callers.map((c) => String(c.announcements)).join(', ') },
        { name: '2-s windows with sound, all callers', value: `${callers.reduce((n, c) => n + c.heard.windows.filter((w) => w.sound > 0).length, 0)}/${callers.reduce((n, c) => n + c.heard.windows.length, 0)}` },
      ],
      notes: [
        'From each caller\'s queue_entered event for 60 s: "connecting you", the music (each caller\'s own, Asterisk\'s holding bridge), and the position/estimate announcements played outside the bridge.',
        'A gap is time without any RTP packet (Asterisk sends nothing when nothing plays); "without sound" also counts G.711 digital silence and the quietest passages of the music itself (its fade-ins).',
        `Median of the per-caller longest gaps: ${percentiles(gaps).median.toFixed(0)} ms. tcpdump on lo, pcap read in Node; timestamps are the kernel's capture times.`,
      ],
    };
  } finally {
    for (const fn of teardowns.reverse()) await fn();
  }
}

/** `npx tsx test/bench/hold-music.ts --alone`: this section only, with an Asterisk of its own. */
runAlone(import.meta.url, async (t) => benchHoldMusic(await startTestAsterisk(t, 'bench-music')));

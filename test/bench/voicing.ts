import { randomInt } from 'node:crypto';
import { say, type Speech } from '../../ivr/speech.js';
import type { SpeechPort } from '../../server/calls/service.js';
import { loadConfig } from '../../server/config.js';
import { provisionAsterisk } from '../../server/asterisk/install.js';
import { SynthesizedSpeech } from '../../server/speech/synthesized.js';
import { PromptAudio } from '../../prompts/synth/store.js';
import { percentiles, runAlone, type BenchSection } from './report.js';

/*
 * The on-demand voicing delay: a phrase whose values are known only during the call (a balance
 * and its last payment, a place in line with its estimate) is synthesized when the answer comes,
 * and the caller hears silence meanwhile. Each sample is a text never voiced before (random
 * amounts), so the cache cannot answer; the goal is that such a phrase starts within 300 ms.
 */

const SAMPLES = 30;

function balancePhrase(): Speech[] {
  return [
    say('balance_debt', { amount: { kind: 'money', kopecks: randomInt(1, 10_000_000) } }),
    say('balance_last_payment', { date: { kind: 'date', iso: `2026-${String(randomInt(1, 13)).padStart(2, '0')}-${String(randomInt(1, 29)).padStart(2, '0')}` }, amount: { kind: 'money', kopecks: randomInt(1, 10_000_000) } }),
  ];
}

function queuePhrase(): Speech[] {
  // As ivr/waiting.ts says it: the estimate (its fixed start voiced ahead) before the place.
  return [say('queue_estimate', { minutes: { kind: 'minutes', n: randomInt(1, 90) } }), say('queue_position', { position: { kind: 'ordinal', n: randomInt(51, 400) } })];
}

/** Per phrase: until its first piece is ready (when the caller starts hearing it), and until all of it is. */
async function sample(speech: SpeechPort, make: () => Speech[]): Promise<{ first: number[]; all: number[] }> {
  const first: number[] = [];
  const all: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const phrase = make();
    const started = performance.now();
    const pieces = speech.mediaEach?.(phrase, 'ru') ?? [speech.media(phrase, 'ru')];
    await pieces[0];
    first.push(performance.now() - started);
    await Promise.all(pieces);
    all.push(performance.now() - started);
  }
  return { first, all };
}

export async function benchVoicing(speech: SpeechPort): Promise<BenchSection> {
  const p = (xs: number[]) => { const q = percentiles(xs); return `${q.median.toFixed(0)} / ${q.p99.toFixed(0)} ms`; };
  const row = async (name: string, make: () => Speech[]) => {
    const s = await sample(speech, make);
    return { name, value: `starts after ${p(s.first)}; all of it voiced after ${p(s.all)} (median / p99, ${SAMPLES} phrases)` };
  };
  return {
    title: 'On-demand voicing: a phrase with values known only during the call, from the request until the caller hears it start (goal: within 300 ms)',
    rows: [
      await row('balance: debt + last payment', balancePhrase),
      await row('queue: place (beyond the 50 voiced ahead) + estimate', queuePhrase),
    ],
    notes: [
      'RHVoice in the Asterisk root; each text new (random amounts), so only fixed words come from the cache. A sentence is voiced as its fixed start (voiced ahead) and the rest: it starts playing with the fixed start while the rest is voiced (server/calls/playback.ts), so "starts" is when its first piece is ready and "all" when Asterisk has every piece.',
      'Fixed prompts, the office sentences and places 2-50 in line are voiced ahead and never wait.',
    ],
  };
}

runAlone(import.meta.url, async () => {
  const install = await provisionAsterisk({ cacheDir: loadConfig(process.env).localAsterisk.cacheDir, log: () => {} });
  return benchVoicing(new SynthesizedSpeech(await PromptAudio.create({ install, log: () => {} })));
});

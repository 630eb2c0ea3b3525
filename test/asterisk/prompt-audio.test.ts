import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ari from 'ari-client';
import t from 'tap';
import { loadConfig } from '../../server/config.js';
import { provisionAsterisk } from '../../server/asterisk/install.js';
import { PromptAudio } from '../../prompts/synth/store.js';
import { noLeftovers, startTestAsterisk, TEST_APP } from '../support/asterisk.js';
import { runSipp } from '../support/sipp.js';

/*
 * The real synthesizer (RHVoice in the provisioned root) and a real Asterisk playing its output
 * to a sipp caller. The cache folder is this test's own, inside the root, and removed after.
 */

const install = await provisionAsterisk({ cacheDir: loadConfig(process.env).localAsterisk.cacheDir, log: () => {} });
const cacheDir = install.kind === 'chroot'
  ? join(install.root, 'var/cache/contact-center', `prompts-test-${process.pid}`)
  : mkdtempSync(join(tmpdir(), 'cc-prompts-test-'));
t.teardown(() => rmSync(cacheDir, { recursive: true, force: true }));
const audio = await PromptAudio.create({ install, cacheDir, log: () => {} });

const SENTENCE = 'Спасибо! Показания счётчика приняты, лицевой счёт обновлён. Чтобы повторить, нажмите звёздочку.';

/** Output of a sox tool, run inside the root for a chrooted Asterisk (the host may have no sox). */
function soxTool(program: 'soxi' | 'sox', args: string[]): Promise<string> {
  const [command, prefix] = install.kind === 'chroot' ? ['chroot', [install.root, program]] : [program, []];
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`${program} ${args.join(' ')}: ${out}`))));
  });
}

/** The file's path as the sox tools (and Asterisk) see it. */
const seenPath = (file: string): string => (install.kind === 'chroot' ? `/${relative(install.root, file)}` : file);

t.test('a Russian sentence becomes 8 kHz mono 16-bit speech of a plausible length, cached after the first time', async (t) => {
  if (install.kind === 'chroot') {
    t.equal(audio.engineId, 'rhvoice-chroot', "the root's RHVoice speaks both languages");
    t.equal(audio.voice('ru'), 'elena');
  }
  const started = performance.now();
  const media = await audio.media(SENTENCE, 'ru');
  const synthMs = performance.now() - started;
  const file = audio.fileFor(SENTENCE, 'ru');
  t.equal(media, `sound:${seenPath(file).replace(/\.wav$/, '')}`);

  t.equal(await soxTool('soxi', ['-r', seenPath(file)]), '8000');
  t.equal(await soxTool('soxi', ['-c', seenPath(file)]), '1');
  t.equal(await soxTool('soxi', ['-b', seenPath(file)]), '16');
  const seconds = Number(await soxTool('soxi', ['-D', seenPath(file)]));
  const syllables = SENTENCE.match(/[аеёиоуыэюя]/gi)?.length ?? 0;
  // Read speech runs at 3 to 7 syllables a second; outside that the text was mangled or cut.
  t.ok(seconds > syllables / 7 && seconds < syllables / 3, `${seconds} s for ${syllables} syllables`);
  const peak = Number(/Pk lev dB\s+(-?[\d.]+)/.exec(await soxTool('sox', [seenPath(file), '-n', 'stats']))?.[1]);
  t.ok(peak <= -2.9, `peak ${peak} dBFS stays under the -3 dBFS ceiling`);

  const again = performance.now();
  t.equal(await audio.media(SENTENCE, 'ru'), media);
  const hitMs = performance.now() - again;
  t.ok(hitMs < 50, `a cache hit took ${hitMs.toFixed(2)} ms`);
  t.equal(audio.cachedMedia(SENTENCE, 'ru'), media);
  t.comment(`synthesis ${synthMs.toFixed(0)} ms for ${seconds.toFixed(2)} s of speech; cache hit ${hitMs.toFixed(2)} ms`);
});

t.test('Asterisk plays the synthesized prompt to a real caller from start to finish', async (t) => {
  const media = await audio.media(SENTENCE, 'ru');
  const seconds = Number(await soxTool('soxi', ['-D', seenPath(audio.fileFor(SENTENCE, 'ru'))]));
  const asterisk = await startTestAsterisk(t, 'prompt-audio');
  const client = await ari.connect(asterisk.ari.url, asterisk.ari.username, asterisk.ari.password);
  t.teardown(() => {
    try { (client as unknown as { stop(): void }).stop(); } catch { /* never opened */ }
  });

  const playbackId = `prompt-test-${process.pid}`;
  const timeline: { started?: number; finished?: number; state?: string; problem?: string } = {};
  const finished = new Promise<void>((resolve) => {
    client.on('StasisStart', (_event, channel) => {
      void (async () => {
        try {
          await channel.answer();
          await client.channels.play({ channelId: channel.id, media, playbackId });
        } catch (err) {
          timeline.problem = (err as Error).message;
          resolve();
        }
      })();
    });
    client.on('PlaybackStarted', (_event, playback) => {
      if (playback.id === playbackId) timeline.started = performance.now();
    });
    client.on('PlaybackFinished', (_event, playback) => {
      if (playback.id !== playbackId) return;
      timeline.finished = performance.now();
      timeline.state = playback.state;
      const target = playback.target_uri.replace(/^channel:/, '');
      void client.channels.hangup({ channelId: target }).catch(() => undefined).then(() => resolve());
    });
  });
  await client.start(TEST_APP);

  const sipp = await runSipp({ scenario: 'caller-until-bye.xml', sipPort: asterisk.sipPort, caller: '+74012000077', timeoutS: 30 });
  const deadline = new Promise<void>((resolve) => setTimeout(resolve, 25_000).unref());
  await Promise.race([finished, deadline]);
  const result = await sipp.done;

  t.equal(timeline.problem, undefined, 'answer and play were accepted');
  t.equal(timeline.state, 'done', 'the playback finished as done, not failed');
  t.ok(timeline.started !== undefined && timeline.finished !== undefined, 'PlaybackStarted and PlaybackFinished arrived');
  const playedS = ((timeline.finished ?? 0) - (timeline.started ?? 0)) / 1000;
  // A missing or unreadable file ends at once; a played one lasts as long as its audio.
  t.ok(playedS > seconds - 0.5 && playedS < seconds + 2, `played ${playedS.toFixed(2)} s of a ${seconds.toFixed(2)} s prompt`);
  t.equal(result.code, 0, `the caller was hung up on cleanly: ${result.errors}`);
  await noLeftovers(asterisk);
});

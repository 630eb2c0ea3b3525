import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { cacheKey, parseWav, PromptCache, SPEECH_LEVEL_DBFS } from '../../prompts/synth/cache.js';
import { festivalText, PromptError, type SynthLanguage, type TtsEngine } from '../../prompts/synth/engine.js';
import { PromptAudio } from '../../prompts/synth/store.js';

/** A 16-bit PCM .wav of a 440 Hz tone. */
function toneWav(opts: { seconds?: number; rate?: number; channels?: number; amplitude?: number } = {}): Buffer {
  const rate = opts.rate ?? 8000;
  const channels = opts.channels ?? 1;
  const frames = Math.round(rate * (opts.seconds ?? 0.5));
  const data = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames; i++) {
    const v = Math.round((opts.amplitude ?? 0.1) * 32767 * Math.sin((2 * Math.PI * 440 * i) / rate));
    for (let c = 0; c < channels; c++) data.writeInt16LE(v, (i * channels + c) * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** An engine that writes a tone, counts its calls and can be held, broken or made to write the wrong thing. */
class FakeEngine implements TtsEngine {
  readonly languages = ['ru', 'en'] as const;
  calls: Array<{ text: string; lang: SynthLanguage }> = [];
  running = 0;
  maxRunning = 0;
  output: () => Buffer = () => toneWav();
  failWith: Error | undefined;
  gate: Promise<void> | undefined;

  constructor(readonly id = 'fake', readonly voiceName = 'test-voice') {}

  voice(): string {
    return this.voiceName;
  }

  async synthesize(text: string, lang: SynthLanguage, outWav8k: string): Promise<void> {
    this.calls.push({ text, lang });
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      await this.gate;
      if (this.failWith) {
        await writeFile(outWav8k, toneWav().subarray(0, 30)); // half a file, then the crash
        throw this.failWith;
      }
      await writeFile(outWav8k, this.output());
    } finally {
      this.running--;
    }
  }
}

interface Teardown { teardown(fn: () => unknown): void }

function setup(t: Teardown, engine = new FakeEngine(), concurrency = 4) {
  const dir = mkdtempSync(join(tmpdir(), 'cc-prompt-cache-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, engine, cache: new PromptCache({ dir, engines: { ru: engine, en: engine }, concurrency }) };
}

function deferred(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

t.test('the same text is synthesized once, then served from the cache', async (t) => {
  const { cache, engine, dir } = setup(t);
  const first = await cache.ensure('Спасибо, показания приняты.', 'ru');
  const second = await cache.ensure('Спасибо, показания приняты.', 'ru');
  t.equal(engine.calls.length, 1);
  t.equal(first.synthesized, true);
  t.equal(second.synthesized, false);
  t.equal(second.file, first.file);
  t.equal(first.file, join(dir, 'ru', `${first.key}.wav`));
  t.ok(existsSync(first.file));
  t.same(cache.cached('Спасибо, показания приняты.', 'ru'), { key: first.key, lang: 'ru', file: first.file });
});

t.test('a changed text gets a new file and the old one stays', async (t) => {
  const { cache, engine } = setup(t);
  const before = await cache.ensure('Нажмите один.', 'ru');
  const after = await cache.ensure('Нажмите два.', 'ru');
  t.not(after.key, before.key);
  t.equal(engine.calls.length, 2);
  t.ok(existsSync(before.file) && existsSync(after.file));
});

t.test('spacing and Unicode composition do not make a new entry; the engine gets the tidy text', async (t) => {
  const { cache, engine } = setup(t);
  const composed = await cache.ensure('Показания счётчика', 'ru');
  const decomposed = await cache.ensure('  Показания\n  сче\u0308тчика ', 'ru');
  t.equal(decomposed.key, composed.key);
  t.same(engine.calls, [{ text: 'Показания счётчика', lang: 'ru' }]);
});

t.test('the key changes with the engine, the voice, the language and the text', async (t) => {
  const base = { engine: 'rhvoice-chroot', voice: 'elena', lang: 'ru', text: 'Здравствуйте!' } as const;
  const keys = new Set([
    cacheKey(base),
    cacheKey({ ...base, engine: 'festival' }),
    cacheKey({ ...base, voice: 'anna' }),
    cacheKey({ ...base, lang: 'en' }),
    cacheKey({ ...base, text: 'Здравствуйте.' }),
  ]);
  t.equal(keys.size, 5);
  t.match(cacheKey(base), /^[0-9a-f]{64}$/);
});

t.test('concurrent requests for one text share one synthesis', async (t) => {
  const { cache, engine } = setup(t);
  const gate = deferred();
  engine.gate = gate.promise;
  const pending = Array.from({ length: 5 }, () => cache.ensure('Все операторы заняты.', 'ru'));
  gate.open();
  const results = await Promise.all(pending);
  t.equal(engine.calls.length, 1);
  t.equal(new Set(results.map((r) => r.file)).size, 1);
});

t.test('no more syntheses run at once than the limit', async (t) => {
  const { cache, engine } = setup(t, new FakeEngine(), 2);
  const gate = deferred();
  engine.gate = gate.promise;
  const pending = ['один', 'два', 'три', 'четыре', 'пять', 'шесть'].map((w) => cache.ensure(`Нажмите ${w}.`, 'ru'));
  await new Promise((r) => setImmediate(r));
  gate.open();
  await Promise.all(pending);
  t.equal(engine.calls.length, 6);
  t.equal(engine.maxRunning, 2);
});

t.test('a failed synthesis leaves no file, rejects with a code, and is tried again next time', async (t) => {
  const { cache, engine, dir } = setup(t);
  engine.failWith = new Error('RHVoice-test exited with code 1');
  await t.rejects(cache.ensure('Сервис временно недоступен.', 'ru'), { code: 'CC_ERR_PROMPT_SYNTH_FAILED' });
  t.same(readdirSync(join(dir, 'ru')), [], 'neither the file nor its temporary');
  t.equal(cache.cached('Сервис временно недоступен.', 'ru'), undefined);
  engine.failWith = undefined;
  const retried = await cache.ensure('Сервис временно недоступен.', 'ru');
  t.equal(engine.calls.length, 2);
  t.ok(existsSync(retried.file));
});

t.test('audio Asterisk cannot play as wav, or silence, is refused and not kept', async (t) => {
  const { cache, engine, dir } = setup(t);
  engine.output = () => toneWav({ rate: 24000 });
  await t.rejects(cache.ensure('Здравствуйте!', 'ru'), { code: 'CC_ERR_PROMPT_SYNTH_FAILED' });
  engine.output = () => toneWav({ channels: 2 });
  await t.rejects(cache.ensure('Здравствуйте!', 'ru'), { code: 'CC_ERR_PROMPT_SYNTH_FAILED' });
  engine.output = () => toneWav({ amplitude: 0 });
  await t.rejects(cache.ensure('Здравствуйте!', 'ru'), { code: 'CC_ERR_PROMPT_SYNTH_FAILED' });
  engine.output = () => Buffer.from('not audio at all');
  await t.rejects(cache.ensure('Здравствуйте!', 'ru'), { code: 'CC_ERR_PROMPT_SYNTH_FAILED' });
  t.same(readdirSync(join(dir, 'ru')), []);
});

t.test('an empty text, a text with an unfilled placeholder or an overlong one is refused without synthesis', async (t) => {
  const { cache, engine } = setup(t);
  await t.rejects(cache.ensure('  ', 'ru'), { code: 'CC_ERR_PROMPT_TEXT_INVALID' });
  await t.rejects(cache.ensure('Задолженность составляет {amount}.', 'ru'), { code: 'CC_ERR_PROMPT_TEXT_INVALID' });
  await t.rejects(cache.ensure('а'.repeat(1001), 'ru'), { code: 'CC_ERR_PROMPT_TEXT_INVALID' });
  t.throws(() => cache.cached('{greeting}', 'ru'), { code: 'CC_ERR_PROMPT_TEXT_INVALID' });
  t.equal(engine.calls.length, 0);
});

t.test('a language without an engine is refused with a code', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-prompt-cache-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const cache = new PromptCache({ dir, engines: { ru: new FakeEngine() } });
  await t.rejects(cache.ensure('Hello!', 'en'), { code: 'CC_ERR_PROMPT_NO_ENGINE' });
});

t.test('speech is levelled to the speech level of the recorded sound set', async (t) => {
  const { cache, engine } = setup(t);
  for (const amplitude of [0.02, 0.6]) {
    engine.output = () => toneWav({ amplitude });
    const { file } = await cache.ensure(`Тон ${amplitude}`, 'ru');
    const audio = readFileSync(file);
    const info = parseWav(audio);
    t.match(info, { sampleRate: 8000, channels: 1, bitsPerSample: 16 });
    let sum = 0;
    const n = info.dataBytes / 2;
    for (let i = 0; i < n; i++) sum += (audio.readInt16LE(info.dataOffset + 2 * i) / 32768) ** 2;
    const levelDb = 10 * Math.log10(sum / n);
    t.ok(Math.abs(levelDb - SPEECH_LEVEL_DBFS) < 0.2, `a tone of amplitude ${amplitude} ends at ${levelDb.toFixed(2)} dBFS`);
  }
});

t.test('temporary files a crash left behind are swept, fresh ones are not', async (t) => {
  const { cache, dir } = setup(t);
  await cache.ensure('Здравствуйте!', 'ru');
  const old = join(dir, 'ru', '.tmp-0123456789abcdef-1-1.wav');
  const fresh = join(dir, 'ru', '.tmp-0123456789abcdef-2-1.wav');
  writeFileSync(old, 'x');
  writeFileSync(fresh, 'x');
  const hourAgo = new Date(Date.now() - 3600_000);
  utimesSync(old, hourAgo, hourAgo);
  t.equal(await cache.sweep(), 1);
  t.notOk(existsSync(old));
  t.ok(existsSync(fresh));
});

t.test('PromptAudio gives chrooted Asterisk the path inside the root, without extension', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'cc-fake-root-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const engine = new FakeEngine();
  const audio = await PromptAudio.create({ install: { kind: 'chroot', root }, engines: { ru: engine, en: engine }, log: () => {} });
  t.equal(audio.engineId, 'fake');
  t.equal(audio.cachedMedia('Здравствуйте!', 'ru'), undefined, 'nothing cached yet');
  t.equal(engine.calls.length, 0, 'and asking did not synthesize');
  const media = await audio.media('Здравствуйте!', 'ru');
  t.match(media, /^sound:\/var\/cache\/contact-center\/prompts\/ru\/[0-9a-f]{64}$/);
  t.equal(audio.fileFor('Здравствуйте!', 'ru'), join(root, `${media.slice('sound:'.length)}.wav`));
  t.ok(existsSync(audio.fileFor('Здравствуйте!', 'ru')));
  t.equal(audio.cachedMedia('Здравствуйте!', 'ru'), media);
  t.equal(engine.calls.length, 1);
});

t.test('PromptAudio gives a system Asterisk the host path and refuses a chroot cache outside the root', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-prompts-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const engine = new FakeEngine();
  const audio = await PromptAudio.create({ install: { kind: 'system', binary: '/usr/sbin/asterisk' }, cacheDir: dir, engines: { ru: engine, en: engine }, log: () => {} });
  t.match(await audio.media('Hello!', 'en'), new RegExp(`^sound:${dir}/en/[0-9a-f]{64}$`));
  await t.rejects(
    PromptAudio.create({ install: { kind: 'chroot', root: join(dir, 'root') }, cacheDir: join(dir, 'elsewhere'), engines: { ru: engine, en: engine }, log: () => {} }),
    { code: 'CC_ERR_CONFIG_INVALID' },
  );
});

t.test('preparing a catalogue synthesizes only what is missing and reports each synthesis', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'cc-fake-root-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const engine = new FakeEngine();
  const audio = await PromptAudio.create({ install: { kind: 'chroot', root }, engines: { ru: engine, en: engine }, log: () => {} });
  await audio.media('Здравствуйте!', 'ru');
  const items = [
    { id: 'greeting', text: 'Здравствуйте!', voice: 'ru' as const },
    { id: 'goodbye', text: 'До свидания!', voice: 'ru' as const },
    { id: 'offer', text: 'For English, press nine.', voice: 'en' as const },
  ];
  const reported: string[] = [];
  const done = await audio.prepare(items, (item, ms, seconds) => {
    reported.push(item.id);
    t.ok(ms >= 0 && seconds > 0);
  });
  t.same(reported.sort(), ['goodbye', 'offer']);
  t.match(done, { synthesized: 2, cached: 1 });
  t.equal(engine.calls.length, 3);
  t.ok(items.every((i) => audio.cachedMedia(i.text, i.voice) !== undefined));
});

t.test('festival gets only characters it can read, and stress as + before the vowel', async (t) => {
  t.equal(festivalText('Компания «Янтарь» — замо́к.'), 'Компания Янтарь, зам+ок.');
  t.equal(festivalText('Счёт № 5: с 9:00 до 18:00…'), 'Счёт 5: с 9: 00 до 18: 00,');
  t.equal(festivalText('— Алло?!'), 'Алло?');
});

t.test('errors carry their code in JSON', async (t) => {
  const err = new PromptError('CC_ERR_PROMPT_SYNTH_FAILED', 'failed', { lang: 'ru' });
  t.same(err.toJSON(), { code: 'CC_ERR_PROMPT_SYNTH_FAILED', message: 'failed', details: { lang: 'ru' } });
});

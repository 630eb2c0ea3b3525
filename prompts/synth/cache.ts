import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { chmod, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { PromptError, type SynthLanguage, type TtsEngine } from './engine.js';

/*
 * A content-addressed store of synthesized prompts: `<dir>/<lang>/<key>.wav`, where the key is
 * the sha256 of what decides the audio (engine, voice, language, text, FORMAT_VERSION). A
 * changed text is a new file; an unchanged one is never synthesized twice. Files are written
 * under a temporary name, synced and renamed, so a crash leaves either the whole file or none.
 */

/** Bump whenever what a cached file holds changes (conversion, trimming, level): every key moves. */
export const FORMAT_VERSION = 1;
export const MAX_TEXT_CHARS = 1000;
const TEMP_PREFIX = '.tmp-';
const WAV_HEADER_BYTES = 44;

export interface CacheEntry {
  /** sha256 hex of the entry's parts. */
  key: string;
  lang: SynthLanguage;
  /** Host path of the .wav, present or not. */
  file: string;
}

export interface PromptCacheOptions {
  /** Host folder of the cache; one subfolder per language. */
  dir: string;
  /** The engine that voices each language; a language without one is refused. */
  engines: Readonly<Partial<Record<SynthLanguage, TtsEngine>>>;
  /** Syntheses running at once at most (default: the number of CPUs). */
  concurrency?: number;
}

/** The text as it is keyed and spoken: Unicode NFC ('е' + U+0308 becomes 'ё'), spaces collapsed. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** The cache key of one rendering of a text. */
export function cacheKey(parts: { engine: string; voice: string; lang: SynthLanguage; text: string }): string {
  const keyed = { format: FORMAT_VERSION, engine: parts.engine, voice: parts.voice, lang: parts.lang, text: parts.text };
  return createHash('sha256').update(JSON.stringify(keyed)).digest('hex');
}

export class PromptCache {
  readonly #dir: string;
  readonly #engines: Readonly<Partial<Record<SynthLanguage, TtsEngine>>>;
  readonly #inflight = new Map<string, Promise<CacheEntry>>();
  readonly #limit: Limiter;
  #seq = 0;

  constructor(opts: PromptCacheOptions) {
    this.#dir = opts.dir;
    this.#engines = opts.engines;
    this.#limit = new Limiter(opts.concurrency ?? availableParallelism());
  }

  /**
   * Where `text` in `lang` is (or will be) filed. Throws CC_ERR_PROMPT_TEXT_INVALID on an empty
   * text, one longer than MAX_TEXT_CHARS or one with an unfilled `{placeholder}`, and
   * CC_ERR_PROMPT_NO_ENGINE for a language without an engine.
   */
  entry(text: string, lang: SynthLanguage): CacheEntry {
    return this.#resolve(text, lang).entry;
  }

  /** The entry when its file is there already, else undefined; never synthesizes. Throws like entry(). */
  cached(text: string, lang: SynthLanguage): CacheEntry | undefined {
    const { entry } = this.#resolve(text, lang);
    const size = statSync(entry.file, { throwIfNoEntry: false })?.size ?? 0;
    return size > WAV_HEADER_BYTES ? entry : undefined;
  }

  /**
   * The entry with its file present, synthesizing it first when missing. Concurrent calls for
   * the same entry share one synthesis. Rejects like entry(), and with CC_ERR_PROMPT_SYNTH_FAILED
   * (no file left behind) when the engine fails or its output is not 8 kHz mono 16-bit speech.
   */
  async ensure(text: string, lang: SynthLanguage): Promise<CacheEntry & { synthesized: boolean }> {
    const { entry, spoken, engine } = this.#resolve(text, lang);
    if (this.cached(text, lang)) return { ...entry, synthesized: false };
    let job = this.#inflight.get(entry.key);
    if (!job) {
      job = this.#synthesize(entry, spoken, engine).finally(() => this.#inflight.delete(entry.key));
      this.#inflight.set(entry.key, job);
    }
    return { ...(await job), synthesized: true };
  }

  /** Removes temporary files older than `ms` that a crashed writer left behind. */
  async sweep(ms = 10 * 60_000): Promise<number> {
    let removed = 0;
    for (const lang of Object.keys(this.#engines)) {
      const folder = join(this.#dir, lang);
      for (const name of await readdir(folder).catch(() => [] as string[])) {
        if (!name.startsWith(TEMP_PREFIX)) continue;
        const mtime = await stat(join(folder, name)).then((s) => s.mtimeMs, () => Date.now());
        if (Date.now() - mtime < ms) continue;
        await rm(join(folder, name), { force: true });
        removed++;
      }
    }
    return removed;
  }

  #resolve(text: string, lang: SynthLanguage): { entry: CacheEntry; spoken: string; engine: TtsEngine } {
    const spoken = normalizeText(text);
    const invalid = (why: string): PromptError =>
      new PromptError('CC_ERR_PROMPT_TEXT_INVALID', `A prompt text ${why}; fix the text before asking for its audio.`, {
        lang,
        text: text.slice(0, 200),
      });
    if (spoken === '') throw invalid('is empty');
    if (spoken.length > MAX_TEXT_CHARS) throw invalid(`is longer than ${MAX_TEXT_CHARS} characters`);
    const hole = /\{\w+\}/.exec(spoken);
    if (hole) throw invalid(`still has the placeholder ${hole[0]}`);
    const engine = this.#engines[lang];
    if (!engine) {
      throw new PromptError('CC_ERR_PROMPT_NO_ENGINE', `No speech synthesizer is set up for '${lang}' prompts.`, { lang });
    }
    const key = cacheKey({ engine: engine.id, voice: engine.voice(lang), lang, text: spoken });
    return { entry: { key, lang, file: join(this.#dir, lang, `${key}.wav`) }, spoken, engine };
  }

  async #synthesize(entry: CacheEntry, text: string, engine: TtsEngine): Promise<CacheEntry> {
    const folder = join(this.#dir, entry.lang);
    const temp = join(folder, `${TEMP_PREFIX}${entry.key.slice(0, 16)}-${process.pid}-${++this.#seq}.wav`);
    try {
      await mkdir(folder, { recursive: true });
      await this.#limit.run(() => engine.synthesize(text, entry.lang, temp));
      const audio = await readFile(temp);
      const info = parseWav(audio);
      assertAsteriskWav(info);
      levelSpeech(audio, info);
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(audio);
        await handle.sync();
      } finally {
        await handle.close();
      }
      // Asterisk may run as its own user: the file must be readable by others.
      await chmod(temp, 0o644);
      await rename(temp, entry.file);
      return entry;
    } catch (err) {
      await rm(temp, { force: true });
      if (err instanceof PromptError) throw err;
      throw new PromptError(
        'CC_ERR_PROMPT_SYNTH_FAILED',
        `Synthesizing a '${entry.lang}' prompt with ${engine.id} failed: ${(err as Error).message}`,
        { engine: engine.id, lang: entry.lang, key: entry.key, text: text.slice(0, 200) },
        { cause: err },
      );
    }
  }
}

/** Runs at most `max` jobs at once, the rest in arrival order. */
class Limiter {
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(readonly max: number) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#active < Math.max(1, this.max)) this.#active++;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve)); // the slot is handed over
    try {
      return await job();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
    }
  }
}

/** What a .wav file holds, from its header. */
export interface WavInfo {
  /** 1 for integer PCM. */
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Byte offset and length of the samples. */
  dataOffset: number;
  dataBytes: number;
  seconds: number;
}

/** Parses a RIFF/WAVE header; throws on anything else or on a file without samples. */
export function parseWav(buf: Buffer): WavInfo {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('the synthesizer wrote no RIFF/WAVE file');
  }
  let fmt: Omit<WavInfo, 'dataOffset' | 'dataBytes' | 'seconds'> | undefined;
  for (let at = 12; at + 8 <= buf.length; ) {
    const id = buf.toString('ascii', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ' && body + 16 <= buf.length) {
      fmt = {
        format: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!fmt) throw new Error('WAVE data before its format');
      // A writer that was cut off leaves a size larger than the file.
      const dataBytes = Math.min(size, buf.length - body);
      if (dataBytes <= 0) throw new Error('WAVE file without samples');
      const bytesPerSecond = fmt.sampleRate * fmt.channels * (fmt.bitsPerSample / 8);
      return { ...fmt, dataOffset: body, dataBytes, seconds: bytesPerSecond > 0 ? dataBytes / bytesPerSecond : 0 };
    }
    at = body + size + (size % 2);
  }
  throw new Error('WAVE file without a data chunk');
}

/** Throws unless `info` is what Asterisk's `wav` format plays: 8 kHz mono 16-bit PCM. */
export function assertAsteriskWav(info: WavInfo): void {
  if (info.format !== 1 || info.channels !== 1 || info.sampleRate !== 8000 || info.bitsPerSample !== 16) {
    throw new Error(
      `the audio is ${info.sampleRate} Hz, ${info.channels} channel(s), ${info.bitsPerSample}-bit format ${info.format}; ` +
        'Asterisk wants 8000 Hz mono 16-bit PCM',
    );
  }
}

/**
 * Active speech level and peak ceiling, in dBFS. -20 is the median speech level of Asterisk's
 * Russian sound set (measured -17 to -24 over 12 of its recordings), so synthesized prompts and
 * the recorded digits played between them sound equally loud. A peak-only `norm -3` left
 * RHVoice prompts at -14 to -18.5, about 4 dB louder than the recordings and uneven.
 */
export const SPEECH_LEVEL_DBFS = -20;
export const PEAK_CEILING_DBFS = -3;
const FRAME_S = 0.02;
/** 20 ms frames this far below the loudest one are pauses, not speech. */
const ACTIVE_RANGE_DB = 30;

/**
 * Scales 16-bit samples in place so that the speech (frames within 30 dB of the loudest) sits
 * at SPEECH_LEVEL_DBFS without a peak passing PEAK_CEILING_DBFS. Throws on silence: an engine
 * that produced no speech.
 */
export function levelSpeech(buf: Buffer, info: WavInfo): void {
  const count = info.dataBytes >> 1;
  const sample = (i: number): number => buf.readInt16LE(info.dataOffset + 2 * i);
  const frame = Math.max(1, Math.round(info.sampleRate * FRAME_S));
  const energies: number[] = [];
  let peak = 0;
  for (let start = 0; start < count; start += frame) {
    const end = Math.min(count, start + frame);
    let sum = 0;
    for (let i = start; i < end; i++) {
      const v = sample(i) / 32768;
      sum += v * v;
      peak = Math.max(peak, Math.abs(v));
    }
    energies.push(sum / (end - start));
  }
  const loudest = energies.reduce((a, b) => Math.max(a, b), 0);
  if (peak === 0 || loudest < 1e-10) throw new Error('the synthesizer produced silence');
  const active = energies.filter((e) => e >= loudest * 10 ** (-ACTIVE_RANGE_DB / 10));
  const levelDb = 10 * Math.log10(active.reduce((a, b) => a + b, 0) / active.length);
  const gainDb = Math.min(SPEECH_LEVEL_DBFS - levelDb, PEAK_CEILING_DBFS - 20 * Math.log10(peak));
  const gain = 10 ** (gainDb / 20);
  for (let i = 0; i < count; i++) {
    const v = Math.round(sample(i) * gain);
    buf.writeInt16LE(Math.max(-32768, Math.min(32767, v)), info.dataOffset + 2 * i);
  }
}

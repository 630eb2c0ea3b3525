import { mkdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import type { AsteriskInstallation } from '../../server/asterisk/install.js';
import { AppError } from '../../server/errors.js';
import { parseWav, PromptCache } from './cache.js';
import { chooseEngine, type SynthLanguage, type TtsEngine } from './engine.js';

/*
 * Prompt text in, ARI media URI out. The audio must be where Asterisk can read it: for an
 * Asterisk chrooted into the provisioned root, inside that root (<root>/var/cache/contact-center/
 * prompts on the host is /var/cache/contact-center/prompts to Asterisk); for a system Asterisk,
 * a host folder both see under the same path. Asterisk plays an absolute path given without
 * its extension and picks the .wav itself.
 */

/** Where the cache is, as Asterisk sees it, inside the root or on the machine. */
export const ASTERISK_PROMPTS_DIR = '/var/cache/contact-center/prompts';
const LANGUAGES: readonly SynthLanguage[] = ['ru', 'en'];

export interface PromptAudioOptions {
  install: AsteriskInstallation;
  /**
   * Host folder of the cache. For kind 'system' any folder Asterisk can read (default
   * ASTERISK_PROMPTS_DIR); for kind 'chroot' it must be inside the root (default
   * <root>/var/cache/contact-center/prompts).
   */
  cacheDir?: string;
  log?: (line: string) => void;
  /** Install a fallback synthesizer on the host when there is none (default true). */
  installMissing?: boolean;
  /** Engines to use instead of the best ones found (tests, or forcing a voice). */
  engines?: Partial<Record<SynthLanguage, TtsEngine>>;
}

export class PromptAudio {
  /** The engines used, e.g. 'rhvoice-chroot', or 'festival+espeak-ng' when they differ by language. */
  readonly engineId: string;
  /** Host folder of the cache (one subfolder per language). */
  readonly cacheDir: string;
  readonly #cache: PromptCache;
  readonly #engines: Readonly<Record<SynthLanguage, TtsEngine>>;
  /** The cache folder as Asterisk sees it. */
  readonly #asteriskDir: string;

  private constructor(cache: PromptCache, engines: Record<SynthLanguage, TtsEngine>, hostDir: string, asteriskDir: string) {
    this.#cache = cache;
    this.cacheDir = hostDir;
    this.#engines = engines;
    this.#asteriskDir = asteriskDir;
    this.engineId = [...new Set(LANGUAGES.map((l) => engines[l].id))].join('+');
  }

  /**
   * Picks the best engine for each language, makes the cache folders and clears temporary
   * files a crash left. Rejects with CC_ERR_PROMPT_NO_ENGINE or CC_ERR_HOST_PACKAGE_MISSING
   * (see chooseEngine), and with CC_ERR_CONFIG_INVALID for a chroot cacheDir outside the root.
   */
  static async create(opts: PromptAudioOptions): Promise<PromptAudio> {
    const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const { hostDir, asteriskDir } = cacheFolders(opts.install, opts.cacheDir);
    const engines = {} as Record<SynthLanguage, TtsEngine>;
    for (const lang of LANGUAGES) {
      const engine = opts.engines?.[lang] ?? (await chooseEngine({
        install: opts.install, lang, log, ...(opts.installMissing === undefined ? {} : { installMissing: opts.installMissing }),
      }));
      engines[lang] = engine;
      log(`prompts in '${lang}': ${engine.id}, voice ${engine.voice(lang)}`);
    }
    for (const lang of LANGUAGES) await mkdir(join(hostDir, lang), { recursive: true, mode: 0o755 });
    const cache = new PromptCache({ dir: hostDir, engines });
    const removed = await cache.sweep();
    if (removed > 0) log(`removed ${removed} unfinished prompt file(s) from ${hostDir}`);
    return new PromptAudio(cache, engines, hostDir, asteriskDir);
  }

  /**
   * The ARI media URI (`sound:/var/cache/contact-center/prompts/ru/<key>`) of `text` spoken in
   * `lang`, synthesizing it first when it is not cached; a concurrent request for the same text
   * waits for the same synthesis. Rejects with CC_ERR_PROMPT_TEXT_INVALID (empty, too long, an
   * unfilled `{placeholder}`) or CC_ERR_PROMPT_SYNTH_FAILED.
   */
  async media(text: string, lang: SynthLanguage): Promise<string> {
    return this.#uri(await this.#cache.ensure(text, lang));
  }

  /** The same URI when the audio is cached already, else undefined (and no synthesis). Throws like media(). */
  cachedMedia(text: string, lang: SynthLanguage): string | undefined {
    const entry = this.#cache.cached(text, lang);
    return entry ? this.#uri(entry) : undefined;
  }

  /** Host path of the .wav for `text` in `lang`, whether it exists yet or not. Throws like media(). */
  fileFor(text: string, lang: SynthLanguage): string {
    return this.#cache.entry(text, lang).file;
  }

  /**
   * Synthesizes every item not cached yet, as many at once as there are CPUs, calling
   * `onSynthesized` after each with its synthesis time and audio length (speechSeconds: the
   * total of those). Rejects on the first failure, like media(); what was done stays cached.
   */
  async prepare<T extends { text: string; voice: SynthLanguage }>(
    items: readonly T[],
    onSynthesized?: (item: T, ms: number, speechSeconds: number) => void,
  ): Promise<{ synthesized: number; cached: number; speechSeconds: number }> {
    const pending = items.filter((item) => this.cachedMedia(item.text, item.voice) === undefined);
    const done = { synthesized: 0, cached: items.length - pending.length, speechSeconds: 0 };
    // A queue per worker rather than all at once, so each item's time is its own synthesis.
    const worker = async (): Promise<void> => {
      for (let item = pending.shift(); item !== undefined; item = pending.shift()) {
        const started = performance.now();
        const entry = await this.#cache.ensure(item.text, item.voice);
        if (!entry.synthesized) {
          done.cached++; // another process made it meanwhile
          continue;
        }
        const seconds = parseWav(await readFile(entry.file)).seconds;
        done.synthesized++;
        done.speechSeconds += seconds;
        onSynthesized?.(item, performance.now() - started, seconds);
      }
    };
    await Promise.all(Array.from({ length: availableParallelism() }, worker));
    return done;
  }

  /** The voice `lang` is spoken with, e.g. 'elena'. */
  voice(lang: SynthLanguage): string {
    return this.#engines[lang].voice(lang);
  }

  #uri(entry: { lang: SynthLanguage; key: string }): string {
    return `sound:${this.#asteriskDir}/${entry.lang}/${entry.key}`;
  }
}

function cacheFolders(install: AsteriskInstallation, cacheDir: string | undefined): { hostDir: string; asteriskDir: string } {
  if (install.kind === 'system') {
    const dir = resolve(cacheDir ?? ASTERISK_PROMPTS_DIR);
    return { hostDir: dir, asteriskDir: dir };
  }
  const root = resolve(install.root);
  const hostDir = resolve(cacheDir ?? join(root, ASTERISK_PROMPTS_DIR));
  const inside = relative(root, hostDir);
  if (inside === '' || inside.startsWith('..') || inside.startsWith(sep)) {
    throw new AppError(
      'CC_ERR_CONFIG_INVALID',
      `The prompt cache ${hostDir} is outside the Asterisk root ${root}, where the chrooted Asterisk cannot read it; ` +
        'leave cacheDir unset or pick a folder inside the root.',
      { cacheDir: hostDir, root },
    );
  }
  return { hostDir, asteriskDir: `/${inside.split(sep).join('/')}` };
}

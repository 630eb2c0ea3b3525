import { AppError } from '../../server/errors.js';
import { spawn } from 'node:child_process';
import { access, constants, copyFile, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { AsteriskInstallation } from '../../server/asterisk/install.js';
import { ensureHostPackages, type HostPackage } from '../../server/asterisk/host-packages.js';

/*
 * Text-to-speech engines that turn a prompt's text into what Asterisk plays: 8 kHz mono 16-bit
 * signed linear PCM in a .wav file (Asterisk's `wav` format), leading silence trimmed. The cache
 * (cache.ts) then evens out the speech level and files the result under a content key.
 *
 * Best first: RHVoice inside the provisioned sid root (Debian's non-free `rhvoice`, not in
 * bookworm), RHVoice on the host, festival with festvox-ru (an older male voice; Russian only),
 * espeak-ng (robotic). Only freely licensed voices are used (see RHVOICE_VOICES).
 *
 * Stress: RHVoice takes U+0301 COMBINING ACUTE ACCENT after the stressed vowel ("замо́к") with
 * its stock configuration; '+' works only with `stress_marker=+` in RHVoice.conf, which the
 * root does not set. 'ё' is honoured ("всё" differs from "все") and RHVoice's dictionary puts
 * it back where it is unambiguous ("счетчика" is read as "счётчика").
 */

export type SynthLanguage = 'ru' | 'en';

export interface TtsEngine {
  /** Names the engine in cache keys and logs, e.g. 'rhvoice-chroot'. */
  readonly id: string;
  /** The languages it has a voice for. */
  readonly languages: readonly SynthLanguage[];
  /** The voice it speaks `lang` with (part of the cache key). Throws for a language it lacks. */
  voice(lang: SynthLanguage): string;
  /**
   * Writes `text` spoken in `lang` to the host path `outWav8k` (8 kHz mono 16-bit .wav).
   * Rejects with CC_ERR_PROMPT_SYNTH_FAILED; may leave a partial `outWav8k` behind, which the
   * caller (cache.ts) writes to a temporary name for that reason.
   */
  synthesize(text: string, lang: SynthLanguage, outWav8k: string): Promise<void>;
}

/** Codes of prompt synthesis failures (registered in server/errors.ts). */
export type PromptErrorCode = 'CC_ERR_PROMPT_SYNTH_FAILED' | 'CC_ERR_PROMPT_NO_ENGINE' | 'CC_ERR_PROMPT_TEXT_INVALID';

/** A failure of prompt synthesis: an AppError whose code is one of the prompt codes. */
export class PromptError extends AppError {
  constructor(code: PromptErrorCode, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(code, message, details, options);
  }
}

/**
 * RHVoice voices with free licences (Debian's copyright of rhvoice-russian/-english, and each
 * voice's own Readme): elena GPL-3 (female), slt the CMU licence (female). anna and irina
 * (GPL-2+) are free too; arina, tatiana, victoria, pavel, … are CC-BY-NC-ND and never used.
 */
export const RHVOICE_VOICES: Readonly<Record<SynthLanguage, string>> = { ru: 'elena', en: 'slt' };

const FESTIVAL_RU_VOICE = 'msu_ru_nsh_clunits';
const ESPEAK_VOICES: Readonly<Record<SynthLanguage, string>> = { ru: 'ru+f3', en: 'en-us+f3' };
const STEP_DEADLINE_MS = 60_000;
const COMBINING_ACUTE = '\u0301';

export const SOX: HostPackage = { name: 'sox', program: '/usr/bin/sox' };
export const FESTIVAL: HostPackage = { name: 'festival', program: '/usr/bin/text2wave' };
// isPresent() checks X_OK, which a folder passes: the voice's folder stands for the data package.
export const FESTVOX_RU: HostPackage = { name: 'festvox-ru', program: `/usr/share/festival/voices/russian/${FESTIVAL_RU_VOICE}` };
export const ESPEAK_NG: HostPackage = { name: 'espeak-ng', program: '/usr/bin/espeak-ng' };

/** What to install on the host when no engine speaks a language. */
const FALLBACK_PACKAGES: Readonly<Record<SynthLanguage, HostPackage[]>> = {
  ru: [FESTIVAL, FESTVOX_RU, SOX],
  en: [ESPEAK_NG, SOX],
};

export interface ChooseEngineOptions {
  install: AsteriskInstallation;
  lang: SynthLanguage;
  /** Install festival/espeak-ng and sox on the host when nothing better is there (default true). */
  installMissing?: boolean;
  log?: (line: string) => void;
}

/**
 * The best engine that speaks `opts.lang` here. Rejects with CC_ERR_PROMPT_NO_ENGINE when there
 * is none and installing is off, or with CC_ERR_HOST_PACKAGE_MISSING when the fallback cannot be
 * installed (not root, apt failing).
 */
export async function chooseEngine(opts: ChooseEngineOptions): Promise<TtsEngine> {
  const found = (await detectEngines(opts.install)).find((e) => e.languages.includes(opts.lang));
  if (found) return found;
  const packages = FALLBACK_PACKAGES[opts.lang];
  if (opts.installMissing ?? true) {
    const installOpts = opts.log ? { log: opts.log } : {};
    await ensureHostPackages(packages, { ...installOpts, alternative: `or install ${packages.map((p) => p.name).join(' ')} yourself` });
    const installed = (await detectEngines(opts.install)).find((e) => e.languages.includes(opts.lang));
    if (installed) return installed;
  }
  throw new PromptError(
    'CC_ERR_PROMPT_NO_ENGINE',
    `No speech synthesizer for '${opts.lang}' prompts is installed; provision the Asterisk root (it brings RHVoice) ` +
      `or install ${packages.map((p) => p.name).join(' ')}.`,
    { lang: opts.lang, packages: packages.map((p) => p.name) },
  );
}

/** Every engine usable here, best first (an engine may speak only some languages). */
export async function detectEngines(install: AsteriskInstallation): Promise<TtsEngine[]> {
  const engines: TtsEngine[] = [];
  if (install.kind === 'chroot') {
    const inRoot = await detectRhvoice(install.root);
    if (inRoot) engines.push(inRoot);
  }
  const onHost = await detectRhvoice(undefined);
  if (onHost) engines.push(onHost);
  const hostSox = await isExecutable(SOX.program);
  if (hostSox && (await isExecutable(FESTIVAL.program)) && (await isExecutable(FESTVOX_RU.program))) engines.push(festivalEngine());
  if (hostSox && (await isExecutable(ESPEAK_NG.program))) engines.push(espeakEngine());
  return engines;
}

/** Where programs run: on the host, or chrooted into a root (paths then as the root sees them). */
interface Place {
  /** A host folder for scratch files that is visible from the place. */
  scratchBase: string;
  inside(hostPath: string): string;
  run(program: string, args: string[]): Promise<void>;
}

function placeFor(root: string | undefined): Place {
  if (root === undefined) {
    return { scratchBase: tmpdir(), inside: (p) => p, run: (program, args) => runStep(program, args) };
  }
  return {
    scratchBase: join(root, 'tmp'),
    inside: (p) => `/${relative(root, p)}`,
    run: (program, args) => runStep('chroot', [root, program, ...args]),
  };
}

async function detectRhvoice(root: string | undefined): Promise<TtsEngine | undefined> {
  const host = (p: string): string => (root === undefined ? p : join(root, p));
  let program: string | undefined;
  for (const candidate of ['/usr/bin/RHVoice-test', '/usr/local/bin/RHVoice-test']) {
    if (program === undefined && (await isExecutable(host(candidate)))) program = candidate;
  }
  if (program === undefined || !(await isExecutable(host(SOX.program)))) return undefined;
  const languages: SynthLanguage[] = [];
  for (const lang of ['ru', 'en'] as const) {
    for (const dir of ['/usr/share/RHVoice/voices', '/usr/local/share/RHVoice/voices']) {
      if (await isDirectory(host(join(dir, RHVOICE_VOICES[lang])))) {
        languages.push(lang);
        break;
      }
    }
  }
  if (languages.length === 0) return undefined;
  const rhvoice = program;
  return makeEngine({
    id: root === undefined ? 'rhvoice-host' : 'rhvoice-chroot',
    languages,
    place: placeFor(root),
    voice: (lang) => RHVOICE_VOICES[lang],
    // RHVoice reads U+0301 as stress itself; text is written as UTF-8.
    prepare: (text) => text,
    speak: (lang, input, raw) => [rhvoice, ['-p', RHVOICE_VOICES[lang], '-i', input, '-o', raw]],
  });
}

function festivalEngine(): TtsEngine {
  return makeEngine({
    id: 'festival',
    languages: ['ru'],
    place: placeFor(undefined),
    voice: () => FESTIVAL_RU_VOICE,
    prepare: festivalText,
    speak: (_lang, input, raw) => [FESTIVAL.program, ['-eval', `(voice_${FESTIVAL_RU_VOICE})`, input, '-o', raw]],
  });
}

function espeakEngine(): TtsEngine {
  return makeEngine({
    id: 'espeak-ng',
    languages: ['ru', 'en'],
    place: placeFor(undefined),
    voice: (lang) => ESPEAK_VOICES[lang],
    // espeak-ng ignores U+0301; dropping it keeps its input plain.
    prepare: (text) => text.replaceAll(COMBINING_ACUTE, ''),
    // -s 150: a little slower than its default 175 words a minute, for the phone.
    speak: (lang, input, raw) => [ESPEAK_NG.program, ['-v', ESPEAK_VOICES[lang], '-s', '150', '-f', input, '-w', raw]],
  });
}

/**
 * festvox-ru knows only letters, digits, -'?!.,;: and '+' before a stressed vowel; any other
 * character (« », —, №, U+0301), a punctuation mark standing alone or one inside a word
 * ("9:00", "12,5") makes text2wave write no audio at all.
 */
export function festivalText(text: string): string {
  return text
    .replace(/([аеёиоуыэюяАЕЁИОУЫЭЮЯ])\u0301/g, '+$1')
    .replaceAll(COMBINING_ACUTE, '')
    .replace(/[—–…]|\s-\s/g, ', ')
    .replace(/[^0-9A-Za-zА-Яа-яЁё\s\-'?!.,;:+]/g, ' ')
    .replace(/([?!.,;:])(?=\S)/g, '$1 ')
    .replace(/\s+/g, ' ')
    .replace(/ ([?!.,;:])/g, '$1')
    .replace(/([?!.,;:])[?!.,;:]+/g, '$1')
    .replace(/^[\s?!.,;:]+/, '')
    .trim();
}

interface EngineSpec {
  id: string;
  languages: SynthLanguage[];
  place: Place;
  voice(lang: SynthLanguage): string;
  prepare(text: string): string;
  /** The command that writes `raw` (any rate, a .wav) from the UTF-8 text file `input`. */
  speak(lang: SynthLanguage, input: string, raw: string): [string, string[]];
}

function makeEngine(spec: EngineSpec): TtsEngine {
  const voice = (lang: SynthLanguage): string => {
    if (!spec.languages.includes(lang)) throw new Error(`the engine ${spec.id} has no '${lang}' voice`);
    return spec.voice(lang);
  };
  return {
    id: spec.id,
    languages: spec.languages,
    voice,
    async synthesize(text, lang, outWav8k) {
      const v = voice(lang);
      const scratch = await mkdtemp(join(spec.place.scratchBase, 'cc-tts-'));
      const at = (name: string): string => spec.place.inside(join(scratch, name));
      try {
        await writeFile(join(scratch, 'in.txt'), `${spec.prepare(text)}\n`);
        const [program, args] = spec.speak(lang, at('in.txt'), at('raw.wav'));
        await spec.place.run(program, args);
        // -D: no dither, so the same text gives the same bytes. `silence 1 0.01 -50d` drops
        // everything before the first 10 ms above -50 dBFS: the prompt starts at once.
        await spec.place.run(SOX.program, [
          '-D', at('raw.wav'), '-b', '16', '-e', 'signed-integer', at('out.wav'),
          'channels', '1', 'rate', '-v', '8000', 'silence', '1', '0.01', '-50d',
        ]);
        await moveFile(join(scratch, 'out.wav'), outWav8k);
      } catch (err) {
        if (err instanceof PromptError) throw err;
        throw new PromptError(
          'CC_ERR_PROMPT_SYNTH_FAILED',
          `Synthesizing a '${lang}' prompt with ${spec.id} (voice ${v}) failed: ${(err as Error).message}`,
          { engine: spec.id, voice: v, lang, text: text.slice(0, 200) },
          { cause: err },
        );
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    },
  };
}

/** Runs one program to completion; rejects with its exit status and the tail of its output. */
function runStep(program: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-2000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_DEADLINE_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${program} could not be run (${err.message})`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        const name = program === 'chroot' ? (args[1] ?? program) : program;
        reject(new Error(`${name} ${how}${output.trim() ? `: ${output.trim().split('\n').slice(-3).join(' | ')}` : ''}`));
      }
    });
  });
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(from, to);
  }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}


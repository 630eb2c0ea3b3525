import { loadConfig } from '../config.js';
import { isAppError } from '../errors.js';
import { provisionAsterisk, type AsteriskInstallation } from '../asterisk/install.js';
import { PromptError, type SynthLanguage } from '../../prompts/synth/engine.js';
import { PromptAudio } from '../../prompts/synth/store.js';
// The catalogues to pre-synthesize: the one import to repoint when the catalogue moves.
import { catalogs, voiceFor, type PromptId } from '../../prompts/catalog.js';
import { fixedStarts } from '../../prompts/pieces.js';
import { prevoiceQueueWords } from '../speech/prevoice.js';
import { SynthesizedSpeech } from '../speech/synthesized.js';

/*
 * `tsx server/cli/prompts.ts [--lang ru|en]`: synthesizes ahead every catalogue prompt without
 * a `{placeholder}` (those are voiced at run time, once filled), so the first caller hears
 * them without a wait. Already cached prompts are left alone. Exits 1 with one sentence on failure.
 */

const USAGE = 'usage: prompts [--lang ru|en]   (default: both catalogues)';
const LANGUAGES: readonly SynthLanguage[] = ['ru', 'en'];

interface CatalogueEntry {
  id: string;
  text: string;
  /** The voice's language: a prompt addressed to callers of the other language is voiced in theirs. */
  voice: SynthLanguage;
}

function catalogue(lang: SynthLanguage): CatalogueEntry[] {
  return Object.entries(catalogs[lang]).map(([id, text]) => ({ id, text, voice: voiceFor(id as PromptId, lang) }));
}

function parseArgs(argv: string[]): SynthLanguage[] {
  let langs = [...LANGUAGES];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = arg === '--lang' ? argv[++i] : arg?.startsWith('--lang=') ? arg.slice('--lang='.length) : undefined;
    if (value !== undefined && (LANGUAGES as readonly string[]).includes(value)) langs = [value as SynthLanguage];
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      process.stderr.write(`${arg?.startsWith('--lang') ? `unknown language '${value ?? ''}'` : `unknown argument '${arg}'`}\n${USAGE}\n`);
      process.exit(2);
    }
  }
  return langs;
}

const progress = (line: string): void => {
  process.stderr.write(`[prompts] ${line}\n`);
};

async function main(): Promise<void> {
  const langs = parseArgs(process.argv.slice(2));
  const config = loadConfig(process.env);
  const started = performance.now();
  // As server/main.ts does: with an external Asterisk the prompts go to PROMPTS_DIR on this host,
  // which that Asterisk must read at the same path; otherwise inside our own Asterisk's root.
  const install: AsteriskInstallation = config.externalAri !== undefined
    ? { kind: 'system', binary: '' }
    : await provisionAsterisk({ cacheDir: config.localAsterisk.cacheDir, log: progress });
  const audio = await PromptAudio.create({
    install, log: progress, ...(config.externalAri !== undefined && { cacheDir: config.promptsDir }),
  });

  const entries = langs.flatMap(catalogue);
  // Fixed prompts, and the fixed starts of sentences with a value (prompts/pieces.ts).
  const spoken = [...entries.filter((e) => !/\{\w+\}/.test(e.text)), ...langs.flatMap(fixedStarts)];
  // The same text in the same voice (a prompt shared by both catalogues) is one file.
  const unique = [...new Map(spoken.map((e) => [audio.fileFor(e.text, e.voice), e])).values()];
  let n = 0;
  const done = await audio.prepare(unique, (e, ms, seconds) => {
    progress(`synthesized ${++n}: ${e.id} (${e.voice}, ${audio.voice(e.voice)}): ${(ms / 1000).toFixed(2)} s for ${seconds.toFixed(1)} s of speech`);
  });
  const places = await prevoiceQueueWords(new SynthesizedSpeech(audio));
  progress(`${places} place-in-line sentences ready`);
  process.stdout.write(
    `prompts: ${done.synthesized} synthesized (${done.speechSeconds.toFixed(0)} s of speech), ${done.cached} cached, ${entries.filter((e) => /\{\w+\}/.test(e.text)).length} with placeholders ` +
      `left for run time; ${((performance.now() - started) / 1000).toFixed(1)} s (${audio.engineId}, ${audio.cacheDir})\n`,
  );
}

main().catch((err: unknown) => {
  if (isAppError(err) || err instanceof PromptError) {
    process.stderr.write(`${err.message} [${err.code}]\n`);
    for (const [key, value] of Object.entries(err.details)) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      process.stderr.write(text.includes('\n') ? `  ${key}:\n    ${text.split('\n').join('\n    ')}\n` : `  ${key}: ${text}\n`);
    }
    if (err.cause instanceof Error) process.stderr.write(`  cause: ${err.cause.message}\n`);
  } else {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});

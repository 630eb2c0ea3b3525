import { en } from './en.js';
import { ru, type PromptId } from './ru.js';

/*
 * The typed prompt catalogue: one text catalogue per language (prompts/ru.ts, prompts/en.ts).
 * ivr/ refers to prompts only by PromptId; the server turns them into text (filling `{name}`
 * parts) and the text into audio (prompts/synth/), so the call logic never sees a file. How each
 * part is said in its sentence (its case, for Russian) is declared in prompts/forms.ts.
 */

export type Language = 'ru' | 'en';
export type { PromptId };

export const catalogs: Readonly<Record<Language, Readonly<Record<PromptId, string>>>> = { ru, en };

/** Prompts addressed to callers of the other language, so voiced in that language. */
const voicedInOtherLanguage: ReadonlySet<PromptId> = new Set(['language_offer']);

/** The language whose voice says `prompt` on a call in `language`. */
export function voiceFor(prompt: PromptId, language: Language): Language {
  if (!voicedInOtherLanguage.has(prompt)) return language;
  return language === 'ru' ? 'en' : 'ru';
}

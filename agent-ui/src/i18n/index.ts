import { en } from './en.js';
import { ru, type Messages } from './ru.js';

export type Lang = 'ru' | 'en';
export type { Messages };

/** The catalogue of a language; anything but 'en' is Russian, the page's first language. */
export function messages(lang: string): Messages {
  return lang === 'en' ? en : ru;
}

export function asLang(lang: string | undefined): Lang {
  return lang === 'en' ? 'en' : 'ru';
}

/** A catalogue entry of server/appeals/rules.ts ({ ru, en }) in the page's language. */
export function label(entry: { ru: string; en: string } | undefined, lang: Lang): string {
  return entry === undefined ? '' : entry[lang];
}

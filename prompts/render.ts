import type { Speakable, Speech } from '../ivr/speech.js';
import { catalogs, voiceFor, type Language } from './catalog.js';
import { ordinalRu, spellerFor } from './spell/index.js';

/** A spoken value as words of `lang`. */
export function spell(value: Speakable, lang: Language): string {
  const s = spellerFor(lang);
  switch (value.kind) {
    case 'money': return s.money(value.kopecks);
    case 'date': return s.date(value.iso);
    case 'digits': return s.digits(value.value);
    case 'last_digits': return s.lastDigits(value.value);
    case 'kwh': return s.quantity(value.n, 'kwh');
    case 'ordinal': return lang === 'ru' ? ordinalRu(value.n, 'm', 'nom') : s.number(value.n);
    case 'minutes': return s.quantity(value.n, 'minute');
    case 'phone': return s.phone(value.e164);
    case 'moment': return s.moment(value.day, value.time, value.today);
    case 'text': return value.value;
    case 'prompt': return catalogs[lang][value.prompt];
  }
}

/**
 * What a caller on a call in `lang` hears for `speech`, as text, and in which voice. Throws
 * when the catalogue text names a `{part}` the speech does not fill: a prompt is never said
 * with a hole in it.
 */
export function renderSpeech(speech: Speech, lang: Language): { text: string; voice: Language } {
  const template = catalogs[lang][speech.prompt];
  const text = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = speech.params?.[name];
    if (value === undefined) throw new RangeError(`prompt ${speech.prompt} needs {${name}}`);
    return spell(value, lang);
  });
  return { text, voice: voiceFor(speech.prompt, lang) };
}

/** Prompts whose text has no `{part}`: the same audio every time, synthesized ahead. */
export function staticPrompts(lang: Language): Array<{ id: string; text: string; voice: Language }> {
  return Object.entries(catalogs[lang])
    .filter(([, text]) => !text.includes('{'))
    .map(([id, text]) => ({ id, text, voice: voiceFor(id as keyof typeof catalogs.ru, lang) }));
}

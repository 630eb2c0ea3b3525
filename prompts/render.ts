import type { Speakable, Speech } from '../ivr/speech.js';
import { catalogs, voiceFor, type Language } from './catalog.js';
import { formOf, type PartForm } from './forms.js';
import { spellerFor, type Gender, type GrammaticalCase } from './spell/index.js';

/**
 * A spoken value as words of `lang`, in the form its sentence needs (prompts/forms.ts). Throws
 * RangeError when the form does not fit the value: a money amount, date or quantity needs a
 * case, an ordinal a case and a gender, and text, digits, a phone number, a moment or another
 * prompt 'invariable'; and whatever the speller refuses.
 */
export function spell(value: Speakable, lang: Language, form: PartForm): string {
  const s = spellerFor(lang);
  switch (value.kind) {
    case 'money': return s.money(value.kopecks, caseOf(value, form));
    case 'date': return s.date(value.iso, { case: caseOf(value, form) });
    case 'kwh': return s.quantity(value.n, 'kwh', caseOf(value, form));
    case 'minutes': return s.quantity(value.n, 'minute', caseOf(value, form));
    case 'ordinal': {
      const { gender, case: c } = agreementOf(form);
      // The English catalogue says "number {position}": there a place in line is a cardinal.
      return lang === 'en' ? s.number(value.n) : s.ordinal(value.n, gender, c);
    }
  }
  if (form !== 'invariable') {
    throw new RangeError(`a ${value.kind} part is said the same in any sentence: its form is 'invariable', not ${JSON.stringify(form)}`);
  }
  switch (value.kind) {
    case 'digits': return s.digits(value.value);
    case 'last_digits': return s.lastDigits(value.value);
    case 'phone': return s.phone(value.e164);
    case 'moment': return s.moment(value.day, value.time, value.today);
    case 'text': return value.value;
    case 'prompt': return catalogs[lang][value.prompt];
  }
}

function caseOf(value: Speakable, form: PartForm): GrammaticalCase {
  if (typeof form === 'string' && form !== 'invariable') return form;
  throw new RangeError(`a ${value.kind} part declines: its form is a case ('nom', 'gen' or 'acc'), not ${JSON.stringify(form)}`);
}

function agreementOf(form: PartForm): { case: GrammaticalCase; gender: Gender } {
  if (typeof form === 'object') return form;
  throw new RangeError(`an ordinal part agrees with a word: its form is { case, gender }, not ${JSON.stringify(form)}`);
}

/**
 * What a caller on a call in `lang` hears for `speech`, as text, and in which voice. Throws
 * RangeError when the catalogue text names a `{part}` the speech does not fill (a prompt is
 * never said with a hole in it), when prompts/forms.ts declares no form for the part, or when
 * the value does not fit the declared form.
 */
export function renderSpeech(speech: Speech, lang: Language): { text: string; voice: Language } {
  const template = catalogs[lang][speech.prompt];
  const text = template.replace(/\{(\w+)\}(\.?)/g, (_, name: string, stop: string) => {
    const value = speech.params?.[name];
    if (value === undefined) throw new RangeError(`prompt ${speech.prompt} needs {${name}}`);
    const form = formOf(speech.prompt, name);
    if (form === undefined) throw new RangeError(`prompt ${speech.prompt} has no form for {${name}} in prompts/forms.ts`);
    let words: string;
    try {
      words = spell(value, lang, form);
    } catch (e) {
      throw e instanceof RangeError ? new RangeError(`prompt ${speech.prompt} {${name}}: ${e.message}`, { cause: e }) : e;
    }
    // A part ending in an abbreviation ("at eight a.m.") ends the sentence with its own full stop.
    return words.endsWith('.') ? words : words + stop;
  });
  return { text, voice: voiceFor(speech.prompt, lang) };
}

/** Prompts whose text has no `{part}`: the same audio every time, synthesized ahead. */
export function staticPrompts(lang: Language): Array<{ id: string; text: string; voice: Language }> {
  return Object.entries(catalogs[lang])
    .filter(([, text]) => !text.includes('{'))
    .map(([id, text]) => ({ id, text, voice: voiceFor(id as keyof typeof catalogs.ru, lang) }));
}

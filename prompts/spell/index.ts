/*
 * The speller turns numbers, money, dates and digit strings into the words a TTS engine
 * (RHVoice) reads aloud in the IVR's dynamic phrases. Output is plain words with no digits;
 * commas mark where the voice should pause.
 */
import type { Language } from '../catalog.js';
import { enSpeller } from './en.js';
import { ruSpeller } from './ru.js';

export { ordinalRu, pluralRu } from './ru.js';
export { ordinalEn } from './en.js';

/** Grammatical gender of the counted noun; Russian agrees 1 and 2 with it, English ignores it. */
export type Gender = 'm' | 'f' | 'n';

/**
 * The case a spoken value takes in its sentence (prompts/forms.ts declares it per prompt part):
 * the nominative after a dash or a colon («Время ожидания — одна минута»), the genitive for a
 * date said as when («двадцать третьего июля»), the accusative after a verb or «на сумму» («одну
 * тысячу двести рублей одну копейку»). Russian declines numbers, nouns and ordinals in it;
 * English has nothing to decline and ignores it.
 */
export type GrammaticalCase = 'nom' | 'gen' | 'acc';

/** The nouns quantity() can count. */
export const units = ['kwh', 'calendar_day', 'day', 'minute', 'second', 'ruble', 'kopeck', 'caller', 'position'] as const;
export type Unit = (typeof units)[number];

/**
 * One language's speller. Every method throws RangeError on input it cannot voice: a
 * non-integer, NaN or ±Infinity where an integer is needed, a magnitude above
 * 999 999 999 999 999, a malformed or impossible date, a digit string with anything but 0-9.
 * A case, where a method takes one, is the nominative unless given; the accusative is that of
 * an inanimate noun except where the unit counts beings (quantity(2, 'caller', 'acc') →
 * 'двух абонентов'). Digit strings, phone numbers and moments take no case: they are said the
 * same in any sentence.
 */
export interface Speller {
  /**
   * Cardinal number: 21 → 'двадцать один'; with gender 'f' → 'двадцать одна', in the accusative
   * 'двадцать одну', in the genitive 'двадцати одной'; negatives start with 'минус'.
   */
  number(n: number, gender?: Gender, grammaticalCase?: GrammaticalCase): string;
  /**
   * An integer quantity with its noun in the agreeing form: quantity(5, 'kwh') → 'пять
   * киловатт-часов'; quantity(1, 'minute', 'acc') → 'одну минуту'; quantity(21, 'ruble', 'gen')
   * → 'двадцати одного рубля'. Rejects a unit not in `units`.
   */
  quantity(n: number, unit: Unit, grammaticalCase?: GrammaticalCase): string;
  /**
   * Money from integer kopecks: 123456 → 'одна тысяча двести тридцать четыре рубля пятьдесят
   * шесть копеек', in the accusative 'одну тысячу … шесть копеек'. A zero part is left out
   * (100 → 'один рубль', 50 → 'пятьдесят копеек'), except that 0 is 'ноль рублей'; a negative
   * amount is its absolute value after 'минус'.
   */
  money(kopecks: number, grammaticalCase?: GrammaticalCase): string;
  /**
   * An ordinal: ordinal(3) → 'третий', ordinal(3, 'f', 'acc') → 'третью'; English 'third'
   * (no gender, no case). A masculine accusative is that of a thing (= the nominative).
   * Rejects a negative n.
   */
  ordinal(n: number, gender?: Gender, grammaticalCase?: GrammaticalCase): string;
  /**
   * A calendar date 'YYYY-MM-DD': '2026-11-21' → 'двадцать первое ноября две тысячи двадцать
   * шестого года'; in the genitive the day declines, 'двадцать первого ноября …' (the month and
   * year are genitive anyway); the accusative is the nominative's. `withYear: false` drops the
   * year. Rejects impossible dates such as 2026-02-30.
   */
  date(isoDate: string, opts?: { withYear?: boolean; case?: GrammaticalCase }): string;
  /**
   * A digit string (account or appeal number) read in groups a caller can follow on the bill,
   * groups separated by commas so the voice pauses. Groups are counted from the right, by
   * pairs unless `group` (1 to 3) says otherwise; by pairs, an odd length starts with a group
   * of three, the way Russians say phone numbers (123-45-67). A group is read as one number
   * unless it starts with 0, then digit by digit: '3900000001' → 'тридцать девять, ноль ноль,
   * ноль ноль, ноль ноль, ноль один'.
   */
  digits(s: string, opts?: { group?: number }): string;
  /** The tail of an account number, grouped as `digits` does but without pauses: '1234' → 'двенадцать тридцать четыре'. */
  lastDigits(s: string): string;
  /**
   * A Russian number in E.164, read back the way it is dialled: '+79161234567' → 'восемь,
   * девятьсот шестнадцать, сто двадцать три, сорок пять, шестьдесят семь' (code, 3, 2, 2; a group
   * starting with 0 digit by digit). Rejects anything but +7 and ten digits.
   */
  phone(e164: string): string;
  /**
   * When something happens, from `today` (all Kaliningrad local): the same day 'сегодня', the
   * next 'завтра', within the week the weekday ('в понедельник'), later the date without the year
   * ('второго января'); then the time: 'в восемь часов', 'в восемь часов тридцать минут'.
   * Rejects malformed days and times and a day before `today`.
   */
  moment(day: string, time: string, today: string): string;
}

const spellers: Readonly<Record<Language, Speller>> = { ru: ruSpeller, en: enSpeller };

/** The speller for a prompt language; throws RangeError for a language that has none. */
export function spellerFor(lang: Language): Speller {
  if (!Object.hasOwn(spellers, lang)) throw new RangeError(`no speller for language ${JSON.stringify(lang)}`);
  return spellers[lang];
}

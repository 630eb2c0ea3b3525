/*
 * Russian speller. Cardinals agree in gender in their last group (одна копейка, две тысячи),
 * nouns after a number take the form pluralRu picks, and ordinals decline only their last
 * word (две тысячи двадцать шестого). Words are lower case; ё is written where it belongs
 * (четвёртое, трёхтысячного): it is the correct spelling and spares the TTS a guess at the stress.
 *
 * The input checks, ISO date parsing and digit grouping here are language-neutral and shared
 * with the English speller, so both languages group a bill's numbers identically.
 */
import type { Gender, Speller, Unit } from './index.js';

type Forms = readonly [one: string, few: string, many: string];
type GrammaticalCase = 'nom' | 'gen';

const MAX = 999_999_999_999_999;

/** Throws RangeError unless n is an integer no larger in magnitude than 999 999 999 999 999. */
export function requireInteger(n: number, what: string): void {
  if (!Number.isInteger(n) || Math.abs(n) > MAX) {
    throw new RangeError(`${what} must be an integer between -${MAX} and ${MAX}, got ${String(n)}`);
  }
}

/**
 * The noun form that follows the integer n: forms[0] after 1, 21, 101 (рубль), forms[1] after
 * 2-4, 22-24 (рубля), forms[2] after 0, 5-20, 25-30, 111-114 (рублей). Throws RangeError for a
 * non-integer; fractions take the genitive singular and need a phrase of their own.
 */
export function pluralRu(n: number, forms: Forms): string {
  requireInteger(n, 'count');
  const lastTwo = Math.abs(n) % 100;
  const last = lastTwo % 10;
  if (lastTwo >= 11 && lastTwo <= 14) return forms[2];
  if (last === 1) return forms[0];
  if (last >= 2 && last <= 4) return forms[1];
  return forms[2];
}

const ONES = ['ноль', 'один', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'];
const TEENS = ['десять', 'одиннадцать', 'двенадцать', 'тринадцать', 'четырнадцать', 'пятнадцать',
  'шестнадцать', 'семнадцать', 'восемнадцать', 'девятнадцать'];
const TENS = ['', '', 'двадцать', 'тридцать', 'сорок', 'пятьдесят', 'шестьдесят', 'семьдесят', 'восемьдесят', 'девяносто'];
const HUNDREDS = ['', 'сто', 'двести', 'триста', 'четыреста', 'пятьсот', 'шестьсот', 'семьсот', 'восемьсот', 'девятьсот'];

/** Thousand, million, billion, trillion: their noun forms and the gender their count agrees with. */
const SCALES: ReadonlyArray<{ forms: Forms; gender: Gender; ordinalStem: string }> = [
  { forms: ['тысяча', 'тысячи', 'тысяч'], gender: 'f', ordinalStem: 'тысячн' },
  { forms: ['миллион', 'миллиона', 'миллионов'], gender: 'm', ordinalStem: 'миллионн' },
  { forms: ['миллиард', 'миллиарда', 'миллиардов'], gender: 'm', ordinalStem: 'миллиардн' },
  { forms: ['триллион', 'триллиона', 'триллионов'], gender: 'm', ordinalStem: 'триллионн' },
];

function unitWord(digit: number, gender: Gender): string {
  if (digit === 1) return gender === 'f' ? 'одна' : gender === 'n' ? 'одно' : 'один';
  if (digit === 2) return gender === 'f' ? 'две' : 'два';
  return ONES[digit]!;
}

/** 1..999 as words. */
function triadWords(t: number, gender: Gender): string[] {
  const words: string[] = [];
  const rest = t % 100;
  if (t >= 100) words.push(HUNDREDS[Math.floor(t / 100)]!);
  if (rest >= 10 && rest < 20) words.push(TEENS[rest - 10]!);
  else {
    if (rest >= 20) words.push(TENS[Math.floor(rest / 10)]!);
    if (rest % 10 !== 0) words.push(unitWord(rest % 10, gender));
  }
  return words;
}

/** Groups of three digits, lowest first: 1234567 → [567, 234, 1]. */
function triads(n: number): number[] {
  const out: number[] = [];
  for (let rest = n; rest > 0; rest = (rest - (rest % 1000)) / 1000) out.push(rest % 1000);
  return out;
}

/** A positive integer as cardinal words, the last group agreeing with gender. */
function cardinalWords(n: number, gender: Gender): string[] {
  const groups = triads(n);
  const words: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const t = groups[i]!;
    if (t === 0) continue;
    const scale = SCALES[i - 1];
    if (scale === undefined) words.push(...triadWords(t, gender));
    else words.push(...triadWords(t, scale.gender), pluralRu(t, scale.forms));
  }
  return words;
}

function cardinal(n: number, gender: Gender): string {
  requireInteger(n, 'number');
  if (n === 0) return ONES[0]!;
  if (n < 0) return `минус ${cardinalWords(-n, gender).join(' ')}`;
  return cardinalWords(n, gender).join(' ');
}

// Ordinal adjectives: a stem and its declension (unstressed -ый, stressed -ой, or третий).
type Declension = 'hard' | 'stressed' | 'soft';
type Ordinal = readonly [stem: string, declension: Declension];

const HARD = { nom: { m: 'ый', f: 'ая', n: 'ое' }, gen: { m: 'ого', f: 'ой', n: 'ого' } } as const;
const ENDINGS: Record<Declension, Record<GrammaticalCase, Record<Gender, string>>> = {
  hard: HARD,
  stressed: { ...HARD, nom: { m: 'ой', f: 'ая', n: 'ое' } },
  soft: { nom: { m: 'ий', f: 'ья', n: 'ье' }, gen: { m: 'ьего', f: 'ьей', n: 'ьего' } },
};

const hard = (stem: string): Ordinal => [stem, 'hard'];
const ORDINAL_ZERO: Ordinal = ['нулев', 'stressed'];
const ORDINAL_ONES: Ordinal[] = [ORDINAL_ZERO, hard('перв'), ['втор', 'stressed'], ['трет', 'soft'], hard('четвёрт'),
  hard('пят'), ['шест', 'stressed'], ['седьм', 'stressed'], ['восьм', 'stressed'], hard('девят')];
const ORDINAL_TEENS = ['десят', 'одиннадцат', 'двенадцат', 'тринадцат', 'четырнадцат', 'пятнадцат',
  'шестнадцат', 'семнадцат', 'восемнадцат', 'девятнадцат'].map(hard);
const ORDINAL_TENS: Ordinal[] = [ORDINAL_ZERO, hard('десят'), hard('двадцат'), hard('тридцат'), ['сороков', 'stressed'],
  hard('пятидесят'), hard('шестидесят'), hard('семидесят'), hard('восьмидесят'), hard('девяност')];
const ORDINAL_HUNDREDS = ['', 'сот', 'двухсот', 'трёхсот', 'четырёхсот', 'пятисот', 'шестисот', 'семисот',
  'восьмисот', 'девятисот'].map(hard);

// Genitive stems that join a count to тысячный, миллионный: двухтысячный, двадцатипятитысячный.
const JOIN_ONES = ['', 'одно', 'двух', 'трёх', 'четырёх', 'пяти', 'шести', 'семи', 'восьми', 'девяти'];
const JOIN_TEENS = ['десяти', 'одиннадцати', 'двенадцати', 'тринадцати', 'четырнадцати', 'пятнадцати',
  'шестнадцати', 'семнадцати', 'восемнадцати', 'девятнадцати'];
const JOIN_TENS = ['', '', 'двадцати', 'тридцати', 'сорока', 'пятидесяти', 'шестидесяти', 'семидесяти',
  'восьмидесяти', 'девяноста'];
const JOIN_HUNDREDS = ['', 'сто', 'двухсот', 'трёхсот', 'четырёхсот', 'пятисот', 'шестисот', 'семисот',
  'восьмисот', 'девятисот'];

function joinedCount(t: number): string {
  if (t === 1) return '';
  const rest = t % 100;
  const tail = rest >= 10 && rest < 20 ? JOIN_TEENS[rest - 10]! : JOIN_TENS[Math.floor(rest / 10)]! + JOIN_ONES[rest % 10]!;
  // сто joins alone as сто (стотысячный) but before more digits as ста (стапятидесятитысячный).
  const hundreds = t >= 100 && t < 200 && rest !== 0 ? 'ста' : JOIN_HUNDREDS[Math.floor(t / 100)]!;
  return hundreds + tail;
}

/** The last group's ordinal: the words before it stay cardinal (сто двадцать, then третий). */
function triadOrdinal(t: number): { before: string[]; last: Ordinal } {
  const rest = t % 100;
  if (rest === 0) return { before: [], last: ORDINAL_HUNDREDS[t / 100]! };
  const before = t >= 100 ? [HUNDREDS[Math.floor(t / 100)]!] : [];
  if (rest < 10) return { before, last: ORDINAL_ONES[rest]! };
  if (rest < 20) return { before, last: ORDINAL_TEENS[rest - 10]! };
  if (rest % 10 === 0) return { before, last: ORDINAL_TENS[rest / 10]! };
  return { before: [...before, TENS[Math.floor(rest / 10)]!], last: ORDINAL_ONES[rest % 10]! };
}

/**
 * An ordinal in the nominative or genitive: ordinalRu(3, 'm', 'nom') → 'третий',
 * ordinalRu(2026, 'm', 'gen') → 'две тысячи двадцать шестого', ordinalRu(2000, 'm', 'gen') →
 * 'двухтысячного'. A leading «один/одна» before a scale word is dropped, as in speech
 * ('тысяча девятьсот девяносто девятый'). Throws RangeError for a negative or non-integer n.
 */
export function ordinalRu(n: number, gender: Gender, grammaticalCase: GrammaticalCase): string {
  requireInteger(n, 'ordinal');
  if (n < 0) throw new RangeError(`an ordinal must not be negative, got ${n}`);
  const ending = (stem: string, declension: Declension) => stem + ENDINGS[declension][grammaticalCase][gender];
  if (n === 0) return ending(...ORDINAL_ZERO);
  const groups = triads(n);
  const lowest = groups.findIndex((t) => t !== 0);
  const t = groups[lowest]!;
  const higher = n - t * 1000 ** lowest;
  const words = higher === 0 ? [] : cardinalWords(higher, 'm');
  if (words[0] === 'один' || words[0] === 'одна') words.shift();
  const scale = SCALES[lowest - 1];
  if (scale === undefined) {
    const { before, last } = triadOrdinal(t);
    words.push(...before, ending(...last));
  } else {
    words.push(ending(joinedCount(t) + scale.ordinalStem, 'hard'));
  }
  return words.join(' ');
}

export interface CalendarDate { year: number; month: number; day: number }

/** Parses 'YYYY-MM-DD'; throws RangeError for another shape or a day the calendar lacks (2026-02-30). */
export function parseIsoDate(isoDate: string): CalendarDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (match === null) throw new RangeError(`a date must look like YYYY-MM-DD, got ${JSON.stringify(isoDate)}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (year < 1 || monthDays === undefined || day < 1 || day > monthDays) {
    throw new RangeError(`no such date: ${isoDate}`);
  }
  return { year, month, day };
}

/**
 * Splits a digit string into the groups a speller reads: counted from the right, `group`
 * digits each (1 to 3, default 2); by pairs, a lone leading digit joins the first pair
 * (1234567 → 123 45 67, as Russians say phone numbers). Throws RangeError for an empty string,
 * anything but ASCII digits, or another group size.
 */
export function digitGroups(s: string, group = 2): string[] {
  if (!Number.isInteger(group) || group < 1 || group > 3) throw new RangeError(`digit group size must be 1, 2 or 3, got ${group}`);
  if (!/^[0-9]+$/.test(s)) throw new RangeError(`expected a string of digits, got ${JSON.stringify(s)}`);
  const groups: string[] = [];
  for (let end = s.length; end > 0; end -= group) groups.unshift(s.slice(Math.max(0, end - group), end));
  if (group === 2 && groups.length > 1 && groups[0]!.length === 1) groups.splice(0, 2, groups[0]! + groups[1]!);
  return groups;
}

/** A group is one number unless it starts with 0, when it is read digit by digit ('07' → 'ноль семь'). */
export function readGroup(group: string, digitWords: readonly string[], spellNumber: (n: number) => string): string {
  if (group.length > 1 && group.startsWith('0')) return [...group].map((d) => digitWords[Number(d)]!).join(' ');
  return spellNumber(Number(group));
}

/** A Russian E.164 number's national digits in the groups it is said in: code, 3, 2, 2. */
export function phoneGroups(e164: string): string[] {
  const match = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(e164);
  if (match === null) throw new RangeError(`expected +7 and ten digits, got ${JSON.stringify(e164)}`);
  return match.slice(1);
}

export interface Moment { days: number; date: CalendarDate; weekday: number; hours: number; minutes: number }

/**
 * A local day ('YYYY-MM-DD') and time ('HH:MM') as days after `today`, the date, its weekday
 * (0 Sunday) and the clock. Throws RangeError for a malformed day or time, or a day before today.
 */
export function parseMoment(day: string, time: string, today: string): Moment {
  const date = parseIsoDate(day);
  parseIsoDate(today);
  const clock = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (clock === null) throw new RangeError(`a time must look like HH:MM, got ${JSON.stringify(time)}`);
  const at = Date.parse(`${day}T00:00:00Z`);
  const days = Math.round((at - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  if (days < 0) throw new RangeError(`${day} is before ${today}`);
  return { days, date, weekday: new Date(at).getUTCDay(), hours: Number(clock[1]), minutes: Number(clock[2]) };
}

/** «в понедельник», «во вторник»: on a weekday, Sunday first. */
const ON_WEEKDAY = ['в воскресенье', 'в понедельник', 'во вторник', 'в среду', 'в четверг', 'в пятницу', 'в субботу'];

function momentRu(day: string, time: string, today: string): string {
  const m = parseMoment(day, time, today);
  const when = m.days === 0 ? 'сегодня' : m.days === 1 ? 'завтра' : m.days < 7 ? ON_WEEKDAY[m.weekday]!
    : `${ordinalRu(m.date.day, 'n', 'gen')} ${MONTHS_GENITIVE[m.date.month - 1]!}`;
  if (m.hours === 0 && m.minutes === 0) return `${when} в полночь`;
  // «в час», not «в один час»; «в двадцать один час».
  const hours = m.hours === 1 ? 'час' : `${cardinal(m.hours, 'm')} ${pluralRu(m.hours, ['час', 'часа', 'часов'])}`;
  if (m.minutes === 0) return `${when} в ${hours}`;
  // After «в» the minutes are accusative: «одну минуту», «двадцать одну минуту».
  const minutes = `${cardinal(m.minutes, 'f').replace(/одна$/, 'одну')} ${pluralRu(m.minutes, ['минуту', 'минуты', 'минут'])}`;
  return `${when} в ${hours} ${minutes}`;
}

const UNITS: Readonly<Record<Unit, { forms: Forms; gender: Gender }>> = {
  kwh: { forms: ['киловатт-час', 'киловатт-часа', 'киловатт-часов'], gender: 'm' },
  calendar_day: { forms: ['календарный день', 'календарных дня', 'календарных дней'], gender: 'm' },
  day: { forms: ['день', 'дня', 'дней'], gender: 'm' },
  minute: { forms: ['минута', 'минуты', 'минут'], gender: 'f' },
  second: { forms: ['секунда', 'секунды', 'секунд'], gender: 'f' },
  ruble: { forms: ['рубль', 'рубля', 'рублей'], gender: 'm' },
  kopeck: { forms: ['копейка', 'копейки', 'копеек'], gender: 'f' },
  caller: { forms: ['абонент', 'абонента', 'абонентов'], gender: 'm' },
  position: { forms: ['позиция', 'позиции', 'позиций'], gender: 'f' },
};

const MONTHS_GENITIVE = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа',
  'сентября', 'октября', 'ноября', 'декабря'];

function quantity(n: number, unit: Unit): string {
  const noun = UNITS[unit];
  if (noun === undefined) throw new RangeError(`unknown unit ${JSON.stringify(unit)}`);
  return `${cardinal(n, noun.gender)} ${pluralRu(n, noun.forms)}`;
}

/**
 * Money in a language's words: rubles, then kopecks (a zero part left out, 0 as zero rubles),
 * negatives after the language's word for minus. Shared by both spellers.
 */
export function moneyIn(kopecks: number, words: { quantity: (n: number, unit: 'ruble' | 'kopeck') => string; minus: string; and: string }): string {
  requireInteger(kopecks, 'kopecks');
  if (kopecks < 0) return `${words.minus} ${moneyIn(-kopecks, words)}`;
  if (kopecks === 0) return words.quantity(0, 'ruble');
  const kop = kopecks % 100;
  const rub = (kopecks - kop) / 100;
  const parts: string[] = [];
  if (rub > 0) parts.push(words.quantity(rub, 'ruble'));
  if (kop > 0) parts.push(words.quantity(kop, 'kopeck'));
  return parts.join(words.and);
}

function money(kopecks: number): string {
  return moneyIn(kopecks, { quantity, minus: 'минус', and: ' ' });
}

const readRu = (group: string) => readGroup(group, ONES, (n) => cardinal(n, 'm'));

/** The Russian speller; spellerFor('ru') returns it. */
export const ruSpeller: Speller = {
  number: (n, gender = 'm') => cardinal(n, gender),
  quantity,
  money,
  date(isoDate, opts) {
    const { year, month, day } = parseIsoDate(isoDate);
    const words = [ordinalRu(day, 'n', 'nom'), MONTHS_GENITIVE[month - 1]!];
    if (opts?.withYear ?? true) words.push(ordinalRu(year, 'm', 'gen'), 'года');
    return words.join(' ');
  },
  digits: (s, opts) => digitGroups(s, opts?.group).map(readRu).join(', '),
  lastDigits: (s) => digitGroups(s).map(readRu).join(' '),
  // Said as dialled inside Russia: 8, then the code and the number.
  phone: (e164) => ['восемь', ...phoneGroups(e164).map(readRu)].join(', '),
  moment: momentRu,
};

/*
 * Russian speller. Numbers are said in the case their sentence needs (prompts/forms.ts says
 * which): the nominative («одна тысяча двести рублей»), the genitive («одной тысячи двухсот
 * рублей», «двадцать третьего июля») or the accusative («одну тысячу двести рублей», «одну
 * копейку»). Cardinals agree in gender in their last group (одна копейка, две тысячи), the noun
 * after a number takes the form its count and case pick, and ordinals decline only their last
 * word (две тысячи двадцать шестого). Words are lower case; ё is written where it belongs
 * (четвёртое, трёхтысячного): it is the correct spelling and spares the TTS a guess at the stress.
 */
import { digitGroups, moneyIn, parseIsoDate, parseMoment, phoneGroups, readGroup, requireInteger } from './common.js';
import type { Gender, GrammaticalCase, Speller, Unit } from './index.js';

type Forms = readonly [one: string, few: string, many: string];

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

/** A noun counted by a number: the gender its count agrees with and its forms after a count in each case. */
interface Noun {
  gender: Gender;
  /** after 1, 2-4 and 5+ in the nominative: рубль, рубля, рублей */
  nom: Forms;
  /** after 1 and after any other count in the genitive: рубля, рублей (одного рубля, двух рублей) */
  gen: readonly [one: string, other: string];
  /** after 1 in the accusative: рубль, копейку, and for a being the genitive (одного абонента) */
  accOne: string;
  /** a being: its accusative after 1 and after a lone 2, 3, 4 is the genitive (двух абонентов) */
  animate?: true;
}

/** What a count agrees with: its noun's gender and whether the noun names a being. */
type Counted = Pick<Noun, 'gender' | 'animate'>;

/** Whether an animate noun's accusative count is its genitive: a lone 2, 3, 4 (двух абонентов, but двадцать два абонента). */
const countIsGenitive = (n: number, noun: Counted, c: GrammaticalCase) => c === 'acc' && noun.animate === true && n >= 2 && n <= 4;

function nounAfter(n: number, noun: Noun, c: GrammaticalCase): string {
  if (c === 'gen' || countIsGenitive(n, noun, c)) return pluralRu(n, [noun.gen[0], noun.gen[1], noun.gen[1]]);
  if (c === 'acc') return pluralRu(n, [noun.accOne, noun.nom[1], noun.nom[2]]);
  return pluralRu(n, noun.nom);
}

/** A masculine noun with the regular endings -а, -ов: миллион, киловатт-час. */
const regularMasculine = (word: string): Noun =>
  ({ gender: 'm', nom: [word, `${word}а`, `${word}ов`], gen: [`${word}а`, `${word}ов`], accOne: word });

/** Cardinal words by case; the accusative takes the nominative's, but for «одну» and a being's «одного». */
const WORDS = {
  nom: {
    ones: ['ноль', 'один', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'],
    teens: ['десять', 'одиннадцать', 'двенадцать', 'тринадцать', 'четырнадцать', 'пятнадцать',
      'шестнадцать', 'семнадцать', 'восемнадцать', 'девятнадцать'],
    tens: ['', '', 'двадцать', 'тридцать', 'сорок', 'пятьдесят', 'шестьдесят', 'семьдесят', 'восемьдесят', 'девяносто'],
    hundreds: ['', 'сто', 'двести', 'триста', 'четыреста', 'пятьсот', 'шестьсот', 'семьсот', 'восемьсот', 'девятьсот'],
  },
  gen: {
    ones: ['нуля', 'одного', 'двух', 'трёх', 'четырёх', 'пяти', 'шести', 'семи', 'восьми', 'девяти'],
    teens: ['десяти', 'одиннадцати', 'двенадцати', 'тринадцати', 'четырнадцати', 'пятнадцати',
      'шестнадцати', 'семнадцати', 'восемнадцати', 'девятнадцати'],
    tens: ['', '', 'двадцати', 'тридцати', 'сорока', 'пятидесяти', 'шестидесяти', 'семидесяти', 'восьмидесяти', 'девяноста'],
    hundreds: ['', 'ста', 'двухсот', 'трёхсот', 'четырёхсот', 'пятисот', 'шестисот', 'семисот', 'восьмисот', 'девятисот'],
  },
} as const;
const ONES = WORDS.nom.ones;

/** Thousand, million, billion, trillion as counted nouns, and the stems of their ordinals. */
const SCALES: ReadonlyArray<{ noun: Noun; ordinalStem: string }> = [
  { noun: { gender: 'f', nom: ['тысяча', 'тысячи', 'тысяч'], gen: ['тысячи', 'тысяч'], accOne: 'тысячу' }, ordinalStem: 'тысячн' },
  { noun: regularMasculine('миллион'), ordinalStem: 'миллионн' },
  { noun: regularMasculine('миллиард'), ordinalStem: 'миллиардн' },
  { noun: regularMasculine('триллион'), ordinalStem: 'триллионн' },
];

/** 1 and 2 agree with their noun; 1 has its own accusative (одну, a being's одного). */
const ONE: Readonly<Record<GrammaticalCase, Record<Gender, string>>> = {
  nom: { m: 'один', f: 'одна', n: 'одно' },
  acc: { m: 'один', f: 'одну', n: 'одно' },
  gen: { m: 'одного', f: 'одной', n: 'одного' },
};

function unitWord(digit: number, noun: Counted, c: GrammaticalCase): string {
  if (digit === 1) return c === 'acc' && noun.animate && noun.gender === 'm' ? ONE.gen.m : ONE[c][noun.gender];
  if (digit === 2 && c !== 'gen') return noun.gender === 'f' ? 'две' : 'два';
  return WORDS[c === 'gen' ? 'gen' : 'nom'].ones[digit]!;
}

/** 1..999 as words counting `noun` in case c. */
function triadWords(t: number, noun: Counted, c: GrammaticalCase): string[] {
  const words = WORDS[c === 'gen' ? 'gen' : 'nom'];
  const out: string[] = [];
  const rest = t % 100;
  if (t >= 100) out.push(words.hundreds[Math.floor(t / 100)]!);
  if (rest >= 10 && rest < 20) out.push(words.teens[rest - 10]!);
  else {
    if (rest >= 20) out.push(words.tens[Math.floor(rest / 10)]!);
    if (rest % 10 !== 0) out.push(unitWord(rest % 10, noun, c));
  }
  return out;
}

/** Groups of three digits, lowest first: 1234567 → [567, 234, 1]. */
function triads(n: number): number[] {
  const out: number[] = [];
  for (let rest = n; rest > 0; rest = (rest - (rest % 1000)) / 1000) out.push(rest % 1000);
  return out;
}

/** A positive integer as cardinal words counting `noun` in case c: every group and scale word declines. */
function cardinalWords(n: number, noun: Counted, c: GrammaticalCase): string[] {
  const groups = triads(n);
  const words: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const t = groups[i]!;
    if (t === 0) continue;
    const scale = SCALES[i - 1];
    if (scale === undefined) words.push(...triadWords(t, noun, c));
    else words.push(...triadWords(t, scale.noun, c), nounAfter(t, scale.noun, c));
  }
  return words;
}

/** A count of `noun` in case c, without the noun: 'одну', 'двух', 'двадцать одну тысячу'. */
function cardinal(n: number, noun: Counted, c: GrammaticalCase): string {
  requireInteger(n, 'number');
  const wordsCase = countIsGenitive(n, noun, c) ? 'gen' : c;
  if (n === 0) return wordsCase === 'gen' ? WORDS.gen.ones[0] : ONES[0];
  if (n < 0) return `минус ${cardinalWords(-n, noun, wordsCase).join(' ')}`;
  return cardinalWords(n, noun, wordsCase).join(' ');
}

// Ordinal adjectives: a stem and its declension (unstressed -ый, stressed -ой, or третий).
type Declension = 'hard' | 'stressed' | 'soft';
type Ordinal = readonly [stem: string, declension: Declension];

// The accusative is that of a thing (первый день, первую минуту); a being's masculine one is the genitive.
const HARD_NOM = { m: 'ый', f: 'ая', n: 'ое' } as const;
const HARD_GEN = { m: 'ого', f: 'ой', n: 'ого' } as const;
const STRESSED_NOM = { ...HARD_NOM, m: 'ой' } as const;
const SOFT_NOM = { m: 'ий', f: 'ья', n: 'ье' } as const;
const ENDINGS: Record<Declension, Record<GrammaticalCase, Record<Gender, string>>> = {
  hard: { nom: HARD_NOM, gen: HARD_GEN, acc: { ...HARD_NOM, f: 'ую' } },
  stressed: { nom: STRESSED_NOM, gen: HARD_GEN, acc: { ...STRESSED_NOM, f: 'ую' } },
  soft: { nom: SOFT_NOM, gen: { m: 'ьего', f: 'ьей', n: 'ьего' }, acc: { ...SOFT_NOM, f: 'ью' } },
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

/** The genitive stem that joins a count to тысячный, миллионный: двухтысячный, двадцатипятитысячный. */
function joinedCount(t: number): string {
  if (t === 1) return '';
  const rest = t % 100;
  const ones = rest % 10 === 1 ? 'одно' : rest % 10 === 0 ? '' : WORDS.gen.ones[rest % 10]!;
  const tail = rest >= 10 && rest < 20 ? WORDS.gen.teens[rest - 10]! : WORDS.gen.tens[Math.floor(rest / 10)]! + ones;
  // сто joins alone as сто (стотысячный) but before more digits as ста (стапятидесятитысячный).
  const hundreds = t >= 100 && t < 200 && rest === 0 ? 'сто' : WORDS.gen.hundreds[Math.floor(t / 100)]!;
  return hundreds + tail;
}

/** The last group's ordinal: the words before it stay cardinal (сто двадцать, then третий). */
function triadOrdinal(t: number): { before: string[]; last: Ordinal } {
  const rest = t % 100;
  if (rest === 0) return { before: [], last: ORDINAL_HUNDREDS[t / 100]! };
  const before = t >= 100 ? [WORDS.nom.hundreds[Math.floor(t / 100)]!] : [];
  if (rest < 10) return { before, last: ORDINAL_ONES[rest]! };
  if (rest < 20) return { before, last: ORDINAL_TEENS[rest - 10]! };
  if (rest % 10 === 0) return { before, last: ORDINAL_TENS[rest / 10]! };
  return { before: [...before, WORDS.nom.tens[Math.floor(rest / 10)]!], last: ORDINAL_ONES[rest % 10]! };
}

/**
 * An ordinal in the nominative, genitive or accusative: ordinalRu(3, 'm', 'nom') → 'третий',
 * ordinalRu(2026, 'm', 'gen') → 'две тысячи двадцать шестого', ordinalRu(2000, 'm', 'gen') →
 * 'двухтысячного', ordinalRu(3, 'f', 'acc') → 'третью'. The accusative is that of a thing: for a
 * being's masculine accusative ask for the genitive. A leading «один/одна» before a scale word is
 * dropped, as in speech ('тысяча девятьсот девяносто девятый'). Throws RangeError for a negative
 * or non-integer n.
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
  const words = higher === 0 ? [] : cardinalWords(higher, { gender: 'm' }, 'nom');
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

const UNITS: Readonly<Record<Unit, Noun>> = {
  kwh: regularMasculine('киловатт-час'),
  calendar_day: { gender: 'm', nom: ['календарный день', 'календарных дня', 'календарных дней'],
    gen: ['календарного дня', 'календарных дней'], accOne: 'календарный день' },
  day: { gender: 'm', nom: ['день', 'дня', 'дней'], gen: ['дня', 'дней'], accOne: 'день' },
  minute: { gender: 'f', nom: ['минута', 'минуты', 'минут'], gen: ['минуты', 'минут'], accOne: 'минуту' },
  second: { gender: 'f', nom: ['секунда', 'секунды', 'секунд'], gen: ['секунды', 'секунд'], accOne: 'секунду' },
  ruble: { gender: 'm', nom: ['рубль', 'рубля', 'рублей'], gen: ['рубля', 'рублей'], accOne: 'рубль' },
  kopeck: { gender: 'f', nom: ['копейка', 'копейки', 'копеек'], gen: ['копейки', 'копеек'], accOne: 'копейку' },
  caller: { ...regularMasculine('абонент'), accOne: 'абонента', animate: true },
  position: { gender: 'f', nom: ['позиция', 'позиции', 'позиций'], gen: ['позиции', 'позиций'], accOne: 'позицию' },
};

function quantity(n: number, unit: Unit, c: GrammaticalCase = 'nom'): string {
  const noun = UNITS[unit];
  if (noun === undefined) throw new RangeError(`unknown unit ${JSON.stringify(unit)}`);
  return `${cardinal(n, noun, c)} ${nounAfter(n, noun, c)}`;
}

const MONTHS_GENITIVE = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа',
  'сентября', 'октября', 'ноября', 'декабря'];

/** «в понедельник», «во вторник»: on a weekday, Sunday first. */
const ON_WEEKDAY = ['в воскресенье', 'в понедельник', 'во вторник', 'в среду', 'в четверг', 'в пятницу', 'в субботу'];

function momentRu(day: string, time: string, today: string): string {
  const m = parseMoment(day, time, today);
  const when = m.days === 0 ? 'сегодня' : m.days === 1 ? 'завтра' : m.days < 7 ? ON_WEEKDAY[m.weekday]!
    : `${ordinalRu(m.date.day, 'n', 'gen')} ${MONTHS_GENITIVE[m.date.month - 1]!}`;
  if (m.hours === 0 && m.minutes === 0) return `${when} в полночь`;
  // «в час», not «в один час»; «в двадцать один час».
  const hours = m.hours === 1 ? 'час' : `${cardinal(m.hours, { gender: 'm' }, 'acc')} ${pluralRu(m.hours, ['час', 'часа', 'часов'])}`;
  if (m.minutes === 0) return `${when} в ${hours}`;
  // After «в» the clock is accusative: «в тринадцать часов одну минуту».
  return `${when} в ${hours} ${quantity(m.minutes, 'minute', 'acc')}`;
}

const readRu = (group: string) => readGroup(group, ONES, (n) => cardinal(n, { gender: 'm' }, 'nom'));

/** The Russian speller; spellerFor('ru') returns it. */
export const ruSpeller: Speller = {
  number: (n, gender = 'm', c = 'nom') => cardinal(n, { gender }, c),
  quantity,
  money: (kopecks, c = 'nom') => moneyIn(kopecks, c, { quantity, minus: 'минус', and: ' ' }),
  ordinal: (n, gender = 'm', c = 'nom') => ordinalRu(n, gender, c),
  date(isoDate, opts) {
    const { year, month, day } = parseIsoDate(isoDate);
    // Only the day declines (двадцать третьего июля); the month and the year are genitive in every case.
    const words = [ordinalRu(day, 'n', opts?.case ?? 'nom'), MONTHS_GENITIVE[month - 1]!];
    if (opts?.withYear ?? true) words.push(ordinalRu(year, 'm', 'gen'), 'года');
    return words.join(' ');
  },
  digits: (s, opts) => digitGroups(s, opts?.group).map(readRu).join(', '),
  lastDigits: (s) => digitGroups(s).map(readRu).join(' '),
  // Said as dialled inside Russia: 8, then the code and the number.
  phone: (e164) => ['восемь', ...phoneGroups(e164).map(readRu)].join(', '),
  moment: momentRu,
};

/*
 * English speller, American style: no «and» inside numbers (one hundred fifteen), hyphenated
 * tens (twenty-one), dates as 'November twenty-first, twenty twenty-six'. Words are lower case
 * except month names. Gender and case are accepted for the shared interface and ignored:
 * English declines neither numbers nor the nouns they count.
 */
import type { Speller, Unit } from './index.js';
import { digitGroups, moneyIn, parseIsoDate, parseMoment, phoneGroups, readGroup, requireInteger } from './common.js';

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = ['thousand', 'million', 'billion', 'trillion'];

/** 1..999 as words. */
function triadWords(t: number): string[] {
  const words: string[] = [];
  const rest = t % 100;
  if (t >= 100) words.push(ONES[Math.floor(t / 100)]!, 'hundred');
  if (rest >= 20) words.push(TENS[Math.floor(rest / 10)]! + (rest % 10 === 0 ? '' : `-${ONES[rest % 10]!}`));
  else if (rest > 0) words.push(ONES[rest]!);
  return words;
}

function cardinal(n: number): string {
  requireInteger(n, 'number');
  if (n === 0) return ONES[0]!;
  if (n < 0) return `minus ${cardinal(-n)}`;
  const groups: number[] = [];
  for (let rest = n; rest > 0; rest = (rest - (rest % 1000)) / 1000) groups.push(rest % 1000);
  const words: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const t = groups[i]!;
    if (t === 0) continue;
    words.push(...triadWords(t));
    if (i > 0) words.push(SCALES[i - 1]!);
  }
  return words.join(' ');
}

const IRREGULAR_ORDINALS: Readonly<Record<string, string>> = {
  one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth',
};

/** An ordinal: 21 → 'twenty-first', 100 → 'one hundredth'. Throws RangeError for a negative or non-integer n. */
export function ordinalEn(n: number): string {
  requireInteger(n, 'ordinal');
  if (n < 0) throw new RangeError(`an ordinal must not be negative, got ${n}`);
  return cardinal(n).replace(/[a-z]+$/, (word) =>
    IRREGULAR_ORDINALS[word] ?? (word.endsWith('y') ? `${word.slice(0, -1)}ieth` : `${word}th`));
}

/** Years as said aloud: 1999 'nineteen ninety-nine', 1905 'nineteen oh five', 2000-2009 'two thousand one', 2026 'twenty twenty-six'. */
function year(y: number): string {
  const high = Math.floor(y / 100);
  const low = y % 100;
  if (y < 1000 || y % 1000 < 10) return cardinal(y);
  if (low === 0) return `${cardinal(high)} hundred`;
  return `${cardinal(high)} ${low < 10 ? 'oh ' : ''}${cardinal(low)}`;
}

const UNITS: Readonly<Record<Unit, readonly [one: string, many: string]>> = {
  kwh: ['kilowatt-hour', 'kilowatt-hours'],
  calendar_day: ['calendar day', 'calendar days'],
  day: ['day', 'days'],
  minute: ['minute', 'minutes'],
  second: ['second', 'seconds'],
  ruble: ['ruble', 'rubles'],
  kopeck: ['kopeck', 'kopecks'],
  caller: ['caller', 'callers'],
  position: ['position', 'positions'],
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];

function quantity(n: number, unit: Unit): string {
  const forms = UNITS[unit];
  if (forms === undefined) throw new RangeError(`unknown unit ${JSON.stringify(unit)}`);
  return `${cardinal(n)} ${Math.abs(n) === 1 ? forms[0] : forms[1]}`;
}

const readEn = (group: string) => readGroup(group, ONES, cardinal);

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** 'tomorrow at eight a.m.', 'on Monday at eight thirty a.m.', 'on January second at nine oh five p.m.' */
function momentEn(day: string, time: string, today: string): string {
  const m = parseMoment(day, time, today);
  const when = m.days === 0 ? 'today' : m.days === 1 ? 'tomorrow' : m.days < 7 ? `on ${WEEKDAYS[m.weekday]!}`
    : `on ${MONTHS[m.date.month - 1]!} ${ordinalEn(m.date.day)}`;
  if (m.minutes === 0 && (m.hours === 0 || m.hours === 12)) return `${when} at ${m.hours === 0 ? 'midnight' : 'noon'}`;
  const hour = cardinal(m.hours % 12 === 0 ? 12 : m.hours % 12);
  const minutes = m.minutes === 0 ? '' : m.minutes < 10 ? ` oh ${cardinal(m.minutes)}` : ` ${cardinal(m.minutes)}`;
  return `${when} at ${hour}${minutes} ${m.hours < 12 ? 'a.m.' : 'p.m.'}`;
}

/** The English speller; spellerFor('en') returns it. */
export const enSpeller: Speller = {
  number: (n) => cardinal(n),
  quantity,
  money: (kopecks) => moneyIn(kopecks, 'nom', { quantity, minus: 'minus', and: ' and ' }),
  ordinal: (n) => ordinalEn(n),
  date(isoDate, opts) {
    const { year: y, month, day } = parseIsoDate(isoDate);
    const monthDay = `${MONTHS[month - 1]!} ${ordinalEn(day)}`;
    return opts?.withYear ?? true ? `${monthDay}, ${year(y)}` : monthDay;
  },
  digits: (s, opts) => digitGroups(s, opts?.group).map(readEn).join(', '),
  lastDigits: (s) => digitGroups(s).map(readEn).join(' '),
  // Phone numbers are read digit by digit in English.
  phone: (e164) => ['plus seven', ...phoneGroups(e164).map((g) => [...g].map((d) => ONES[Number(d)]!).join(' '))].join(', '),
  moment: momentEn,
};

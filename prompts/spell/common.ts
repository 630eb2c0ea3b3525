/*
 * The language-neutral half of the spellers: input checks, ISO date and time parsing, digit
 * grouping and the shape of a money amount. Both languages use them, so a bill's numbers are
 * grouped, and bad input refused, identically in Russian and in English.
 */
import type { GrammaticalCase } from './index.js';

const MAX = 999_999_999_999_999;

/** Throws RangeError unless n is an integer no larger in magnitude than 999 999 999 999 999. */
export function requireInteger(n: number, what: string): void {
  if (!Number.isInteger(n) || Math.abs(n) > MAX) {
    throw new RangeError(`${what} must be an integer between -${MAX} and ${MAX}, got ${String(n)}`);
  }
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

/** What moneyIn needs of a language: its counted rubles and kopecks, its minus and its «and». */
export interface MoneyWords {
  quantity: (n: number, unit: 'ruble' | 'kopeck', grammaticalCase: GrammaticalCase) => string;
  minus: string;
  and: string;
}

/**
 * Money in a language's words: rubles, then kopecks, both in `grammaticalCase` (a zero part
 * left out, 0 as zero rubles), negatives after the language's word for minus.
 */
export function moneyIn(kopecks: number, grammaticalCase: GrammaticalCase, words: MoneyWords): string {
  requireInteger(kopecks, 'kopecks');
  if (kopecks < 0) return `${words.minus} ${moneyIn(-kopecks, grammaticalCase, words)}`;
  if (kopecks === 0) return words.quantity(0, 'ruble', grammaticalCase);
  const kop = kopecks % 100;
  const rub = (kopecks - kop) / 100;
  const parts: string[] = [];
  if (rub > 0) parts.push(words.quantity(rub, 'ruble', grammaticalCase));
  if (kop > 0) parts.push(words.quantity(kop, 'kopeck', grammaticalCase));
  return parts.join(words.and);
}

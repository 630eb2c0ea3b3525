import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/*
 * When the contact center's operators work, as data (server/schedule/calendar.json): weekly
 * hours, public holidays, and the working days the Russian production calendar moves onto
 * weekends, all in Europe/Kaliningrad time (UTC+2 all year since 2014). Pure: no clock, no I/O.
 */

const Time = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$', description: 'HH:MM (24:00: until midnight)' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Hours = Type.Array(Type.Object({ from: Time, to: Time }, { additionalProperties: false }), { maxItems: 4 });

export const CalendarSchema = Type.Object({
  /** the hours of each weekday, Monday first; an empty list is a day off */
  weekly: Type.Object({ mon: Hours, tue: Hours, wed: Hours, thu: Hours, fri: Hours, sat: Hours, sun: Hours }, { additionalProperties: false }),
  /** days off whatever the weekday (public holidays and the days they move to) */
  holidays: Type.Array(Day),
  /** weekend days made working days by the production calendar, with their hours */
  workdays: Type.Array(Type.Object({ date: Day, hours: Hours }, { additionalProperties: false })),
  note: Type.Optional(Type.String()),
}, { additionalProperties: false });
export type Calendar = Static<typeof CalendarSchema>;

const OFFSET_MS = 2 * 3600_000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Checks a calendar file; throws listing each bad field (path and what it expects). */
export function validateCalendar(raw: unknown): Calendar {
  if (Value.Check(CalendarSchema, raw)) {
    const c = raw as Calendar;
    for (const [day, hours] of Object.entries(c.weekly)) {
      for (const h of hours) if (h.from >= h.to) throw new RangeError(`weekly.${day}: ${h.from}-${h.to} ends before it starts`);
    }
    return c;
  }
  const problems = [...Value.Errors(CalendarSchema, raw)].map((e) => `${e.path || '(root)'}: ${e.message}`);
  throw new RangeError(`invalid calendar:\n  ${problems.join('\n  ')}`);
}

/** An instant as a Kaliningrad calendar day and clock time: { day: 'YYYY-MM-DD', time: 'HH:MM' }. */
export function localDayTime(at: Date): { day: string; time: string } {
  const iso = new Date(at.getTime() + OFFSET_MS).toISOString();
  return { day: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** The Kaliningrad calendar day and minute of the day of an instant. */
function local(at: Date): { day: string; weekday: (typeof WEEKDAYS)[number]; minute: number } {
  const t = new Date(at.getTime() + OFFSET_MS);
  return { day: t.toISOString().slice(0, 10), weekday: WEEKDAYS[t.getUTCDay()]!, minute: t.getUTCHours() * 60 + t.getUTCMinutes() };
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** The opening hours of a Kaliningrad calendar day: a moved working day, a holiday, or its weekday's. */
export function hoursOn(c: Calendar, day: string): Calendar['weekly']['mon'] {
  const moved = c.workdays.find((w) => w.date === day);
  if (moved !== undefined) return moved.hours;
  if (c.holidays.includes(day)) return [];
  const weekday = WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()]!;
  return c.weekly[weekday];
}

export function isOpen(c: Calendar, at: Date): boolean {
  const { day, minute } = local(at);
  return hoursOn(c, day).some((h) => minute >= minutes(h.from) && minute < minutes(h.to));
}

/** The next instant the center opens (now, if open); undefined when no opening in the next 60 days. */
export function nextOpening(c: Calendar, at: Date): Date | undefined {
  if (isOpen(c, at)) return at;
  const { day, minute } = local(at);
  const start = new Date(`${day}T00:00:00Z`).getTime();
  for (let d = 0; d < 60; d++) {
    const date = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    for (const h of [...hoursOn(c, date)].sort((a, b) => minutes(a.from) - minutes(b.from))) {
      if (d === 0 && minutes(h.from) <= minute) continue;
      return new Date(new Date(`${date}T00:00:00Z`).getTime() + minutes(h.from) * 60_000 - OFFSET_MS);
    }
  }
  return undefined;
}

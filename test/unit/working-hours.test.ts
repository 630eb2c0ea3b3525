import { readFileSync } from 'node:fs';
import t from 'tap';
import { isOpen, nextOpening, validateCalendar, type Calendar } from '../../ivr/working-hours.js';

const calendar: Calendar = validateCalendar({
  weekly: {
    mon: [{ from: '08:00', to: '20:00' }], tue: [{ from: '08:00', to: '20:00' }], wed: [{ from: '08:00', to: '20:00' }],
    thu: [{ from: '08:00', to: '20:00' }], fri: [{ from: '08:00', to: '20:00' }], sat: [], sun: [],
  },
  holidays: ['2026-11-04', '2027-01-01'],
  workdays: [{ date: '2026-11-07', hours: [{ from: '08:00', to: '17:00' }] }],
});

// Kaliningrad is UTC+2: 08:00 there is 06:00Z.
t.test('open on a weekday within hours, closed before and after', async (t) => {
  t.ok(isOpen(calendar, new Date('2026-11-25T06:00:00Z')), '08:00 Wednesday');
  t.notOk(isOpen(calendar, new Date('2026-11-25T05:59:00Z')), '07:59');
  t.notOk(isOpen(calendar, new Date('2026-11-25T18:00:00Z')), '20:00 is closing time');
});

t.test('a public holiday on a weekday is closed, and the next opening is the day after', async (t) => {
  t.notOk(isOpen(calendar, new Date('2026-11-04T10:00:00Z')), 'National Unity Day, a Wednesday');
  t.same(nextOpening(calendar, new Date('2026-11-04T10:00:00Z')), new Date('2026-11-05T06:00:00Z'));
});

t.test('a Saturday moved to a working day is open with its own hours', async (t) => {
  t.ok(isOpen(calendar, new Date('2026-11-07T14:59:00Z')), '16:59 on the working Saturday');
  t.notOk(isOpen(calendar, new Date('2026-11-07T15:00:00Z')), '17:00 it closes');
  t.notOk(isOpen(calendar, new Date('2026-11-14T10:00:00Z')), 'an ordinary Saturday is closed');
});

t.test('after Friday evening the next opening is Monday morning, Kaliningrad time', async (t) => {
  t.same(nextOpening(calendar, new Date('2026-11-27T19:00:00Z')), new Date('2026-11-30T06:00:00Z'));
  t.same(nextOpening(calendar, new Date('2026-11-30T03:00:00Z')), new Date('2026-11-30T06:00:00Z'), 'early the same morning');
});

t.test('the new year holiday is skipped; 23:30Z on 31 December is already 1 January in Kaliningrad', async (t) => {
  t.notOk(isOpen(calendar, new Date('2026-12-31T22:30:00Z')));
  t.same(nextOpening(calendar, new Date('2026-12-31T22:30:00Z')), new Date('2027-01-04T06:00:00Z'), 'Friday the 1st is a holiday, then the weekend');
});

t.test('a broken calendar is refused naming the field', async (t) => {
  t.throws(() => validateCalendar({ ...calendar, holidays: ['2026-13'] }), /\/holidays\/0/);
  t.throws(() => validateCalendar({ ...calendar, weekly: { ...calendar.weekly, mon: [{ from: '20:00', to: '08:00' }] } }), /weekly\.mon/);
  t.throws(() => validateCalendar({ ...calendar, weekly: { ...calendar.weekly, mon: [{ from: '8:00', to: '20:00' }] } }), /\/weekly\/mon\/0\/from/);
});

t.test('the shipped calendar file is valid', async (t) => {
  const shipped = validateCalendar(JSON.parse(readFileSync(new URL('../../server/schedule/calendar.json', import.meta.url), 'utf8')));
  t.ok(shipped.weekly.mon.length > 0);
});

import { localDayTime } from '../../ivr/working-hours.js';
import { WorkingHours } from '../../server/schedule/service.js';

/**
 * Working hours closed now, whatever the time of day, that open at 08:00 Kaliningrad time
 * `days` days from today (a moved working day, 08:00-20:00; every other day off).
 */
export function closedNowHours(days = 3, now = new Date()): { hours: WorkingHours; opensAt: Date } {
  const day = localDayTime(new Date(now.getTime() + days * 86_400_000)).day;
  const off = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  const hours = WorkingHours.of({ weekly: off, holidays: [], workdays: [{ date: day, hours: [{ from: '08:00', to: '20:00' }] }] });
  // 08:00 in Kaliningrad (UTC+2) is 06:00Z.
  return { hours, opensAt: new Date(`${day}T06:00:00.000Z`) };
}

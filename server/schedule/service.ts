import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger } from 'fastify';
import { isOpen, nextOpening, validateCalendar, type Calendar } from '../../ivr/working-hours.js';
import { AppError } from '../errors.js';

/** A calendar open every minute of every day: the default for apps built by tests and tools. */
export const ALWAYS_OPEN: Calendar = Object.freeze({
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '00:00', to: '24:00' }]])) as Calendar['weekly'],
  holidays: [],
  workdays: [],
  note: 'always open',
});

export const defaultCalendarFile = join(dirname(fileURLToPath(import.meta.url)), 'calendar.json');

/**
 * The contact center's working hours in force (ivr/working-hours.ts rules over a calendar file,
 * server/schedule/calendar.json by default): editable without code — a changed file is reloaded
 * at once; one that does not validate is refused with the problems logged, and the hours in
 * force stay. The IVR asks it whether operators work now; the callback dialer dials only then.
 */
export class WorkingHours {
  #calendar: Calendar;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;

  private constructor(private readonly file: string, calendar: Calendar, private readonly log?: FastifyBaseLogger) {
    this.#calendar = calendar;
  }

  /** Loads the calendar; throws CC_ERR_CONFIG_INVALID naming the file and the bad fields. */
  static async load(file: string = defaultCalendarFile, log?: FastifyBaseLogger): Promise<WorkingHours> {
    return new WorkingHours(file, await readCalendar(file), log);
  }

  /** Hours from a calendar in memory (tests). */
  static of(calendar: Calendar): WorkingHours {
    return new WorkingHours('', validateCalendar(calendar));
  }

  get calendar(): Calendar {
    return this.#calendar;
  }

  isOpen(at: Date): boolean {
    return isOpen(this.#calendar, at);
  }

  /** The next moment operators start work after `at` (at itself when open); undefined if the calendar has none within a year. */
  nextOpening(at: Date): Date | undefined {
    return nextOpening(this.#calendar, at);
  }

  /** Re-reads the file; keeps the hours in force when it is broken. Returns whether they changed. */
  async reload(): Promise<boolean> {
    try {
      this.#calendar = await readCalendar(this.file);
      this.log?.info({ file: this.file }, 'working hours reloaded');
      return true;
    } catch (err) {
      this.log?.error({ err, file: this.file }, 'working hours not reloaded: the file is invalid; the hours in force stay');
      return false;
    }
  }

  /** Reloads when the file changes (debounced: editors write in several steps). */
  watch(): void {
    if (this.file === '' || this.#watcher !== undefined) return;
    this.#watcher = watch(dirname(this.file), (_event, name) => {
      if (name !== null && join(dirname(this.file), name) !== this.file) return;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.reload(), 200);
    });
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}

async function readCalendar(file: string): Promise<Calendar> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new AppError('CC_ERR_CONFIG_INVALID', `working hours ${file}: ${(err as Error).message}`, { file }, { cause: err });
  }
  try {
    return validateCalendar(raw);
  } catch (err) {
    throw new AppError('CC_ERR_CONFIG_INVALID', `working hours ${file}: ${(err as Error).message}`, { file }, { cause: err });
  }
}

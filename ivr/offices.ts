import type { Office } from './flows.js';
import { say, type Speech } from './speech.js';

/*
 * What the caller hears of the customer service offices (reference information, menu 1-1).
 * A caller whose account is known hears the office serving their own town first, with a key
 * for the others; anyone else picks a town. Reading every office of the region took 25 s,
 * longer than most callers listen. Pure: the dialog (ivr/dialog.ts) plays these, and the
 * server voices all of them ahead so that no caller waits for the synthesizer.
 */

/** Keys 1..8 pick a town; 9 reads them all. */
export const ALL_OFFICES_KEY = '9';
export const MAX_TOWN_KEYS = 8;
/** After the nearest office: this key reads the others. */
export const OTHER_OFFICES_KEY = '1';

const sameTown = (a: string, b: string) => a.trim().toLocaleLowerCase('ru') === b.trim().toLocaleLowerCase('ru');

/** The office that serves `town` (the first one listing it), or undefined. */
export function officeFor(offices: readonly Office[], town: string | null | undefined): Office | undefined {
  if (town === null || town === undefined || town === '') return undefined;
  return offices.find((o) => o.towns.some((t) => sameTown(t, town)) || sameTown(o.city, town));
}

export function officeSentence(o: Office): Speech {
  const parts = { city: { kind: 'text', value: o.city }, address: { kind: 'text', value: o.address }, hours: { kind: 'text', value: o.hours } } as const;
  return o.phone === null || o.phone === undefined ? say('info_office', parts) : say('info_office_phone', { ...parts, phone: { kind: 'phone', e164: o.phone } });
}

/** The nearest office, then the key for the others (when there are others). */
export function nearestOfficeSpeech(nearest: Office, all: readonly Office[]): Speech[] {
  const others = all.length > 1 ? [say('offices_others_key')] : [];
  return [say('offices_nearest'), officeSentence(nearest), ...others];
}

/** The town menu: each office's town with its key, then the key that reads them all. */
export function townMenuSpeech(offices: readonly Office[]): Speech[] {
  return [
    say('offices_choose_town'),
    ...offices.slice(0, MAX_TOWN_KEYS).map((o, i) => say('offices_town_key', { city: { kind: 'text', value: o.city }, key: { kind: 'digits', value: String(i + 1) } })),
    say('offices_all_key'),
  ];
}

/** The keys the town menu takes. */
export function townKeys(offices: readonly Office[]): string {
  return offices.slice(0, MAX_TOWN_KEYS).map((_, i) => String(i + 1)).join('') + ALL_OFFICES_KEY;
}

export function allOfficesSpeech(offices: readonly Office[], except?: Office): Speech[] {
  return [say('info_offices_intro'), ...offices.filter((o) => o !== except).map(officeSentence)];
}

/** Everything the offices part can say for this list: the server voices it ahead (a changed list is voiced again). */
export function everyOfficeSpeech(offices: readonly Office[]): Speech[][] {
  return [
    townMenuSpeech(offices),
    allOfficesSpeech(offices),
    ...offices.map((o) => nearestOfficeSpeech(o, offices)),
    ...offices.map((o) => allOfficesSpeech(offices, o)),
  ];
}

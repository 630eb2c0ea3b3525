import type { Language, PromptId } from '../prompts/catalog.js';

export type { Language, PromptId };

export const languages: readonly Language[] = ['ru', 'en'];

/** A value spoken inside a prompt; prompts/spell/ turns it into words of the call's language. */
export type Speakable =
  | { kind: 'money'; kopecks: number }
  | { kind: 'date'; iso: string }
  | { kind: 'digits'; value: string }
  | { kind: 'last_digits'; value: string }
  | { kind: 'kwh'; n: number }
  /** a place in line: «третий» / "three" */
  | { kind: 'ordinal'; n: number }
  | { kind: 'minutes'; n: number }
  /** a Russian phone number as E.164 (+7 and ten digits), read back in the groups people say */
  | { kind: 'phone'; e164: string }
  /** a Kaliningrad day and clock time ('YYYY-MM-DD', 'HH:MM') said from `today`: «завтра в восемь часов» */
  | { kind: 'moment'; day: string; time: string; today: string }
  | { kind: 'text'; value: string }
  /** another prompt's text, e.g. an appeal status word */
  | { kind: 'prompt'; prompt: PromptId };

/**
 * One thing the caller hears: a catalogue prompt with its `{name}` parts filled in.
 * `voice` overrides the call's language (the offer of English is said in English).
 */
export interface Speech {
  prompt: PromptId;
  params?: Record<string, Speakable>;
  voice?: Language;
}

export const say = (prompt: PromptId, params?: Record<string, Speakable>): Speech =>
  params === undefined ? { prompt } : { prompt, params };

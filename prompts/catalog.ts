/*
 * The typed prompt catalogue. ivr/ refers to prompts only by PromptId; how a prompt is voiced
 * (a recorded file from Asterisk's Russian sound set, or synthesized audio) is decided here,
 * so the call logic never sees a path.
 */

export type Language = 'ru' | 'en';

export const promptIds = ['greeting', 'goodbye'] as const;
export type PromptId = (typeof promptIds)[number];

interface PromptEntry {
  /** What the caller hears, as text: the source of truth for synthesis and for the agent's view. */
  text: Record<Language, string>;
  /** Asterisk sound file name (no extension) in the channel's language folder. */
  sound: string;
}

export const catalog: Readonly<Record<PromptId, PromptEntry>> = {
  greeting: { text: { ru: 'Здравствуйте!', en: 'Hello!' }, sound: 'hello' },
  goodbye: { text: { ru: 'До свидания!', en: 'Goodbye!' }, sound: 'goodbye' },
};

/**
 * The ARI media URI that plays a prompt. `sound:` media resolve in the channel's language
 * folder, so the language is the channel's (set per endpoint), not part of the URI.
 */
export function mediaFor(prompt: PromptId): string {
  return `sound:${catalog[prompt].sound}`;
}

import { catalogs, voiceFor, type Language, type PromptId } from './catalog.js';

/*
 * A sentence with a value in it ("Задолженность по лицевому счёту составляет {amount}.") is
 * voiced in two pieces: the fixed words before the first value, voiced ahead and cached like
 * any fixed prompt, and the rest, voiced when the value is known. The caller hears the fixed
 * start at once while the rest is synthesized (server/calls/playback.ts), instead of silence;
 * a short pause before the value is what callers of voice menus expect anyway.
 */

/** Fewer words than this before the first value are not worth a piece of their own ("Вы {position} в очереди."). */
const MIN_START_WORDS = 2;

/** The fixed start of a template with a value, or null when it starts with one or too few words precede it. */
export function fixedStart(template: string): string | null {
  const brace = template.indexOf('{');
  if (brace < 0) return null;
  const start = template.slice(0, brace).trim();
  return start.split(/\s+/).filter((w) => /[\p{L}\d]/u.test(w)).length >= MIN_START_WORDS ? start : null;
}

/**
 * The pieces `text` (the template `prompt`, filled in) is voiced in: [fixed start, rest], or
 * [text] when it has no fixed start. The rest always follows from the filled text, so the two
 * pieces say exactly the sentence.
 */
export function piecesOf(prompt: PromptId, lang: Language, text: string): string[] {
  const start = fixedStart(catalogs[lang][prompt]);
  if (start === null || !text.startsWith(start)) return [text];
  const rest = text.slice(start.length).trim();
  return rest === '' ? [text] : [start, rest];
}

/** The fixed starts of every template with a value, to voice ahead with the fixed prompts. */
export function fixedStarts(lang: Language): Array<{ id: string; text: string; voice: Language }> {
  return Object.entries(catalogs[lang]).flatMap(([id, template]) => {
    const start = fixedStart(template);
    return start === null ? [] : [{ id: `${id}.start`, text: start, voice: voiceFor(id as PromptId, lang) }];
  });
}

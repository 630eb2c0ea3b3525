import { everyOfficeSpeech } from '../../ivr/offices.js';
import { languages, say } from '../../ivr/speech.js';
import type { SpeechPort } from '../calls/service.js';
import type { Db } from '../db/database.js';
import { SelfService } from '../self-service/service.js';

/**
 * Voices ahead everything the offices part of the menu can say with the offices as they are
 * now (the offices are data, so their sentences are not in the catalogue that `npm run prompts`
 * voices): the first caller to ask heard 0.76 s of silence while they were synthesized. Run at
 * start and again after an office changes; resolves with the number of sentences.
 */
export async function prevoiceOffices(db: Db, speech: SpeechPort): Promise<number> {
  const service = new SelfService(db);
  let n = 0;
  for (const lang of languages) {
    const r = await service.answer('', lang, { kind: 'offices' });
    if (r.kind !== 'offices') continue;
    const sentences = [...new Map(everyOfficeSpeech(r.offices).flat().map((s) => [JSON.stringify(s), s])).values()];
    await speech.media(sentences, lang);
    n += sentences.length;
  }
  return n;
}

/** Places in line voiced ahead: a caller further back hears theirs voiced on demand. */
export const PREVOICED_POSITIONS = 50;

/**
 * Voices ahead the place-in-line sentences ("Вы третий в очереди.") up to PREVOICED_POSITIONS:
 * each announcement to a waiting caller starts with one, and it is the only part that would
 * otherwise wait for the synthesizer (the estimate's fixed start comes from the cache).
 */
export async function prevoiceQueueWords(speech: SpeechPort): Promise<number> {
  let n = 0;
  for (const lang of languages) {
    const sentences = Array.from({ length: PREVOICED_POSITIONS - 1 }, (_, i) => say('queue_position', { position: { kind: 'ordinal', n: i + 2 } }));
    await speech.media(sentences, lang);
    n += sentences.length;
  }
  return n;
}

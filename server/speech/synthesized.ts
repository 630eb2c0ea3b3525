import type { Language, Speech } from '../../ivr/speech.js';
import { piecesOf } from '../../prompts/pieces.js';
import { renderSpeech } from '../../prompts/render.js';
import type { PromptAudio } from '../../prompts/synth/store.js';
import type { SpeechPort } from '../calls/service.js';

/**
 * Speech as synthesized audio files Asterisk plays: each prompt's text, filled in, voiced and
 * cached; a sentence with a value is voiced as its fixed start and the rest (prompts/pieces.ts).
 */
export class SynthesizedSpeech implements SpeechPort {
  constructor(private readonly audio: PromptAudio) {}

  media(speech: Speech[], language: Language): Promise<string[]> {
    return Promise.all(this.mediaEach(speech, language));
  }

  mediaEach(speech: Speech[], language: Language): Array<Promise<string>> {
    return speech.flatMap((s) => {
      const { text, voice } = renderSpeech(s, language);
      return piecesOf(s.prompt, language, text).map((piece) => this.audio.media(piece, voice));
    });
  }
}

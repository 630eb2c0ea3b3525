import type { Language, Speech } from '../../ivr/speech.js';
import { renderSpeech } from '../../prompts/render.js';
import type { PromptAudio } from '../../prompts/synth/store.js';
import type { SpeechPort } from '../calls/service.js';

/** Speech as synthesized audio files Asterisk plays: each prompt's text, filled in, voiced and cached. */
export class SynthesizedSpeech implements SpeechPort {
  constructor(private readonly audio: PromptAudio) {}

  async media(speech: Speech[], language: Language): Promise<string[]> {
    return Promise.all(speech.map((s) => {
      const { text, voice } = renderSpeech(s, language);
      return this.audio.media(text, voice);
    }));
  }
}

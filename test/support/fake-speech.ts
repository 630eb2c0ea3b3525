import type { SpeechPort } from '../../server/calls/service.js';
import type { Language, Speech } from '../../ivr/speech.js';
import { renderSpeech } from '../../prompts/render.js';

/**
 * A SpeechPort that renders every prompt's text (so a missing `{part}` fails the test) and
 * returns a media name per prompt instead of synthesizing audio.
 */
export class FakeSpeech implements SpeechPort {
  readonly heard: Array<{ prompt: string; text: string; language: Language }> = [];

  async media(speech: Speech[], language: Language): Promise<string[]> {
    return speech.map((s) => {
      const { text, voice } = renderSpeech(s, language);
      this.heard.push({ prompt: s.prompt, text, language: voice });
      return `sound:test/${voice}/${s.prompt}`;
    });
  }
}

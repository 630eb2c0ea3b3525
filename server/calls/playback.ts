import type { Effect } from '../../ivr/call.js';
import type { Language, Speech } from '../../ivr/speech.js';
import type { TelephonyPort } from '../ari/port.js';

/** Turns what the caller should hear into media Asterisk can play (synthesized, cached audio). */
export interface SpeechPort {
  media(speech: Speech[], language: Language): Promise<string[]>;
  /**
   * The same media one by one, each resolving as soon as it is voiced (its order as media()
   * gives it), so a phrase can start playing before its last part is ready. Absent: media().
   */
  mediaEach?(speech: Speech[], language: Language): Array<Promise<string>>;
}

type Play = Extract<Effect, { do: 'play' }>;

/** A phrase whose first part plays while the rest is voiced; `stopped` once a key or the machine stopped it. */
interface Split { head: string; stopped: boolean }

/**
 * What a call says, as ARI playbacks, with no silence the caller can hear while speech is
 * synthesized:
 * - every `play` of a batch of effects is voiced as soon as the batch is known (prepare), so a
 *   caller taken out of the queue's music for an announcement is not left in silence while it
 *   is voiced (the move out of the bridge runs meanwhile);
 * - a phrase whose first parts are ready (cached: fixed words, the static start of a sentence)
 *   starts at once as a playback of its own, and the rest follows as the playback the call
 *   machine knows (`playbackId`) when voiced: Asterisk plays a channel's playbacks one after
 *   another. The head's own end is reported under its own id, which the machine ignores.
 */
export class Playbacks {
  readonly #splits = new Map<string, Split>();

  constructor(private readonly telephony: TelephonyPort, private readonly speech: SpeechPort) {}

  /** Starts voicing every playback in `effects`; the result goes to play(). */
  prepare(effects: readonly Effect[]): Map<string, Array<Promise<string[]>>> {
    const voiced = new Map<string, Array<Promise<string[]>>>();
    for (const e of effects) if (e.do === 'play') voiced.set(e.playbackId, this.#voice(e));
    return voiced;
  }

  /**
   * Plays `effect` on the channel; resolves once Asterisk has (the first part of) it. Rejects
   * when voicing or ARI fails; a failure of the rest of a split phrase is reported to `failed`.
   */
  async play(channelId: string, effect: Play, voiced: Array<Promise<string[]>> | undefined, failed: (err: unknown) => void): Promise<void> {
    const parts = voiced ?? this.#voice(effect);
    if (parts.length <= 1) {
      await this.telephony.play(channelId, (await Promise.all(parts)).flat(), effect.playbackId);
      return;
    }
    const ready = parts.map(() => false);
    parts.forEach((p, i) => p.then(() => { ready[i] = true; }, () => undefined));
    await parts[0];
    // Let the parts that were ready together with the first one mark themselves.
    await new Promise<void>((resolve) => setImmediate(resolve));
    let n = 1;
    while (n < parts.length && ready[n]) n++;
    if (n === parts.length) {
      await this.telephony.play(channelId, (await Promise.all(parts)).flat(), effect.playbackId);
      return;
    }
    const split: Split = { head: `${effect.playbackId}-head`, stopped: false };
    this.#splits.set(effect.playbackId, split);
    await this.telephony.play(channelId, (await Promise.all(parts.slice(0, n))).flat(), split.head);
    void Promise.all(parts.slice(n))
      .then(async (rest) => { if (!split.stopped) await this.telephony.play(channelId, rest.flat(), effect.playbackId); })
      .catch((err: unknown) => { if (!split.stopped) failed(err); })
      .finally(() => this.#splits.delete(effect.playbackId));
  }

  /** Stops a playback, the head of a split one included, and keeps its rest from starting. */
  async stop(playbackId: string): Promise<void> {
    const split = this.#splits.get(playbackId);
    if (split !== undefined) {
      split.stopped = true;
      await this.telephony.stopPlayback(split.head);
    }
    await this.telephony.stopPlayback(playbackId);
  }

  /** The phrase's media in parts that resolve one by one (one part when the speech port cannot tell them apart). */
  #voice(effect: Play): Array<Promise<string[]>> {
    const each = this.speech.mediaEach?.(effect.speech, effect.language);
    const parts = each === undefined ? [this.speech.media(effect.speech, effect.language)] : each.map((p) => p.then((m) => [m]));
    // An unobserved rejection must not crash the process: play() observes it when it runs.
    for (const p of parts) p.catch(() => undefined);
    return parts;
  }
}

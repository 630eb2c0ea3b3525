/**
 * The ring an agent hears in the headset when a call is offered: 425 Hz (the Russian network's
 * ring tone frequency) in the Russian cadence, 0.8 s on and 3.2 s off, synthesized with Web
 * Audio so there is no sound file to load. Browsers keep an AudioContext suspended until the
 * user has interacted with the page; `audible` tells the page to say so rather than ring silently.
 */
export class Ringer {
  #ctx: AudioContext | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Creates the audio context; call it from a user gesture (the login click) when possible. */
  prepare(): void {
    if (this.#ctx === undefined && typeof AudioContext !== 'undefined') this.#ctx = new AudioContext();
    void this.#ctx?.resume().catch(() => undefined);
  }

  get audible(): boolean {
    return this.#ctx?.state === 'running';
  }

  start(): void {
    this.prepare();
    if (this.#timer !== undefined) return;
    this.#beep();
    this.#timer = setInterval(() => this.#beep(), 4000);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #beep(): void {
    const ctx = this.#ctx;
    if (ctx === undefined || ctx.state !== 'running') return;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 425;
    gain.gain.setValueAtTime(0, ctx.currentTime);
    gain.gain.linearRampToValueAtTime(0.2, ctx.currentTime + 0.02);
    gain.gain.setValueAtTime(0.2, ctx.currentTime + 0.78);
    gain.gain.linearRampToValueAtTime(0, ctx.currentTime + 0.8);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.82);
  }
}

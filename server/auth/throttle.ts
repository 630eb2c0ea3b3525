/**
 * Failed logins per username in a sliding window, in memory (one server process; a restart
 * forgets them, which costs an attacker a restart they cannot cause).
 *
 * An attempt is counted when it starts, not when its password check fails, so guesses sent in
 * parallel cannot all pass the check while scrypt runs; a success forgives the username's count.
 * Blocking per username lets anyone lock one account out for the window by guessing wrong on
 * purpose: the price of slowing guessing on that account to `limit` per window.
 */
export class LoginThrottle {
  readonly #attempts = new Map<string, number[]>();

  constructor(private readonly opts: { limit: number; windowMs: number; clock: () => number; maxKeys?: number }) {}

  /**
   * Counts an attempt for `key` and returns 0, or, when `limit` attempts were already counted
   * within the window, counts nothing and returns the milliseconds until the oldest leaves it.
   */
  begin(key: string): number {
    const now = this.opts.clock();
    const recent = (this.#attempts.get(key) ?? []).filter((at) => now - at < this.opts.windowMs);
    if (recent.length >= this.opts.limit) {
      this.#attempts.set(key, recent);
      return recent[0]! + this.opts.windowMs - now;
    }
    recent.push(now);
    this.#remember(key, recent, now);
    return 0;
  }

  /** The attempt on `key` succeeded: its earlier failures no longer count. */
  succeeded(key: string): void {
    this.#attempts.delete(key);
  }

  #remember(key: string, attempts: number[], now: number): void {
    const max = this.opts.maxKeys ?? 10_000;
    if (!this.#attempts.has(key) && this.#attempts.size >= max) {
      // Guesses over many usernames must not grow memory without bound: drop what has expired,
      // then the longest-known usernames.
      for (const [k, at] of this.#attempts) if (at.every((t) => now - t >= this.opts.windowMs)) this.#attempts.delete(k);
      for (const k of this.#attempts.keys()) {
        if (this.#attempts.size < max) break;
        this.#attempts.delete(k);
      }
    }
    this.#attempts.set(key, attempts);
  }
}

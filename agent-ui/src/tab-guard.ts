/**
 * One softphone per agent per browser. Asterisk keeps one registration per agent
 * (remove_existing): a second tab would silently take the calls while the first still looked
 * ready. A Web Lock named after the agent decides: the first tab holds it for as long as it
 * lives; a second tab is told so and may take over, which releases the first tab's lock and
 * tells that tab (onLost) to stop its phone.
 */
export class TabGuard {
  #release: (() => void) | undefined;

  constructor(private readonly name: string, private readonly onLost: () => void) {}

  /** True when this tab now holds the softphone; false when another tab does. */
  acquire(steal = false): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const options: LockOptions = steal ? { steal: true } : { ifAvailable: true };
      navigator.locks.request(this.name, options, (lock) => {
        if (lock === null) {
          resolve(false);
          return undefined;
        }
        resolve(true);
        // Held until released here or stolen by another tab.
        return new Promise<void>((release) => { this.#release = release; });
      }).catch((err: unknown) => {
        // A stolen lock rejects the holder's request with AbortError.
        if ((err as DOMException).name === 'AbortError' && this.#release !== undefined) {
          this.#release = undefined;
          this.onLost();
        }
      });
    });
  }

  release(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
}

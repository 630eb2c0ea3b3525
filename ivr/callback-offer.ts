/*
 * When a waiting caller is offered a callback that keeps their place in line (issue 6). Pure:
 * the call machine (ivr/call.ts) feeds it how long the caller has waited, by the server's clock,
 * and the last estimate the queue announced.
 *
 * The first offer comes by these rules; after it the offer stays open (1 pressed during the
 * music still books the callback) and is said again every `repeatMs`, since a caller who chose
 * to wait a minute ago may think otherwise after five. A new stay (the caller chose the
 * operator again from the menu) counts afresh. A caller an agent transfers into a queue is not
 * offered a callback: they have just been served and are being handed on.
 */

export interface CallbackOfferSettings {
  /** offer once the caller has waited this long (CALLBACK_OFFER_AFTER_S); 0: waiting alone never brings the offer */
  afterWaitMs: number;
  /** offer as soon as an announced estimate is above this (CALLBACK_OFFER_ESTIMATE_S); 0: the estimate never brings it */
  estimateAboveMs: number;
  /** say the offer again this long after it was last said (CALLBACK_OFFER_REPEAT_S); 0: once per stay */
  repeatMs: number;
}

export interface OfferQuestion {
  waitedMs: number;
  /**
   * The queue's estimate: null when no operator able to take the call is logged in (nobody to
   * wait for: above any threshold); undefined when none has been announced yet.
   */
  estimateMs?: number | null | undefined;
  alreadyOffered: boolean;
  settings: CallbackOfferSettings;
}

/**
 * Whether to make the first offer now: not when it was made already (its repeats run on a
 * timer); otherwise when the caller has
 * waited `afterWaitMs`, or when the honest estimate is above `estimateAboveMs` (or there is no
 * estimate because no operator works the queue). A rule set to 0 is off.
 */
export function shouldOfferCallback(q: OfferQuestion): boolean {
  if (q.alreadyOffered) return false;
  const { afterWaitMs, estimateAboveMs } = q.settings;
  if (afterWaitMs > 0 && q.waitedMs >= afterWaitMs) return true;
  if (estimateAboveMs > 0 && q.estimateMs !== undefined && (q.estimateMs === null || q.estimateMs > estimateAboveMs)) return true;
  return false;
}

import type { CallbackSettings } from '../config.js';

/*
 * What an attempt to call a customer back came to, and what happens next. Pure: the clock and
 * the working hours come in as arguments.
 *
 * A request's life (callback_requests.status):
 *   pending   --an agent is reserved for it (the queue offers it)----> dialing
 *   dialing   --the agent missed the offer------------------------------> pending   (waits in the queue again)
 *   dialing   --attempt answered (talked at least minTalkMs)-----------> completed
 *   dialing   --attempt failed, attempts left---------------------------> pending   (next_attempt_at: after the delay, in working hours)
 *   dialing   --attempt failed, none left----------------------------> failed
 *   dialing   --the server stopped mid-attempt (found at start)-----------> pending   (the attempt is 'interrupted', not counted)
 *   pending | failed --an agent calls by hand-----------------------------> dialing (manual)
 *   dialing (manual) --the agent marks it done / failed------------------> completed | failed
 *   pending --the agent marks it done or failed without calling-----------> completed | failed
 * completed and failed are final, except that an agent may still call a failed one by hand.
 */

export type AttemptOutcome = 'answered' | 'no_answer' | 'busy' | 'hung_up_at_once' | 'failed' | 'agent_hung_up' | 'interrupted';
export type CallbackStatus = 'pending' | 'dialing' | 'completed' | 'failed' | 'cancelled';

/** Asterisk hang-up causes (Q.850) of a leg that never answered. */
const BUSY = new Set([17]);
const NO_ANSWER = new Set([18, 19, 21]);

export interface LegResult {
  answered: boolean;
  talkMs: number;
  cause: number | null;
  endedBy: 'customer' | 'agent' | 'none';
}

/**
 * The outcome of one attempt. A customer who answers and hangs up at once (under `minTalkMs`:
 * an answering machine's beep, a pocket answer) has not been helped: a failed attempt, not a
 * success. An agent who gives up while the customer's phone still rings ends the attempt too.
 */
export function classifyAttempt(r: LegResult, minTalkMs: number): AttemptOutcome {
  if (r.answered) return r.talkMs >= minTalkMs ? 'answered' : 'hung_up_at_once';
  if (r.endedBy === 'agent') return 'agent_hung_up';
  if (r.cause !== null && BUSY.has(r.cause)) return 'busy';
  if (r.cause !== null && NO_ANSWER.has(r.cause)) return 'no_answer';
  return 'failed';
}

export type NextStep =
  | { status: 'completed' }
  | { status: 'failed' }
  | { status: 'pending'; nextAttemptAt: Date };

/**
 * What follows an attempt: done, given up after `maxAttempts`, or another try after the retry
 * delay — moved to the next opening when that moment falls outside working hours (a callback is
 * never dialled while the center is closed). With no opening in sight the request fails.
 */
export function afterAttempt(
  outcome: AttemptOutcome, attemptsMade: number, settings: CallbackSettings, now: Date,
  nextOpening: (at: Date) => Date | undefined,
): NextStep {
  if (outcome === 'answered') return { status: 'completed' };
  if (attemptsMade >= settings.maxAttempts) return { status: 'failed' };
  const due = nextOpening(new Date(now.getTime() + settings.retryDelayMs));
  return due === undefined ? { status: 'failed' } : { status: 'pending', nextAttemptAt: due };
}

/**
 * Where a waiting request stands in the queue: a first attempt keeps the caller's original place
 * (when they joined the queue); a retry lines up from when it became due.
 */
export function placeInLine(r: { attempts: number; queueEnteredAt: string; nextAttemptAt: string | null }, now: number): number {
  if (r.attempts === 0) return Date.parse(r.queueEnteredAt);
  return r.nextAttemptAt === null ? now : Math.min(Date.parse(r.nextAttemptAt), now);
}

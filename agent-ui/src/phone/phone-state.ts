/*
 * The softphone's life, as a pure state machine: `phoneStep(state, event)` returns the next
 * state. The SipController (sip-controller.ts) turns sip.js callbacks into these events; the
 * page renders only the state. Times are plain numbers carried by events (a fake clock in tests).
 *
 * Registration (the line to Asterisk):
 *   idle          --start------------> connecting
 *   connecting    --registered-------> registered
 *   connecting    --register_failed--> failed          (credentials refused, endpoint unknown: needs a person)
 *   connecting    --transport_lost---> unregistered    (retried with backoff)
 *   registered    --transport_lost---> unregistered
 *   unregistered  --transport_lost---> unregistered    (a retry failed too; the reason is updated)
 *   registered    --unregistered-----> unregistered    (the registration lapsed or was taken over)
 *   unregistered  --registered-------> registered
 *   unregistered  --register_failed--> failed
 *   unregistered  --start------------> connecting      (a reconnection attempt)
 *   failed        --start------------> connecting      (a slow retry: see SipController)
 *   failed        --transport_lost---> unregistered    (and the connection is gone too)
 *   any           --stopped----------> idle            (logout, tab closed or taken over)
 *
 * The call (at most one: a second INVITE is refused busy by the controller):
 *   none          --invited----------> ringing         (inbound; outbound when we expected it)
 *   ringing       --answering--------> connecting
 *   ringing       --established------> established     (auto-answered outbound leg)
 *   connecting    --established------> established
 *   ringing | connecting | established --ended--> none
 *
 * Media permission is independent of both: `media` records the last microphone check.
 * Anything else throws PhoneTransitionError: a sip.js callback in an unexpected order is a bug
 * to see, not to paper over.
 */

export type Registration = 'idle' | 'connecting' | 'registered' | 'unregistered' | 'failed';

export interface PhoneCall {
  direction: 'inbound' | 'outbound';
  state: 'ringing' | 'connecting' | 'established';
  /** the other party as the INVITE names it (the caller's number) */
  remote: string;
  since: number;
  answeredAt: number | null;
}

export interface PhoneState {
  registration: Registration;
  /** why registration failed or was lost, for the agent to read */
  problem: string | null;
  media: 'unchecked' | 'ok' | 'denied' | 'missing';
  call: PhoneCall | null;
}

export type PhoneEvent =
  | { type: 'start' }
  | { type: 'registered' }
  | { type: 'unregistered' }
  | { type: 'register_failed'; reason: string }
  | { type: 'transport_lost'; reason: string }
  | { type: 'stopped' }
  | { type: 'media_checked'; result: 'ok' | 'denied' | 'missing' }
  | { type: 'invited'; remote: string; direction: 'inbound' | 'outbound'; at: number }
  | { type: 'answering' }
  | { type: 'established'; at: number }
  | { type: 'ended' };

export const initialPhoneState: PhoneState = { registration: 'idle', problem: null, media: 'unchecked', call: null };

export class PhoneTransitionError extends Error {
  override readonly name = 'PhoneTransitionError';
  readonly code = 'CC_ERR_PHONE_INVALID_TRANSITION';
  constructor(readonly from: string, readonly event: PhoneEvent['type']) {
    super(`softphone event ${event} is not expected in ${from}`);
  }
}

const REGISTRATION: Partial<Record<PhoneEvent['type'], Partial<Record<Registration, Registration>>>> = {
  start: { idle: 'connecting', unregistered: 'connecting', failed: 'connecting' },
  registered: { connecting: 'registered', unregistered: 'registered' },
  unregistered: { registered: 'unregistered' },
  register_failed: { connecting: 'failed', unregistered: 'failed' },
  transport_lost: { connecting: 'unregistered', registered: 'unregistered', unregistered: 'unregistered', failed: 'unregistered' },
};

export function phoneStep(s: PhoneState, e: PhoneEvent): PhoneState {
  switch (e.type) {
    case 'stopped':
      return { ...s, registration: 'idle', problem: null, call: null };
    case 'media_checked':
      return { ...s, media: e.result };
    case 'start':
    case 'registered':
    case 'unregistered':
    case 'register_failed':
    case 'transport_lost': {
      const next = REGISTRATION[e.type]?.[s.registration];
      if (next === undefined) throw new PhoneTransitionError(s.registration, e.type);
      const problem = e.type === 'register_failed' || e.type === 'transport_lost' ? e.reason : e.type === 'registered' ? null : s.problem;
      return { ...s, registration: next, problem };
    }
    case 'invited':
      if (s.call !== null) break;
      return { ...s, call: { direction: e.direction, state: 'ringing', remote: e.remote, since: e.at, answeredAt: null } };
    case 'answering':
      if (s.call?.state !== 'ringing') break;
      return { ...s, call: { ...s.call, state: 'connecting' } };
    case 'established':
      if (s.call === null || s.call.state === 'established') break;
      return { ...s, call: { ...s.call, state: 'established', answeredAt: e.at } };
    case 'ended':
      if (s.call === null) break;
      return { ...s, call: null };
  }
  throw new PhoneTransitionError(s.call === null ? 'no call' : s.call.state, e.type);
}

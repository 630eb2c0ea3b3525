import t from 'tap';
import { initialPhoneState, phoneStep, PhoneTransitionError, type PhoneEvent, type PhoneState } from '../../agent-ui/src/phone/phone-state.js';

const run = (events: PhoneEvent[], from: PhoneState = initialPhoneState) => {
  const seen: PhoneState[] = [];
  let s = from;
  for (const e of events) seen.push((s = phoneStep(s, e)));
  return seen;
};

t.test('a softphone connects, registers and clears any earlier problem', async (t) => {
  const states = run([{ type: 'start' }, { type: 'transport_lost', reason: 'ws closed' }, { type: 'start' }, { type: 'registered' }]);
  t.same(states.map((s) => s.registration), ['connecting', 'unregistered', 'connecting', 'registered']);
  t.equal(states[1]!.problem, 'ws closed');
  t.equal(states[3]!.problem, null);
});

t.test('a network drop while registered leaves it unregistered until a retry registers again', async (t) => {
  const registered = run([{ type: 'start' }, { type: 'registered' }]).at(-1)!;
  const states = run([{ type: 'transport_lost', reason: 'offline' }, { type: 'transport_lost', reason: 'still offline' }, { type: 'start' }, { type: 'registered' }], registered);
  t.same(states.map((s) => s.registration), ['unregistered', 'unregistered', 'connecting', 'registered']);
  t.equal(states[1]!.problem, 'still offline');
});

t.test('refused credentials are a failure that waits for the agent, not a retry loop', async (t) => {
  const failed = run([{ type: 'start' }, { type: 'register_failed', reason: '401 Unauthorized' }]).at(-1)!;
  t.equal(failed.registration, 'failed');
  t.equal(failed.problem, '401 Unauthorized');
  t.throws(() => phoneStep(failed, { type: 'registered' }), PhoneTransitionError);
  t.equal(phoneStep(failed, { type: 'start' }).registration, 'connecting');
});

t.test('an inbound call rings, connects on answer and is established, then ends', async (t) => {
  const registered = run([{ type: 'start' }, { type: 'registered' }]).at(-1)!;
  const states = run([
    { type: 'invited', remote: '+74012000001', direction: 'inbound', at: 1000 },
    { type: 'answering' },
    { type: 'established', at: 3000 },
    { type: 'ended' },
  ], registered);
  t.same(states.map((s) => s.call?.state ?? 'none'), ['ringing', 'connecting', 'established', 'none']);
  t.same(states[2]!.call, { direction: 'inbound', state: 'established', remote: '+74012000001', since: 1000, answeredAt: 3000 });
  t.equal(states[3]!.registration, 'registered', 'the line stays registered');
});

t.test('an outbound leg the agent dialed is established without an answering step', async (t) => {
  const states = run([{ type: 'invited', remote: '+74012000002', direction: 'outbound', at: 0 }, { type: 'established', at: 10 }]);
  t.equal(states[1]!.call?.direction, 'outbound');
  t.equal(states[1]!.call?.state, 'established');
});

t.test('a caller who gives up while it rings ends the call without an answer', async (t) => {
  const states = run([{ type: 'invited', remote: '1', direction: 'inbound', at: 0 }, { type: 'ended' }]);
  t.equal(states[1]!.call, null);
});

t.test('call events out of order are refused', async (t) => {
  t.throws(() => phoneStep(initialPhoneState, { type: 'answering' }), { code: 'CC_ERR_PHONE_INVALID_TRANSITION' });
  t.throws(() => phoneStep(initialPhoneState, { type: 'ended' }), PhoneTransitionError);
  const ringing = phoneStep(initialPhoneState, { type: 'invited', remote: '1', direction: 'inbound', at: 0 });
  t.throws(() => phoneStep(ringing, { type: 'invited', remote: '2', direction: 'inbound', at: 1 }), PhoneTransitionError, 'no second call');
  const established = run([{ type: 'answering' }, { type: 'established', at: 1 }], ringing).at(-1)!;
  t.throws(() => phoneStep(established, { type: 'answering' }), PhoneTransitionError);
  t.throws(() => phoneStep(established, { type: 'established', at: 2 }), PhoneTransitionError);
});

t.test('stopping drops the line and any call; a microphone refusal is kept apart from registration', async (t) => {
  const inCall = run([{ type: 'start' }, { type: 'registered' }, { type: 'invited', remote: '1', direction: 'inbound', at: 0 }, { type: 'media_checked', result: 'denied' }]).at(-1)!;
  t.equal(inCall.media, 'denied');
  t.equal(inCall.registration, 'registered');
  const stopped = phoneStep(inCall, { type: 'stopped' });
  t.same({ registration: stopped.registration, call: stopped.call, media: stopped.media }, { registration: 'idle', call: null, media: 'denied' });
});

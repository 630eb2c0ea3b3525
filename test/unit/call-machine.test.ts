import t from 'tap';
import { initialState, InvalidTransitionError, step, type CallState } from '../../ivr/call.js';

const ctx = { callId: 'c1' };
const cause = { code: 16, text: 'Normal Clearing' };

t.test('a call that enters the application is answered', async (t) => {
  const [next, effects] = step(ctx, initialState(), { type: 'started' });
  t.equal(next.kind, 'answering');
  t.same(effects, [{ do: 'answer' }]);
});

t.test('an answered call hears the greeting, with a playback id derived from the call id', async (t) => {
  const [next, effects] = step(ctx, { kind: 'answering' }, { type: 'answered' });
  t.same(next, { kind: 'greeting', playbackId: 'c1-p1' });
  t.same(effects, [{ do: 'play', prompt: 'greeting', playbackId: 'c1-p1' }]);
});

t.test('when the greeting ends the server hangs up and the call completes', async (t) => {
  const [hanging, effects] = step(ctx, { kind: 'greeting', playbackId: 'c1-p1' }, { type: 'playback_finished', playbackId: 'c1-p1' });
  t.same(effects, [{ do: 'hang_up' }]);
  const [ended] = step(ctx, hanging, { type: 'hung_up', by: 'us', cause });
  t.same(ended, { kind: 'ended', outcome: 'completed', cause });
});

t.test('the end of some other playback does not end the greeting', async (t) => {
  t.throws(() => step(ctx, { kind: 'greeting', playbackId: 'c1-p1' }, { type: 'playback_finished', playbackId: 'other' }), InvalidTransitionError);
});

t.test('a caller who hangs up before the greeting ends has abandoned the call', async (t) => {
  for (const s of [{ kind: 'arrived' }, { kind: 'answering' }, { kind: 'greeting', playbackId: 'x' }] as CallState[]) {
    const [ended, effects] = step(ctx, s, { type: 'hung_up', by: 'remote', cause });
    t.same(ended, { kind: 'ended', outcome: 'abandoned', cause }, s.kind);
    t.same(effects, []);
  }
});

t.test('an ARI error on a call hangs it up and the call counts as failed', async (t) => {
  const [hanging, effects] = step(ctx, { kind: 'answering' }, { type: 'effect_failed', effect: 'answer', error: 'boom' });
  t.same(hanging, { kind: 'hanging_up', outcome: 'failed' });
  t.same(effects, [{ do: 'hang_up' }]);
  const [again, none] = step(ctx, hanging, { type: 'effect_failed', effect: 'hang_up', error: 'gone' });
  t.same(again, hanging, 'a failed hang-up does not loop');
  t.same(none, []);
  t.same(step(ctx, hanging, { type: 'hung_up', by: 'remote', cause })[0], { kind: 'ended', outcome: 'failed', cause });
});

t.test('Asterisk shutting down under a call makes it failed, whatever the call was doing', async (t) => {
  for (const s of [{ kind: 'answering' }, { kind: 'greeting', playbackId: 'x' }, { kind: 'hanging_up', outcome: 'completed' }] as CallState[]) {
    const [ended] = step(ctx, s, { type: 'hung_up', by: 'asterisk', cause: { code: 4, text: 'Asterisk shut down' } });
    t.equal(ended.kind === 'ended' && ended.outcome, 'failed', s.kind);
  }
});

t.test('a call whose channel vanished unseen ends with the outcome the server chose', async (t) => {
  const [ended] = step(ctx, { kind: 'greeting', playbackId: 'x' }, { type: 'lost', outcome: 'failed', reason: 'asterisk restarted' });
  t.same(ended, { kind: 'ended', outcome: 'failed', cause: { code: 0, text: 'asterisk restarted' } });
});

t.test('an ended call accepts no further event', async (t) => {
  t.throws(() => step(ctx, { kind: 'ended', outcome: 'completed', cause }, { type: 'hung_up', by: 'remote', cause }), InvalidTransitionError);
});

t.test('events out of order are refused, not ignored', async (t) => {
  t.throws(() => step(ctx, initialState(), { type: 'answered' }), { code: 'CC_ERR_CALL_INVALID_TRANSITION' });
  t.throws(() => step(ctx, { kind: 'answering' }, { type: 'started' }), { code: 'CC_ERR_CALL_INVALID_TRANSITION' });
});

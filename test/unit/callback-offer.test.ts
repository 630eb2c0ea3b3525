import t from 'tap';
import { shouldOfferCallback, type CallbackOfferSettings } from '../../ivr/callback-offer.js';
import { ClockedIvr } from '../support/clocked-ivr.js';

const settings: CallbackOfferSettings = { afterWaitMs: 60_000, estimateAboveMs: 120_000, repeatMs: 0 };
const ask = (over: Partial<Parameters<typeof shouldOfferCallback>[0]>) =>
  shouldOfferCallback({ waitedMs: 0, alreadyOffered: false, settings, ...over });

t.test('the rules: after the wait, or when the estimate passes the threshold, never twice', async (t) => {
  t.notOk(ask({ waitedMs: 59_999, estimateMs: 120_000 }), 'below both: no offer');
  t.ok(ask({ waitedMs: 60_000 }), 'a minute of waiting');
  t.ok(ask({ waitedMs: 5_000, estimateMs: 120_001 }), 'an estimate above two minutes, early on');
  t.ok(ask({ waitedMs: 5_000, estimateMs: null }), 'no operator logged in: nobody to wait for');
  t.notOk(ask({ waitedMs: 5_000, estimateMs: undefined }), 'no estimate announced yet');
  t.notOk(ask({ waitedMs: 600_000, estimateMs: null, alreadyOffered: true }), 'at most once per stay');
  t.notOk(ask({ waitedMs: 600_000, settings: { afterWaitMs: 0, estimateAboveMs: 120_000, repeatMs: 0 } }), 'the wait rule off');
  t.notOk(ask({ waitedMs: 1_000, estimateMs: null, settings: { afterWaitMs: 60_000, estimateAboveMs: 0, repeatMs: 0 } }), 'the estimate rule off');
});

/** A caller who pressed 0 at 10:00 on a working day, with the offer on. */
function waitingCaller() {
  const ivr = new ClockedIvr('2026-11-25T08:00:00Z', { callbackOffer: settings, callerE164: '+74012000001' });
  ivr.start();
  ivr.press('0');
  ivr.joined();
  return ivr;
}

const offered = (ivr: ClockedIvr) => ivr.effects.some((e) => e.do === 'play' && e.speech.some((s) => s.prompt === 'callback_offer'));

t.test('a caller who has waited a minute hears the offer, out of the music', async (t) => {
  const ivr = waitingCaller();
  t.same(ivr.finishPrompt(), [{ do: 'hold_music', on: true }], '"connecting you", then the music');
  t.same(ivr.advance(59_000), [], 'nothing before the minute is up');
  const fx = ivr.advance(1_000);
  t.same(fx[0], { do: 'hold_music', on: false });
  t.same(ivr.heard(), ['callback_offer']);
  t.equal(ivr.notes('callback_offered').length, 1);
});

t.test('an estimate above two minutes brings the offer right after it, in one breath', async (t) => {
  const ivr = waitingCaller();
  ivr.finishPrompt();
  ivr.advance(10_000);
  ivr.status({ position: 4, estimateMs: 300_000 });
  t.same(ivr.heard(), ['queue_estimate', 'queue_position', 'callback_offer']);
  t.ok(ivr.effects.some((e) => e.do === 'cancel_timer'), 'the wait rule\'s timer is no longer needed');
});

t.test('below both thresholds the caller hears the announcement and no offer', async (t) => {
  const ivr = waitingCaller();
  ivr.finishPrompt();
  ivr.advance(30_000);
  ivr.status({ position: 2, estimateMs: 90_000 });
  t.same(ivr.heard(), ['queue_estimate', 'queue_position']);
  t.same(ivr.finishPrompt(), [{ do: 'hold_music', on: true }]);
  t.notOk(offered(ivr));
});

t.test('the minute passing during an announcement: the offer follows it instead of the music', async (t) => {
  const ivr = waitingCaller();
  ivr.finishPrompt();
  ivr.advance(58_000);
  ivr.status({ position: 2, estimateMs: 60_000 });
  t.same(ivr.advance(3_000), [], 'not over the announcement');
  const fx = ivr.finishPrompt();
  t.notOk(fx.some((e) => e.do === 'hold_music'), 'no music in between');
  t.same(ivr.heard(), ['callback_offer']);
});

t.test('after the offer the caller is back in the music at once; with repeats off they are not asked again in this stay', async (t) => {
  const ivr = waitingCaller();
  ivr.finishPrompt();
  ivr.advance(60_000);
  const fx = ivr.finishPlaying();
  t.same(fx, [{ do: 'hold_music', on: true }], 'no silence waiting for an answer: back to the music');
  t.match(ivr.state, { kind: 'queued', callback: { at: 'open', timerId: null } });
  ivr.advance(120_000);
  ivr.status({ position: 3, estimateMs: 600_000 });
  t.same(ivr.heard(), ['queue_estimate', 'queue_position'], 'a long estimate later brings no second offer');
  t.equal(ivr.notes('callback_offered').length, 1);
});

t.test('another key during the offer declines it at once', async (t) => {
  const ivr = waitingCaller();
  ivr.finishPrompt();
  ivr.advance(60_000);
  const playing = ivr.lastPlay().playbackId;
  t.same(ivr.press('5'), [
    { do: 'stop_playback', playbackId: playing },
    { do: 'note', what: 'callback_declined', data: { mode: 'keep_place', by: 'key' } },
    { do: 'hold_music', on: true },
  ]);
  t.equal(ivr.state.kind, 'queued');
});

t.test('without the settings (offers off) a waiting caller is never offered a callback', async (t) => {
  const ivr = new ClockedIvr('2026-11-25T08:00:00Z');
  ivr.start();
  ivr.press('0');
  ivr.joined();
  ivr.finishPrompt();
  t.same(ivr.advance(3_600_000), []);
  ivr.status({ position: 1, estimateMs: null });
  t.same(ivr.heard(), ['queue_estimate_unknown', 'queue_next']);
});

import t from 'tap';
import type { CallbackOfferSettings } from '../../ivr/callback-offer.js';
import { IvrDriver } from '../support/ivr-driver.js';
import { ClockedIvr } from '../support/clocked-ivr.js';

/*
 * What a waiting caller hears (ivr/waiting.ts): honest words about who is on shift, an estimate
 * or that it is unknown, never a sentence cut short, the music whenever nothing is said, and a
 * callback offer that stays open and comes back.
 */

const offers: CallbackOfferSettings = { afterWaitMs: 60_000, estimateAboveMs: 120_000, repeatMs: 90_000 };

function inQueue(ctx: ConstructorParameters<typeof ClockedIvr>[1] = {}) {
  const ivr = new ClockedIvr('2026-11-25T08:00:00Z', { callbackOffer: offers, callerE164: '+74012000001', ...ctx });
  ivr.start();
  ivr.press('0');
  return ivr;
}

/** A caller with one operator on shift who heard the offer a minute in and is back in the music, the offer open. */
function offeredAndBack(): ClockedIvr {
  const ivr = inQueue();
  ivr.joined({ loggedIn: 1 });
  ivr.finishPrompt();
  ivr.advance(60_000);
  ivr.finishPlaying();
  return ivr;
}

t.test('with nobody on shift the first words are that nobody is there, and the callback offer at once', async (t) => {
  const ivr = inQueue();
  ivr.joined({ loggedIn: 0, estimateMs: null });
  t.same(ivr.heard(), ['queue_no_operators', 'callback_offer']);
  t.same(ivr.notes('callback_offered'), [{ mode: 'keep_place' }]);
});

t.test('with nobody on shift and offers off, the caller hears that we connect them when an operator starts', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.press('0');
  ivr.joined({ loggedIn: 0, estimateMs: null });
  t.same(ivr.heard(), ['queue_no_operators', 'queue_no_operators_wait']);
});

t.test('a caller the menu did not understand is told why before anything else, whoever is on shift', async (t) => {
  for (const [loggedIn, expected] of [[2, ['misunderstood_to_operator']], [0, ['misunderstood', 'queue_no_operators', 'callback_offer']]] as const) {
    const ivr = new ClockedIvr('2026-11-25T08:00:00Z', { callbackOffer: offers });
    ivr.start();
    ivr.finishPrompt();
    ivr.press('777');
    ivr.joined({ loggedIn, estimateMs: loggedIn === 0 ? null : 60_000 });
    t.same(ivr.heard(), expected, `${loggedIn} on shift`);
  }
});

t.test('the estimate: minutes, less than a minute, or said to be unknown when every operator on shift is paused', async (t) => {
  const ivr = inQueue({ callbackOffer: { ...offers, estimateAboveMs: 0 } });
  ivr.joined({ loggedIn: 3 });
  ivr.finishPrompt();
  ivr.status({ position: 4, estimateMs: 5 * 60_000, loggedIn: 3 });
  t.same(ivr.heard(), ['queue_estimate', 'queue_position']);
  t.same(ivr.lastPlay().speech[0]!.params, { minutes: { kind: 'minutes', n: 5 } });
  ivr.finishPrompt();
  ivr.status({ position: 1, estimateMs: 40_000, loggedIn: 3 });
  t.same(ivr.heard(), ['queue_estimate_soon', 'queue_next']);
  ivr.finishPrompt();
  ivr.status({ position: 2, estimateMs: null, loggedIn: 3 });
  t.same(ivr.heard(), ['queue_estimate_unknown', 'queue_position'], 'unknown is said as such, never as silence');
});

t.test('an announcement that comes while the first words play is said right after them, with no music in between', async (t) => {
  const ivr = inQueue();
  ivr.joined({ loggedIn: 1 });
  t.same(ivr.status({ position: 2, estimateMs: 90_000 }), []);
  const fx = ivr.finishPrompt();
  t.notOk(fx.some((e) => e.do === 'hold_music'));
  t.same(ivr.heard(), ['queue_estimate', 'queue_position']);
  t.same(ivr.finishPrompt(), [{ do: 'hold_music', on: true }], 'then the music');
});

t.test('after the offer the caller is in the music, and a 1 there books the callback: their number is read back', async (t) => {
  const ivr = inQueue();
  ivr.joined({ loggedIn: 1 });
  ivr.finishPrompt();
  ivr.advance(60_000);
  t.same(ivr.heard(), ['callback_offer']);
  t.same(ivr.finishPlaying().at(-1), { do: 'hold_music', on: true });
  const fx = ivr.press('1');
  t.same(fx[0], { do: 'hold_music', on: false }, 'out of the music first');
  t.ok(fx.some((e) => e.do === 'cancel_timer'), 'the repeat is no longer needed');
  t.same(ivr.heard(), ['callback_readback']);
  t.same(ivr.notes('callback_accepted'), [{ mode: 'keep_place' }]);
});

t.test('other keys in the music do nothing', async (t) => {
  const ivr = offeredAndBack();
  t.same(ivr.press('5'), []);
  t.same(ivr.press('#'), []);
});

t.test('the offer is said again after the repeat interval, and again after that', async (t) => {
  const ivr = offeredAndBack();
  t.same(ivr.advance(89_000), [], 'not before the interval');
  const fx = ivr.advance(1_000);
  t.same(fx[0], { do: 'hold_music', on: false });
  t.same(ivr.heard(), ['callback_offer']);
  ivr.finishPlaying();
  ivr.advance(90_000);
  t.equal(ivr.notes('callback_offered').length, 3);
});

t.test('a repeat that falls during an announcement follows it', async (t) => {
  const ivr = offeredAndBack();
  ivr.advance(85_000);
  ivr.status({ position: 2, estimateMs: 90_000 });
  t.same(ivr.advance(10_000), [], 'not over the announcement');
  ivr.finishPrompt();
  t.same(ivr.heard(), ['callback_offer']);
});

t.test('while the offer is open, a caller told again that nobody is on shift hears the offer with it', async (t) => {
  const ivr = inQueue();
  ivr.joined({ loggedIn: 0, estimateMs: null });
  ivr.finishPlaying();
  ivr.advance(30_000);
  ivr.status({ position: 1, estimateMs: null, loggedIn: 0 });
  t.same(ivr.heard(), ['queue_no_operators', 'callback_offer']);
});

t.test('an agent answering a caller in the music with the offer open cancels its repeat', async (t) => {
  const ivr = offeredAndBack();
  const state = ivr.state;
  const timerId = state.kind === 'queued' && state.callback?.at === 'open' ? state.callback.timerId : null;
  const fx = ivr.send({ type: 'agent_connected', agentId: 3 });
  t.ok(fx.some((e) => e.do === 'cancel_timer' && e.timerId === timerId));
  t.equal(ivr.state.kind, 'with_agent');
});

t.test('after a failed booking the offer is not made again in this stay', async (t) => {
  const ivr = inQueue();
  ivr.joined({ loggedIn: 1 });
  ivr.finishPrompt();
  ivr.advance(60_000);
  ivr.press('11');
  ivr.answerBooking({ kind: 'failed', error: 'disk full' });
  ivr.finishPlaying();
  t.match(ivr.state, { kind: 'queued', callback: { at: 'done' } });
  ivr.advance(600_000);
  t.same(ivr.press('1'), [], 'a 1 no longer books');
  t.equal(ivr.notes('callback_offered').length, 1);
});

t.test('a second queue_joined changes nothing; nothing is said before the first', async (t) => {
  const ivr = inQueue();
  t.same(ivr.status({ position: 1, estimateMs: 60_000 }), [], 'an announcement before joining waits');
  ivr.joined({ loggedIn: 1 });
  t.same(ivr.heard(), ['queue_entered']);
  t.same(ivr.joined({ loggedIn: 0 }), []);
});

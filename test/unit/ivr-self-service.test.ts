import t from 'tap';
import type { ReadingContext } from '../../ivr/flows.js';
import { IvrDriver } from '../support/ivr-driver.js';

const account = { accountId: 7, accountNumber: '3900000001' };
const single: ReadingContext = { tariff: 'single', lastDay: 31207, lastNight: null, plausibleDelta: 1500 };
const twoZone: ReadingContext = { tariff: 'two_zone', lastDay: 12480, lastNight: 6915, plausibleDelta: 1500 };

/** A caller in the main menu who chose `key`. */
function chose(key: string, identified: typeof account | null = null): IvrDriver {
  const ivr = new IvrDriver({ identified }).start();
  ivr.finishPrompt();
  ivr.press(key);
  return ivr;
}

t.test('sending a reading: account, read-back, reading, read-back, and only then the reading is stored', async (t) => {
  const ivr = chose('2');
  t.same(ivr.heard(), ['enter_account']);
  ivr.press('3900000001#');
  t.same(ivr.pendingRequest(), { kind: 'find_account', number: '3900000001' });
  ivr.respond({ kind: 'account', account });
  t.same(ivr.heard(), ['account_readback']);
  t.same(ivr.lastPlay().speech[0]!.params, { digits: { kind: 'digits', value: '3900000001' } });
  ivr.press('1');
  t.same(ivr.pendingRequest(), { kind: 'reading_context', accountId: 7 });
  ivr.respond({ kind: 'reading_context', ctx: single });
  t.same(ivr.heard(), ['enter_reading_single']);
  ivr.press('31450#');
  t.same(ivr.heard(), ['reading_readback']);
  t.same(ivr.lastPlay().speech[0]!.params, { value: { kind: 'kwh', n: 31450 } });
  t.notOk(ivr.requests().some((r) => r.kind === 'store_reading'), 'nothing stored before the last confirmation');
  ivr.press('1');
  t.same(ivr.pendingRequest(), { kind: 'store_reading', accountId: 7, day: 31450, night: null });
  ivr.respond({ kind: 'stored', readingId: 99 });
  t.same(ivr.heard(), ['reading_saved']);
  t.same(ivr.notes('reading_stored'), [{ readingId: 99, accountId: 7 }]);
  ivr.finishPrompt();
  t.same(ivr.heard(), ['main_menu']);
});

t.test('a two-zone meter asks for the day and then the night reading and stores both', async (t) => {
  const ivr = chose('2');
  ivr.press('3900000002#');
  ivr.respond({ kind: 'account', account: { accountId: 8, accountNumber: '3900000002' } });
  ivr.press('1');
  ivr.respond({ kind: 'reading_context', ctx: twoZone });
  t.same(ivr.heard(), ['enter_reading_day']);
  ivr.press('12700#');
  ivr.press('1');
  t.same(ivr.heard(), ['enter_reading_night']);
  ivr.press('7000#');
  ivr.press('1');
  t.same(ivr.pendingRequest(), { kind: 'store_reading', accountId: 8, day: 12700, night: 7000 });
});

t.test('a reading below the last one is refused with the last value said', async (t) => {
  const ivr = chose('2', account);
  ivr.press('1');
  ivr.respond({ kind: 'reading_context', ctx: single });
  ivr.press('31000#');
  t.same(ivr.heard(), ['reading_below_last', 'enter_reading_single']);
  t.same(ivr.lastPlay().speech[0]!.params, { last: { kind: 'kwh', n: 31207 } });
});

t.test('an implausible jump is read back with a warning and must be confirmed again', async (t) => {
  const ivr = chose('2', account);
  ivr.press('1');
  ivr.respond({ kind: 'reading_context', ctx: single });
  ivr.press('39207#');
  ivr.press('1');
  t.same(ivr.heard(), ['reading_jump_warning']);
  t.same(ivr.lastPlay().speech[0]!.params, { delta: { kind: 'kwh', n: 8000 } });
  ivr.press('2');
  t.same(ivr.heard(), ['enter_reading_single'], '2 enters it again');
  ivr.press('39207#');
  ivr.press('1');
  ivr.press('1');
  t.same(ivr.pendingRequest(), { kind: 'store_reading', accountId: 7, day: 39207, night: null });
});

t.test('2 at a read-back lets the caller enter the account again', async (t) => {
  const ivr = chose('2');
  ivr.press('3900000009#');
  ivr.respond({ kind: 'account', account });
  ivr.press('2');
  t.same(ivr.heard(), ['enter_account']);
});

t.test('an unknown account is said so and asked again; after three the caller goes to the operator', async (t) => {
  const ivr = chose('2');
  for (let i = 0; i < 2; i++) {
    ivr.press('123#');
    ivr.respond({ kind: 'account', account: null });
    t.same(ivr.heard(), ['account_not_found', 'enter_account']);
  }
  ivr.press('123#');
  ivr.respond({ kind: 'account', account: null });
  t.equal(ivr.state.kind, 'queued');
  ivr.joined();
  t.same(ivr.heard(), ['misunderstood_to_operator']);
});

t.test('an identified caller confirms the account by its last digits instead of typing it', async (t) => {
  const ivr = chose('3', account);
  t.same(ivr.heard(), ['confirm_identified_account']);
  t.same(ivr.lastPlay().speech[0]!.params, { last: { kind: 'last_digits', value: '0001' } });
  ivr.press('1');
  t.same(ivr.pendingRequest(), { kind: 'balance', accountId: 7 });
});

t.test('an identified caller who says it is not their account types it', async (t) => {
  const ivr = chose('3', account);
  ivr.press('2');
  t.same(ivr.heard(), ['enter_account']);
});

t.test('the balance: a debt in rubles and kopecks and the last payment', async (t) => {
  const ivr = chose('3');
  ivr.press('3900000001#');
  ivr.respond({ kind: 'account', account: { ...account, linked: true } });
  t.same(ivr.pendingRequest(), { kind: 'balance', accountId: 7 }, 'no read-back for a balance');
  ivr.respond({ kind: 'balance', balanceKop: 123456, lastPayment: { date: '2026-10-21', amountKop: 150000 } });
  t.same(ivr.heard(), ['balance_debt', 'balance_last_payment']);
  t.same(ivr.lastPlay().speech.map((s) => s.params), [
    { amount: { kind: 'money', kopecks: 123456 } },
    { date: { kind: 'date', iso: '2026-10-21' }, amount: { kind: 'money', kopecks: 150000 } },
  ]);
  t.ok(ivr.ivr.served);
});

t.test('an overpaid account hears its credit, a settled one hears there is no debt', async (t) => {
  const credit = chose('3', account);
  credit.press('1');
  credit.respond({ kind: 'balance', balanceKop: -5000, lastPayment: null });
  t.same(credit.heard(), ['balance_credit', 'balance_no_payments']);
  t.same(credit.lastPlay().speech[0]!.params, { amount: { kind: 'money', kopecks: 5000 } });
  const zero = chose('3', account);
  zero.press('1');
  zero.respond({ kind: 'balance', balanceKop: 0, lastPayment: null });
  t.same(zero.heard(), ['balance_zero', 'balance_no_payments']);
});

t.test('an appeal\'s status and due date', async (t) => {
  const ivr = chose('4');
  t.same(ivr.heard(), ['enter_appeal']);
  ivr.press('26000001#');
  t.same(ivr.pendingRequest(), { kind: 'find_appeal', number: '26000001' });
  ivr.respond({ kind: 'appeal', appeal: { number: '26000001', status: 'in_progress', dueDate: '2026-12-21' } });
  t.same(ivr.heard(), ['appeal_status']);
  t.same(ivr.lastPlay().speech[0]!.params, {
    digits: { kind: 'digits', value: '26000001' }, status: { kind: 'prompt', prompt: 'appeal_status_in_progress' }, date: { kind: 'date', iso: '2026-12-21' },
  });
});

t.test('an unknown appeal number is said so and asked again', async (t) => {
  const ivr = chose('4');
  ivr.press('1#');
  ivr.respond({ kind: 'appeal', appeal: null });
  t.same(ivr.heard(), ['appeal_not_found', 'enter_appeal']);
});

t.test('too many digits: a hint and the entry again', async (t) => {
  const ivr = chose('2');
  ivr.press('1234567890123');
  t.same(ivr.heard(), ['too_many_digits', 'enter_account']);
  t.same(ivr.requests().filter((r) => r.kind === 'find_account'), []);
});

t.test('a number without its # is taken when the caller stops typing', async (t) => {
  const ivr = chose('2');
  ivr.press('3900000001');
  ivr.silence();
  t.same(ivr.pendingRequest(), { kind: 'find_account', number: '3900000001' });
});

t.test('# with nothing typed goes back to the main menu; * starts the number again', async (t) => {
  const ivr = chose('2');
  ivr.press('39*');
  t.same(ivr.heard(), ['enter_account']);
  t.equal(ivr.ivr.input, '');
  ivr.press('#');
  t.same(ivr.heard(), ['main_menu']);
});

t.test('keys typed while the server looks up are kept in order and used without replaying the prompt', async (t) => {
  const ivr = chose('2');
  ivr.press('3900000001#');
  ivr.press('1'); // confirms the read-back before it is even played
  t.equal(ivr.ivr.typeahead, '1');
  const plays = ivr.effects.filter((e) => e.do === 'play').length;
  ivr.respond({ kind: 'account', account });
  t.same(ivr.pendingRequest(), { kind: 'reading_context', accountId: 7 });
  t.equal(ivr.effects.filter((e) => e.do === 'play').length, plays, 'the read-back was skipped');
});

t.test('a flood of keys while the server is busy is bounded, never a crash', async (t) => {
  const ivr = chose('2');
  ivr.press('3900000001#');
  ivr.press('5'.repeat(100));
  t.equal(ivr.ivr.typeahead.length, 32);
  t.equal(ivr.notes('key_dropped').length, 68);
});

t.test('a caller who hangs up in the middle of a reading stores nothing', async (t) => {
  const ivr = chose('2', account);
  ivr.press('1');
  ivr.respond({ kind: 'reading_context', ctx: single });
  ivr.press('31450#');
  ivr.send({ type: 'hung_up', by: 'remote', cause: { code: 16, text: 'Normal Clearing' } });
  t.equal(ivr.state.kind === 'ended' && ivr.state.outcome, 'abandoned');
  t.notOk(ivr.requests().some((r) => r.kind === 'store_reading'));
});

t.test('an answer that comes after the caller hung up changes nothing', async (t) => {
  const ivr = chose('2');
  ivr.press('3900000001#');
  const phase = ivr.ivr.phase;
  ivr.send({ type: 'effect_failed', effect: 'play', error: 'x' });
  t.same(ivr.send({ type: 'data', requestId: phase.kind === 'waiting' ? phase.requestId : '', response: { kind: 'account', account } }), []);
});

t.test('a failed lookup says the service is unavailable and returns to the main menu', async (t) => {
  const ivr = chose('3', account);
  ivr.press('1');
  ivr.respond({ kind: 'failed', error: 'database is locked' });
  t.same(ivr.heard(), ['service_unavailable']);
  ivr.finishPrompt();
  t.same(ivr.heard(), ['main_menu']);
});

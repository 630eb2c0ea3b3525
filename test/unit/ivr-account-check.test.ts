import t from 'tap';
import type { AccountRef, ReadingContext } from '../../ivr/flows.js';
import { IvrDriver } from '../support/ivr-driver.js';

/*
 * A caller whose number is not linked to the account they type proves they hold it before
 * anything about its money is said (152-FZ: an account number is printed on every bill).
 */

const typed: AccountRef = { accountId: 7, accountNumber: '3900000001', linked: false, check: 'phone' };
const single: ReadingContext = { tariff: 'single', lastDay: 31207, lastNight: null, plausibleDelta: 1500 };

function balanceFor(account: AccountRef): IvrDriver {
  const ivr = new IvrDriver().start();
  ivr.finishPrompt();
  ivr.press('3');
  ivr.press(`${account.accountNumber}#`);
  ivr.respond({ kind: 'account', account });
  return ivr;
}

const asked = (ivr: IvrDriver) => ivr.requests().filter((r) => r.kind === 'balance');

t.test('an unidentified caller is asked for the phone linked to the account, and nothing about the account is said before', async (t) => {
  const ivr = balanceFor(typed);
  t.same(ivr.heard(), ['account_check_phone']);
  t.same(asked(ivr), [], 'no balance asked for yet');
  ivr.press('84012000001#');
  t.same(ivr.pendingRequest(), { kind: 'verify_account', accountId: 7, answer: '84012000001' });
  ivr.respond({ kind: 'verification', passed: true });
  t.same(ivr.pendingRequest(), { kind: 'balance', accountId: 7 }, 'the balance only once the check passed');
  ivr.respond({ kind: 'balance', balanceKop: 12345, lastPayment: null });
  t.same(ivr.heard(), ['balance_debt', 'balance_no_payments']);
});

t.test('with the flat check the caller is asked for the flat (house) number', async (t) => {
  const ivr = balanceFor({ ...typed, check: 'flat' });
  t.same(ivr.heard(), ['account_check_flat']);
});

t.test('a wrong answer is said so, counted and asked again; the third ends the call politely as failed, having said nothing', async (t) => {
  const ivr = balanceFor(typed);
  for (let attempt = 1; attempt <= 2; attempt++) {
    ivr.press('1111111111#');
    ivr.respond({ kind: 'verification', passed: false });
    t.same(ivr.heard(), ['account_check_wrong', 'account_check_phone'], `attempt ${attempt}`);
  }
  ivr.press('1111111111#');
  ivr.respond({ kind: 'verification', passed: false });
  t.same(ivr.heard(), ['account_check_refused']);
  t.same(ivr.notes('account_check_failed').map((n) => n['attempt']), [1, 2, 3], 'every failure counted with the call');
  t.same(ivr.notes('account_check_refused'), [{ accountId: 7, check: 'phone', attempt: 3 }]);
  t.same(ivr.finishPrompt(), [{ do: 'hang_up' }]);
  t.same(ivr.state, { kind: 'hanging_up', outcome: 'failed' });
  t.same(asked(ivr), [], 'no balance was ever asked for');
  t.notOk(ivr.effects.some((e) => e.do === 'enqueue'), 'wrong answers do not lead to the operator menu rule');
});

t.test('a caller who hangs up during the check stores nothing and hears nothing of the account', async (t) => {
  const ivr = balanceFor(typed);
  ivr.press('8401');
  ivr.send({ type: 'hung_up', by: 'remote', cause: { code: 16, text: 'Normal Clearing' } });
  t.match(ivr.state, { kind: 'ended', outcome: 'abandoned' });
  t.same(ivr.requests().filter((r) => r.kind === 'verify_account' || r.kind === 'balance'), []);
  t.same(ivr.notes('account_check_failed'), []);
});

t.test('an account that cannot be checked by keypad is explained, and the caller is back in the menu', async (t) => {
  const ivr = balanceFor({ ...typed, check: null });
  t.same(ivr.heard(), ['account_check_unavailable']);
  t.same(ivr.notes('account_check_unavailable'), [{ accountId: 7 }]);
  ivr.finishPrompt();
  t.same(ivr.heard(), ['main_menu']);
  t.same(asked(ivr), []);
});

t.test('a caller whose number is linked to the typed account is not asked; nor is an identified one', async (t) => {
  const linked = balanceFor({ ...typed, linked: true, check: null });
  t.same(linked.pendingRequest(), { kind: 'balance', accountId: 7 });
  const identified = new IvrDriver({ identified: { accountId: 7, accountNumber: '3900000001' } }).start();
  identified.press('31');
  t.same(identified.pendingRequest(), { kind: 'balance', accountId: 7 });
});

t.test('a reading may be sent for any account, but the previous reading is never said for one the caller is not linked to', async (t) => {
  const ivr = new IvrDriver().start();
  ivr.press('2');
  ivr.press('3900000001#');
  ivr.respond({ kind: 'account', account: typed });
  t.same(ivr.heard(), ['account_readback'], 'no check for a reading');
  ivr.press('1');
  ivr.respond({ kind: 'reading_context', ctx: single });
  ivr.press('31000#');
  t.same(ivr.heard(), ['reading_below_last_unlinked', 'enter_reading_single']);
  t.notOk(ivr.lastPlay().speech.some((s) => s.params !== undefined), 'no value in it');
  ivr.press('39207#');
  ivr.press('1');
  t.same(ivr.heard(), ['reading_jump_warning_unlinked'], 'the consumption would give the previous reading away');
  ivr.press('1');
  t.same(ivr.pendingRequest(), { kind: 'store_reading', accountId: 7, day: 39207, night: null });
});

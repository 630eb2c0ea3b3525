import { say, type Speech } from './speech.js';

/*
 * The self-service flows as data + pure functions: what each step says and expects, and where
 * the caller's input or the server's answer leads. The dialog (ivr/dialog.ts) runs them.
 */

export type FlowName = 'submit_reading' | 'balance' | 'appeal_status';
export type Zone = 'single' | 'day' | 'night';

/** How a caller proves they hold an account their own number is not linked to (IVR_ACCOUNT_CHECK). */
export type AccountCheck = 'phone' | 'flat';

export interface AccountRef {
  accountId: number;
  accountNumber: string;
  /**
   * The caller's own number is linked to this account, so nothing about it needs proving.
   * Absent or false: a stranger may have read the number off a bill, and the account's money
   * (balance, payments, the last reading) is said only after the check (152-FZ: personal data).
   */
  linked?: boolean;
  /** what to ask before anything about the account is said; null: it cannot be checked by keypad */
  check?: AccountCheck | null;
}

export interface ReadingContext {
  tariff: 'single' | 'two_zone';
  /** the last accepted reading, or null for a new meter */
  lastDay: number | null;
  lastNight: number | null;
  /** a consumption above this since the last reading is read back with a warning */
  plausibleDelta: number;
}

/** Where a caller is inside a flow. Plain JSON: persisted with the call. */
export type FlowStep =
  | { step: 'confirm_identified'; account: AccountRef }
  | { step: 'account' }
  | { step: 'confirm_account'; account: AccountRef }
  | { step: 'reading'; account: AccountRef; ctx: ReadingContext; zone: Zone; day?: number }
  | { step: 'confirm_reading'; account: AccountRef; ctx: ReadingContext; zone: Zone; value: number; day?: number }
  | { step: 'jump_warning'; account: AccountRef; ctx: ReadingContext; zone: Zone; value: number; day?: number }
  | { step: 'appeal' }
  /** the caller proves they hold `account` before its balance is said; `tries` wrong answers so far */
  | { step: 'verify'; account: AccountRef; tries: number };

/** Wrong answers to the account check before the call ends. */
export const ACCOUNT_CHECK_TRIES = 3;

export type DataRequest =
  | { kind: 'find_account'; number: string }
  | { kind: 'reading_context'; accountId: number }
  | { kind: 'store_reading'; accountId: number; day: number; night: number | null }
  | { kind: 'balance'; accountId: number }
  | { kind: 'find_appeal'; number: string }
  /** the caller's answer to the account check (a phone number, or a flat or house number) */
  | { kind: 'verify_account'; accountId: number; answer: string }
  | { kind: 'offices' }
  /** the post-call survey's score (ivr/survey.ts); the server adds the call's appeal */
  | { kind: 'store_survey'; agentId: number; score: number }
  /** the waiting caller's place in line becomes a callback to `number` (E.164; ivr/callback-dialog.ts) */
  | { kind: 'callback_convert'; number: string }
  /** out of hours: a callback to `number` in the next working period, for `queue` */
  | { kind: 'callback_later'; number: string; queue: string };

/** The callback dialog's requests (ivr/callback-dialog.ts): the queue and the callback service answer them, not self-service. */
export type CallbackRequest = Extract<DataRequest, { kind: 'callback_convert' | 'callback_later' }>;

export interface Office {
  city: string;
  address: string;
  hours: string;
  /** the office's phone number (E.164), said after its hours; absent or null: it has none */
  phone?: string | null;
  /** the towns whose customers this office serves (Russian names, as accounts store them) */
  towns: string[];
}

export type DataResponse =
  | { kind: 'account'; account: AccountRef | null }
  | { kind: 'reading_context'; ctx: ReadingContext }
  | { kind: 'stored'; readingId: number }
  | { kind: 'balance'; balanceKop: number; lastPayment: { date: string; amountKop: number } | null }
  | { kind: 'appeal'; appeal: { number: string; status: string; dueDate: string } | null }
  | { kind: 'verification'; passed: boolean }
  | { kind: 'offices'; offices: Office[] }
  | { kind: 'survey_stored'; answerId: number }
  /** a callback request stored; `dueAt` (ISO) when it waits for a time rather than a place in line */
  | { kind: 'callback_booked'; requestId: number; dueAt: string | null }
  | { kind: 'failed'; error: string };

/** What a flow step plays and what input it takes. */
export type Expect = { kind: 'keys'; keys: string } | { kind: 'digits' };

export function flowPrompt(flow: FlowName, s: FlowStep): { speech: Speech[]; expect: Expect } {
  switch (s.step) {
    case 'confirm_identified':
      return { speech: [say('confirm_identified_account', { last: { kind: 'last_digits', value: s.account.accountNumber.slice(-4) } })], expect: { kind: 'keys', keys: '12' } };
    case 'account':
      return { speech: [say('enter_account')], expect: { kind: 'digits' } };
    case 'confirm_account':
      return { speech: [say('account_readback', { digits: { kind: 'digits', value: s.account.accountNumber } })], expect: { kind: 'keys', keys: '12' } };
    case 'reading':
      return { speech: [say(s.zone === 'single' ? 'enter_reading_single' : s.zone === 'day' ? 'enter_reading_day' : 'enter_reading_night')], expect: { kind: 'digits' } };
    case 'confirm_reading':
      return { speech: [say('reading_readback', { value: { kind: 'kwh', n: s.value } })], expect: { kind: 'keys', keys: '12' } };
    case 'jump_warning':
      // The consumption would tell the previous reading to someone who only read the account number off a bill.
      return {
        speech: [s.account.linked === true ? say('reading_jump_warning', { delta: { kind: 'kwh', n: s.value - lastFor(s.ctx, s.zone)! } }) : say('reading_jump_warning_unlinked')],
        expect: { kind: 'keys', keys: '12' },
      };
    case 'appeal':
      return { speech: [say('enter_appeal')], expect: { kind: 'digits' } };
    case 'verify':
      return { speech: [say(s.account.check === 'flat' ? 'account_check_flat' : 'account_check_phone')], expect: { kind: 'digits' } };
  }
  void flow;
}

export function lastFor(ctx: ReadingContext, zone: Zone): number | null {
  return zone === 'night' ? ctx.lastNight : ctx.lastDay;
}

/** The first step of a flow: an identified caller confirms their account instead of typing it. */
export function flowStart(flow: FlowName, identified: AccountRef | null): FlowStep {
  if (flow === 'appeal_status') return { step: 'appeal' };
  // Identified means the caller's number is linked to the account, whatever the server sent.
  return identified !== null ? { step: 'confirm_identified', account: { ...identified, linked: true } } : { step: 'account' };
}

/** What the flow does next. */
export type FlowOutcome =
  | { to: 'step'; step: FlowStep; prefix?: Speech[]; note?: { what: string; data: Record<string, unknown> } }
  | { to: 'request'; request: DataRequest; step: FlowStep }
  /** a wrong entry: say why, ask again, count a failure */
  | { to: 'retry'; step: FlowStep; prefix: Speech[] }
  /** done: say this, then back to the menu */
  | { to: 'done'; speech: Speech[]; served: boolean; note: { what: string; data: Record<string, unknown> } }
  /** the flow ends the call: say this, then hang up with `outcome` */
  | { to: 'end'; speech: Speech[]; outcome: 'failed'; notes: Array<{ what: string; data: Record<string, unknown> }> };

/** A key (for `keys` steps) or a complete number (for `digits` steps) entered at a step. */
export function flowInput(flow: FlowName, s: FlowStep, input: string): FlowOutcome {
  switch (s.step) {
    case 'confirm_identified':
      return input === '1' ? afterAccount(flow, s.account) : { to: 'step', step: { step: 'account' } };
    case 'account':
      return { to: 'request', request: { kind: 'find_account', number: input }, step: s };
    case 'confirm_account':
      return input === '1' ? afterAccount(flow, s.account) : { to: 'step', step: { step: 'account' } };
    case 'reading': {
      const value = Number(input);
      const last = lastFor(s.ctx, s.zone);
      if (last !== null && value < last) {
        const why = s.account.linked === true ? say('reading_below_last', { last: { kind: 'kwh', n: last } }) : say('reading_below_last_unlinked');
        return { to: 'retry', step: s, prefix: [why] };
      }
      return { to: 'step', step: { ...s, step: 'confirm_reading', value } };
    }
    case 'confirm_reading': {
      if (input === '2') return { to: 'step', step: { ...readingStep(s), step: 'reading' } };
      const last = lastFor(s.ctx, s.zone);
      if (last !== null && s.value - last > s.ctx.plausibleDelta) return { to: 'step', step: { ...s, step: 'jump_warning' } };
      return afterReading(s);
    }
    case 'jump_warning':
      return input === '1' ? afterReading(s) : { to: 'step', step: { ...readingStep(s), step: 'reading' } };
    case 'appeal':
      return { to: 'request', request: { kind: 'find_appeal', number: input }, step: s };
    case 'verify':
      return { to: 'request', request: { kind: 'verify_account', accountId: s.account.accountId, answer: input }, step: s };
  }
}

function readingStep(s: Extract<FlowStep, { step: 'confirm_reading' | 'jump_warning' }>): Extract<FlowStep, { step: 'reading' }> {
  const { account, ctx, zone, day } = s;
  return day === undefined ? { step: 'reading', account, ctx, zone } : { step: 'reading', account, ctx, zone, day };
}

/**
 * The account is settled. A reading may be sent for any account (it discloses nothing); a
 * balance only for one the caller's number is linked to, or once the caller passed the check.
 */
function afterAccount(flow: FlowName, account: AccountRef): FlowOutcome {
  if (flow !== 'balance') return { to: 'request', request: { kind: 'reading_context', accountId: account.accountId }, step: { step: 'confirm_account', account } };
  if (account.linked === true) return { to: 'request', request: { kind: 'balance', accountId: account.accountId }, step: { step: 'confirm_account', account } };
  if (account.check === undefined || account.check === null) {
    return { to: 'done', speech: [say('account_check_unavailable')], served: false, note: { what: 'account_check_unavailable', data: { accountId: account.accountId } } };
  }
  return { to: 'step', step: { step: 'verify', account, tries: 0 } };
}

function afterReading(s: Extract<FlowStep, { step: 'confirm_reading' | 'jump_warning' }>): FlowOutcome {
  if (s.zone === 'day') {
    return { to: 'step', step: { step: 'reading', account: s.account, ctx: s.ctx, zone: 'night', day: s.value } };
  }
  const day = s.zone === 'night' ? s.day! : s.value;
  const night = s.zone === 'night' ? s.value : null;
  return { to: 'request', request: { kind: 'store_reading', accountId: s.account.accountId, day, night }, step: s };
}

/** The server's answer to a flow's request. */
export function flowData(flow: FlowName, s: FlowStep, r: DataResponse): FlowOutcome {
  if (r.kind === 'failed') {
    return { to: 'done', speech: [say('service_unavailable')], served: false, note: { what: 'self_service_failed', data: { flow, error: r.error } } };
  }
  switch (r.kind) {
    case 'account':
      if (r.account === null) return { to: 'retry', step: { step: 'account' }, prefix: [say('account_not_found')] };
      // A balance is read-only: no read-back needed; a reading is stored, so the account is confirmed first.
      return flow === 'balance' ? afterAccount(flow, r.account) : { to: 'step', step: { step: 'confirm_account', account: r.account } };
    case 'reading_context': {
      const account = accountOf(s);
      return { to: 'step', step: { step: 'reading', account, ctx: r.ctx, zone: r.ctx.tariff === 'two_zone' ? 'day' : 'single' } };
    }
    case 'stored':
      return { to: 'done', speech: [say('reading_saved')], served: true, note: { what: 'reading_stored', data: { readingId: r.readingId, accountId: accountOf(s).accountId } } };
    case 'balance': {
      const speech: Speech[] = [
        r.balanceKop > 0 ? say('balance_debt', { amount: { kind: 'money', kopecks: r.balanceKop } })
          : r.balanceKop < 0 ? say('balance_credit', { amount: { kind: 'money', kopecks: -r.balanceKop } })
            : say('balance_zero'),
        r.lastPayment === null ? say('balance_no_payments')
          : say('balance_last_payment', { date: { kind: 'date', iso: r.lastPayment.date }, amount: { kind: 'money', kopecks: r.lastPayment.amountKop } }),
      ];
      return { to: 'done', speech, served: true, note: { what: 'balance_heard', data: { accountId: accountOf(s).accountId, balanceKop: r.balanceKop } } };
    }
    case 'appeal': {
      if (r.appeal === null) return { to: 'retry', step: { step: 'appeal' }, prefix: [say('appeal_not_found')] };
      const status = `appeal_status_${r.appeal.status}`;
      const speech = [say('appeal_status', {
        digits: { kind: 'digits', value: r.appeal.number },
        status: isStatusPrompt(status) ? { kind: 'prompt', prompt: status } : { kind: 'text', value: r.appeal.status },
        date: { kind: 'date', iso: r.appeal.dueDate },
      })];
      return { to: 'done', speech, served: true, note: { what: 'appeal_status_heard', data: { appeal: r.appeal.number, status: r.appeal.status } } };
    }
    case 'verification': {
      if (s.step !== 'verify') break;
      const data = { accountId: s.account.accountId, check: s.account.check, attempt: s.tries + 1 };
      if (r.passed) {
        return { to: 'request', request: { kind: 'balance', accountId: s.account.accountId }, step: { step: 'confirm_account', account: { ...s.account, linked: true } } };
      }
      if (s.tries + 1 >= ACCOUNT_CHECK_TRIES) {
        return { to: 'end', speech: [say('account_check_refused')], outcome: 'failed', notes: [{ what: 'account_check_failed', data }, { what: 'account_check_refused', data }] };
      }
      return { to: 'step', step: { ...s, tries: s.tries + 1 }, prefix: [say('account_check_wrong')], note: { what: 'account_check_failed', data } };
    }
    case 'offices':
      break;
  }
  throw new Error(`unexpected ${r.kind} answer in flow ${flow} at ${s.step}`);
}

const statusPrompts = ['appeal_status_registered', 'appeal_status_in_progress', 'appeal_status_answered', 'appeal_status_closed'] as const;
function isStatusPrompt(p: string): p is (typeof statusPrompts)[number] {
  return (statusPrompts as readonly string[]).includes(p);
}

function accountOf(s: FlowStep): AccountRef {
  if ('account' in s) return s.account;
  throw new Error(`no account at step ${s.step}`);
}

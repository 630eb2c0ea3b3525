import type { CallbackRequest, DataRequest, DataResponse, ReadingContext } from '../../ivr/flows.js';
import { normalizePhone } from '../../ivr/phone-number.js';
import type { Language } from '../../ivr/speech.js';
import type { FastifyBaseLogger } from 'fastify';
import type { AccountCheck } from '../../ivr/flows.js';
import { findAccountByNumber } from '../accounts/lookup.js';
import { accountCheckFor, verifyAccount } from './account-check.js';
import type { Db } from '../db/database.js';
import { isoNow } from '../db/database.js';
import { storeSurveyAnswer } from './survey.js';

/** Readings further apart than this are read back with a warning, whatever the history. */
const MIN_PLAUSIBLE_DELTA_KWH = 1500;
/** …or than this many times the largest monthly consumption on record. */
const PLAUSIBLE_FACTOR = 3;

/**
 * Answers the IVR's data requests (ivr/flows.ts DataRequest) from the database: account and
 * appeal lookups, a balance, the context of a meter reading, and storing a reading. A reading
 * is stored in one transaction with the call's event, only after the caller's last
 * confirmation; the database runs with synchronous=FULL, so once this returns it survives a crash.
 */
export class SelfService {
  readonly #check: AccountCheck;
  readonly #log: Pick<FastifyBaseLogger, 'warn'> | undefined;

  constructor(private readonly db: Db, private readonly clock: () => number = Date.now, opts: { accountCheck?: AccountCheck; log?: Pick<FastifyBaseLogger, 'warn'> } = {}) {
    this.#check = opts.accountCheck ?? 'phone';
    this.#log = opts.log;
  }

  async answer(callId: string, language: Language, req: Exclude<DataRequest, CallbackRequest>): Promise<DataResponse> {
    switch (req.kind) {
      case 'find_account': {
        const account = await findAccountByNumber(this.db, req.number);
        if (account === undefined) return { kind: 'account', account: null };
        const linked = await this.#callerLinkedTo(callId, account.accountId);
        const check = linked ? null : await accountCheckFor(this.db, account.accountId, account.address, this.#check);
        return { kind: 'account', account: { accountId: account.accountId, accountNumber: account.accountNumber, linked, check } };
      }
      case 'verify_account': {
        const passed = await verifyAccount(this.db, req.accountId, req.answer, this.#check);
        // Who tried which account, never what they typed: a failed check may be someone guessing.
        if (!passed) this.#log?.warn({ callId, accountId: req.accountId, check: this.#check }, 'account check failed');
        return { kind: 'verification', passed };
      }
      case 'reading_context':
        return { kind: 'reading_context', ctx: await this.readingContext(req.accountId) };
      case 'store_reading':
        return { kind: 'stored', readingId: await this.storeReading(callId, req.accountId, req.day, req.night) };
      case 'balance':
        return this.balance(req.accountId);
      case 'find_appeal': {
        const appeal = await this.db.selectFrom('appeals').select(['number', 'status', 'due_date'])
          .where('number', '=', req.number).executeTakeFirst();
        return { kind: 'appeal', appeal: appeal ? { number: appeal.number, status: appeal.status, dueDate: appeal.due_date } : null };
      }
      case 'offices': {
        const rows = await this.db.selectFrom('offices').selectAll().where('active', '=', 1).orderBy('sort_order').execute();
        return {
          kind: 'offices',
          offices: rows.map((o) => {
            // Matched against accounts.city, which is Russian whatever the call's language.
            const towns = [...new Set([o.city_ru, ...o.towns.split(',').map((t) => t.trim()).filter((t) => t !== '')])];
            // Stored as the admin typed it; said digit group by digit group, or not at all when it is not a Russian number.
            const phone = o.phone.trim() === '' ? null : normalizePhone(o.phone);
            return language === 'en'
              ? { city: o.city_en, address: o.address_en, hours: o.hours_en, phone, towns }
              : { city: o.city_ru, address: o.address_ru, hours: o.hours_ru, phone, towns };
          }),
        };
      }
      case 'store_survey':
        return { kind: 'survey_stored', answerId: await storeSurveyAnswer(this.db, callId, req.agentId, req.score, isoNow(this.clock)) };
    }
  }

  /** Whether the number this call comes from is one of the account's phones. */
  async #callerLinkedTo(callId: string, accountId: number): Promise<boolean> {
    const call = await this.db.selectFrom('calls').select('caller_e164').where('id', '=', callId).executeTakeFirst();
    if (call?.caller_e164 == null) return false;
    const row = await this.db.selectFrom('account_phones').select('account_id')
      .where('account_id', '=', accountId).where('phone_e164', '=', call.caller_e164).executeTakeFirst();
    return row !== undefined;
  }

  async readingContext(accountId: number): Promise<ReadingContext> {
    const account = await this.db.selectFrom('accounts').select('tariff').where('id', '=', accountId).executeTakeFirstOrThrow();
    const recent = await this.db.selectFrom('meter_readings').select(['day_value', 'night_value'])
      .where('account_id', '=', accountId).orderBy('taken_at', 'desc').orderBy('id', 'desc').limit(13).execute();
    let largest = 0;
    for (let i = 0; i + 1 < recent.length; i++) {
      const a = recent[i]!;
      const b = recent[i + 1]!;
      largest = Math.max(largest, a.day_value - b.day_value + ((a.night_value ?? 0) - (b.night_value ?? 0)));
    }
    const last = recent[0];
    return {
      tariff: account.tariff,
      lastDay: last?.day_value ?? null,
      lastNight: last?.night_value ?? null,
      plausibleDelta: Math.max(MIN_PLAUSIBLE_DELTA_KWH, PLAUSIBLE_FACTOR * largest),
    };
  }

  async storeReading(callId: string, accountId: number, day: number, night: number | null): Promise<number> {
    const at = isoNow(this.clock);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('meter_readings')
        .values({ account_id: accountId, taken_at: at, day_value: day, night_value: night, source: 'ivr', call_id: callId })
        .returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('call_events').values({
        call_id: callId, at, type: 'reading_saved', data: JSON.stringify({ readingId: row.id, accountId, day, night }),
      }).execute();
      return row.id;
    });
  }

  async balance(accountId: number): Promise<DataResponse> {
    const charged = await this.db.selectFrom('charges').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_kop'), eb.lit(0)).as('total'))
      .where('account_id', '=', accountId).executeTakeFirstOrThrow();
    const paid = await this.db.selectFrom('payments').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_kop'), eb.lit(0)).as('total'))
      .where('account_id', '=', accountId).executeTakeFirstOrThrow();
    const last = await this.db.selectFrom('payments').select(['paid_at', 'amount_kop'])
      .where('account_id', '=', accountId).orderBy('paid_at', 'desc').limit(1).executeTakeFirst();
    return {
      kind: 'balance',
      balanceKop: Number(charged.total) - Number(paid.total),
      lastPayment: last ? { date: kaliningradDate(last.paid_at), amountKop: last.amount_kop } : null,
    };
  }
}

/** The calendar day of an instant in Kaliningrad (UTC+2, no DST since 2014), as the caller knows it. */
export function kaliningradDate(iso: string): string {
  return new Date(new Date(iso).getTime() + 2 * 3600_000).toISOString().slice(0, 10);
}

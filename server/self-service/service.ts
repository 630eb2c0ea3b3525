import type { CallbackRequest, DataRequest, DataResponse, ReadingContext } from '../../ivr/flows.js';
import type { Language } from '../../ivr/speech.js';
import { findAccountByNumber } from '../accounts/lookup.js';
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
  constructor(private readonly db: Db, private readonly clock: () => number = Date.now) {}

  async answer(callId: string, language: Language, req: Exclude<DataRequest, CallbackRequest>): Promise<DataResponse> {
    switch (req.kind) {
      case 'find_account': {
        const account = await findAccountByNumber(this.db, req.number);
        return { kind: 'account', account: account ? { accountId: account.accountId, accountNumber: account.accountNumber } : null };
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
          offices: rows.map((o) => language === 'en'
            ? { city: o.city_en, address: o.address_en, hours: o.hours_en }
            : { city: o.city_ru, address: o.address_ru, hours: o.hours_ru }),
        };
      }
      case 'store_survey':
        return { kind: 'survey_stored', answerId: await storeSurveyAnswer(this.db, callId, req.agentId, req.score, isoNow(this.clock)) };
    }
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

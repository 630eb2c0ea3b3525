import type { Insertable } from 'kysely';
import type { ChargesTable, MeterReadingsTable, PaymentsTable, Tariff } from '../db/schema.js';
import type { Random } from './random.js';

/*
 * Monthly billing history of one account: a meter reading each month, the charge computed
 * from it, and the payments a customer of a given habit makes. Readings are cumulative, so
 * reading(m) - reading(m-1) is exactly the kWh charged for month m. Money is integer kopecks.
 */

export type PayerHabit = 'punctual' | 'late' | 'overpayer' | 'debtor';
export type PaymentChannel = 'personal_account' | 'bank_card' | 'bank_office' | 'post' | 'terminal';

export interface ConsumerProfile {
  tariff: Tariff;
  /** kWh in an average month; the season moves it from about 0.8x (summer) to 1.4x (winter) */
  baseKwh: number;
  /** two-zone: the share of consumption in the night zone (23:00-07:00); 0 for single */
  nightShare: number;
  habit: PayerHabit;
  channel: PaymentChannel;
  meterStart: { day: number; night: number | null };
}

export interface BillingMonth {
  period: string; // YYYY-MM
  year: number;
  month: number; // 0-11
}

export interface AccountHistory {
  charges: Array<Omit<Insertable<ChargesTable>, 'account_id'>>;
  payments: Array<Omit<Insertable<PaymentsTable>, 'account_id'>>;
  readings: Array<Omit<Insertable<MeterReadingsTable>, 'account_id'>>;
}

// Approximate household prices of the region, kopecks per kWh, indexed each July (and in
// January 2026, when VAT went from 20 % to 22 %).
const PRICES: ReadonlyArray<{ from: string; single: number; day: number; night: number }> = [
  { from: '2024-07', single: 518, day: 570, night: 290 },
  { from: '2025-07', single: 593, day: 652, night: 332 },
  { from: '2026-01', single: 605, day: 666, night: 339 },
  { from: '2026-10', single: 672, day: 739, night: 376 },
];
const EARLIER_PRICE = { single: 476, day: 524, night: 266 };

// January … December: heaters and light in winter, none of either in June.
const SEASON = [1.35, 1.25, 1.1, 0.95, 0.85, 0.78, 0.78, 0.8, 0.88, 1.02, 1.2, 1.38];

const CHANNELS: ReadonlyArray<readonly [PaymentChannel, number]> = [
  ['personal_account', 35], ['bank_card', 30], ['terminal', 15], ['bank_office', 12], ['post', 8],
];
const READING_SOURCES: ReadonlyArray<readonly [string, number]> = [
  ['personal_account', 40], ['ivr', 20], ['controller', 15], ['telegram', 15], ['agent', 10],
];

// Kaliningrad keeps UTC+2 all year.
const KALININGRAD_OFFSET_HOURS = 2;

/** The prices (kopecks per kWh) in force in `period` (YYYY-MM): single rate, day zone, night zone. */
export function priceFor(period: string): { single: number; day: number; night: number } {
  let price = EARLIER_PRICE;
  for (const p of PRICES) if (period >= p.from) price = p;
  return price;
}

/** The `count` calendar months (UTC) that end with the month of `asOf`, oldest first. */
export function billingMonths(asOf: Date, count: number): BillingMonth[] {
  const months: BillingMonth[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const d = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - back, 1));
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth();
    months.push({ period: `${year}-${String(month + 1).padStart(2, '0')}`, year, month });
  }
  return months;
}

/** Milliseconds of a Kaliningrad local time. */
function localTime(m: BillingMonth, day: number, hour: number, minute: number): number {
  return Date.UTC(m.year, m.month, day, hour - KALININGRAD_OFFSET_HOURS, minute);
}

/** How a payment is made, by how common each way is. */
export function randomChannel(rng: Random): PaymentChannel {
  return rng.weighted(CHANNELS);
}

/** Consumption and payment habits of a random account; houses use more than flats. */
export function randomProfile(rng: Random, tariff: Tariff, house: boolean): ConsumerProfile {
  return {
    tariff,
    baseKwh: house ? rng.int(250, 800) : rng.int(110, 330),
    nightShare: tariff === 'two_zone' ? rng.int(25, 45) / 100 : 0,
    habit: rng.weighted<PayerHabit>([['punctual', 68], ['late', 14], ['overpayer', 12], ['debtor', 6]]),
    channel: randomChannel(rng),
    meterStart: { day: rng.int(1000, 60000), night: tariff === 'two_zone' ? rng.int(500, 30000) : null },
  };
}

/**
 * The account's history over `months`: one reading and one charge per month, and payments from
 * the second month on. Nothing is dated after `asOfMs`: a reading or charge that would be is
 * dated `asOfMs`, a payment that would be is not made.
 */
export function accountHistory(rng: Random, profile: ConsumerProfile, months: readonly BillingMonth[], asOfMs: number): AccountHistory {
  const history: AccountHistory = { charges: [], payments: [], readings: [] };
  const twoZone = profile.tariff === 'two_zone';
  const monthly = fixedMonthlyPayment(profile, months);
  let balance = 0;
  let dayValue = profile.meterStart.day;
  let nightValue = profile.meterStart.night ?? 0;

  months.forEach((m, i) => {
    if (i > 0) {
      const amount = paymentAmount(rng, profile, balance, monthly, i > months.length - 4);
      const at = localTime(m, rng.int(3, 27), rng.int(8, 21), rng.int(0, 59));
      if (amount > 0 && at <= asOfMs) {
        const channel = rng.chance(0.75) ? profile.channel : randomChannel(rng);
        history.payments.push({ paid_at: new Date(at).toISOString(), amount_kop: amount, channel });
        balance -= amount;
      }
    }

    const total = Math.max(20, Math.round(profile.baseKwh * SEASON[m.month]! * (0.9 + 0.2 * rng.next())));
    const kwhNight = twoZone ? Math.max(1, Math.round(total * profile.nightShare * (0.9 + 0.2 * rng.next()))) : null;
    const kwhDay = total - (kwhNight ?? 0);
    dayValue += kwhDay;
    nightValue += kwhNight ?? 0;
    const price = priceFor(m.period);
    const amount = kwhNight === null ? kwhDay * price.single : kwhDay * price.day + kwhNight * price.night;

    const readAt = Math.min(localTime(m, rng.int(15, 25), rng.int(9, 21), rng.int(0, 59)), asOfMs);
    history.readings.push({
      taken_at: new Date(readAt).toISOString(), day_value: dayValue, night_value: twoZone ? nightValue : null,
      source: rng.weighted(READING_SOURCES), call_id: null,
    });
    // The bill for a month is issued at local midnight starting the next one.
    const billedAt = Math.min(localTime({ ...m, month: m.month + 1 }, 1, 0, 0), asOfMs);
    history.charges.push({ period: m.period, kwh_day: kwhDay, kwh_night: kwhNight, amount_kop: amount, created_at: new Date(billedAt).toISOString() });
    balance += amount;
  });
  return history;
}

/** An overpayer's standing order: half as much again as the dearest average month, in whole 500 ₽. */
function fixedMonthlyPayment(profile: ConsumerProfile, months: readonly BillingMonth[]): number {
  const dearest = Math.max(...months.map((m) => {
    const p = priceFor(m.period);
    return profile.tariff === 'single' ? p.single : p.day * (1 - profile.nightShare) + p.night * profile.nightShare;
  }));
  return Math.ceil((1.5 * profile.baseKwh * dearest) / 50_000) * 50_000;
}

/** What the customer pays at the start of a month, given what they owe (negative: credit). */
function paymentAmount(rng: Random, profile: ConsumerProfile, balance: number, monthly: number, lastMonths: boolean): number {
  switch (profile.habit) {
    case 'punctual':
      return balance > 0 && !rng.chance(0.04) ? balance : 0;
    case 'late':
      return balance > 0 && rng.chance(0.5) ? balance : 0;
    case 'overpayer':
      // Enough credit built up: the standing order is paused.
      return balance > -3 * monthly ? monthly : 0;
    case 'debtor': {
      // Pays part of the debt now and then, and nothing lately, so always ends owing.
      if (lastMonths || balance <= 0 || !rng.chance(0.55)) return 0;
      const part = Math.floor((balance * (0.2 + 0.6 * rng.next())) / 10_000) * 10_000;
      return part >= 10_000 ? part : 0;
    }
  }
}

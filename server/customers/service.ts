import type { Db } from '../db/database.js';
import { normalizePhone } from '../../ivr/phone-number.js';
import { findAccountByNumber, findAccountsByPhone, type AccountSummary } from '../accounts/lookup.js';

/** How many months of charges and payments the card shows. */
export const CARD_MONTHS = 24;
const SEARCH_LIMIT = 20;

/** The first letter upper case, the rest as typed: surnames and streets are stored that way. */
function capitalized(s: string): string {
  return s.charAt(0).toLocaleUpperCase('ru') + s.slice(1);
}

/** Rows whose column starts with `prefix`, as an index range (LIKE would not use the index). */
function prefixRange(prefix: string): [string, string] {
  return [prefix, `${prefix}\u{10FFFF}`];
}

/**
 * The agent's search box: a phone number, an account number, a surname (optionally with the
 * first name), or an address from its start. Every branch is one indexed query, so it stays
 * fast at a million customers. Returns at most 20 accounts.
 */
export async function searchAccounts(db: Db, query: string): Promise<AccountSummary[]> {
  const q = query.trim().replace(/\s+/g, ' ');
  if (q === '') return [];
  const phone = normalizePhone(q);
  if (phone !== null) {
    const byPhone = await findAccountsByPhone(db, phone);
    if (byPhone.length > 0) return byPhone;
  }
  const digits = q.replace(/[\s-]/g, '');
  if (/^\d{6,12}$/.test(digits)) {
    const account = await findAccountByNumber(db, digits);
    return account === undefined ? [] : [account];
  }
  const base = db.selectFrom('accounts as a')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .where('a.closed_at', 'is', null)
    .select(['a.id as accountId', 'a.number as accountNumber', 'a.customer_id as customerId', 'a.city', 'a.address', 'a.tariff', 'c.last_name', 'c.first_name', 'c.middle_name'])
    .limit(SEARCH_LIMIT);
  const toSummary = (r: { accountId: number; accountNumber: string; customerId: number; city: string; address: string; tariff: AccountSummary['tariff']; last_name: string; first_name: string; middle_name: string | null }): AccountSummary => ({
    accountId: r.accountId, accountNumber: r.accountNumber, customerId: r.customerId, city: r.city, address: r.address, tariff: r.tariff,
    customerName: [r.last_name, r.first_name, r.middle_name].filter((p) => p !== null && p !== '').join(' '),
  });
  if (/^(ул\.|пр|пер\.|бул\.|ш\.|пл\.|наб\.|Ленинский|Московский)/i.test(q) || /\d/.test(q)) {
    const [from, to] = prefixRange(q.startsWith('ул') || q.startsWith('пер') ? q : capitalized(q));
    return (await base.where('a.address', '>=', from).where('a.address', '<', to).orderBy('a.address').execute()).map(toSummary);
  }
  const [surname, first] = q.split(' ');
  const [from, to] = prefixRange(capitalized(surname!));
  let byName = base.where('c.last_name', '>=', from).where('c.last_name', '<', to);
  if (first !== undefined) {
    const [f1, f2] = prefixRange(capitalized(first));
    byName = byName.where('c.first_name', '>=', f1).where('c.first_name', '<', f2);
  }
  return (await byName.orderBy('c.last_name').orderBy('c.first_name').execute()).map(toSummary);
}

/** The first day of the month `months` before `now`'s month, as 'YYYY-MM'. */
function monthsBack(now: Date, months: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  return d.toISOString().slice(0, 7);
}

/**
 * Everything the agent needs about an account on one screen: the customer, the account, its
 * balance, 24 months of charges and payments, meter readings, and earlier contacts (calls with
 * what the caller did, consultations, appeals with their due dates). Undefined for an unknown account.
 */
export async function accountCard(db: Db, accountId: number, now: Date = new Date()) {
  const account = await db.selectFrom('accounts as a').innerJoin('customers as c', 'c.id', 'a.customer_id')
    .select(['a.id', 'a.number', 'a.city', 'a.address', 'a.tariff', 'a.opened_at', 'c.id as customerId', 'c.last_name', 'c.first_name', 'c.middle_name', 'c.email'])
    .where('a.id', '=', accountId).executeTakeFirst();
  if (account === undefined) return undefined;
  const since = monthsBack(now, CARD_MONTHS - 1);
  const [charges, payments, readings, phones, calls, consultations, appeals, totals] = await Promise.all([
    db.selectFrom('charges').select(['period', 'kwh_day', 'kwh_night', 'amount_kop']).where('account_id', '=', accountId).where('period', '>=', since).orderBy('period').execute(),
    db.selectFrom('payments').select(['paid_at', 'amount_kop', 'channel']).where('account_id', '=', accountId).where('paid_at', '>=', `${since}-01`).orderBy('paid_at').execute(),
    db.selectFrom('meter_readings').select(['taken_at', 'day_value', 'night_value', 'source']).where('account_id', '=', accountId).orderBy('taken_at', 'desc').limit(36).execute(),
    db.selectFrom('account_phones').select(['phone_e164', 'label']).where('account_id', '=', accountId).execute(),
    db.selectFrom('calls').select(['id', 'direction', 'caller_number', 'started_at', 'ended_at', 'outcome', 'queue', 'agent_id']).where('account_id', '=', accountId).orderBy('started_at', 'desc').limit(20).execute(),
    db.selectFrom('consultations').select(['id', 'topic', 'notes', 'resolved', 'created_at', 'agent_id', 'call_id']).where('account_id', '=', accountId).orderBy('created_at', 'desc').limit(20).execute(),
    db.selectFrom('appeals').select(['id', 'number', 'kind', 'channel', 'subject', 'status', 'registered_at', 'due_date']).where('account_id', '=', accountId).orderBy('registered_at', 'desc').limit(20).execute(),
    Promise.all([
      db.selectFrom('charges').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_kop'), eb.lit(0)).as('t')).where('account_id', '=', accountId).executeTakeFirstOrThrow(),
      db.selectFrom('payments').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_kop'), eb.lit(0)).as('t')).where('account_id', '=', accountId).executeTakeFirstOrThrow(),
    ]),
  ]);
  return {
    customer: {
      id: account.customerId, name: [account.last_name, account.first_name, account.middle_name].filter((p) => p !== null && p !== '').join(' '),
      email: account.email, phones: phones.map((p) => ({ phone: p.phone_e164, label: p.label })),
    },
    account: { id: account.id, number: account.number, city: account.city, address: account.address, tariff: account.tariff, openedAt: account.opened_at },
    /** positive: the customer owes; negative: overpaid */
    balanceKop: Number(totals[0].t) - Number(totals[1].t),
    charges: charges.map((c) => ({ period: c.period, kwhDay: c.kwh_day, kwhNight: c.kwh_night, amountKop: c.amount_kop })),
    payments: payments.map((p) => ({ paidAt: p.paid_at, amountKop: p.amount_kop, channel: p.channel })),
    readings: readings.map((r) => ({ takenAt: r.taken_at, day: r.day_value, night: r.night_value, source: r.source })),
    contacts: {
      calls: calls.map((c) => ({ id: c.id, direction: c.direction, number: c.caller_number, startedAt: c.started_at, endedAt: c.ended_at, outcome: c.outcome, queue: c.queue, agentId: c.agent_id })),
      consultations: consultations.map((c) => ({ id: c.id, topic: c.topic, notes: c.notes, resolved: c.resolved === 1, createdAt: c.created_at, agentId: c.agent_id, callId: c.call_id })),
      appeals: appeals.map((a) => ({ id: a.id, number: a.number, kind: a.kind, channel: a.channel, subject: a.subject, status: a.status, registeredAt: a.registered_at, dueDate: a.due_date })),
    },
  };
}

export type AccountCard = NonNullable<Awaited<ReturnType<typeof accountCard>>>;

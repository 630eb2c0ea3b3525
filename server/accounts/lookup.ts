import type { Kysely } from 'kysely';
import type { Database, Identification, Tariff } from '../db/schema.js';
import { normalizePhone } from '../../ivr/phone-number.js';

/*
 * Finding a customer's accounts: by the phone they call from (the IVR on arrival, the
 * softphone's customer card) and by the account number they key in or read out. Each lookup is
 * one indexed query (account_phones.phone_e164, accounts.number). Closed accounts are not
 * found: nobody is served on them any more.
 */

export interface AccountSummary {
  accountId: number;
  /** лицевой счёт, as printed on the bill */
  accountNumber: string;
  customerId: number;
  /** Фамилия Имя Отчество (no patronymic when the customer has none) */
  customerName: string;
  city: string;
  /** street, house and flat */
  address: string;
  tariff: Tariff;
}

export interface CallerIdentity {
  /** the caller's number in E.164, or null when it is withheld or not a Russian number */
  e164: string | null;
  /** none: no open account has this phone; one: exactly one; several: the caller must choose */
  identification: Identification;
  /** the account when identification is `one`, otherwise null */
  accountId: number | null;
  /** every open account linked to the phone, by account number */
  accounts: AccountSummary[];
}

const E164 = /^\+[1-9]\d{6,14}$/;

function openAccounts(db: Kysely<Database>) {
  return db.selectFrom('accounts as a')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .where('a.closed_at', 'is', null)
    .select([
      'a.id as accountId', 'a.number as accountNumber', 'a.customer_id as customerId', 'a.city', 'a.address', 'a.tariff',
      'c.last_name', 'c.first_name', 'c.middle_name',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof openAccounts>['executeTakeFirstOrThrow']>>;

function summary({ last_name, first_name, middle_name, ...account }: Row): AccountSummary {
  const customerName = [last_name, first_name, middle_name].filter((part) => part !== null && part !== '').join(' ');
  return { ...account, customerName };
}

/**
 * The open accounts linked to `phoneE164`, ordered by account number; [] when none. Expects a
 * number as normalizePhone returns it: anything not in E.164 form finds nothing.
 */
export async function findAccountsByPhone(db: Kysely<Database>, phoneE164: string): Promise<AccountSummary[]> {
  if (!E164.test(phoneE164)) return [];
  const rows = await openAccounts(db)
    .innerJoin('account_phones as p', 'p.account_id', 'a.id')
    .where('p.phone_e164', '=', phoneE164)
    .orderBy('a.number')
    .execute();
  return rows.map(summary);
}

/**
 * The open account with this number, or undefined. Spaces and dashes are ignored
 * (`3900-000-001`); anything else but digits finds nothing.
 */
export async function findAccountByNumber(db: Kysely<Database>, accountNumber: string): Promise<AccountSummary | undefined> {
  const number = accountNumber.replace(/[\s-]/g, '');
  if (!/^\d{1,20}$/.test(number)) return undefined;
  const row = await openAccounts(db).where('a.number', '=', number).executeTakeFirst();
  return row === undefined ? undefined : summary(row);
}

/**
 * Who is calling, from the caller number exactly as the trunk delivered it (any form
 * normalizePhone accepts). A withheld, foreign or malformed number gives `none` with a null
 * e164; a phone linked to one open account gives `one` with its id; to several, `several` with
 * a null id and all of them, so the IVR can ask for the account number.
 */
export async function identifyCaller(db: Kysely<Database>, rawCallerNumber: string): Promise<CallerIdentity> {
  const e164 = normalizePhone(rawCallerNumber);
  if (e164 === null) return { e164, identification: 'none', accountId: null, accounts: [] };
  const accounts = await findAccountsByPhone(db, e164);
  if (accounts.length === 0) return { e164, identification: 'none', accountId: null, accounts };
  if (accounts.length === 1) return { e164, identification: 'one', accountId: accounts[0]!.accountId, accounts };
  return { e164, identification: 'several', accountId: null, accounts };
}

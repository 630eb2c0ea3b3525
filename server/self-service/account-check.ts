import type { AccountCheck } from '../../ivr/flows.js';
import { normalizePhone } from '../../ivr/phone-number.js';
import type { Db } from '../db/database.js';

/*
 * The check a caller passes before the IVR says anything about an account their own number is
 * not linked to (IVR_ACCOUNT_CHECK, README "Balance for a caller the line cannot identify").
 * An account number is printed on every bill and lies in every mailbox, so it proves nothing;
 * the check asks for something the bill does not show: the phone number linked to the account
 * (the default), or the flat number of its address (the house number for a private house) for
 * a site that prefers it.
 */

/** The flat number of an address ('ул. Победы, д. 14, кв. 3' → '3'), else its house number ('д. 9' → '9'), else null. */
export function flatOrHouse(address: string): string | null {
  const flat = /(?:^|[\s,])кв\.?\s*(\d+)/i.exec(address);
  if (flat !== null) return flat[1]!;
  const house = /(?:^|[\s,])(?:д\.|дом)\s*(\d+)/i.exec(address);
  return house === null ? null : house[1]!;
}

/** The question to ask for this account, or null when it cannot be answered by keypad (no linked phone, an address without a number). */
export async function accountCheckFor(db: Db, accountId: number, address: string, check: AccountCheck): Promise<AccountCheck | null> {
  if (check === 'flat') return flatOrHouse(address) === null ? null : 'flat';
  const phone = await db.selectFrom('account_phones').select('phone_e164').where('account_id', '=', accountId).executeTakeFirst();
  return phone === undefined ? null : 'phone';
}

/**
 * Whether `answer` (keypad digits) passes the check for the account: one of its phones however
 * the caller dials it (8…, 7…, ten digits), or exactly its flat (house) number. False for an
 * account that does not exist or has nothing to check against.
 */
export async function verifyAccount(db: Db, accountId: number, answer: string, check: AccountCheck): Promise<boolean> {
  if (!/^\d{1,20}$/.test(answer)) return false;
  if (check === 'flat') {
    const account = await db.selectFrom('accounts').select('address').where('id', '=', accountId).executeTakeFirst();
    const expected = account === undefined ? null : flatOrHouse(account.address);
    return expected !== null && Number(answer) === Number(expected);
  }
  const typed = normalizePhone(answer);
  if (typed === null) return false;
  const row = await db.selectFrom('account_phones').select('account_id').where('account_id', '=', accountId).where('phone_e164', '=', typed).executeTakeFirst();
  return row !== undefined;
}

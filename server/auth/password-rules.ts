import { randomInt } from 'node:crypto';
import { COMMON_PASSWORDS } from './common-passwords.js';

/** The shortest password a staff member may choose. */
export const MIN_PASSWORD_LENGTH = 10;

/** Why a new password is refused (CC_ERR_AUTH_PASSWORD_WEAK's `details.reason`). */
export type WeakPasswordReason = 'too_short' | 'same_as_login' | 'common' | 'unchanged';

// The Russian ЙЦУКЕН layout key by key onto QWERTY: 'зфыыцщкв' typed by mistake is 'password'.
const RU_KEYS = 'йцукенгшщзхъфывапролджэячсмитьбю';
const EN_KEYS = 'qwertyuiop[]asdfghjkl;\'zxcvbnm,.';
const toLatinKeys = (s: string) => [...s].map((ch) => { const i = RU_KEYS.indexOf(ch); return i < 0 ? ch : EN_KEYS[i]!; }).join('');

const fold = (s: string) => s.normalize('NFC').toLocaleLowerCase('ru').replaceAll('ё', 'е');
// Digits and symbols around a word: 'Password2024!' is 'password' with decoration.
const core = (s: string) => s.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');

function isCommon(folded: string): boolean {
  const forms = new Set([folded, toLatinKeys(folded)]);
  for (const f of [...forms]) forms.add(core(f));
  return [...forms].some((f) => f !== '' && COMMON_PASSWORDS.has(f));
}

/**
 * Why `password` may not become `login`'s new password, or null when it may: shorter than
 * MIN_PASSWORD_LENGTH characters (`too_short`); the login itself, in any case, or the login with
 * only digits and symbols around it (`same_as_login`); one of COMMON_PASSWORDS, in any case or
 * keyboard layout, alone or with only digits and symbols around it (`common`); the same as
 * `current` (`unchanged`). Checked in that order.
 */
export function weakPasswordReason(password: string, opts: { login: string; current: string }): WeakPasswordReason | null {
  const plain = password.normalize('NFC');
  if ([...plain].length < MIN_PASSWORD_LENGTH) return 'too_short';
  const folded = fold(plain);
  const login = fold(opts.login);
  if (folded === login || (login !== '' && folded.includes(login) && folded.replace(login, '').replace(/[^\p{L}]/gu, '') === '')) return 'same_as_login';
  if (isCommon(folded)) return 'common';
  if (plain === opts.current.normalize('NFC')) return 'unchanged';
  return null;
}

// No 0/O, 1/l/I, 5/S or 2/Z: read off a screen and typed by hand, once.
const ONE_TIME_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRTUVWXY346789';
/** Characters of a one-time password: log2(51^14) ≈ 79 bits. */
export const ONE_TIME_LENGTH = 14;

/**
 * A random one-time password (crypto-random, ONE_TIME_LENGTH characters of an alphabet without
 * look-alike characters), given to a new or reset staff member and replaced at their next login.
 */
export function oneTimePassword(): string {
  return Array.from({ length: ONE_TIME_LENGTH }, () => ONE_TIME_ALPHABET[randomInt(ONE_TIME_ALPHABET.length)]!).join('');
}

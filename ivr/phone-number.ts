/*
 * Caller numbers reach us in whatever shape the trunk, the softphone or an agent's keyboard
 * produced; accounts store E.164. Only Russian numbers are recognised: the supplier serves the
 * Kaliningrad region, and a foreign number can never match an account.
 */

// After +7, Russian geographic codes start with 3, 4 or 8 and mobile codes with 9; 6xx and 7xx
// belong to Kazakhstan, which shares the country code.
const RUSSIAN_FIRST_DIGIT = /^[3489]/;
const DIALABLE = /^\+?[\d\s().-]+$/;

/**
 * Normalizes a Russian phone number to E.164: `+7` followed by ten digits.
 *
 * Accepts `+7 (4012) 12-34-56`, `8 4012 12-34-56`, `84012123456`, `74012123456`,
 * `+74012123456`, ten digits with no prefix (`4012123456`), the international `007…` form, and a
 * SIP or tel URI or just its user part (`sip:+74012000001@127.0.0.1`,
 * `"Иван" <sip:84012000001@host;transport=udp>`, `tel:+7-4012-12-34-56`, `84012000001@host`).
 * Spaces, dashes, dots and parentheses are ignored; URI parameters (`;user=phone`) are dropped.
 *
 * Returns null, never throws, for: an empty or blank string; more than 256 characters; a
 * withheld or unknown number (`anonymous`, `unknown`, `Restricted`, `private`, or anything else
 * with letters); a `+` that is not in front; too few digits (including a local six-digit number,
 * whose area is unknown) or too many; a foreign country code; a +7 number outside Russia's
 * numbering (Kazakhstan's 6xx/7xx).
 */
export function normalizePhone(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 256) return null;
  const dialable = userPart(raw.trim());
  if (dialable === null || !DIALABLE.test(dialable)) return null;

  const compact = dialable.replace(/[\s().-]/g, '');
  const digits = compact.replace(/^\+/, '');
  let national: string;
  if (compact.startsWith('+')) {
    if (digits.length !== 11 || !digits.startsWith('7')) return null;
    national = digits.slice(1);
  } else if (digits.length === 13 && digits.startsWith('007')) {
    national = digits.slice(3);
  } else if (digits.length === 11 && (digits.startsWith('8') || digits.startsWith('7'))) {
    national = digits.slice(1);
  } else if (digits.length === 10) {
    national = digits;
  } else {
    return null;
  }
  return RUSSIAN_FIRST_DIGIT.test(national) ? `+7${national}` : null;
}

/** The number inside a SIP/tel URI (or the text itself when it is not one); null when undecodable. */
function userPart(text: string): string | null {
  let s = text;
  const bracketed = /<([^>]*)>/.exec(s);
  if (bracketed !== null) s = bracketed[1]!.trim();
  s = s.replace(/^(?:sips?|tel):/i, '');
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const params = s.indexOf(';');
  if (params >= 0) s = s.slice(0, params);
  if (s.includes('%')) {
    // Some gateways percent-encode the user part (`%2B7…`).
    try {
      s = decodeURIComponent(s);
    } catch {
      return null;
    }
  }
  return s.trim();
}

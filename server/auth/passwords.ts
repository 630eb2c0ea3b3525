import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/*
 * Staff passwords are stored as `scrypt$N$r$p$saltB64$hashB64`. scrypt is memory-hard (N=2^14,
 * r=8 takes 16 MiB per hash), so a stolen table is expensive to brute-force on GPUs; the
 * parameters travel with each hash, so raising them later still verifies the old hashes.
 */

const COST = { N: 16384, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 64;
// A stored hash is data: refuse parameters that would make one verification eat the machine.
const MAX_MEMORY = 128 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

interface Cost { N: number; r: number; p: number }

function derive(plain: string, salt: Buffer, keyBytes: number, cost: Cost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // NFC: the same Russian password typed as "ё" or as "е" + combining diaeresis must match.
    scrypt(plain.normalize('NFC'), salt, keyBytes, { ...cost, maxmem: 2 * 128 * cost.N * cost.r + 1024 * 1024 },
      (err, key) => (err === null ? resolve(key) : reject(err)));
  });
}

/**
 * Hashes a password with scrypt (N=16384, r=8, p=1, a random 16-byte salt, a 64-byte key) into
 * `scrypt$16384$8$1$<salt base64>$<key base64>`. Two calls with the same password give different
 * strings. Any string is accepted, the empty one included: password rules belong to the caller.
 */
export async function hashPassword(plain: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(plain, salt, KEY_BYTES, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Whether `plain` is the password `stored` was made from, compared in constant time. Returns
 * false, never throws, for a stored value that is not a well-formed scrypt hash: another scheme,
 * missing parts, bad base64, a salt under 16 bytes, a key outside 16–256 bytes, N not a power of two, or
 * parameters needing more than 128 MiB.
 */
export async function verifyPassword(plain: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (parsed === undefined) return false;
  let key: Buffer;
  try {
    key = await derive(plain, parsed.salt, parsed.key.length, parsed.cost);
  } catch {
    return false;
  }
  return timingSafeEqual(key, parsed.key);
}

function parse(stored: string): { cost: Cost; salt: Buffer; key: Buffer } | undefined {
  if (typeof stored !== 'string') return undefined;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((x) => (/^[1-9]\d{0,9}$/.test(x) ? Number(x) : NaN)) as [number, number, number];
  if (![N, r, p].every(Number.isSafeInteger) || 128 * N * r > MAX_MEMORY || p > 16) return undefined;
  if (N < 2 || (N & (N - 1)) !== 0) return undefined;
  const [saltText, keyText] = [parts[4]!, parts[5]!];
  if (!BASE64.test(saltText) || !BASE64.test(keyText)) return undefined;
  const salt = Buffer.from(saltText, 'base64');
  const key = Buffer.from(keyText, 'base64');
  if (salt.length < 16 || key.length < 16 || key.length > 256) return undefined;
  return { cost: { N, r, p }, salt, key };
}

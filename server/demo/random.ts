/*
 * Deterministic randomness for the demo data. Every customer draws from its own stream keyed by
 * (seed, customer index, purpose), so a customer's data does not depend on how many customers
 * come after it, on batch sizes, or on whether history is generated.
 */

/** The murmur3 finalizer: a 32-bit avalanche mix. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a list of integers (each taken modulo 2^32). */
export function hashInts(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) h = mix32(Math.imul(h ^ mix32(x + 0x9e3779b9), 0x01000193));
  return h;
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), seeded by hashing `key`. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(...key: number[]) {
    this.a = hashInts(1, ...key);
    this.b = hashInts(2, ...key);
    this.c = hashInts(3, ...key);
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One of the items, each as likely as its weight. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let x = this.next() * total;
    for (const [item, w] of items) {
      if ((x -= w) < 0) return item;
    }
    return items[items.length - 1]![0];
  }
}

/**
 * A keyed permutation of [0, domain): distinct inputs give distinct outputs that look random.
 * Used to hand out phone and account numbers that are unique by construction (a balanced
 * Feistel network over the next even power of two, cycle-walking back into the domain).
 * `domain` must be from 1 to 2^32.
 */
export class Permutation {
  private readonly size: number;
  private readonly roundKeys: number[];

  constructor(readonly domain: number, key: number) {
    if (!Number.isInteger(domain) || domain < 1 || domain > 2 ** 32) throw new RangeError(`permutation domain ${domain}`);
    let bits = Math.max(2, Math.ceil(Math.log2(domain)));
    if (bits % 2 === 1) bits += 1;
    this.size = 2 ** (bits / 2);
    this.roundKeys = [0, 1, 2, 3].map((round) => hashInts(key, round));
  }

  /** The image of `x`; throws a RangeError outside [0, domain). */
  at(x: number): number {
    if (!Number.isInteger(x) || x < 0 || x >= this.domain) throw new RangeError(`${x} is outside [0, ${this.domain})`);
    const size = this.size;
    let y = x;
    do {
      let left = Math.floor(y / size);
      let right = y % size;
      for (const roundKey of this.roundKeys) {
        const f = mix32(roundKey ^ Math.imul(right, 0x27d4eb2d)) % size;
        [left, right] = [right, (left ^ f) >>> 0];
      }
      y = left * size + right;
    } while (y >= this.domain);
    return y;
  }
}

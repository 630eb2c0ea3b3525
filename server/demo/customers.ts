import type { Tariff } from '../db/schema.js';
import { CURATED_CUSTOMERS } from './curated.js';
import { randomProfile, type AccountHistory, type ConsumerProfile } from './history.js';
import { CITIES, randomAddress, randomCity, randomSecondCity, type City } from './kaliningrad.js';
import { hashInts, Permutation, Random } from './random.js';
import { randomEmail, randomPerson } from './russian-names.js';

/*
 * Demo customers as plain objects, before they reach the database. Customer i is drawn from its
 * own random stream; only the number plan (account numbers, phones) is shared, and it hands
 * numbers out in customer order, so the first N customers are the same whatever the count.
 */

export interface AccountDraft {
  number: string;
  city: string;
  address: string;
  tariff: Tariff;
  openedAt: string;
  phones: Array<{ phone: string; label: string }>;
  profile: ConsumerProfile;
  history?: AccountHistory;
}

export interface CustomerDraft {
  lastName: string;
  firstName: string;
  middleName: string | null;
  email: string | null;
  createdAt: string;
  accounts: AccountDraft[];
  /** key of the random stream for this customer's billing history */
  historyKey: number[];
}

// Streams of one seed, so that adding a draw to one purpose never shifts another.
const STREAM_CUSTOMER = 1;
const STREAM_HISTORY = 2;
const STREAM_NUMBERS = 3;
// The curated customers' history does not depend on the seed either.
const CURATED_KEY = 0x3900;

// Mobile codes seen in the region (МТС, МегаФон, Билайн, Т2).
const MOBILE_CODES = ['900', '906', '909', '911', '921', '952', '962', '963', '981', '995'];
const MOBILE_SLOTS = 9_000_000; // per code: 1000000-9999999; 0xxxxxx is left to the curated ones
const DAY_MS = 24 * 3600 * 1000;

/** Hands out account numbers and phones that are unique by construction. */
class NumberPlan {
  private accounts = 0;
  private mobiles = 0;
  private readonly landlines = new Map<City, { used: number; slots: Permutation }>();
  private readonly accountSlots: Permutation;
  private readonly mobileSlots: Permutation;

  constructor(private readonly seed: number) {
    // 39 01000000 … 39 99999999; 39 00xxxxxx is left to the curated accounts.
    this.accountSlots = new Permutation(99_000_000, hashInts(seed, STREAM_NUMBERS, 1));
    this.mobileSlots = new Permutation(MOBILE_CODES.length * MOBILE_SLOTS, hashInts(seed, STREAM_NUMBERS, 2));
  }

  accountNumber(): string {
    return `39${String(1_000_000 + this.accountSlots.at(this.accounts++)).padStart(8, '0')}`;
  }

  mobile(): string {
    const slot = this.mobileSlots.at(this.mobiles++);
    const code = MOBILE_CODES[slot % MOBILE_CODES.length]!;
    return `+7${code}${1_000_000 + Math.floor(slot / MOBILE_CODES.length)}`;
  }

  /** A landline of `city` (local numbers start with 2-9), or undefined once the town has none left. */
  landline(city: City): string | undefined {
    let plan = this.landlines.get(city);
    const digits = 10 - city.phoneCode.length;
    const first = 2 * 10 ** (digits - 1);
    if (plan === undefined) {
      plan = { used: 0, slots: new Permutation(10 ** digits - first, hashInts(this.seed, STREAM_NUMBERS, 3, CITIES.indexOf(city))) };
      this.landlines.set(city, plan);
    }
    if (plan.used >= plan.slots.domain) return undefined;
    return `+7${city.phoneCode}${first + plan.slots.at(plan.used++)}`;
  }
}

export class CustomerFactory {
  private readonly numbers: NumberPlan;
  private previousPhone: { phone: string; label: string } | undefined;
  private readonly openedTo: number;

  /** `historyStartMs`: every account is opened before it, so each has its full history. */
  constructor(private readonly seed: number, historyStartMs: number) {
    this.numbers = new NumberPlan(seed);
    this.openedTo = historyStartMs - DAY_MS;
  }

  /** Customer `index`: the curated ones first, then random ones. Call with 0, 1, 2, … in order. */
  customer(index: number): CustomerDraft {
    return index < CURATED_CUSTOMERS.length ? this.curated(index) : this.random(index);
  }

  private curated(index: number): CustomerDraft {
    const c = CURATED_CUSTOMERS[index]!;
    const accounts = c.accounts.map((a): AccountDraft => ({
      number: a.number, city: a.city, address: a.address, tariff: a.tariff,
      openedAt: new Date(Math.min(Date.parse(a.openedAt), this.openedTo)).toISOString(),
      phones: a.phones.map((p) => ({ ...p })),
      profile: { tariff: a.tariff, baseKwh: a.baseKwh, nightShare: a.nightShare, habit: a.habit, channel: a.channel, meterStart: { ...a.meterStart } },
    }));
    return {
      lastName: c.lastName, firstName: c.firstName, middleName: c.middleName, email: c.email,
      createdAt: earliest(accounts), accounts, historyKey: [CURATED_KEY, index, STREAM_HISTORY],
    };
  }

  private random(index: number): CustomerDraft {
    const rng = new Random(this.seed, index, STREAM_CUSTOMER);
    const person = randomPerson(rng);
    const email = rng.chance(0.25) ? randomEmail(rng, person) : null;
    const homeCity = randomCity(rng);
    const phones = this.phonesFor(rng, homeCity);
    const accountCount = rng.weighted([[1, 90], [2, 8], [3, 2]] as const);

    const accounts: AccountDraft[] = [];
    for (let k = 0; k < accountCount; k++) {
      const city = k === 0 ? homeCity : randomSecondCity(rng, homeCity);
      const address = randomAddress(rng, city, k > 0 && rng.chance(0.7));
      const tariff: Tariff = rng.chance(0.25) ? 'two_zone' : 'single';
      accounts.push({
        number: this.numbers.accountNumber(), city: city.name, address: address.text, tariff,
        openedAt: this.randomOpening(rng),
        // A second home is registered with the owner's main phone, so that phone finds several accounts.
        phones: k === 0 ? phones : [phones[0]!],
        profile: randomProfile(rng, tariff, address.house),
      });
    }
    return { ...person, email, createdAt: earliest(accounts), accounts, historyKey: [this.seed, index, STREAM_HISTORY] };
  }

  /** A working hour (Kaliningrad, UTC+2) of a day in the 20 years before the history starts. */
  private randomOpening(rng: Random): string {
    const day = Math.floor(this.openedTo / DAY_MS) - rng.int(0, 20 * 365);
    return new Date(day * DAY_MS + (rng.int(9, 17) - 2) * 3600_000 + rng.int(0, 59) * 60_000).toISOString();
  }

  private phonesFor(rng: Random, city: City): Array<{ phone: string; label: string }> {
    const previous = this.previousPhone;
    // Now and then a relative of the previous customer, registered with the same phone.
    const phones = previous !== undefined && rng.chance(0.003) ? [previous] : [];
    if (phones.length === 0) {
      const wantsMobile = rng.chance(0.85);
      const wantsLandline = !wantsMobile || rng.chance(0.3);
      if (wantsMobile) phones.push({ phone: this.numbers.mobile(), label: 'мобильный' });
      const landline = wantsLandline ? this.numbers.landline(city) : undefined;
      if (landline !== undefined) phones.push({ phone: landline, label: 'домашний' });
      if (phones.length === 0) phones.push({ phone: this.numbers.mobile(), label: 'мобильный' });
    }
    this.previousPhone = phones[0];
    return phones;
  }
}

function earliest(accounts: readonly AccountDraft[]): string {
  return accounts.map((a) => a.openedAt).reduce((a, b) => (a < b ? a : b));
}

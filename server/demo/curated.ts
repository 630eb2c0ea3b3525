import type { AgentRole, Tariff } from '../db/schema.js';
import type { PayerHabit, PaymentChannel } from './history.js';

/*
 * The fixed demo customers and staff. They come first in every demo database, whatever the
 * seed and the count, so README examples, tests and a person at a softphone can rely on them.
 * Their phones and account numbers lie outside what the generator hands out to anyone else.
 */

export type DemoScenario = 'debt' | 'overpaid' | 'several' | 'mobile' | 'two_phones';

export interface CuratedAccount {
  number: string;
  city: string;
  address: string;
  tariff: Tariff;
  house: boolean;
  phones: ReadonlyArray<{ phone: string; label: string }>;
  openedAt: string;
  baseKwh: number;
  nightShare: number;
  habit: PayerHabit;
  channel: PaymentChannel;
  meterStart: { day: number; night: number | null };
}

export interface CuratedCustomer {
  scenario: DemoScenario;
  lastName: string;
  firstName: string;
  middleName: string;
  email: string | null;
  accounts: readonly CuratedAccount[];
}

const home = (phone: string) => ({ phone, label: 'домашний' });
const mobile = (phone: string) => ({ phone, label: 'мобильный' });

export const CURATED_CUSTOMERS: readonly CuratedCustomer[] = [
  {
    scenario: 'debt', lastName: 'Петров', firstName: 'Сергей', middleName: 'Николаевич', email: 'petrov.s1971@mail.ru',
    accounts: [{
      number: '3900000001', city: 'Калининград', address: 'ул. Александра Невского, д. 12, кв. 45', tariff: 'single', house: false,
      phones: [home('+74012000001')], openedAt: '2009-04-14T07:30:00.000Z',
      baseKwh: 240, nightShare: 0, habit: 'debtor', channel: 'terminal', meterStart: { day: 31_207, night: null },
    }],
  },
  {
    scenario: 'overpaid', lastName: 'Смирнова', firstName: 'Ольга', middleName: 'Викторовна', email: 'smirnova.o1984@yandex.ru',
    accounts: [{
      number: '3900000002', city: 'Калининград', address: 'Ленинский проспект, д. 30, кв. 7', tariff: 'two_zone', house: false,
      phones: [home('+74012000002')], openedAt: '2015-09-01T08:00:00.000Z',
      baseKwh: 210, nightShare: 0.35, habit: 'overpayer', channel: 'bank_card', meterStart: { day: 12_480, night: 6_915 },
    }],
  },
  {
    scenario: 'several', lastName: 'Кузнецов', firstName: 'Андрей', middleName: 'Петрович', email: null,
    accounts: [
      {
        number: '3900000003', city: 'Калининград', address: 'ул. Черняховского, д. 5, кв. 18', tariff: 'single', house: false,
        phones: [home('+74012000003')], openedAt: '2004-02-20T09:15:00.000Z',
        baseKwh: 180, nightShare: 0, habit: 'punctual', channel: 'personal_account', meterStart: { day: 48_833, night: null },
      },
      {
        number: '3900000004', city: 'Зеленоградск', address: 'ул. Тургенева, д. 9', tariff: 'single', house: true,
        phones: [home('+74012000003')], openedAt: '2018-05-11T10:00:00.000Z',
        baseKwh: 420, nightShare: 0, habit: 'late', channel: 'personal_account', meterStart: { day: 9_310, night: null },
      },
    ],
  },
  {
    scenario: 'mobile', lastName: 'Соколова', firstName: 'Наталья', middleName: 'Александровна', email: null,
    accounts: [{
      number: '3900000005', city: 'Советск', address: 'ул. Победы, д. 14, кв. 3', tariff: 'single', house: false,
      phones: [mobile('+79110000004')], openedAt: '2011-11-03T06:45:00.000Z',
      baseKwh: 160, nightShare: 0, habit: 'punctual', channel: 'post', meterStart: { day: 22_046, night: null },
    }],
  },
  {
    scenario: 'two_phones', lastName: 'Васильев', firstName: 'Дмитрий', middleName: 'Юрьевич', email: 'vasilev.d1990@gmail.com',
    accounts: [{
      number: '3900000006', city: 'Черняховск', address: 'ул. Калинина, д. 7, кв. 21', tariff: 'two_zone', house: false,
      phones: [mobile('+79110000005'), home('+74014110005')], openedAt: '2019-01-22T12:20:00.000Z',
      baseKwh: 300, nightShare: 0.3, habit: 'late', channel: 'bank_card', meterStart: { day: 5_512, night: 2_377 },
    }],
  },
];

export interface DemoCustomer {
  /** what the customer demonstrates: a debt, a credit, a phone with several accounts, … */
  scenario: DemoScenario;
  /** the number to call from; it identifies `accountNumber` (and, for `several`, another account too) */
  phone: string;
  /** every phone linked to the account */
  phones: readonly string[];
  accountNumber: string;
  /** Фамилия Имя Отчество */
  name: string;
  tariff: Tariff;
  city: string;
  address: string;
}

/** One entry per account of the curated customers, in account-number order. */
export const DEMO_CUSTOMERS: readonly DemoCustomer[] = Object.freeze(CURATED_CUSTOMERS.flatMap((c) => c.accounts.map((a) => Object.freeze({
  scenario: c.scenario,
  phone: a.phones[0]!.phone,
  phones: Object.freeze(a.phones.map((p) => p.phone)),
  accountNumber: a.number,
  name: `${c.lastName} ${c.firstName} ${c.middleName}`,
  tariff: a.tariff,
  city: a.city,
  address: a.address,
}))));

export interface DemoStaffMember {
  username: string;
  /** the demo password, printed in README; never use these accounts outside a demo */
  password: string;
  displayName: string;
  role: AgentRole;
  /** the queues the member takes calls from, by queue id, with the membership priority (1 first) */
  queues: Readonly<Record<string, number>>;
}

export const DEMO_STAFF: readonly DemoStaffMember[] = Object.freeze([
  { username: 'operator1', password: 'operator1-demo', displayName: 'Мария Ковалёва', role: 'agent', queues: { general: 1, billing: 1, readings: 1, appeals: 1 } },
  { username: 'operator2', password: 'operator2-demo', displayName: 'Алексей Морозов', role: 'agent', queues: { general: 2, readings: 2 } },
  { username: 'supervisor1', password: 'supervisor1-demo', displayName: 'Ирина Лебедева', role: 'supervisor', queues: {} },
  { username: 'admin', password: 'admin-demo', displayName: 'Администратор', role: 'admin', queues: {} },
] as const satisfies readonly DemoStaffMember[]);

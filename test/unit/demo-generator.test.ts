import { createHash } from 'node:crypto';
import t from 'tap';
import { normalizePhone } from '../../ivr/phone-number.js';
import { verifyPassword } from '../../server/auth/passwords.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { DEMO_CUSTOMERS, DEMO_STAFF, generateDemoData, type DemoOptions } from '../../server/demo/generator.js';
import { priceFor } from '../../server/demo/history.js';
import { feminineSurname } from '../../server/demo/russian-names.js';

const asOf = new Date('2026-11-25T12:00:00.000Z');
type Teardown = { teardown(fn: () => unknown): void };

async function emptyDb(t: Teardown): Promise<Db> {
  const db = openDatabase(':memory:');
  t.teardown(() => db.destroy());
  await migrateToLatest(db);
  return db;
}

async function demoDb(t: Teardown, opts: Partial<DemoOptions> = {}): Promise<Db> {
  const db = await emptyDb(t);
  await generateDemoData(db, { customers: 300, seed: 1, asOf, historyCustomers: 60, ...opts });
  return db;
}

/** A digest of every generated row, leaving out the agents' secrets (random by design). */
async function digest(db: Db): Promise<string> {
  const hash = createHash('sha256');
  const tables = ['customers', 'accounts', 'charges', 'payments', 'meter_readings'] as const;
  for (const table of tables) hash.update(JSON.stringify(await db.selectFrom(table).selectAll().orderBy('id').execute()));
  hash.update(JSON.stringify(await db.selectFrom('account_phones').selectAll().orderBy('account_id').orderBy('phone_e164').execute()));
  hash.update(JSON.stringify(await db.selectFrom('agents').select(['id', 'username', 'display_name', 'role', 'language', 'active', 'created_at']).orderBy('id').execute()));
  return hash.digest('hex');
}

const balance = async (db: Db, number: string): Promise<number> => {
  const account = await db.selectFrom('accounts').select('id').where('number', '=', number).executeTakeFirstOrThrow();
  const sum = async (table: 'charges' | 'payments') => Number((await db.selectFrom(table)
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_kop'), eb.lit(0)).as('total'))
    .where('account_id', '=', account.id).executeTakeFirstOrThrow()).total);
  return (await sum('charges')) - (await sum('payments'));
};

t.test('the same seed produces the same customers, accounts and history', async (t) => {
  const [a, b] = await Promise.all([demoDb(t), demoDb(t)]);
  t.equal(await digest(a), await digest(b));
  const secrets = async (db: Db) => db.selectFrom('agents').select(['password_hash', 'sip_password']).orderBy('id').execute();
  const [sa, sb] = [await secrets(a), await secrets(b)];
  t.ok(sa.every((s, i) => s.sip_password !== sb[i]!.sip_password && s.password_hash !== sb[i]!.password_hash), 'but the agents\' secrets are new each time');
});

t.test('a different seed produces different customers but the same curated ones', async (t) => {
  const [a, b] = await Promise.all([demoDb(t, { seed: 1 }), demoDb(t, { seed: 2 })]);
  t.not(await digest(a), await digest(b));
  const curated = async (db: Db) => db.selectFrom('accounts').select(['number', 'city', 'address', 'tariff'])
    .where('number', 'in', DEMO_CUSTOMERS.map((c) => c.accountNumber)).orderBy('number').execute();
  t.same(await curated(a), await curated(b));
  const names = async (db: Db) => (await db.selectFrom('customers').select('last_name').where('id', '>', 5).limit(20).execute()).map((c) => c.last_name);
  t.not((await names(a)).join(), (await names(b)).join());
});

t.test('the first customers are the same whatever the count', async (t) => {
  const [small, large] = await Promise.all([demoDb(t, { customers: 100 }), demoDb(t, { customers: 400 })]);
  const firstHundred = async (db: Db) => db.selectFrom('customers')
    .innerJoin('accounts', 'accounts.customer_id', 'customers.id')
    .innerJoin('account_phones', 'account_phones.account_id', 'accounts.id')
    .select(['customers.last_name', 'customers.first_name', 'accounts.number', 'accounts.address', 'account_phones.phone_e164'])
    .where('customers.id', '<=', 100).orderBy('accounts.id').orderBy('account_phones.phone_e164').execute();
  t.same(await firstHundred(large), await firstHundred(small));
});

t.test('a database that already has data is refused with CC_ERR_DEMO_DB_NOT_EMPTY', async (t) => {
  const withCustomer = await emptyDb(t);
  await withCustomer.insertInto('customers').values({ last_name: 'Иванов', first_name: 'Иван', middle_name: 'Иванович', email: null, created_at: asOf.toISOString() }).execute();
  await t.rejects(generateDemoData(withCustomer, { customers: 10, seed: 1, asOf }), { code: 'CC_ERR_DEMO_DB_NOT_EMPTY' });
  t.equal((await withCustomer.selectFrom('agents').selectAll().execute()).length, 0, 'nothing was added');

  const seeded = await demoDb(t, { customers: 10 });
  await t.rejects(generateDemoData(seeded, { customers: 10, seed: 1, asOf }), { code: 'CC_ERR_DEMO_DB_NOT_EMPTY', details: { tables: ['customers', 'accounts', 'account_phones', 'charges', 'payments', 'meter_readings', 'agents'] } });
});

t.test('bad options are refused with CC_ERR_VALIDATION naming the option', async (t) => {
  const db = await emptyDb(t);
  const bad: Array<[Partial<DemoOptions>, string]> = [
    [{ customers: 0 }, 'customers'], [{ customers: 2.5 }, 'customers'], [{ seed: -1 }, 'seed'],
    [{ asOf: new Date('not a date') }, 'asOf'], [{ historyMonths: 0 }, 'historyMonths'], [{ historyCustomers: -1 }, 'historyCustomers'],
  ];
  for (const [opts, option] of bad) {
    await t.rejects(generateDemoData(db, { customers: 10, seed: 1, asOf, ...opts }), { code: 'CC_ERR_VALIDATION', details: { option } }, option);
  }
});

t.test('the curated customers are present with their names, tariffs and phones', async (t) => {
  const db = await demoDb(t);
  for (const c of DEMO_CUSTOMERS) {
    const account = await db.selectFrom('accounts').innerJoin('customers', 'customers.id', 'accounts.customer_id')
      .select(['accounts.id', 'accounts.tariff', 'accounts.city', 'accounts.address', 'customers.last_name', 'customers.first_name', 'customers.middle_name'])
      .where('accounts.number', '=', c.accountNumber).executeTakeFirstOrThrow();
    t.equal(`${account.last_name} ${account.first_name} ${account.middle_name}`, c.name);
    t.same([account.tariff, account.city, account.address], [c.tariff, c.city, c.address]);
    const phones = await db.selectFrom('account_phones').select('phone_e164').where('account_id', '=', account.id).orderBy('phone_e164').execute();
    t.same(phones.map((p) => p.phone_e164), [...c.phones].sort(), `${c.accountNumber} phones`);
  }
  const scenario = (s: string) => DEMO_CUSTOMERS.filter((c) => c.scenario === s);
  t.match(scenario('debt'), [{ phone: '+74012000001', tariff: 'single' }]);
  t.match(scenario('overpaid'), [{ phone: '+74012000002', tariff: 'two_zone' }]);
  t.same(scenario('several').map((c) => c.phone), ['+74012000003', '+74012000003']);
  t.match(scenario('mobile'), [{ phone: '+79110000004' }]);
});

t.test('the curated debtor owes money and the curated overpayer is in credit, whatever the seed', async (t) => {
  for (const seed of [1, 99]) {
    const db = await demoDb(t, { seed, customers: 10 });
    t.ok(await balance(db, '3900000001') > 0, `seed ${seed}: +74012000001 has a debt`);
    t.ok(await balance(db, '3900000002') < 0, `seed ${seed}: +74012000002 has paid ahead`);
  }
});

t.test('every account with history has one charge for each of the 24 months ending in the asOf month', async (t) => {
  const db = await demoDb(t, { customers: 120, historyCustomers: undefined });
  const charges = await db.selectFrom('charges').select(['account_id', 'period']).orderBy('account_id').orderBy('period').execute();
  const accounts = await db.selectFrom('accounts').select('id').execute();
  const periods = new Map<number, string[]>();
  for (const c of charges) periods.set(c.account_id, [...(periods.get(c.account_id) ?? []), c.period]);
  t.equal(periods.size, accounts.length, 'every account');
  const expected = Array.from({ length: 24 }, (_, i) => new Date(Date.UTC(2024, 11 + i, 1)).toISOString().slice(0, 7));
  t.equal(expected[23], '2026-11');
  t.ok([...periods.values()].every((p) => p.join() === expected.join()), 'the 24 months, each once');
  const opened = await db.selectFrom('accounts').select((eb) => eb.fn.max('opened_at').as('latest')).executeTakeFirstOrThrow();
  t.ok(opened.latest < '2024-12-01', 'every account was open before its history starts');
});

t.test('only the first historyCustomers customers get a history', async (t) => {
  const db = await demoDb(t, { customers: 50, historyCustomers: 20 });
  const withHistory = await db.selectFrom('charges').innerJoin('accounts', 'accounts.id', 'charges.account_id')
    .select('accounts.customer_id').distinct().execute();
  t.same(withHistory.map((r) => r.customer_id).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
});

t.test('meter readings rise every month by exactly the kWh charged', async (t) => {
  const db = await demoDb(t, { customers: 100, historyCustomers: 100 });
  const readings = await db.selectFrom('meter_readings').selectAll().orderBy('account_id').orderBy('taken_at').execute();
  const charges = await db.selectFrom('charges').selectAll().orderBy('account_id').orderBy('period').execute();
  t.equal(readings.length, charges.length);
  const problems: string[] = [];
  let checked = 0;
  for (let i = 1; i < readings.length; i++) {
    const [before, after, charge] = [readings[i - 1]!, readings[i]!, charges[i]!];
    if (before.account_id !== after.account_id) continue;
    const where = `account ${after.account_id} ${charge.period}`;
    if (charge.account_id !== after.account_id || after.taken_at.slice(0, 7) !== charge.period) problems.push(`${where}: reading not in the charged month`);
    if (after.day_value - before.day_value !== charge.kwh_day) problems.push(`${where}: day rise is not the charged kWh`);
    if ((after.night_value ?? 0) - (before.night_value ?? 0) !== (charge.kwh_night ?? 0)) problems.push(`${where}: night rise is not the charged kWh`);
    if (!(after.day_value > before.day_value)) problems.push(`${where}: day reading did not rise`);
    checked += 1;
  }
  t.same(problems, []);
  t.ok(checked > 2000, `${checked} consecutive readings checked`);
});

t.test('two-zone accounts have night values and single-tariff accounts have none', async (t) => {
  const db = await demoDb(t, { customers: 200, historyCustomers: 200 });
  const rows = await db.selectFrom('charges').innerJoin('accounts', 'accounts.id', 'charges.account_id')
    .innerJoin('meter_readings', (j) => j.onRef('meter_readings.account_id', '=', 'accounts.id'))
    .select(['accounts.tariff', 'charges.kwh_night', 'meter_readings.night_value']).execute();
  const twoZone = rows.filter((r) => r.tariff === 'two_zone');
  t.ok(twoZone.length > 0);
  t.ok(twoZone.every((r) => r.kwh_night !== null && r.kwh_night > 0 && r.night_value !== null), 'two-zone: night kWh and night readings');
  t.ok(rows.filter((r) => r.tariff === 'single').every((r) => r.kwh_night === null && r.night_value === null), 'single: no night values');
});

t.test('about a quarter of the accounts are on the two-zone tariff', async (t) => {
  const db = await demoDb(t, { customers: 3000, historyCustomers: 0 });
  const accounts = await db.selectFrom('accounts').select('tariff').execute();
  const share = accounts.filter((a) => a.tariff === 'two_zone').length / accounts.length;
  t.ok(share > 0.2 && share < 0.3, `two-zone share ${share.toFixed(3)}`);
});

t.test('a charge is its kWh times the price of its month, and costs more in winter', async (t) => {
  const db = await demoDb(t, { customers: 100 });
  const charges = await db.selectFrom('charges').innerJoin('accounts', 'accounts.id', 'charges.account_id')
    .select(['accounts.tariff', 'charges.period', 'charges.kwh_day', 'charges.kwh_night', 'charges.amount_kop']).execute();
  const wrong = charges.filter((c) => {
    const p = priceFor(c.period);
    return c.amount_kop !== (c.kwh_night === null ? c.kwh_day * p.single : c.kwh_day * p.day + c.kwh_night * p.night);
  });
  t.same(wrong, []);
  const kwh = (month: string) => charges.filter((c) => c.period.endsWith(month)).reduce((s, c) => s + c.kwh_day + (c.kwh_night ?? 0), 0);
  t.ok(kwh('-01') > 1.4 * kwh('-07'), 'January uses much more than July');
  t.ok(Number.isInteger(charges[0]!.amount_kop));
});

t.test('nothing is dated after asOf', async (t) => {
  const db = await demoDb(t, { customers: 100, asOf: new Date('2026-11-03T08:00:00.000Z') });
  const latest = async (table: 'charges' | 'payments' | 'meter_readings' | 'accounts', column: string) =>
    (await db.selectFrom(table).select((eb) => eb.fn.max(eb.ref(column as never)).as('m')).executeTakeFirstOrThrow()).m as unknown as string;
  t.ok(await latest('charges', 'created_at') <= '2026-11-03T08:00:00.000Z');
  t.ok(await latest('meter_readings', 'taken_at') <= '2026-11-03T08:00:00.000Z');
  t.ok(await latest('payments', 'paid_at') <= '2026-11-03T08:00:00.000Z');
  t.ok(await latest('accounts', 'opened_at') < '2024-12-01');
});

t.test('phones are Russian E.164 numbers and some phones belong to several accounts', async (t) => {
  const db = await demoDb(t, { customers: 3000, historyCustomers: 0 });
  const links = await db.selectFrom('account_phones').select(['phone_e164', 'account_id']).execute();
  t.same(links.filter((l) => normalizePhone(l.phone_e164) !== l.phone_e164), []);
  const perPhone = new Map<string, number>();
  for (const l of links) perPhone.set(l.phone_e164, (perPhone.get(l.phone_e164) ?? 0) + 1);
  const shared = [...perPhone].filter(([, n]) => n > 1).map(([p]) => p);
  t.ok(shared.length > 20, `${shared.length} shared phones`);
  t.ok(shared.some((p) => !p.startsWith('+7401200000')), 'not only the curated one');
  t.ok(links.some((l) => l.phone_e164.startsWith('+74012')) && links.some((l) => l.phone_e164.startsWith('+79')), 'landlines and mobiles');
});

t.test('account numbers are ten digits and unique', async (t) => {
  const db = await demoDb(t, { customers: 3000, historyCustomers: 0 });
  const numbers = (await db.selectFrom('accounts').select('number').execute()).map((a) => a.number);
  t.same(numbers.filter((n) => !/^\d{10}$/.test(n)), []);
  t.equal(new Set(numbers).size, numbers.length);
});

t.test('names agree in gender: a woman\'s surname and patronymic are feminine, a man\'s masculine', async (t) => {
  const db = await demoDb(t, { customers: 3000, historyCustomers: 0 });
  const customers = await db.selectFrom('customers').select(['last_name', 'first_name', 'middle_name']).execute();
  const feminine = /(ова|ева|ёва|ина|ына|ская|цкая|ая)$/;
  const disagree = customers.filter((c) => {
    if (c.middle_name === null) return false;
    const woman = /(на)$/.test(c.middle_name);
    return woman ? /(ов|ев|ёв|ин|ын|ий|ой|ый)$/.test(c.last_name) : feminine.test(c.last_name);
  });
  t.same(disagree, []);
  t.ok(customers.some((c) => c.middle_name?.endsWith('вна')) && customers.some((c) => c.middle_name?.endsWith('вич')), 'both women and men');
  t.same(['Иванов', 'Ильин', 'Жуковский', 'Толстой', 'Заречный', 'Шевченко', 'Черных'].map(feminineSurname),
    ['Иванова', 'Ильина', 'Жуковская', 'Толстая', 'Заречная', 'Шевченко', 'Черных']);
});

t.test('the demo operators take calls from their queues: operator1 from all four first, operator2 from general and readings second', async (t) => {
  const db = await demoDb(t, { customers: 10, historyCustomers: 0 });
  const members = await db.selectFrom('queue_members').innerJoin('agents', 'agents.id', 'queue_members.agent_id')
    .select(['agents.username', 'queue_members.queue_id', 'queue_members.priority']).orderBy('agents.username').orderBy('queue_members.queue_id').execute();
  t.same(members.map((m) => `${m.username}:${m.queue_id}:${m.priority}`), [
    'operator1:appeals:1', 'operator1:billing:1', 'operator1:general:1', 'operator1:readings:1',
    'operator2:general:2', 'operator2:readings:2',
  ]);
});

t.test('the demo staff can log in with their documented passwords', async (t) => {
  const db = await demoDb(t, { customers: 10 });
  const agents = await db.selectFrom('agents').selectAll().orderBy('id').execute();
  t.same(agents.map((a) => [a.username, a.role]), DEMO_STAFF.map((s) => [s.username, s.role]));
  for (const [i, s] of DEMO_STAFF.entries()) {
    t.equal(await verifyPassword(s.password, agents[i]!.password_hash), true, s.username);
    t.match(agents[i]!.display_name, /^[А-ЯЁ][а-яё]+/);
  }
  t.ok(agents.every((a) => a.sip_password.length >= 20 && a.active === 1 && a.language === 'ru'));
});

t.test('progress is reported after each batch, up to the total', async (t) => {
  const db = await emptyDb(t);
  const calls: Array<[number, number]> = [];
  const summary = await generateDemoData(db, { customers: 25_000, seed: 3, asOf, historyCustomers: 0, onProgress: (done, total) => calls.push([done, total]) });
  t.ok(calls.length >= 3);
  t.same(calls.at(-1), [25_000, 25_000]);
  t.ok(calls.every(([done], i) => i === 0 || done > calls[i - 1]![0]), 'increasing');
  t.match(summary, { customers: 25_000, charges: 0, payments: 0, readings: 0 });
  t.ok(summary.accounts > 25_000 && summary.phones >= summary.accounts && summary.seconds > 0);
});

import t from 'tap';
import { findAccountByNumber, findAccountsByPhone, identifyCaller } from '../../server/accounts/lookup.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { generateDemoData } from '../../server/demo/generator.js';

const asOf = new Date('2026-11-25T12:00:00.000Z');

async function demoDb(t: { teardown(fn: () => unknown): void }): Promise<Db> {
  const db = openDatabase(':memory:');
  t.teardown(() => db.destroy());
  await migrateToLatest(db);
  await generateDemoData(db, { customers: 400, seed: 7, asOf, historyCustomers: 0 });
  return db;
}

async function accountId(db: Db, number: string): Promise<number> {
  return (await db.selectFrom('accounts').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;
}

t.test('a phone linked to one open account identifies that account, with its customer', async (t) => {
  const db = await demoDb(t);
  const who = await identifyCaller(db, '+7 (4012) 00-00-01');
  t.equal(who.e164, '+74012000001');
  t.equal(who.identification, 'one');
  t.equal(who.accountId, await accountId(db, '3900000001'));
  t.same(who.accounts, [{
    accountId: who.accountId, accountNumber: '3900000001', customerId: who.accounts[0]!.customerId,
    customerName: 'Петров Сергей Николаевич', city: 'Калининград', address: 'ул. Александра Невского, д. 12, кв. 45', tariff: 'single',
  }]);
});

t.test('a phone linked to two accounts identifies several and names no single account', async (t) => {
  const db = await demoDb(t);
  const who = await identifyCaller(db, '84012000003');
  t.equal(who.identification, 'several');
  t.equal(who.accountId, null);
  t.same(who.accounts.map((a) => a.accountNumber), ['3900000003', '3900000004']);
  t.same(who.accounts.map((a) => a.city), ['Калининград', 'Зеленоградск']);
});

t.test('a caller number given as a SIP URI is identified like the bare number', async (t) => {
  const db = await demoDb(t);
  const who = await identifyCaller(db, 'sip:+79110000004@127.0.0.1');
  t.equal(who.identification, 'one');
  t.equal(who.accounts[0]?.accountNumber, '3900000005');
  t.equal(who.accounts[0]?.customerName, 'Соколова Наталья Александровна');
});

t.test('a withheld, malformed or foreign caller number identifies nobody and has no e164', async (t) => {
  const db = await demoDb(t);
  for (const raw of ['', 'anonymous', 'Restricted', '12', '+1 555 0100']) {
    t.same(await identifyCaller(db, raw), { e164: null, identification: 'none', accountId: null, accounts: [] }, JSON.stringify(raw));
  }
});

t.test('a Russian number linked to no account identifies nobody but keeps its e164', async (t) => {
  const db = await demoDb(t);
  t.same(await identifyCaller(db, '8 (4012) 10-00-00'), { e164: '+74012100000', identification: 'none', accountId: null, accounts: [] });
});

t.test('an account is found by its number, with spaces and dashes ignored', async (t) => {
  const db = await demoDb(t);
  const account = await findAccountByNumber(db, '3900000002');
  t.match(account, { accountNumber: '3900000002', customerName: 'Смирнова Ольга Викторовна', tariff: 'two_zone', city: 'Калининград' });
  t.same(await findAccountByNumber(db, ' 3900-000-002 '), account);
});

t.test('an unknown or malformed account number finds nothing', async (t) => {
  const db = await demoDb(t);
  for (const number of ['3800000000', '', '   ', 'abc', "3900000001' or '1'='1", '39000000011']) {
    t.equal(await findAccountByNumber(db, number), undefined, JSON.stringify(number));
  }
});

t.test('a phone not in E.164 form finds no accounts: callers normalize first', async (t) => {
  const db = await demoDb(t);
  t.same(await findAccountsByPhone(db, '84012000001'), []);
  t.same(await findAccountsByPhone(db, ''), []);
  t.equal((await findAccountsByPhone(db, '+74012000001')).length, 1);
});

t.test('a closed account is found neither by its phone nor by its number', async (t) => {
  const db = await demoDb(t);
  await db.updateTable('accounts').set({ closed_at: '2026-10-01T00:00:00.000Z' }).where('number', '=', '3900000004').execute();
  const who = await identifyCaller(db, '+74012000003');
  t.equal(who.identification, 'one', 'the remaining open account');
  t.equal(who.accountId, await accountId(db, '3900000003'));
  t.equal(await findAccountByNumber(db, '3900000004'), undefined);
});

t.test('every generated phone finds exactly the open accounts it is linked to', async (t) => {
  const db = await demoDb(t);
  const links = await db.selectFrom('account_phones').select(['phone_e164', 'account_id']).execute();
  const expected = new Map<string, number[]>();
  for (const l of links) expected.set(l.phone_e164, [...(expected.get(l.phone_e164) ?? []), l.account_id]);
  t.ok(expected.size > 400);
  const found = new Map<string, number[]>();
  for (const phone of expected.keys()) found.set(phone, (await findAccountsByPhone(db, phone)).map((a) => a.accountId));
  const sorted = (m: Map<string, number[]>) => [...m].map(([phone, ids]) => [phone, [...ids].sort((a, b) => a - b)]);
  t.same(sorted(found), sorted(expected));
  t.ok([...expected.values()].some((ids) => ids.length > 1), 'some phones identify several accounts');
});

t.test('a customer without a patronymic is named by surname and first name', async (t) => {
  const db = await demoDb(t);
  const customer = await db.insertInto('customers')
    .values({ last_name: 'Шульц', first_name: 'Анна', middle_name: null, email: null, created_at: '2020-01-01T00:00:00.000Z' })
    .returning('id').executeTakeFirstOrThrow();
  const account = await db.insertInto('accounts')
    .values({ number: '3800000001', customer_id: customer.id, city: 'Балтийск', address: 'ул. Гоголя, д. 3, кв. 9', tariff: 'single', opened_at: '2020-01-01T00:00:00.000Z', closed_at: null })
    .returning('id').executeTakeFirstOrThrow();
  await db.insertInto('account_phones').values({ account_id: account.id, phone_e164: '+74014510001', label: null }).execute();
  t.equal((await identifyCaller(db, '+7 40145 1-00-01')).accounts[0]?.customerName, 'Шульц Анна');
});

import t from 'tap';
import { openDatabase, type Db } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { flatOrHouse, verifyAccount } from '../../server/self-service/account-check.js';
import { SelfService } from '../../server/self-service/service.js';
import { addAccount } from '../support/app.js';

async function db(t: { teardown(fn: () => unknown): void }): Promise<Db> {
  const d = openDatabase(':memory:');
  t.teardown(() => d.destroy());
  await migrateToLatest(d);
  return d;
}

/** A call from `caller` in the calls table, as the call service stores it on arrival. */
async function callFrom(d: Db, id: string, caller: string | null): Promise<void> {
  await d.insertInto('calls').values({
    id, channel_id: `ch-${id}`, direction: 'inbound', caller_number: caller ?? '', caller_e164: caller, identification: 'none',
    account_id: null, started_at: '2026-11-25T08:00:00.000Z', state: null,
  }).execute();
}

t.test('the flat number is read from the address, the house number for a private house, nothing from an address without one', async (t) => {
  t.equal(flatOrHouse('ул. Победы, д. 14, кв. 3'), '3');
  t.equal(flatOrHouse('Ленинский проспект, д. 30, кв. 7'), '7');
  t.equal(flatOrHouse('ул. Тургенева, д. 9'), '9');
  t.equal(flatOrHouse('пос. Лесной, дом 12а'), '12');
  t.equal(flatOrHouse('хутор Заречный'), null);
});

t.test('the phone check takes a linked phone however it is dialled, and nothing else', async (t) => {
  const d = await db(t);
  const id = await addAccount(d, '3900000001', '+74012000001');
  for (const typed of ['84012000001', '74012000001', '4012000001']) t.ok(await verifyAccount(d, id, typed, 'phone'), typed);
  t.notOk(await verifyAccount(d, id, '84012000002', 'phone'), 'another number');
  t.notOk(await verifyAccount(d, id, '', 'phone'), 'nothing');
  t.notOk(await verifyAccount(d, id + 99, '84012000001', 'phone'), 'another account');
});

t.test('the flat check compares the number, leading zeros aside', async (t) => {
  const d = await db(t);
  const id = await addAccount(d, '3900000001', '+74012000001'); // 'ул. Горького, д. 1, кв. 1'
  t.ok(await verifyAccount(d, id, '1', 'flat'));
  t.ok(await verifyAccount(d, id, '01', 'flat'));
  t.notOk(await verifyAccount(d, id, '11', 'flat'));
});

t.test('a typed account is linked only when the call comes from one of its phones; otherwise the check is named', async (t) => {
  const d = await db(t);
  await addAccount(d, '3900000001', '+74012000001');
  await callFrom(d, 'own', '+74012000001');
  await callFrom(d, 'stranger', '+79990000000');
  await callFrom(d, 'withheld', null);
  const service = new SelfService(d);
  t.match(await service.answer('own', 'ru', { kind: 'find_account', number: '3900000001' }), { account: { linked: true, check: null } });
  t.match(await service.answer('stranger', 'ru', { kind: 'find_account', number: '3900000001' }), { account: { linked: false, check: 'phone' } });
  t.match(await service.answer('withheld', 'ru', { kind: 'find_account', number: '3900000001' }), { account: { linked: false, check: 'phone' } });
  const flats = new SelfService(d, Date.now, { accountCheck: 'flat' });
  t.match(await flats.answer('stranger', 'ru', { kind: 'find_account', number: '3900000001' }), { account: { linked: false, check: 'flat' } });
});

t.test('a failed check is logged with the call and the account, never with what was typed', async (t) => {
  const d = await db(t);
  const id = await addAccount(d, '3900000001', '+74012000001');
  const lines: unknown[] = [];
  const service = new SelfService(d, Date.now, { log: { warn: (obj: unknown) => { lines.push(obj); } } as never });
  t.same(await service.answer('c1', 'ru', { kind: 'verify_account', accountId: id, answer: '84012999999' }), { kind: 'verification', passed: false });
  t.same(lines, [{ callId: 'c1', accountId: id, check: 'phone' }]);
  t.same(await service.answer('c1', 'ru', { kind: 'verify_account', accountId: id, answer: '84012000001' }), { kind: 'verification', passed: true });
  t.equal(lines.length, 1);
});

t.test('offices come with the towns they serve, their own first', async (t) => {
  const d = await db(t);
  const r = await new SelfService(d).answer('c1', 'ru', { kind: 'offices' });
  if (r.kind !== 'offices') throw new Error(r.kind);
  t.equal(r.offices.length, 3);
  t.equal(r.offices[0]!.towns[0], 'Калининград');
  t.equal(new Set(r.offices[0]!.towns).size, r.offices[0]!.towns.length, 'each town once');
  t.ok(r.offices[0]!.towns.includes('Зеленоградск'));
  t.ok(r.offices[1]!.towns.includes('Неман'));
});

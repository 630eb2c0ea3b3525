import t from 'tap';
import { generateDemoData } from '../../server/demo/generator.js';
import { addAgent, testApp } from '../support/app.js';

const asOf = new Date('2026-11-01T00:00:00Z');
/** Demo customers and an agent logged in; `api` injects with the agent's session. */
async function demo(t: Parameters<typeof testApp>[0]) {
  const app = await testApp(t, {
    seed: async (db) => {
      await generateDemoData(db, { customers: 60, seed: 3, asOf });
      await addAgent(db, 'agent7', {}, { password: 'agent7-password' });
    },
  });
  const session = await app.loginAs('agent7', 'agent7-password');
  return { ...app, api: session.inject };
}

t.test('the agent finds an account by phone in any common form, by account number, by surname and by address', async (t) => {
  const app = await demo(t);
  const search = async (q: string) => (await app.api({ method: 'GET', url: `/api/customers/search?q=${encodeURIComponent(q)}` })).json() as Array<{ accountNumber: string; customerName: string; address: string }>;
  t.same((await search('8 (4012) 00-00-01')).map((a) => a.accountNumber), ['3900000001']);
  t.same((await search('+74012000003')).map((a) => a.accountNumber), ['3900000003', '3900000004'], 'a phone with two accounts');
  t.same((await search('39 0000 0005')).map((a) => a.accountNumber), ['3900000005']);
  t.ok((await search('Петров')).some((a) => a.customerName === 'Петров Сергей Николаевич'));
  t.ok((await search('петров серг')).some((a) => a.accountNumber === '3900000001'), 'lower case, surname and first name prefix');
  t.ok((await search('ул. Александра Невского, д. 12')).some((a) => a.accountNumber === '3900000001'), 'an address from its start');
  t.same(await search('Несуществующий'), []);
});

t.test('a search needs at least two characters', async (t) => {
  const app = await demo(t);
  const res = await app.api({ method: 'GET', url: '/api/customers/search?q=a' });
  t.equal(res.statusCode, 400);
  t.equal(res.json().code, 'CC_ERR_VALIDATION');
});

t.test('the account card shows the customer, balance, 24 months of charges and payments, readings and earlier contacts', async (t) => {
  const app = await demo(t);
  const account = await app.db.selectFrom('accounts').select('id').where('number', '=', '3900000001').executeTakeFirstOrThrow();
  const res = await app.api({ method: 'GET', url: `/api/accounts/${account.id}/card` });
  t.equal(res.statusCode, 200);
  const card = res.json();
  t.equal(card.customer.name, 'Петров Сергей Николаевич');
  t.same(card.customer.phones.map((p: { phone: string }) => p.phone), ['+74012000001']);
  t.match(card.account, { number: '3900000001', tariff: 'single' });
  t.ok(card.balanceKop > 0, 'the demo debtor owes money');
  t.ok(card.charges.length > 0 && card.charges.length <= 24, `charges within 24 months (${card.charges.length})`);
  t.ok(card.payments.length > 0);
  t.ok(card.readings.length > 0);
  t.same(Object.keys(card.contacts).sort(), ['appeals', 'calls', 'consultations']);
  const missing = await app.api({ method: 'GET', url: '/api/accounts/999999/card' });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().code, 'CC_ERR_ACCOUNT_NOT_FOUND');
});

t.test('the customer view needs a session', async (t) => {
  const app = await demo(t);
  const res = await app.http.inject({ method: 'GET', url: '/api/customers/search?q=Петров' });
  t.equal(res.statusCode, 401);
  t.equal(res.json().code, 'CC_ERR_AUTH_REQUIRED');
});

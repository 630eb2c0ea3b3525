import t from 'tap';
import type { Page } from 'playwright-core';
import type { OfficeView } from '../../agent-ui/src/admin.js';
import { componentPage, launchBrowser, type FakeApi } from '../support/browser.js';

/*
 * <cc-office-admin> in Chromium against a fake API: the offices the IVR tells callers about,
 * an edit sent whole with PUT, a new office with POST, towns typed comma separated and sent as
 * an array, and the note that callers hear the change at once.
 */

const browser = await launchBrowser(t);

const CENTRAL: OfficeView = {
  id: 1, sortOrder: 10, cityRu: 'Калининград', cityEn: 'Kaliningrad', addressRu: 'ул. Театральная, 34', addressEn: '34 Teatralnaya St',
  hoursRu: 'пн–пт 9:00–18:00', hoursEn: 'Mon–Fri 9:00–18:00', phone: '+7 4012 00-00-00', towns: ['Калининград', 'Гурьевск'], active: true,
};
const SOVETSK: OfficeView = {
  id: 2, sortOrder: 20, cityRu: 'Советск', cityEn: 'Sovetsk', addressRu: 'ул. Победы, 5', addressEn: '5 Pobedy St',
  hoursRu: 'пн–чт 9:00–17:00', hoursEn: 'Mon–Thu 9:00–17:00', phone: '', towns: ['Советск', 'Неман'], active: false,
};

const api = (over: FakeApi = {}): FakeApi => ({ 'GET /api/offices': () => ({ body: [SOVETSK, CENTRAL] }), ...over });

async function mount(page: Page, lang: 'ru' | 'en' = 'ru') {
  await page.evaluate((lang) => {
    const el = document.createElement('cc-office-admin');
    el.lang = lang;
    document.body.append(el);
  }, lang);
  const el = page.locator('cc-office-admin');
  await el.locator('tr[data-office="1"]').waitFor();
  return el;
}

type Requests = Array<{ method: string; path: string; body: unknown }>;
const sent = (requests: Requests) => requests.filter((r) => r.method !== 'GET').map((r) => ({ method: r.method, path: r.path, body: r.body }));
const row = (page: Page, id: number) => page.locator(`cc-office-admin tr[data-office="${id}"] td`).allTextContents();

t.test('the list shows the offices in their order with city, address, hours, phone, towns and whether callers hear of them', async (t) => {
  const { page } = await componentPage(t, browser, api());
  await mount(page);
  t.same(await page.locator('cc-office-admin tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-office'))), ['1', '2']);
  t.same((await row(page, 1)).slice(0, 7), ['10', 'Калининград', 'ул. Театральная, 34', 'пн–пт 9:00–18:00', '+7 4012 00-00-00', 'Калининград, Гурьевск', 'Да']);
  t.same((await row(page, 2)).slice(4, 7), ['—', 'Советск, Неман', 'Нет']);
});

t.test('an edited office is sent whole, towns as a list, and the page says callers hear it at once', async (t) => {
  const { page, requests } = await componentPage(t, browser, api({
    'PUT /api/offices/1': (body) => ({ body: { id: 1, ...(body as object) } }),
  }));
  const el = await mount(page);
  await el.locator('tr[data-office="1"] [data-action=edit-office]').click();
  const form = el.locator('cc-office-form');
  t.match(await form.getByRole('note').textContent(), 'следующий звонящий в голосовом меню услышит новый текст');
  t.equal(await form.locator('input[name=towns]').inputValue(), 'Калининград, Гурьевск');
  await form.locator('input[name=hoursRu]').fill('пн–сб 8:00–20:00');
  await form.locator('input[name=hoursEn]').fill('Mon–Sat 8:00–20:00');
  await form.locator('input[name=towns]').fill(' Калининград,Гурьевск , Васильково,, ');
  await form.locator('input[name=phone]').fill('+7 4012 11-22-33');
  await form.locator('[data-action=save-office]').click();
  await el.getByTestId('office-status').waitFor();
  t.same(sent(requests), [{
    method: 'PUT', path: '/api/offices/1',
    body: {
      sortOrder: 10, cityRu: 'Калининград', cityEn: 'Kaliningrad', addressRu: 'ул. Театральная, 34', addressEn: '34 Teatralnaya St',
      hoursRu: 'пн–сб 8:00–20:00', hoursEn: 'Mon–Sat 8:00–20:00', phone: '+7 4012 11-22-33', towns: ['Калининград', 'Гурьевск', 'Васильково'], active: true,
    },
  }]);
  t.equal(await el.locator('cc-office-form').count(), 0, 'the form is closed');
  t.match(await el.getByTestId('office-status').textContent(), 'Следующий звонящий в голосовом меню уже услышит новый текст');
  t.same((await row(page, 1)).slice(3, 6), ['пн–сб 8:00–20:00', '+7 4012 11-22-33', 'Калининград, Гурьевск, Васильково']);
});

t.test('a new office is created with both languages, placed after the last one', async (t) => {
  const { page, requests } = await componentPage(t, browser, api({
    'POST /api/offices': (body) => ({ status: 201, body: { id: 3, ...(body as object) } }),
  }));
  const el = await mount(page, 'en');
  await el.locator('[data-action=create-office]').click();
  const form = el.locator('cc-office-form');
  t.equal(await form.locator('input[name=sortOrder]').inputValue(), '30');
  t.match(await form.getByRole('note').textContent(), 'the next caller in the voice menu hears the new text');
  const fill: Record<string, string> = {
    cityRu: 'Черняховск', cityEn: 'Chernyakhovsk', addressRu: 'ул. Ленина, 10', addressEn: '10 Lenina St',
    hoursRu: 'вт–пт 10:00–17:00', hoursEn: 'Tue–Fri 10:00–17:00', towns: 'Черняховск, Гусев',
  };
  for (const [name, value] of Object.entries(fill)) await form.locator(`input[name=${name}]`).fill(value);
  await form.locator('input[name=active]').uncheck();
  await form.locator('[data-action=save-office]').click();
  await el.locator('tr[data-office="3"]').waitFor();
  t.same(sent(requests), [{
    method: 'POST', path: '/api/offices',
    body: {
      sortOrder: 30, cityRu: 'Черняховск', cityEn: 'Chernyakhovsk', addressRu: 'ул. Ленина, 10', addressEn: '10 Lenina St',
      hoursRu: 'вт–пт 10:00–17:00', hoursEn: 'Tue–Fri 10:00–17:00', phone: '', towns: ['Черняховск', 'Гусев'], active: false,
    },
  }]);
  t.same((await row(page, 3)).slice(0, 2), ['30', 'Chernyakhovsk'], 'shown in English on an English page');
});

t.test('an empty required text is marked and nothing is sent; a server refusal is explained', async (t) => {
  const { page, requests } = await componentPage(t, browser, api({
    'PUT /api/offices/2': () => ({ status: 404, body: { code: 'CC_ERR_OFFICE_NOT_FOUND', message: 'no such office', details: {} } }),
  }));
  const el = await mount(page);
  await el.locator('tr[data-office="2"] [data-action=edit-office]').click();
  const form = el.locator('cc-office-form');
  await form.locator('input[name=addressEn]').fill('   ');
  await form.locator('[data-action=save-office]').click();
  t.equal(await form.locator('[data-error-for=addressEn]').textContent(), 'Заполните это поле.');
  t.same(sent(requests), []);
  await form.locator('input[name=addressEn]').fill('5 Pobedy St');
  await form.locator('[data-action=save-office]').click();
  await form.getByTestId('office-form-error').waitFor();
  t.equal(await form.getByTestId('office-form-error').textContent(), 'Такого офиса больше нет. Обновите список.');
  t.equal(sent(requests).length, 1);
});

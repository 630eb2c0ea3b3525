import t from 'tap';
import type { Locator, Page } from 'playwright-core';
import type { AccountCard } from '../../server/customers/service.js';
import { componentPage, launchBrowser, type FakeApi } from '../support/browser.js';

/*
 * The account card in a real browser against a fake API: what the agent reads (customer,
 * balance, months, readings, history), the states the card goes through, the event the
 * benchmark waits for, and its failures.
 */

const TWO_ZONE_PRICE = { day: 666, night: 339 };

/** 24 months Dec 2024 … Nov 2026 of a two-zone flat: winter heavier than summer. */
function charges(): AccountCard['charges'] {
  const season = [1.35, 1.25, 1.1, 0.95, 0.85, 0.78, 0.78, 0.8, 0.88, 1.02, 1.2, 1.38];
  return Array.from({ length: 24 }, (_, i) => {
    const d = new Date(Date.UTC(2024, 11 + i, 1));
    const kwhDay = Math.round(190 * season[d.getUTCMonth()]!);
    const kwhNight = Math.round(kwhDay * 0.4);
    return { period: d.toISOString().slice(0, 7), kwhDay, kwhNight, amountKop: kwhDay * TWO_ZONE_PRICE.day + kwhNight * TWO_ZONE_PRICE.night };
  });
}

/** On the 10th of each month the bill of the month before is paid, up to August's; then 500 ₽ once. */
function payments(list: AccountCard['charges']): AccountCard['payments'] {
  const paid = list.slice(0, -3).map((c, i) => {
    const d = new Date(Date.UTC(2025, i, 10, 7, 15));
    return { paidAt: d.toISOString(), amountKop: c.amountKop, channel: i % 3 === 0 ? 'bank_card' : 'personal_account' };
  });
  // 23:30 UTC on 31 October is 01:30 on 1 November in Kaliningrad: a November payment.
  paid.push({ paidAt: '2026-10-31T23:30:00.000Z', amountKop: 50_000, channel: 'terminal' });
  return paid;
}

const smirnovaCharges = charges();
const smirnova: AccountCard = {
  customer: {
    id: 4512, name: 'Смирнова Ольга Викторовна', email: 'o.smirnova@mail.ru',
    phones: [{ phone: '+74012563412', label: 'домашний' }, { phone: '+79114567890', label: 'мобильный' }],
  },
  account: { id: 7, number: '3900045127', city: 'Калининград', address: 'ул. Горького, д. 55, кв. 12', tariff: 'two_zone', openedAt: '2014-03-17T09:00:00.000Z' },
  // September to November charged, 500 ₽ paid: 1 339,35 + 1 556,46 + 1 826,97 − 500,00
  balanceKop: 422_278,
  charges: smirnovaCharges,
  payments: payments(smirnovaCharges),
  readings: [
    { takenAt: '2026-11-20T08:12:00.000Z', day: 14_872, night: 7_103, source: 'ivr' },
    { takenAt: '2026-10-19T16:40:00.000Z', day: 14_610, night: 6_998, source: 'personal_account' },
    { takenAt: '2026-09-22T10:05:00.000Z', day: 14_416, night: 6_920, source: 'telegram' },
    { takenAt: '2026-08-18T07:55:00.000Z', day: 14_264, night: 6_859, source: 'controller' },
  ],
  contacts: {
    calls: [
      { id: 'c-1121', direction: 'inbound', number: '+79114567890', startedAt: '2026-11-21T09:05:00.000Z', endedAt: '2026-11-21T09:11:20.000Z', outcome: 'completed', queue: 'billing', agentId: 3 },
      { id: 'c-0903', direction: 'inbound', number: '+74012563412', startedAt: '2026-09-03T12:30:00.000Z', endedAt: '2026-09-03T12:34:10.000Z', outcome: 'abandoned', queue: 'general', agentId: null },
    ],
    consultations: [
      { id: 41, topic: 'billing', notes: 'Объяснила перерасчёт за сентябрь по двухзонному тарифу.', resolved: true, createdAt: '2026-10-14T11:20:00.000Z', agentId: 3, callId: null },
    ],
    appeals: [
      { id: 12, number: '26000318', kind: 'website', channel: 'internet_reception', subject: 'Не согласна с начислением за октябрь', status: 'in_progress', registeredAt: '2026-11-02T10:00:00.000Z', dueDate: '2026-12-02' },
      { id: 5, number: '26000107', kind: 'paper', channel: 'post', subject: 'Замена счётчика', status: 'closed', registeredAt: '2026-06-10T08:00:00.000Z', dueDate: '2026-07-10' },
    ],
  },
};

/** A single-rate account in Zelenogradsk that has paid ahead. */
const kuznetsov: AccountCard = {
  customer: { id: 877, name: 'Кузнецов Андрей Павлович', email: null, phones: [{ phone: '+79062141188', label: 'мобильный' }] },
  account: { id: 8, number: '3900008771', city: 'Зеленоградск', address: 'ул. Тургенева, д. 9', tariff: 'single', openedAt: '2019-08-01T09:00:00.000Z' },
  balanceKop: -56_000,
  charges: [{ period: '2026-10', kwhDay: 412, kwhNight: null, amountKop: 412 * 605 }, { period: '2026-11', kwhDay: 455, kwhNight: null, amountKop: 455 * 672 }],
  payments: [{ paidAt: '2026-11-05T10:00:00.000Z', amountKop: 412 * 605 + 455 * 672 + 56_000, channel: 'bank_card' }],
  readings: [{ takenAt: '2026-11-18T09:00:00.000Z', day: 9_310, night: null, source: 'agent' }],
  contacts: { calls: [], consultations: [], appeals: [] },
};

const api: FakeApi = {
  'GET /api/accounts/7/card': () => ({ body: smirnova }),
  'GET /api/accounts/8/card': () => ({ body: kuznetsov }),
  'GET /api/accounts/999/card': () => ({ status: 404, body: { code: 'CC_ERR_ACCOUNT_NOT_FOUND', message: 'No such account', details: { accountId: 999 } } }),
};

/** Mounts a card for `accountId`, recording its data-state changes and cc-card-painted events. */
async function mount(page: Page, accountId: number, lang: 'ru' | 'en' = 'ru') {
  await page.evaluate(([id, l]) => {
    const w = window as unknown as { states: string[]; painted: unknown[] };
    w.states = [];
    w.painted = [];
    document.addEventListener('cc-card-painted', (e) => w.painted.push((e as CustomEvent).detail));
    const el = document.createElement('cc-account-card');
    new MutationObserver(() => w.states.push(el.getAttribute('data-state') ?? '')).observe(el, { attributeFilter: ['data-state'] });
    el.accountId = id;
    el.lang = l;
    document.body.append(el);
  }, [accountId, lang] as const);
}

/** Text with any kind of space (Intl puts no-break spaces in numbers) as plain spaces. */
const spaces = (s: string) => s.replace(/\s+/g, ' ').trim();
const classes = (l: Locator) => l.evaluate((el) => [...el.classList]);

const browser = await launchBrowser(t);

t.test('the card shows the customer, the account and a debt in red wording', async (t) => {
  const { page } = await componentPage(t, browser, api);
  await mount(page, 7);
  const card = page.locator('cc-account-card');
  await card.locator('h2').waitFor();
  t.equal(await card.locator('h2').textContent(), 'Смирнова Ольга Викторовна');
  const summary = spaces(await card.locator('section.summary').innerText());
  t.match(summary, '3900045127');
  t.match(summary, 'ул. Горького, д. 55, кв. 12');
  t.match(summary, 'Калининград');
  t.match(summary, 'Двухзонный (день/ночь)');
  t.match(summary, '+7 401 256-34-12 домашний');
  t.match(summary, '+7 911 456-78-90 мобильный');
  t.match(summary, 'o.smirnova@mail.ru');
  const balance = card.locator('.balance');
  t.equal(await balance.getAttribute('data-balance'), 'debt');
  t.equal(spaces(await balance.innerText()), 'Задолженность 4 222,78 ₽');
  t.equal(await balance.locator('.sum').evaluate((el) => getComputedStyle(el).color), 'rgb(179, 38, 30)', 'the debt is red');
});

t.test('24 months of charges are one table row each, newest first, with the payments made in that Kaliningrad month', async (t) => {
  const { page } = await componentPage(t, browser, api);
  await mount(page, 7);
  const rows = page.locator('cc-account-card table.usage tbody tr');
  await rows.first().waitFor();
  t.equal(await rows.count(), 24);
  t.equal(await rows.first().getAttribute('data-period'), '2026-11');
  t.equal(await rows.last().getAttribute('data-period'), '2024-12');
  // November: 228 kWh × 6.66 ₽ by day and 91 kWh × 3.39 ₽ by night; the payment at 23:30 UTC
  // on 31 October is already November in Kaliningrad.
  t.same((await rows.first().locator('th, td').allInnerTexts()).map(spaces), ['нояб. 2026 г.', '228', '91', '1 826,97 ₽', '500,00 ₽']);
  t.same((await rows.nth(1).locator('th, td').allInnerTexts()).map(spaces), ['окт. 2026 г.', '194', '78', '1 556,46 ₽', '—'], 'nothing paid in October');
  const headers = await page.locator('cc-account-card table.usage thead th').allInnerTexts();
  t.same(headers, ['Месяц', 'День, кВт·ч', 'Ночь, кВт·ч', 'Начислено', 'Оплачено']);
});

t.test('the chart of charges and payments is drawn by Chart.js on a canvas', async (t) => {
  const { page } = await componentPage(t, browser, api);
  await mount(page, 7);
  await page.waitForFunction(() => (window as unknown as { painted: unknown[] }).painted.length > 0);
  const drawn = await page.evaluate(() => {
    const chart = document.querySelector('cc-account-card')!.shadowRoot!.querySelector('cc-usage-chart')!;
    const canvas = chart.shadowRoot!.querySelector('canvas')!;
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
    return { width: canvas.width, height: canvas.height, painted, label: canvas.getAttribute('aria-label') };
  });
  t.ok(drawn.width > 300 && drawn.height > 100, `the canvas has a size (${drawn.width}×${drawn.height})`);
  t.ok(drawn.painted > 2000, `bars, line and axes are painted (${drawn.painted} pixels)`);
  t.equal(drawn.label, 'График начислений, оплат и расхода по месяцам');
});

t.test('meter readings are listed with date, day and night values and where they came from', async (t) => {
  const { page } = await componentPage(t, browser, api);
  await mount(page, 7);
  const rows = page.locator('cc-account-card table.readings tbody tr');
  await rows.first().waitFor();
  t.equal(await rows.count(), 4);
  t.same((await rows.first().locator('th, td').allInnerTexts()).map(spaces), ['20.11.2026', '14872', '7103', 'Голосовое меню']);
  t.same((await rows.last().locator('th, td').allInnerTexts()), ['18.08.2026', '14264', '6859', 'Контролёр']);
  t.equal(await page.locator('cc-account-card table.readings caption').textContent(), 'Показания счётчика');
});

t.test('calls, consultations and appeals are one history, newest first, with the appeal due date', async (t) => {
  const { page } = await componentPage(t, browser, api);
  await mount(page, 7);
  const items = page.locator('cc-account-card cc-contact-history li');
  await items.first().waitFor();
  t.same(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-type'))), ['call', 'appeal', 'consultation', 'call', 'appeal']);
  const texts = (await items.allInnerTexts()).map(spaces);
  t.match(texts[0], /21\.11\.2026 11:05 Входящий звонок Состоялся/);
  t.match(texts[0], 'Очередь: Начисления и оплата');
  t.match(texts[0], 'Длительность 6:20');
  t.match(texts[1], 'Обращение № 26000318');
  t.match(texts[1], 'В работе');
  t.match(texts[1], 'Обращение в электронном виде, отправленное с помощью официального сайта');
  t.match(texts[1], 'Срок ответа: 02.12.2026');
  t.match(texts[2], 'Консультация');
  t.match(texts[2], 'Тема: Начисления');
  t.match(texts[2], 'Вопрос решён');
  t.match(texts[2], 'Объяснила перерасчёт');
  t.match(texts[3], 'Клиент не дождался ответа');
  t.match(texts[4], 'Закрыто');
  t.match(await page.locator('cc-account-card cc-contact-history h3').innerText(), '5 записей');
});

t.test('an open appeal is flagged as due soon, then as overdue, against the history\'s today', async (t) => {
  const { page } = await componentPage(t, browser, api);
  await mount(page, 7);
  const appeal = page.locator('cc-account-card cc-contact-history li.appeal').first();
  await appeal.waitFor();
  const setToday = (day: string) => page.evaluate(async (d) => {
    const history = document.querySelector('cc-account-card')!.shadowRoot!.querySelector('cc-contact-history')!;
    history.today = d;
    await history.updateComplete;
  }, day);
  await setToday('2026-11-30');
  t.same(await classes(appeal), ['appeal', 'due-soon']);
  t.match(await appeal.innerText(), 'Осталось 2 дня');
  await setToday('2026-12-07');
  t.same(await classes(appeal), ['appeal', 'overdue']);
  t.match(await appeal.innerText(), 'Просрочено на 5 дней');
  t.same(await classes(page.locator('cc-account-card cc-contact-history li.appeal').last()), ['appeal'], 'a closed appeal is never flagged');
});

t.test('the card goes from loading to ready and then announces cc-card-painted with the account id', async (t) => {
  let release!: () => void;
  const answered = new Promise<void>((resolve) => { release = resolve; });
  const { page } = await componentPage(t, browser, { 'GET /api/accounts/7/card': async () => { await answered; return { body: smirnova }; } });
  await mount(page, 7);
  const card = page.locator('cc-account-card');
  await page.waitForFunction(() => document.querySelector('cc-account-card')?.getAttribute('data-state') === 'loading');
  t.equal(await card.locator('[role=status]').innerText(), 'Загружается карточка лицевого счёта…');
  t.same(await page.evaluate(() => (window as unknown as { painted: unknown[] }).painted), [], 'nothing announced while loading');
  release();
  await page.waitForFunction(() => (window as unknown as { painted: unknown[] }).painted.length > 0);
  t.equal(await card.getAttribute('data-state'), 'ready');
  t.same(await page.evaluate(() => (window as unknown as { states: string[] }).states), ['loading', 'ready']);
  t.same(await page.evaluate(() => (window as unknown as { painted: unknown[] }).painted), [{ accountId: 7 }]);
  t.equal(await card.locator('h2').textContent(), 'Смирнова Ольга Викторовна', 'the card is on screen when announced');
});

t.test('a card without an account is empty and fetches nothing', async (t) => {
  const { page, requests } = await componentPage(t, browser, api);
  await page.evaluate(() => document.body.append(document.createElement('cc-account-card')));
  await page.waitForFunction(() => document.querySelector('cc-account-card')?.getAttribute('data-state') === 'empty');
  t.match(await page.locator('cc-account-card p').innerText(), 'Клиент не выбран');
  t.same(requests, []);
});

t.test('an unknown account shows a clear not-found message, its code and a retry button', async (t) => {
  const { page } = await componentPage(t, browser, api);
  await mount(page, 999);
  const alert = page.locator('cc-account-card [role=alert]');
  await alert.waitFor();
  t.equal(await page.locator('cc-account-card').getAttribute('data-state'), 'error');
  t.match(await alert.innerText(), 'Лицевой счёт 999 не найден');
  t.match(await alert.innerText(), 'CC_ERR_ACCOUNT_NOT_FOUND');
  t.equal(await alert.locator('button').innerText(), 'Повторить');
  t.same(await page.evaluate(() => (window as unknown as { painted: unknown[] }).painted), [], 'a failed card is not announced as painted');
});

t.test('after a server error the retry button loads the card', async (t) => {
  let calls = 0;
  const { page } = await componentPage(t, browser, {
    'GET /api/accounts/7/card': () => (++calls === 1 ? { status: 500, body: { code: 'CC_ERR_DB_QUERY_FAILED', message: 'database is locked' } } : { body: smirnova }),
  });
  await mount(page, 7);
  const alert = page.locator('cc-account-card [role=alert]');
  await alert.waitFor();
  t.match(await alert.innerText(), 'CC_ERR_DB_QUERY_FAILED');
  await alert.locator('button').focus();
  await page.keyboard.press('Enter');
  await page.locator('cc-account-card h2').waitFor();
  t.equal(await page.locator('cc-account-card').getAttribute('data-state'), 'ready');
  t.equal(calls, 2);
  t.same(await page.evaluate(() => (window as unknown as { states: string[] }).states), ['loading', 'error', 'loading', 'ready']);
});

t.test('switching to another account loads and announces the new one', async (t) => {
  const { page } = await componentPage(t, browser, api);
  await mount(page, 7);
  await page.waitForFunction(() => (window as unknown as { painted: unknown[] }).painted.length === 1);
  await page.evaluate(() => { document.querySelector('cc-account-card')!.accountId = 8; });
  await page.waitForFunction(() => (window as unknown as { painted: unknown[] }).painted.length === 2);
  t.same(await page.evaluate(() => (window as unknown as { painted: unknown[] }).painted), [{ accountId: 7 }, { accountId: 8 }]);
  t.equal(await page.locator('cc-account-card h2').textContent(), 'Кузнецов Андрей Павлович');
});

t.test('in English the card reads an overpayment, the single-rate tariff and English months', async (t) => {
  const { page } = await componentPage(t, browser, api);
  await mount(page, 8, 'en');
  const card = page.locator('cc-account-card');
  await card.locator('h2').waitFor();
  const balance = card.locator('.balance');
  t.equal(await balance.getAttribute('data-balance'), 'overpayment');
  t.equal(spaces(await balance.innerText()), 'Overpayment RUB 560.00');
  const summary = spaces(await card.locator('section.summary').innerText());
  t.match(summary, 'Single rate');
  t.match(summary, 'Зеленоградск');
  t.match(summary, 'E-mail none on file');
  t.match(summary, '+7 906 214-11-88 mobile');
  t.same(await card.locator('table.usage thead th').allInnerTexts(), ['Month', 'Usage, kWh', 'Charged', 'Paid']);
  t.same(await card.locator('table.usage tbody th').allInnerTexts(), ['Nov 2026', 'Oct 2026']);
  t.same(await card.locator('table.readings tbody tr').first().locator('th, td').allInnerTexts(), ['18/11/2026', '9310', 'Agent']);
  t.equal(await card.locator('cc-contact-history p').innerText(), 'No earlier contacts.');
});

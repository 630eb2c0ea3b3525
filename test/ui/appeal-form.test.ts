import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import type { AppealView, NewAppealBody } from '../../server/appeals/schemas.js';
import { componentPage, launchBrowser, type FakeApi } from '../support/browser.js';

/*
 * <cc-appeal-form> in Chromium against a fake API: the due date the agent reads before
 * registering, the draft that survives a reload, one appeal per form however often it is sent,
 * and the number shown only once the server has it.
 */

const browser = await launchBrowser(t);

const CALL = '0b6f3c2e-8a4d-4d7e-9a51-3f1c2b7d9e10';
const NOON_DEC_20 = '2026-12-20T10:00:00Z';

/** The server's answer to a registration: the appeal as sent, numbered. */
const appealOf = (body: unknown, over: Partial<AppealView> = {}): AppealView => {
  const b = body as NewAppealBody;
  return {
    id: 42, number: '26000042', kind: b.kind, channel: b.channel, subject: b.subject, body: b.body, status: 'registered',
    accountId: b.accountId ?? null, customerId: b.customerId ?? null, callId: b.callId ?? null, agentId: 7,
    registeredAt: NOON_DEC_20, dueDate: '2027-01-19', answeredAt: null, ...over,
  };
};

interface Mount { agentId?: number; callId?: string | null; accountId?: number | null; customerId?: number | null; lang?: 'ru' | 'en'; now?: string }

/** Mounts a fresh form (as the app would after a reload) and records the events that reach the document. */
async function mount(page: Page, p: Mount = {}): Promise<void> {
  await page.waitForFunction(() => customElements.get('cc-appeal-form') !== undefined);
  await page.evaluate((p) => {
    document.querySelector('cc-appeal-form')?.remove();
    const w = window as unknown as { logged?: unknown[] };
    if (w.logged === undefined) {
      w.logged = [];
      document.addEventListener('cc-contact-logged', (e) => w.logged!.push((e as CustomEvent).detail));
    }
    const el = document.createElement('cc-appeal-form');
    el.agentId = p.agentId ?? 7;
    el.callId = p.callId === undefined ? null : p.callId;
    el.accountId = p.accountId ?? null;
    el.customerId = p.customerId ?? null;
    el.lang = p.lang ?? 'ru';
    const now = p.now ?? '2026-12-20T10:00:00Z';
    el.now = () => new Date(now);
    el.style.width = '380px';
    document.body.append(el);
  }, p);
}

const setClock = (page: Page, iso: string) =>
  page.evaluate((iso) => { document.querySelector('cc-appeal-form')!.now = () => new Date(iso); }, iso);

const field = (page: Page, id: string) => page.locator(`cc-appeal-form #${id}`);
const dueText = async (page: Page) => (await page.getByTestId('due-date').textContent())?.trim();
const submitButton = (page: Page) => page.locator('cc-appeal-form button[type=submit]');
const logged = (page: Page) => page.evaluate(() => (window as unknown as { logged: unknown[] }).logged);

async function fill(page: Page, f: { kind: string; channel?: string; subject: string; body?: string }): Promise<void> {
  await field(page, 'kind').selectOption(f.kind);
  if (f.channel !== undefined) await field(page, 'channel').selectOption(f.channel);
  await field(page, 'subject').fill(f.subject);
  if (f.body !== undefined) await field(page, 'body').fill(f.body);
}

/** A fake API answer held until the test releases it. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => { open = resolve; });
  return { wait, open };
}

const posts = (requests: Array<{ method: string; path: string; body: unknown }>) =>
  requests.filter((r) => r.method === 'POST' && r.path === '/api/appeals');

const open = async (t: Test, api: FakeApi = {}) => componentPage(t, browser, api);

t.test('every kind shows its due date and its number of calendar days, counted from the registration day', async (t) => {
  const { page } = await open(t);
  await mount(page, { now: NOON_DEC_20 });
  t.equal(await dueText(page), 'Выберите вид обращения: от него зависит срок ответа.', 'no kind chosen, no date');
  const expected: Array<[string, string]> = [
    ['paper', 'до 19.01.2027 — 30 календарных дней'],
    ['website', 'до 19.01.2027 — 30 календарных дней'],
    ['office_complaint', 'до 19.01.2027 — 30 календарных дней'],
    ['authority_request', 'до 04.01.2027 — 15 календарных дней'],
    ['outside_competence', 'до 27.12.2026 — 7 календарных дней'],
    ['illegible', 'до 27.12.2026 — 7 календарных дней'],
  ];
  for (const [kind, text] of expected) {
    await field(page, 'kind').selectOption(kind);
    t.equal(await dueText(page), text, kind);
  }
});

t.test('terms crossing a month end and a year end land on the right calendar day', async (t) => {
  const { page } = await open(t);
  await mount(page, { now: '2026-12-28T10:00:00Z' });
  await field(page, 'kind').selectOption('illegible');
  t.equal(await dueText(page), 'до 04.01.2027 — 7 календарных дней', '7 days from 28 December is 4 January next year');
  await field(page, 'kind').selectOption('authority_request');
  await setClock(page, '2026-12-31T10:00:00Z');
  t.equal(await dueText(page), 'до 15.01.2027 — 15 календарных дней');
  await field(page, 'kind').selectOption('outside_competence');
  await setClock(page, '2026-11-25T10:00:00Z');
  t.equal(await dueText(page), 'до 02.12.2026 — 7 календарных дней', 'through the end of November');
  await field(page, 'kind').selectOption('paper');
  await setClock(page, '2026-01-31T10:00:00Z');
  t.equal(await dueText(page), 'до 02.03.2026 — 30 календарных дней', 'February 2026 has 28 days');
});

t.test('late on 31 December UTC it is already 1 January in Kaliningrad, and the term counts from there', async (t) => {
  const { page } = await open(t);
  await mount(page, { now: '2026-12-31T21:30:00Z' });
  await field(page, 'kind').selectOption('paper');
  t.equal(await dueText(page), 'до 30.01.2027 — 30 календарных дней', '23:30 in Kaliningrad is still 31 December');
  await setClock(page, '2026-12-31T22:30:00Z');
  t.equal(await dueText(page), 'до 31.01.2027 — 30 календарных дней', '00:30 in Kaliningrad is 1 January');
});

t.test('an authority request that sets its own date is due that day, and the date is sent', async (t) => {
  const { page, requests } = await open(t, { 'POST /api/appeals': (body) => ({ status: 201, body: appealOf(body, { dueDate: '2027-01-10' }) }) });
  await mount(page, { now: NOON_DEC_20 });
  t.equal(await field(page, 'authorityDueDate').count(), 0, 'no date field for a kind with a fixed term');
  await fill(page, { kind: 'authority_request', subject: 'Запрос прокуратуры о начислениях' });
  await field(page, 'authorityDueDate').fill('2027-01-10');
  t.equal(await dueText(page), 'до 10.01.2027 — 21 календарный день');
  await field(page, 'authorityDueDate').fill('2026-12-20');
  t.equal(await dueText(page), 'до 20.12.2026 — 0 календарных дней', 'the registration day itself is allowed');
  await field(page, 'authorityDueDate').fill('2027-01-10');
  await submitButton(page).click();
  await page.getByTestId('appeal-number').waitFor();
  t.match(posts(requests)[0]?.body, { kind: 'authority_request', authorityDueDate: '2027-01-10' });
  t.equal((await page.getByTestId('appeal-due').textContent())?.trim(), 'Ответ до 10.01.2027.');
});

t.test('an authority date already past shows the rule\'s error instead of a date and cannot be submitted', async (t) => {
  const { page, requests } = await open(t, { 'POST /api/appeals': (body) => ({ status: 201, body: appealOf(body) }) });
  await mount(page, { now: NOON_DEC_20 });
  await fill(page, { kind: 'authority_request', subject: 'Запрос Ростехнадзора', body: 'Просят документы' });
  await field(page, 'authorityDueDate').fill('2026-12-10');
  t.equal(await dueText(page), 'Срок из запроса уже прошёл: дата не может быть раньше дня регистрации.');
  t.equal(await field(page, 'authorityDueDate').getAttribute('aria-invalid'), 'true');
  t.ok(await submitButton(page).isDisabled(), 'the button is disabled');
  await field(page, 'subject').press('Enter');
  await field(page, 'body').press('Control+Enter');
  await page.waitForTimeout(300);
  t.same(posts(requests), [], 'nothing was sent');
  await field(page, 'kind').selectOption('paper');
  t.equal(await dueText(page), 'до 19.01.2027 — 30 календарных дней', 'another kind ignores the authority date');
  await submitButton(page).click();
  await page.getByTestId('appeal-number').waitFor();
  t.equal((posts(requests)[0]?.body as Record<string, unknown>)['authorityDueDate'], undefined, 'the date is not sent for another kind');
});

t.test('a draft survives a page reload: the fields come back and the retry carries the same idempotency key', async (t) => {
  let calls = 0;
  const { page, requests } = await open(t, {
    'POST /api/appeals': (body) => (++calls === 1
      ? { status: 500, body: { code: 'CC_ERR_INTERNAL', message: 'database is busy' } }
      : { status: 200, body: appealOf(body) }),
  });
  await mount(page, { agentId: 7, callId: CALL, accountId: 1001 });
  await fill(page, { kind: 'website', channel: 'email', subject: 'Неверные начисления за ноябрь', body: 'Клиент просит пересчёт.' });
  await submitButton(page).click();
  await page.getByTestId('appeal-error').waitFor();
  const before = (posts(requests)[0]?.body as NewAppealBody).idempotencyKey;
  t.match(before, /^[A-Za-z0-9._:-]{8,128}$/);

  await page.reload();
  await mount(page, { agentId: 7, callId: CALL, accountId: 1001 });
  t.equal(await field(page, 'kind').inputValue(), 'website');
  t.equal(await field(page, 'channel').inputValue(), 'email');
  t.equal(await field(page, 'subject').inputValue(), 'Неверные начисления за ноябрь');
  t.equal(await field(page, 'body').inputValue(), 'Клиент просит пересчёт.');
  t.equal(await dueText(page), 'до 19.01.2027 — 30 календарных дней');

  await submitButton(page).click();
  await page.getByTestId('appeal-number').waitFor();
  t.equal(posts(requests).length, 2);
  t.equal((posts(requests)[1]?.body as NewAppealBody).idempotencyKey, before, 'the same key: the server answers with the one appeal');

  // Registered: the draft is gone, so the next mount for this call starts empty.
  await page.reload();
  await mount(page, { agentId: 7, callId: CALL, accountId: 1001 });
  t.equal(await field(page, 'subject').inputValue(), '');
  t.equal(await field(page, 'kind').inputValue(), '');
});

t.test('drafts are kept per call: another call starts with an empty form', async (t) => {
  const { page } = await open(t);
  await mount(page, { agentId: 7, callId: CALL });
  await fill(page, { kind: 'paper', subject: 'Для первого звонка' });
  await mount(page, { agentId: 7, callId: null });
  t.equal(await field(page, 'subject').inputValue(), '');
  await mount(page, { agentId: 7, callId: CALL });
  t.equal(await field(page, 'subject').inputValue(), 'Для первого звонка');
});

t.test('a call that ends mid-form keeps what was typed, and the appeal still names that call', async (t) => {
  const { page, requests } = await open(t, { 'POST /api/appeals': (body) => ({ status: 201, body: appealOf(body) }) });
  await mount(page, { agentId: 7, callId: CALL });
  await fill(page, { kind: 'paper', subject: 'Дописываю после звонка' });
  await page.evaluate(() => { document.querySelector('cc-appeal-form')!.callId = null; });
  t.equal(await field(page, 'subject').inputValue(), 'Дописываю после звонка');
  await submitButton(page).click();
  await page.getByTestId('appeal-number').waitFor();
  t.match(posts(requests)[0]?.body, { callId: CALL });
});

t.test('a double click on Register sends exactly one request', async (t) => {
  const held = gate();
  const { page, requests } = await open(t, { 'POST /api/appeals': async (body) => { await held.wait; return { status: 201, body: appealOf(body) }; } });
  await mount(page, { callId: CALL });
  await fill(page, { kind: 'paper', subject: 'Двойной щелчок' });
  await submitButton(page).dblclick();
  await page.waitForTimeout(300);
  held.open();
  await page.getByTestId('appeal-number').waitFor();
  t.equal(posts(requests).length, 1);
});

t.test('the registration number appears only after the server answered, and the request names the call and account', async (t) => {
  const held = gate();
  const { page, requests } = await open(t, { 'POST /api/appeals': async (body) => { await held.wait; return { status: 201, body: appealOf(body) }; } });
  await mount(page, { agentId: 7, callId: CALL, accountId: 1001, customerId: 501 });
  await fill(page, { kind: 'paper', subject: 'Не пришла квитанция', body: 'С октября нет квитанций.' });
  const sent = page.waitForRequest((r) => r.url().endsWith('/api/appeals'));
  await field(page, 'body').press('Control+Enter');
  await sent;
  t.equal(await page.getByTestId('appeal-number').count(), 0, 'no number while the server has not answered');
  t.ok(await submitButton(page).isDisabled());
  t.equal((await submitButton(page).textContent())?.trim(), 'Регистрация…');

  held.open();
  await page.getByTestId('appeal-number').waitFor();
  t.equal(await page.getByTestId('appeal-number').textContent(), '26000042');
  t.match(await page.locator('cc-appeal-form .done').textContent(), /Номер обращения\s+26000042\s+— продиктуйте его клиенту/);
  t.equal((await page.getByTestId('appeal-due').textContent())?.trim(), 'Ответ до 19.01.2027.', 'the due date from the server');
  const body = posts(requests)[0]?.body as NewAppealBody;
  t.match(body, { kind: 'paper', channel: 'call_center', subject: 'Не пришла квитанция', body: 'С октября нет квитанций.', callId: CALL, accountId: 1001, customerId: 501 });
  t.type(body.idempotencyKey, 'string');
  t.match(await logged(page), [{ kind: 'appeal', appeal: { number: '26000042', callId: CALL } }], 'cc-contact-logged reached the document');
});

t.test('"New appeal" starts an empty form with a new idempotency key', async (t) => {
  const { page, requests } = await open(t, { 'POST /api/appeals': (body) => ({ status: 201, body: appealOf(body) }) });
  await mount(page, { callId: CALL });
  await fill(page, { kind: 'paper', subject: 'Первое' });
  await field(page, 'subject').press('Enter');
  await page.getByTestId('appeal-number').waitFor();
  await page.getByRole('button', { name: 'Новое обращение' }).click();
  t.equal(await field(page, 'subject').inputValue(), '');
  t.equal(await field(page, 'kind').inputValue(), '');
  t.equal(await field(page, 'channel').inputValue(), 'call_center');
  await fill(page, { kind: 'illegible', subject: 'Второе' });
  await submitButton(page).click();
  await page.getByTestId('appeal-number').waitFor();
  const [first, second] = posts(requests).map((r) => (r.body as NewAppealBody).idempotencyKey);
  t.not(first, second);
});

t.test('a server validation error is shown with its code, the field is marked, and the draft is kept', async (t) => {
  const { page, requests } = await open(t, {
    'POST /api/appeals': () => ({ status: 400, body: { code: 'CC_ERR_APPEAL_INVALID', message: '/subject: must match pattern', details: { field: '/subject' } } }),
  });
  await mount(page, { callId: CALL });
  await fill(page, { kind: 'office_complaint', subject: 'Жалоба на ЦОК', body: 'Долго ждал в очереди.' });
  await submitButton(page).click();
  await page.getByTestId('appeal-error').waitFor();
  t.match(await page.getByTestId('appeal-error').textContent(), /CC_ERR_APPEAL_INVALID.*\/subject: must match pattern/);
  t.equal(await field(page, 'subject').getAttribute('aria-invalid'), 'true');
  t.equal(await page.getByTestId('appeal-number').count(), 0);
  t.equal(await field(page, 'subject').inputValue(), 'Жалоба на ЦОК');
  t.same(await logged(page), [], 'nothing logged');
  await page.reload();
  await mount(page, { callId: CALL });
  t.equal(await field(page, 'body').inputValue(), 'Долго ждал в очереди.', 'the draft is still stored');
  t.equal(posts(requests).length, 1);
});

t.test('with lang "en" the labels, kinds, dates and buttons are English', async (t) => {
  const { page } = await open(t);
  await mount(page, { lang: 'en', now: NOON_DEC_20 });
  await page.getByLabel('Kind of appeal').selectOption('paper');
  t.equal(await page.locator('cc-appeal-form #kind option:checked').textContent(), 'Paper letter (30 days)');
  t.equal(await dueText(page), 'by 19/01/2027 — 30 calendar days');
  t.equal(await page.getByLabel('Received via').inputValue(), 'call_center');
  t.equal(await page.locator('cc-appeal-form #channel option:checked').textContent(), 'Call center (phone)');
  t.equal(await page.getByLabel('Subject').count(), 1);
  t.equal(await page.getByLabel('Text of the appeal').count(), 1);
  await page.getByLabel('Kind of appeal').selectOption('authority_request');
  t.equal(await page.getByLabel('Due date set in the request').count(), 1);
  t.equal((await submitButton(page).textContent())?.trim(), 'Register');
});

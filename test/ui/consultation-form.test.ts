import t from 'tap';
import type { Page } from 'playwright-core';
import type { ConsultationView, NewConsultationBody } from '../../server/appeals/schemas.js';
import { componentPage, launchBrowser } from '../support/browser.js';

/*
 * <cc-consultation-form> in Chromium against a fake API: what it sends, that a double click logs
 * one consultation, and what the agent sees after; and <cc-contact-log>, the tabs around it.
 */

const browser = await launchBrowser(t);

const CALL = '0b6f3c2e-8a4d-4d7e-9a51-3f1c2b7d9e10';

const consultationOf = (body: unknown): ConsultationView => {
  const b = body as NewConsultationBody;
  return { id: 9, agentId: 7, callId: b.callId ?? null, accountId: b.accountId ?? null, topic: b.topic, notes: b.notes, resolved: b.resolved, createdAt: '2026-12-20T10:00:00Z' };
};

const saving = { 'POST /api/consultations': (body: unknown) => ({ status: 201, body: consultationOf(body) }) };

async function mount(page: Page, p: { tag?: 'cc-consultation-form' | 'cc-contact-log'; callId?: string | null; accountId?: number | null; lang?: 'ru' | 'en' } = {}): Promise<void> {
  await page.evaluate((p) => {
    const w = window as unknown as { logged: unknown[] };
    w.logged = [];
    document.addEventListener('cc-contact-logged', (e) => w.logged.push((e as CustomEvent).detail));
    const el = document.createElement(p.tag ?? 'cc-consultation-form');
    el.callId = p.callId === undefined ? null : p.callId;
    el.accountId = p.accountId ?? null;
    el.lang = p.lang ?? 'ru';
    el.style.width = '380px';
    document.body.append(el);
  }, p);
}

const topic = (page: Page) => page.locator('cc-consultation-form #topic');
const notes = (page: Page) => page.locator('cc-consultation-form #notes');
const submit = (page: Page) => page.locator('cc-consultation-form button[type=submit]');
const posts = (requests: Array<{ method: string; path: string; body: unknown }>) =>
  requests.filter((r) => r.method === 'POST' && r.path === '/api/consultations');

t.test('logging a consultation sends topic, notes, resolved, call and account, confirms it, fires cc-contact-logged and clears the form', async (t) => {
  const { page, requests } = await componentPage(t, browser, saving);
  await mount(page, { callId: CALL, accountId: 1001 });
  await topic(page).selectOption('meter_readings');
  await notes(page).fill('Подсказал, как передать показания через голосовое меню.');
  await submit(page).click();
  await page.getByTestId('consultation-saved').waitFor();
  t.same(posts(requests).map((r) => r.body), [{ topic: 'meter_readings', notes: 'Подсказал, как передать показания через голосовое меню.', resolved: true, callId: CALL, accountId: 1001 }]);
  t.equal((await page.getByTestId('consultation-saved').textContent())?.trim(), 'Консультация записана: Показания приборов учёта.');
  t.match(await page.evaluate(() => (window as unknown as { logged: unknown[] }).logged), [{ kind: 'consultation', consultation: { id: 9, topic: 'meter_readings', callId: CALL } }]);
  t.equal(await topic(page).inputValue(), '', 'ready for the next one');
  t.equal(await notes(page).inputValue(), '');
  t.ok(await page.getByLabel('Да').isChecked());
});

t.test('an unresolved question without a call or account is sent as resolved: false and without those ids', async (t) => {
  const { page, requests } = await componentPage(t, browser, saving);
  await mount(page);
  await topic(page).selectOption('tariffs');
  await page.getByLabel('Нет').check();
  await notes(page).press('Control+Enter');
  await page.getByTestId('consultation-saved').waitFor();
  t.same(posts(requests).map((r) => r.body), [{ topic: 'tariffs', notes: '', resolved: false }]);
});

t.test('a consultation is not sent without a topic', async (t) => {
  const { page, requests } = await componentPage(t, browser, saving);
  await mount(page, { callId: CALL });
  await notes(page).fill('Без темы');
  await submit(page).click();
  await page.waitForTimeout(300);
  t.same(posts(requests), []);
  t.ok(await topic(page).evaluate((el) => (el as HTMLSelectElement).matches(':invalid')), 'the topic is flagged');
});

t.test('a double click on the button logs exactly one consultation', async (t) => {
  let open!: () => void;
  const held = new Promise<void>((resolve) => { open = resolve; });
  const { page, requests } = await componentPage(t, browser, {
    'POST /api/consultations': async (body) => { await held; return { status: 201, body: consultationOf(body) }; },
  });
  await mount(page, { callId: CALL });
  await topic(page).selectOption('payment');
  await submit(page).dblclick();
  await page.waitForTimeout(300);
  t.ok(await submit(page).isDisabled(), 'disabled while the request is out');
  t.equal(await page.getByTestId('consultation-saved').count(), 0, 'no confirmation before the server answered');
  open();
  await page.getByTestId('consultation-saved').waitFor();
  t.equal(posts(requests).length, 1);
});

t.test('a server error is shown with its code and the fields stay for a retry', async (t) => {
  const { page } = await componentPage(t, browser, {
    'POST /api/consultations': () => ({ status: 400, body: { code: 'CC_ERR_APPEAL_UNKNOWN_REFERENCE', message: 'callId: no such call', details: { field: 'callId' } } }),
  });
  await mount(page, { callId: CALL });
  await topic(page).selectOption('outage');
  await notes(page).fill('Плановое отключение до 18:00');
  await submit(page).click();
  await page.getByTestId('consultation-error').waitFor();
  t.match(await page.getByTestId('consultation-error').textContent(), /CC_ERR_APPEAL_UNKNOWN_REFERENCE.*callId: no such call/);
  t.equal(await topic(page).inputValue(), 'outage');
  t.equal(await notes(page).inputValue(), 'Плановое отключение до 18:00');
  t.same(await page.evaluate(() => (window as unknown as { logged: unknown[] }).logged), []);
});

t.test('with lang "en" the labels and topics are English', async (t) => {
  const { page } = await componentPage(t, browser, saving);
  await mount(page, { lang: 'en' });
  await page.getByLabel('Consultation topic').selectOption('billing');
  t.equal(await page.locator('cc-consultation-form #topic option:checked').textContent(), 'Billing');
  t.equal(await page.getByLabel('Notes').count(), 1);
  t.equal(await page.getByLabel('Yes').count(), 1);
  t.equal((await submit(page).textContent())?.trim(), 'Log consultation');
});

t.test('the contact log switches between consultation and appeal with the arrow keys and hands the call to both forms', async (t) => {
  const { page } = await componentPage(t, browser, saving);
  await mount(page, { tag: 'cc-contact-log', callId: CALL, accountId: 1001 });
  const consultationTab = page.getByRole('tab', { name: 'Консультация' });
  const appealTab = page.getByRole('tab', { name: 'Обращение' });
  t.equal(await consultationTab.getAttribute('aria-selected'), 'true', 'a consultation is the usual outcome');
  t.ok(await topic(page).isVisible());
  await consultationTab.focus();
  await page.keyboard.press('ArrowRight');
  t.equal(await appealTab.getAttribute('aria-selected'), 'true');
  t.ok(await appealTab.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el), 'focus follows the selection');
  t.ok(await page.locator('cc-appeal-form #kind').isVisible());
  t.notOk(await topic(page).isVisible(), 'the other form is hidden, not removed');
  await page.keyboard.press('ArrowRight');
  t.equal(await consultationTab.getAttribute('aria-selected'), 'true', 'arrows wrap around');
  await page.keyboard.press('End');
  t.equal(await appealTab.getAttribute('aria-selected'), 'true');
  t.same(await page.evaluate(() => {
    const log = document.querySelector('cc-contact-log')!.shadowRoot!;
    const a = log.querySelector('cc-appeal-form')!;
    const c = log.querySelector('cc-consultation-form')!;
    return [a.callId, a.accountId, c.callId, c.accountId];
  }), [CALL, 1001, CALL, 1001]);
});

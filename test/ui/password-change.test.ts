import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import type { Agent } from '../../agent-ui/src/admin.js';
import { componentPage, launchBrowser, type FakeApi } from '../support/browser.js';

/*
 * The forced password change: <cc-password-change> on its own (the rules, the checks the page
 * makes, the server's reasons explained), and inside <cc-app>, where a one-time password keeps
 * the workplace, the phone and the live socket away until the change succeeds.
 */

const browser = await launchBrowser(t);

const AGENT: Agent = { id: 7, username: 'anna', displayName: 'Анна Смирнова', role: 'agent', language: 'ru', mustChangePassword: true };
const changed = { body: { agent: { ...AGENT, mustChangePassword: false } } };
const refusal = (status: number, code: string, details: object = {}) => ({ status, body: { code, message: code, details } });

async function mount(page: Page, lang: 'ru' | 'en' = 'ru') {
  await page.evaluate(({ agent, lang }) => {
    const w = window as unknown as { changed?: unknown[] };
    w.changed = [];
    document.addEventListener('cc-password-changed', (e) => w.changed!.push((e as CustomEvent).detail));
    const el = document.createElement('cc-password-change');
    el.agent = agent;
    el.lang = lang;
    document.body.append(el);
  }, { agent: AGENT, lang });
  return page.locator('cc-password-change');
}

async function fill(page: Page, current: string, next: string, repeat = next) {
  await page.locator('cc-password-change input[name=current]').fill(current);
  await page.locator('cc-password-change input[name=next]').fill(next);
  await page.locator('cc-password-change input[name=repeat]').fill(repeat);
  await page.locator('cc-password-change [data-action=change-password]').click();
}

const puts = (requests: Array<{ method: string; path: string; body: unknown }>) => requests.filter((r) => r.method === 'PUT');

t.test('the rules are stated, and a short new password or a repeat that differs is explained without asking the server', async (t) => {
  const { page, requests } = await componentPage(t, browser);
  const el = await mount(page);
  const rules = await el.locator('.rules').textContent();
  t.match(rules, 'не короче 10 символов');
  t.match(rules, 'не совпадает с логином');
  t.match(rules, 'не из списка распространённых паролей');
  await fill(page, 'Tmp-12345', 'short1');
  t.equal(await el.getByTestId('password-error').textContent(), 'Пароль слишком короткий: нужно не меньше 10 символов.');
  t.equal(await el.locator('input[name=next]').getAttribute('aria-invalid'), 'true');
  await fill(page, 'Tmp-12345', 'long enough pass', 'long enough pasS');
  t.equal(await el.getByTestId('password-error').textContent(), 'Пароли не совпадают: введите новый пароль дважды одинаково.');
  t.equal(await el.locator('input[name=repeat]').getAttribute('aria-invalid'), 'true');
  t.same(puts(requests), [], 'nothing was sent');
});

t.test('each refusal of the server is explained in the page\'s language', async (t) => {
  const answers = [
    refusal(403, 'CC_ERR_AUTH_INVALID'),
    refusal(400, 'CC_ERR_AUTH_PASSWORD_WEAK', { reason: 'same_as_login' }),
    refusal(400, 'CC_ERR_AUTH_PASSWORD_WEAK', { reason: 'common' }),
    refusal(400, 'CC_ERR_AUTH_PASSWORD_WEAK', { reason: 'unchanged' }),
    refusal(400, 'CC_ERR_AUTH_PASSWORD_WEAK', { reason: 'too_short' }),
  ];
  const { page, requests } = await componentPage(t, browser, { 'PUT /api/session/password': () => answers.shift()! });
  const el = await mount(page);
  const expected: Array<[string, string]> = [
    ['current', 'Текущий пароль введён неверно.'],
    ['next', 'Пароль не может совпадать с логином.'],
    ['next', 'Этот пароль слишком распространён, его легко подобрать. Выберите другой.'],
    ['next', 'Новый пароль совпадает с текущим. Выберите другой.'],
    ['next', 'Пароль слишком короткий: нужно не меньше 10 символов.'],
  ];
  for (const [field, text] of expected) {
    await fill(page, 'Tmp-12345', 'anna-anna-anna');
    await page.waitForFunction(({ text }) => document.querySelector('cc-password-change')!.shadowRoot!.querySelector('[data-testid=password-error]')?.textContent === text, { text });
    t.equal(await el.locator(`input[name=${field}]`).getAttribute('aria-invalid'), 'true', `${text} marks ${field}`);
  }
  t.same(puts(requests).map((r) => r.body), Array(5).fill({ currentPassword: 'Tmp-12345', newPassword: 'anna-anna-anna' }), 'what was typed, as the contract names it');
  t.same(await page.evaluate(() => (window as unknown as { changed: unknown[] }).changed), [], 'no change announced');
});

t.test('an English page explains a refusal in English', async (t) => {
  const { page } = await componentPage(t, browser, { 'PUT /api/session/password': () => refusal(400, 'CC_ERR_AUTH_PASSWORD_WEAK', { reason: 'common' }) });
  const el = await mount(page, 'en');
  t.match(await el.locator('.rules').textContent(), 'at least 10 characters');
  await fill(page, 'Tmp-12345', 'qwertyuiop');
  await el.getByTestId('password-error').waitFor();
  t.equal(await el.getByTestId('password-error').textContent(), 'This password is too common and easy to guess. Choose another.');
});

t.test('a change the server takes announces the agent it returns', async (t) => {
  const { page, requests } = await componentPage(t, browser, { 'PUT /api/session/password': () => changed });
  await mount(page);
  await fill(page, 'Tmp-12345', 'Kaliningrad-2026!');
  await page.waitForFunction(() => (window as unknown as { changed: unknown[] }).changed.length === 1);
  t.same(puts(requests), [{ method: 'PUT', path: '/api/session/password', body: { currentPassword: 'Tmp-12345', newPassword: 'Kaliningrad-2026!' } }]);
  t.same(await page.evaluate(() => (window as unknown as { changed: unknown[] }).changed), [{ ...AGENT, mustChangePassword: false }]);
});

/** <cc-app> on the fake API, with the WebSockets it opens recorded. */
async function app(t: Test, api: FakeApi) {
  const { page, requests } = await componentPage(t, browser, api);
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(new URL(ws.url()).pathname));
  await page.evaluate(() => { document.body.append(document.createElement('cc-app')); });
  return { page, requests, sockets };
}

t.test('after signing in with a one-time password the password screen blocks the workplace: no phone and no live socket until the change succeeds', async (t) => {
  let accepted = false;
  const { page, requests, sockets } = await app(t, {
    'GET /api/session': () => refusal(401, 'CC_ERR_AUTH_REQUIRED'),
    'POST /api/session': () => ({ body: { agent: AGENT } }),
    'PUT /api/session/password': () => {
      if (!accepted) {
        accepted = true;
        return refusal(400, 'CC_ERR_AUTH_PASSWORD_WEAK', { reason: 'same_as_login' });
      }
      return changed;
    },
    'GET /api/session/sip': () => refusal(503, 'CC_ERR_TEST_NO_PHONE'),
  });
  await page.locator('cc-login input[name=username]').fill('anna');
  await page.locator('cc-login input[name=password]').fill('Tmp-12345');
  await page.locator('cc-login button[type=submit]').click();
  await page.locator('cc-password-change').waitFor();
  t.equal(await page.locator('cc-app cc-phone-bar, cc-app cc-status-selector, cc-app main').count(), 0, 'no workplace behind it');
  await page.locator('cc-app [data-action=logout]').waitFor();

  await fill(page, 'Tmp-12345', 'annaannaanna');
  await page.locator('cc-password-change [data-testid=password-error]').waitFor();
  t.equal(await page.locator('cc-password-change').count(), 1, 'a refused password keeps the screen');
  t.same(requests.map((r) => `${r.method} ${r.path}`), ['GET /api/session', 'POST /api/session', 'PUT /api/session/password'], 'nothing else was asked for');
  t.same(sockets, [], 'no live socket');

  await fill(page, 'Tmp-12345', 'Kaliningrad-2026!');
  await page.locator('cc-app cc-phone-bar').waitFor();
  t.equal(await page.locator('cc-password-change').count(), 0);
  await page.waitForFunction(() => document.querySelector('cc-app')!.shadowRoot!.querySelector('[role=alert]')?.textContent?.includes('CC_ERR_TEST_NO_PHONE'));
  t.ok(requests.some((r) => r.path === '/api/session/sip'), 'the phone is asked for its credentials only now');
  t.ok(await waitFor(() => sockets.includes('/api/live')), 'the live socket opens only now');
});

t.test('a session resumed with a one-time password still pending shows the password screen, not the workplace', async (t) => {
  const { page, requests, sockets } = await app(t, { 'GET /api/session': () => ({ body: { agent: { ...AGENT, role: 'admin' } } }) });
  await page.locator('cc-password-change').waitFor();
  t.equal(await page.locator('cc-app [data-view], cc-app cc-wallboard, cc-app cc-admin').count(), 0);
  t.same(requests.map((r) => `${r.method} ${r.path}`), ['GET /api/session']);
  t.same(sockets, []);
});

/** Polls a condition of the test process (not the page) for up to 5 s. */
async function waitFor(check: () => boolean): Promise<boolean> {
  const until = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

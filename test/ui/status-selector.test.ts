import t from 'tap';
import type { Page } from 'playwright-core';
import { componentPage, launchBrowser } from '../support/browser.js';

const browser = await launchBrowser(t);

async function mount(page: Page, state: object, props: { lang?: string; now?: number } = {}) {
  await page.evaluate(({ state, props }) => {
    const el = document.createElement('cc-status-selector') as HTMLElement & Record<string, unknown>;
    el['agentId'] = 5;
    el['state'] = state;
    if (props.lang) el['lang'] = props.lang;
    if (props.now !== undefined) {
      const start = Date.now();
      el['now'] = () => props.now! + (Date.now() - start);
    }
    document.body.append(el);
  }, { state, props });
  return page.locator('cc-status-selector');
}

const view = (state: object) => ({ body: { agentId: 5, username: 'operator1', state } });

t.test('an agent off shift starts the shift and the selector shows them available', async (t) => {
  const { page, requests } = await componentPage(t, browser, { 'POST /api/agents/5/login': () => view({ kind: 'available', since: 1 }) });
  const el = await mount(page, { kind: 'offline' });
  t.equal(await el.getAttribute('data-state'), 'offline');
  await el.locator('[data-action=start-shift]').click();
  await page.waitForSelector('cc-status-selector[data-state=available]');
  t.same(requests.map((r) => `${r.method} ${r.path}`), ['POST /api/agents/5/login']);
  t.match(await el.locator('.badge').textContent(), 'Готов');
});

t.test('choosing a pause reason asks the server for that pause', async (t) => {
  const { page, requests } = await componentPage(t, browser, { 'POST /api/agents/5/state': (body) => view({ kind: 'paused', reason: (body as { reason: string }).reason, since: 2 }) });
  const el = await mount(page, { kind: 'available', since: 1 });
  await el.locator('select[data-action=pause]').selectOption('training');
  await page.waitForSelector('cc-status-selector[data-state=paused]');
  t.same(requests[0]?.body, { state: 'paused', reason: 'training' });
  t.match(await el.locator('.badge').textContent(), 'Обучение');
  await el.locator('[data-action=available]').waitFor();
});

t.test('a change made elsewhere (an auto-pause after a missed call) shows at once', async (t) => {
  const { page } = await componentPage(t, browser);
  const el = await mount(page, { kind: 'available', since: 1 });
  await page.evaluate(() => {
    (document.querySelector('cc-status-selector') as HTMLElement & { state: object }).state = { kind: 'paused', reason: 'missed', since: 3 };
  });
  await page.waitForSelector('cc-status-selector[data-state=paused]');
  t.match(await el.locator('.badge').textContent(), 'Пропущенный вызов');
});

t.test('wrap-up counts down and "ready" makes the agent available before it ends', async (t) => {
  const now = Date.parse('2026-11-25T10:00:00Z');
  const { page, requests } = await componentPage(t, browser, { 'POST /api/agents/5/state': () => view({ kind: 'available', since: now }) });
  const el = await mount(page, { kind: 'wrap_up', callId: 'c', until: now + 30_000, next: 'available' }, { now });
  t.match(await el.getByTestId('wrap-up-left').textContent(), /ещё 30 с/);
  await page.waitForFunction(() => /ещё 2\d с/.test(document.querySelector('cc-status-selector')!.shadowRoot!.querySelector('[data-testid=wrap-up-left]')!.textContent ?? ''), undefined, { timeout: 5000 });
  await el.locator('[data-action=ready]').click();
  await page.waitForSelector('cc-status-selector[data-state=available]');
  t.same(requests[0]?.body, { state: 'available' });
});

t.test('a pause chosen during wrap-up is sent, to start when wrap-up ends', async (t) => {
  const { page, requests } = await componentPage(t, browser, { 'POST /api/agents/5/state': () => view({ kind: 'wrap_up', callId: 'c', until: Date.now() + 20_000, next: 'break' }) });
  const el = await mount(page, { kind: 'wrap_up', callId: 'c', until: Date.now() + 20_000, next: 'available' });
  await el.locator('select[data-action=pause]').selectOption('break');
  await page.waitForFunction(() => (document.querySelector('cc-status-selector') as HTMLElement & { state: { next?: string } }).state.next === 'break');
  t.same(requests[0]?.body, { state: 'paused', reason: 'break' });
  t.equal(await el.getAttribute('data-state'), 'wrap_up');
});

t.test('a refused change is explained and the state stays', async (t) => {
  const { page } = await componentPage(t, browser, { 'POST /api/agents/5/state': () => ({ status: 409, body: { code: 'CC_ERR_AGENT_INVALID_TRANSITION', message: 'agent event made_available is not expected in state on_call', details: {} } }) });
  const el = await mount(page, { kind: 'paused', reason: 'break', since: 1 });
  await el.locator('[data-action=available]').click();
  await el.locator('[role=alert]').waitFor();
  t.match(await el.locator('[role=alert]').textContent(), 'CC_ERR_AGENT_INVALID_TRANSITION');
  t.equal(await el.getAttribute('data-state'), 'paused');
});

t.test('in a call the selector only shows the state, in English when asked', async (t) => {
  const { page } = await componentPage(t, browser);
  const el = await mount(page, { kind: 'on_call', callId: 'c', since: 1, held: false, muted: false }, { lang: 'en' });
  t.equal(await el.locator('.badge').textContent(), 'In call');
  t.equal(await el.locator('button, select').count(), 0);
});

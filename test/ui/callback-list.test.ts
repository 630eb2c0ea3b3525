import t from 'tap';
import type { Page } from 'playwright-core';
import { componentPage, launchBrowser } from '../support/browser.js';

const browser = await launchBrowser(t);

const pending = {
  id: 7, number: '+74012000001', customerName: 'Петров Сергей Николаевич', accountNumber: '3900000001', status: 'pending',
  requestedAt: '2026-11-25T08:00:00.000Z', attempts: 1, nextAttemptAt: '2026-11-25T08:20:00.000Z', lastOutcome: 'no_answer', agentId: null,
  history: [{ startedAt: '2026-11-25T08:10:00.000Z', outcome: 'no_answer', manual: false }],
};
const failed = { ...pending, id: 8, number: '+79110000004', customerName: null, accountNumber: null, status: 'failed', attempts: 3, nextAttemptAt: null, history: [] };

async function mount(page: Page) {
  await page.evaluate(() => {
    const el = document.createElement('cc-callback-list') as HTMLElement & { agentId: number };
    el.agentId = 5;
    document.body.append(el);
  });
  const list = page.locator('cc-callback-list');
  await list.locator('li').first().waitFor();
  return list;
}

t.test('pending and failed callbacks are listed with their attempts and when the next one is due', async (t) => {
  const { page } = await componentPage(t, browser, { 'GET /api/callbacks': () => ({ body: [pending, failed] }) });
  const list = await mount(page);
  t.equal(await list.locator('li').count(), 2);
  const first = await list.locator('li[data-id="7"]').textContent();
  t.match(first, 'Петров Сергей Николаевич');
  t.match(first, 'ждёт');
  t.match(first, 'следующая попытка 25.11.2026 10:20', 'in Kaliningrad time');
  t.match(first, '1 попытка: 10:10 не ответил');
  t.match(await list.locator('li[data-id="8"]').textContent(), '+7 911 000-00-04', 'a number without a known customer');
});

t.test('one click calls the customer from the agent\'s phone, then the agent marks it done with a reason', async (t) => {
  let status = 'pending';
  const { page, requests } = await componentPage(t, browser, {
    'GET /api/callbacks': () => ({ body: status === 'pending' ? [pending] : [] }),
    'POST /api/callbacks/7/call': () => ({ status: 201, body: { callId: '6f1c3c1e-1111-4111-8111-111111111111' } }),
    'POST /api/callbacks/7/resolve': () => { status = 'completed'; return { status: 204 }; },
  });
  const dialled: unknown[] = [];
  await page.exposeFunction('onDialled', (d: unknown) => { dialled.push(d); });
  await page.evaluate(() => document.addEventListener('cc-callback-dialled', (e) => void (window as unknown as { onDialled(d: unknown): void }).onDialled((e as CustomEvent).detail)));
  const list = await mount(page);
  await list.locator('[data-action=call-back]').click();
  await list.locator('input[name=reason]').fill('Объяснил начисление за октябрь');
  await list.locator('[data-action=done]').click();
  await list.getByText('Нет обратных звонков').waitFor();
  t.same(requests.filter((r) => r.method === 'POST'), [
    { method: 'POST', path: '/api/callbacks/7/call', body: {} },
    { method: 'POST', path: '/api/callbacks/7/resolve', body: { outcome: 'completed', reason: 'Объяснил начисление за октябрь' } },
  ]);
  t.same(dialled, [{ requestId: 7, number: '+74012000001' }], 'the softphone is told to expect its own leg of the call');
});

t.test('a request is closed as failed without a call, and a refusal is explained', async (t) => {
  const { page, requests } = await componentPage(t, browser, {
    'GET /api/callbacks': () => ({ body: [pending] }),
    'POST /api/callbacks/7/resolve': () => ({ status: 409, body: { code: 'CC_ERR_CALLBACK_BUSY', message: 'callback request 7 is dialing', details: {} } }),
  });
  const list = await mount(page);
  await list.locator('[data-action=resolve]').click();
  await list.locator('input[name=reason]').fill('Номер не существует');
  await list.locator('[data-action=failed]').click();
  await list.locator('[role=alert]').waitFor();
  t.match(await list.locator('[role=alert]').textContent(), 'CC_ERR_CALLBACK_BUSY');
  t.same(requests.find((r) => r.method === 'POST')?.body, { outcome: 'failed', reason: 'Номер не существует' });
});

import t from 'tap';
import type { Page } from 'playwright-core';
import { componentPage, launchBrowser, type FakeApi } from '../support/browser.js';
import type { QueueStats, StatsView } from '../../server/wallboard/schemas.js';
import type { DueSoonView } from '../../server/appeals/schemas.js';

const browser = await launchBrowser(t);

const NOW = Date.parse('2026-11-25T10:00:00Z');

function queue(queueId: string, titleRu: string, over: { now?: Partial<QueueStats['now']>; today?: Partial<QueueStats['today']> } = {}): QueueStats {
  return {
    queueId, titleRu, titleEn: queueId, slThresholdS: 20,
    now: { waiting: 0, longestWaitMs: 0, callbacksWaiting: 0, agents: { loggedIn: 0, available: 0, ringing: 0, onCall: 0, wrapUp: 0, paused: 0 }, ...over.now },
    today: {
      offered: 0, answered: 0, abandoned: 0, timedOut: 0, answeredWithinSl: 0, serviceLevelPct: null, avgAnswerWaitMs: null,
      callbacks: { requested: 0, completed: 0, failed: 0 }, ...over.today,
    },
  };
}

function stats(): StatsView {
  return {
    day: '2026-11-25', at: new Date(NOW).toISOString(),
    queues: [
      queue('general', 'Общие вопросы', {
        now: { waiting: 2, longestWaitMs: 65_000, callbacksWaiting: 1, agents: { loggedIn: 3, available: 1, ringing: 0, onCall: 1, wrapUp: 0, paused: 1 } },
        today: { offered: 14, answered: 9, abandoned: 2, timedOut: 1, answeredWithinSl: 9, serviceLevelPct: 75, avgAnswerWaitMs: 12_000, callbacks: { requested: 4, completed: 2, failed: 1 } },
      }),
      queue('billing', 'Начисления и оплата'),
    ],
    agents: [
      { agentId: 1, username: 'anna', displayName: 'Анна Смирнова', queues: ['general'], state: { kind: 'on_call', callId: 'c1', since: NOW - 30_000, held: false, muted: false } },
      { agentId: 2, username: 'boris', displayName: 'Борис Котов', queues: ['general'], state: { kind: 'available', since: NOW - 5_000 } },
      { agentId: 3, username: 'vera', displayName: 'Вера Орлова', queues: ['billing', 'general'], state: { kind: 'paused', reason: 'training', since: NOW - 600_000 } },
    ],
  };
}

function appeal(number: string, dueDate: string, daysLeft: number): DueSoonView {
  return {
    id: Number(number.slice(-3)), number, kind: 'paper', channel: 'post', subject: 'Перерасчёт', body: '', status: 'registered',
    accountId: null, customerId: null, callId: null, agentId: null, registeredAt: '2026-10-20T08:00:00.000Z', dueDate, answeredAt: null,
    daysLeft, overdue: daysLeft < 0,
  };
}

const api = (over: FakeApi = {}): FakeApi => ({
  'GET /api/queues/stats': () => ({ body: stats() }),
  'GET /api/appeals/due-soon': () => ({ body: [appeal('26000101', '2026-11-23', -2), appeal('26000102', '2026-11-27', 2)] }),
  ...over,
});

/** The wallboard with a page clock that starts at NOW and runs. */
async function mount(page: Page, lang?: string) {
  await page.evaluate(({ now, lang }) => {
    const el = document.createElement('cc-wallboard') as HTMLElement & Record<string, unknown>;
    const start = Date.now();
    el['now'] = () => now + (Date.now() - start);
    if (lang) el['lang'] = lang;
    el.style.height = '100vh';
    document.body.style.margin = '0';
    document.body.append(el);
  }, { now: NOW, lang });
  const el = page.locator('cc-wallboard');
  await el.locator('[data-queue=general]').waitFor();
  return el;
}

t.test('the queue tiles show who waits and for how long (ticking), and today\'s figures', async (t) => {
  const { page, requests } = await componentPage(t, browser, api());
  const el = await mount(page);
  const tile = el.locator('[data-queue=general]');
  t.match(await tile.locator('h3').textContent(), 'Общие вопросы');
  t.equal(await tile.locator('[data-field=waiting]').textContent(), '2');
  t.match(await tile.locator('[data-field=longest-wait]').textContent(), /^1:0[5-6]$/);
  t.equal(await tile.locator('[data-field=sl]').textContent(), '75 %');
  t.equal(await tile.locator('[data-field=answered]').textContent(), '9');
  t.equal(await tile.locator('[data-field=abandoned]').textContent(), '3', 'abandoned and timed out together');
  t.equal(await tile.locator('[data-field=avg-wait]').textContent(), '0:12');
  t.match(await tile.locator('[data-field=agents]').textContent(), 'свободно 1 из 3 в смене');
  t.match(await tile.locator('[data-field=callbacks]').textContent(), 'заказано 4, выполнено 2, не удалось 1');
  t.ok(await tile.getAttribute('data-over-sl') !== null, 'the longest wait is past the 20 s threshold');
  const idle = el.locator('[data-queue=billing]');
  t.equal(await idle.locator('[data-field=sl]').textContent(), '—', 'no service level before any call');
  t.equal(await idle.locator('[data-field=longest-wait]').textContent(), '0:00');

  await page.waitForFunction(() => /^1:0[7-9]$/.test(document.querySelector('cc-wallboard')!.shadowRoot!.querySelector('[data-queue=general] [data-field=longest-wait]')!.textContent ?? ''), undefined, { timeout: 5000 });
  t.pass('the longest wait ticks on');
  t.ok(requests.some((r) => r.path === '/api/appeals/due-soon?days=3'), 'appeals due within 3 days asked for');
  t.ok(await el.evaluate((node) => node.scrollWidth <= node.clientWidth), 'nothing overflows sideways at 1366x768');
});

t.test('the stats are refreshed every 5 s', async (t) => {
  let served = 0;
  const { page } = await componentPage(t, browser, api({
    'GET /api/queues/stats': () => {
      served += 1;
      const s = stats();
      if (served > 1) s.queues[0]!.now.waiting = 5;
      return { body: s };
    },
  }));
  const el = await mount(page);
  await el.locator('[data-queue=general] [data-field=waiting]', { hasText: '5' }).waitFor({ timeout: 8000 });
  t.equal(served, 2);
});

t.test('an overdue appeal is highlighted red; one still due shows its days left', async (t) => {
  const { page } = await componentPage(t, browser, api());
  const el = await mount(page);
  const overdue = el.locator('tr[data-appeal="26000101"]');
  await overdue.waitFor();
  t.ok(await overdue.getAttribute('data-overdue') !== null);
  t.match(await overdue.textContent(), /26000101[\s\S]*Письменное[\s\S]*23\.11\.2026[\s\S]*просрочено на 2 дня/);
  t.equal(await overdue.locator('td').first().evaluate((td) => getComputedStyle(td).color), 'rgb(164, 14, 38)');
  const due = el.locator('tr[data-appeal="26000102"]');
  t.equal(await due.getAttribute('data-overdue'), null);
  t.match(await due.textContent(), /27\.11\.2026[\s\S]*2 дня/);
  t.not(await due.locator('td').first().evaluate((td) => getComputedStyle(td).color), 'rgb(164, 14, 38)');
});

t.test('the agents table shows states with reasons and time in state; a live agent_changed updates it at once', async (t) => {
  const { page } = await componentPage(t, browser, api());
  const el = await mount(page);
  const boris = el.locator('tr[data-agent="2"]');
  t.equal(await boris.getAttribute('data-state'), 'available');
  t.match(await el.locator('tr[data-agent="3"] [data-field=state]').textContent(), 'Перерыв: Обучение');
  t.match(await el.locator('tr[data-agent="3"] [data-field=time]').textContent(), /^10:0\d$/);
  t.match(await el.locator('tr[data-agent="1"] [data-field=time]').textContent(), /^0:3\d$/);
  // The tiles' counts come from the server: asked again right after the change, not 5 s later.
  const reload = page.waitForRequest((r) => r.url().includes('/api/queues/stats'), { timeout: 2000 });
  await page.evaluate((at) => {
    (document.querySelector('cc-wallboard') as HTMLElement & { receive(m: object): void }).receive({
      type: 'agent_changed', agentId: 2, state: { kind: 'ringing', callId: 'c2', since: at }, reason: 'offered', at: new Date(at).toISOString(),
    });
  }, NOW + 1000);
  await el.locator('tr[data-agent="2"][data-state=ringing]').waitFor({ timeout: 200 });
  t.match(await el.locator('tr[data-agent="2"] [data-field=state]').textContent(), 'Вызов');
  await reload;
  t.pass('the figures are reloaded');
});

t.test('in English the tiles and the table speak English', async (t) => {
  const { page } = await componentPage(t, browser, api());
  const el = await mount(page, 'en');
  t.match(await el.locator('[data-queue=general] [data-field=agents]').textContent(), '1 free of 3 on shift');
  t.match(await el.locator('tr[data-agent="3"] [data-field=state]').textContent(), 'Paused: Training');
  t.match(await el.locator('tr[data-appeal="26000101"]').textContent(), '2 days overdue');
});

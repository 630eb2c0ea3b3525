import t from 'tap';
import type { Page } from 'playwright-core';
import type { QueueView, StaffView } from '../../agent-ui/src/admin.js';
import { componentPage, launchBrowser, type FakeApi } from '../support/browser.js';

/*
 * <cc-queue-admin> in Chromium against a fake API: the queue list, a queue's settings sent whole
 * with PUT /api/queues/:id, and its members with PUT /api/queues/:id/members.
 */

const browser = await launchBrowser(t);

const GENERAL: QueueView = {
  id: 'general', titleRu: 'Общие вопросы', titleEn: 'General questions', skill: 'general', priority: 10, slThresholdS: 20,
  maxWaitS: 600, announceEveryS: 60, firstAnnounceS: 10, wrapUpS: 15, ringS: 20, recording: false, active: true, musicClass: 'default',
};
const BILLING: QueueView = { ...GENERAL, id: 'billing', titleRu: 'Начисления и оплата', titleEn: 'Billing', skill: 'billing', priority: 5, active: false };

const staff = (id: number, login: string, fullName: string, queues: StaffView['queues'], active = true): StaffView => ({
  id, login, fullName, role: 'agent', active, language: 'ru', phone: { kind: 'browser' }, queues, mustChangePassword: false, createdAt: '2026-11-01T08:00:00.000Z',
});
const STAFF = [
  staff(7, 'anna', 'Анна Смирнова', [{ queueId: 'general', priority: 1 }, { queueId: 'billing', priority: 5 }]),
  staff(8, 'boris', 'Борис Котов', [{ queueId: 'general', priority: 2 }]),
  staff(9, 'vera', 'Вера Орлова', [], false),
];

const api = (over: FakeApi = {}): FakeApi => ({
  'GET /api/queues': () => ({ body: [GENERAL, BILLING] }),
  'GET /api/staff': () => ({ body: STAFF }),
  ...over,
});

async function mount(page: Page) {
  await page.evaluate(() => { document.body.append(document.createElement('cc-queue-admin')); });
  const el = page.locator('cc-queue-admin');
  await el.locator('tr[data-queue=general]').waitFor();
  return el;
}

type Requests = Array<{ method: string; path: string; body: unknown }>;
const sent = (requests: Requests) => requests.filter((r) => r.method !== 'GET').map((r) => ({ method: r.method, path: r.path, body: r.body }));
const row = (page: Page, id: string) => page.locator(`cc-queue-admin tr[data-queue=${id}] td`).allTextContents();

t.test('the list shows each queue\'s name, skill, priority, number of agents and whether it is open', async (t) => {
  const { page } = await componentPage(t, browser, api());
  await mount(page);
  t.same((await row(page, 'general')).slice(0, 6), ['general', 'Общие вопросы', 'Общие вопросы', '10', '2', 'Да']);
  t.same((await row(page, 'billing')).slice(0, 6), ['billing', 'Начисления и оплата', 'Начисления и оплата', '5', '1', 'Нет']);
});

t.test('editing a queue sends all its settings with the changed ones and shows the saved queue', async (t) => {
  const { page, requests } = await componentPage(t, browser, api({
    'PUT /api/queues/general': (body) => ({ body: { id: 'general', ...(body as object) } }),
  }));
  const el = await mount(page);
  await el.locator('tr[data-queue=general] [data-action=edit-queue]').click();
  const form = el.locator('cc-queue-form');
  t.equal(await form.locator('input[name=maxWaitS]').inputValue(), '600', 'the current settings are filled in');
  await form.locator('input[name=titleRu]').fill('Общие вопросы и справки');
  await form.locator('input[name=priority]').fill('20');
  await form.locator('input[name=slThresholdS]').fill('30');
  await form.locator('input[name=wrapUpS]').fill('0');
  await form.locator('input[name=recording]').check();
  await form.locator('[data-action=save-queue]').click();
  await form.getByRole('status').waitFor();
  t.same(sent(requests), [{
    method: 'PUT', path: '/api/queues/general',
    body: {
      titleRu: 'Общие вопросы и справки', titleEn: 'General questions', skill: 'general', priority: 20, slThresholdS: 30, maxWaitS: 600,
      announceEveryS: 60, wrapUpS: 0, ringS: 20, recording: true, active: true, musicClass: 'default', firstAnnounceS: 10,
    },
  }]);
  t.equal(await form.getByRole('status').textContent(), 'Очередь сохранена.');
  t.same((await row(page, 'general')).slice(1, 4), ['Общие вопросы и справки', 'Общие вопросы', '20']);
});

t.test('a setting out of its bounds is marked with the rule and nothing is sent; the server\'s field errors are marked too', async (t) => {
  const { page, requests } = await componentPage(t, browser, api({
    'PUT /api/queues/billing': () => ({ status: 400, body: { code: 'CC_ERR_VALIDATION', message: 'body/musicClass must match pattern', details: { errors: [{ path: '/musicClass', message: 'must match pattern' }] } } }),
  }));
  const el = await mount(page);
  await el.locator('tr[data-queue=billing] [data-action=edit-queue]').click();
  const form = el.locator('cc-queue-form');
  await form.locator('input[name=ringS]').fill('3');
  await form.locator('[data-action=save-queue]').click();
  t.equal(await form.locator('[data-error-for=ringS]').textContent(), 'Целое число от 5 до 120.');
  t.same(sent(requests), [], 'nothing was sent');
  await form.locator('input[name=ringS]').fill('25');
  await form.locator('[data-action=save-queue]').click();
  await form.locator('[data-error-for=musicClass]').waitFor();
  t.equal(await form.getByTestId('queue-form-error').textContent(), 'Сервер не принял данные: проверьте отмеченные поля.');
  t.equal(await form.locator('input[name=musicClass]').getAttribute('aria-invalid'), 'true');
  t.equal(sent(requests).length, 1);
});

t.test('the members are ticked from the staff records and saved as the whole list with their priorities', async (t) => {
  const { page, requests } = await componentPage(t, browser, api({
    'PUT /api/queues/general/members': (body) => ({ body }),
  }));
  const el = await mount(page);
  await el.locator('tr[data-queue=general] [data-action=edit-queue]').click();
  const members = el.locator('cc-queue-members');
  t.ok(await members.locator('input[name=member][value="7"]').isChecked());
  t.equal(await members.locator('input[name=member-priority-8]').inputValue(), '2');
  t.notOk(await members.locator('input[name=member][value="9"]').isChecked());
  t.match(await members.locator('[data-member=vera]').textContent(), 'отключён');
  await members.locator('input[name=member][value="7"]').uncheck();
  await members.locator('input[name=member][value="9"]').check();
  await members.locator('input[name=member-priority-9]').fill('4');
  await members.locator('[data-action=save-members]').click();
  await members.getByRole('status').waitFor();
  t.same(sent(requests), [{ method: 'PUT', path: '/api/queues/general/members', body: [{ agentId: 8, priority: 2 }, { agentId: 9, priority: 4 }] }]);
  t.equal(await members.getByRole('status').textContent(), 'Состав очереди сохранён.');
  t.equal((await row(page, 'general'))[4], '2', 'the member count follows');
  t.equal((await row(page, 'billing'))[4], '1', 'other queues keep their members');
});

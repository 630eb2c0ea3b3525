import t, { type Test } from 'tap';
import type { Agent, OfficeView, QueueView, StaffView } from '../../agent-ui/src/admin.js';
import { componentPage, launchBrowser, type FakeApi } from '../support/browser.js';

/*
 * <cc-app> on a fake API: the administration view is offered to admins only, next to the
 * wallboard and the workplace, with its staff, queues and offices tabs.
 */

const browser = await launchBrowser(t);

const agent = (role: Agent['role']): Agent => ({ id: 1, username: role, displayName: 'Ирина Админова', role, language: 'ru', mustChangePassword: false });
const GENERAL: QueueView = {
  id: 'general', titleRu: 'Общие вопросы', titleEn: 'General questions', skill: 'general', priority: 10, slThresholdS: 20,
  maxWaitS: 600, announceEveryS: 60, firstAnnounceS: 10, wrapUpS: 15, ringS: 20, recording: false, active: true, musicClass: 'default',
};
const ADMIN: StaffView = {
  id: 1, login: 'admin', fullName: 'Ирина Админова', role: 'admin', active: true, language: 'ru', phone: { kind: 'browser' },
  queues: [], mustChangePassword: false, createdAt: '2026-11-01T08:00:00.000Z',
};
const OFFICE: OfficeView = {
  id: 1, sortOrder: 10, cityRu: 'Калининград', cityEn: 'Kaliningrad', addressRu: 'ул. Театральная, 34', addressEn: '34 Teatralnaya St',
  hoursRu: 'пн–пт 9:00–18:00', hoursEn: 'Mon–Fri 9:00–18:00', phone: '', towns: ['Калининград'], active: true,
};

/** The app signed in as `role`; the phone and the wallboard's figures are refused, which the page survives. */
async function signedIn(t: Test, role: Agent['role'], over: FakeApi = {}) {
  const { page, requests } = await componentPage(t, browser, {
    'GET /api/session': () => ({ body: { agent: agent(role) } }),
    'GET /api/session/sip': () => ({ status: 503, body: { code: 'CC_ERR_TEST_NO_PHONE', message: 'no phone here', details: {} } }),
    ...over,
  });
  await page.evaluate(() => { document.body.append(document.createElement('cc-app')); });
  await page.locator('cc-app header').waitFor();
  return { page, requests };
}

t.test('an admin gets the administration view beside the wallboard and the workplace, with staff, queues, offices and trunks', async (t) => {
  const { page, requests } = await signedIn(t, 'admin', {
    'GET /api/staff': () => ({ body: [ADMIN] }),
    'GET /api/queues': () => ({ body: [GENERAL] }),
    'GET /api/offices': () => ({ body: [OFFICE] }),
  });
  t.same(await page.locator('cc-app [data-view]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-view'))), ['wallboard', 'workspace', 'admin']);
  t.equal(await page.locator('cc-app [data-view=admin]').textContent(), 'Администрирование');
  t.notOk(requests.some((r) => r.path === '/api/staff'), 'nothing of the admin view is loaded before it is opened');

  await page.locator('cc-app [data-view=admin]').click();
  await page.locator('cc-admin cc-staff-admin tr[data-staff=admin]').waitFor();
  t.equal(await page.locator('cc-app [data-view=admin]').getAttribute('aria-pressed'), 'true');
  t.equal(await page.locator('cc-app cc-wallboard, cc-app cc-phone-bar').count(), 0, 'neither the wallboard nor the workplace behind it');
  t.same(await page.locator('cc-admin [role=tab]').allTextContents(), ['Сотрудники', 'Очереди', 'Офисы', 'Линии']);

  await page.locator('cc-admin [data-tab=queues]').click();
  await page.locator('cc-admin cc-queue-admin tr[data-queue=general]').waitFor();
  t.equal(await page.locator('cc-admin [data-tab=queues]').getAttribute('aria-selected'), 'true');
  await page.locator('cc-admin [data-tab=offices]').click();
  await page.locator('cc-admin cc-office-admin tr[data-office="1"]').waitFor();

  await page.locator('cc-app [data-view=workspace]').click();
  await page.locator('cc-app cc-phone-bar').waitFor();
  t.ok(await page.locator('cc-app cc-admin').isHidden(), 'the admin view is hidden, not thrown away');
  await page.locator('cc-app [data-view=admin]').click();
  await page.locator('cc-admin cc-office-admin tr[data-office="1"]').waitFor();
  t.equal(await page.locator('cc-app cc-phone-bar').count(), 0);
});

t.test('a supervisor keeps the wallboard and the workplace only, and an agent the workplace only', async (t) => {
  const supervisor = await signedIn(t, 'supervisor');
  t.same(await supervisor.page.locator('cc-app [data-view]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-view'))), ['wallboard', 'workspace']);
  t.equal(await supervisor.page.locator('cc-app cc-admin').count(), 0);

  const agentApp = await signedIn(t, 'agent');
  await agentApp.page.locator('cc-app cc-phone-bar').waitFor();
  t.equal(await agentApp.page.locator('cc-app [data-view], cc-app cc-admin, cc-app cc-wallboard').count(), 0);
});

import t from 'tap';
import type { Page } from 'playwright-core';
import type { NewStaffBody, QueueView, StaffView } from '../../agent-ui/src/admin.js';
import { componentPage, launchBrowser, type FakeApi } from '../support/browser.js';

/*
 * <cc-staff-admin> in Chromium against a fake API of the issue-11 contract: what the table shows,
 * exactly what each action sends, the one-time password shown once, and the server's refusals
 * explained next to the fields in the page's language.
 */

const browser = await launchBrowser(t);

const queue = (id: string, titleRu: string, titleEn: string): QueueView => ({
  id, titleRu, titleEn, skill: 'general', priority: 10, slThresholdS: 20, maxWaitS: 600, announceEveryS: 60, firstAnnounceS: 10,
  wrapUpS: 15, ringS: 20, recording: false, active: true, musicClass: 'default',
});
const QUEUES = [queue('general', 'Общие вопросы', 'General questions'), queue('billing', 'Начисления и оплата', 'Billing')];

const staff = (id: number, login: string, fullName: string, over: Partial<StaffView> = {}): StaffView => ({
  id, login, fullName, role: 'agent', active: true, language: 'ru', phone: { kind: 'browser' }, queues: [],
  mustChangePassword: false, createdAt: '2026-11-01T08:00:00.000Z', ...over,
});
const ADMIN = staff(1, 'admin', 'Ирина Админова', { role: 'admin' });
const ANNA = staff(7, 'anna', 'Анна Смирнова', { queues: [{ queueId: 'general', priority: 1 }, { queueId: 'billing', priority: 5 }] });
const BORIS = staff(8, 'boris', 'Борис Котов', { role: 'supervisor', phone: { kind: 'sip', contact: 'sip:1008@192.0.2.8:5060' }, mustChangePassword: true });
const VERA = staff(9, 'vera', 'Вера Орлова', { active: false, phone: { kind: 'sip', contact: null } });

const api = (over: FakeApi = {}): FakeApi => ({
  'GET /api/staff': () => ({ body: [VERA, ANNA, BORIS, ADMIN] }),
  'GET /api/queues': () => ({ body: QUEUES }),
  ...over,
});

/** The staff view as the signed-in admin (id 1) sees it. */
async function mount(page: Page, lang: 'ru' | 'en' = 'ru') {
  await page.evaluate((lang) => {
    const el = document.createElement('cc-staff-admin');
    el.lang = lang;
    el.agent = { id: 1, username: 'admin', displayName: 'Ирина Админова', role: 'admin', language: lang, mustChangePassword: false };
    document.body.append(el);
  }, lang);
  const el = page.locator('cc-staff-admin');
  await el.locator('tr[data-staff=anna]').waitFor();
  return el;
}

type Requests = Array<{ method: string; path: string; body: unknown }>;
const sent = (requests: Requests) => requests.filter((r) => r.method !== 'GET').map((r) => ({ method: r.method, path: r.path, body: r.body }));
/** A row's cells as read on screen (a line break reads as a space). */
const cells = (page: Page, login: string) =>
  page.locator(`cc-staff-admin tr[data-staff="${login}"] td`).evaluateAll((tds) => tds.map((td) => (td as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));

t.test('the table shows each member\'s login, name, role, queues, phone, whether active and whether they must change their password', async (t) => {
  const { page } = await componentPage(t, browser, api());
  await mount(page);
  t.same(await page.locator('cc-staff-admin tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-staff'))), ['admin', 'anna', 'boris', 'vera'], 'ordered by login');
  t.same((await cells(page, 'anna')).slice(0, 7), ['anna', 'Анна Смирнова', 'Оператор', 'Общие вопросы (1), Начисления и оплата (5)', 'Браузер', 'Да', '—']);
  t.same((await cells(page, 'boris')).slice(0, 7), ['boris', 'Борис Котов', 'Супервизор', 'нет', 'SIP-телефон sip:1008@192.0.2.8:5060', 'Да', 'при входе']);
  t.same((await cells(page, 'vera')).slice(2, 6), ['Оператор', 'нет', 'SIP-телефон регистрируется сам', 'Нет']);
  t.equal(await page.locator('cc-staff-admin tr[data-staff=vera] [data-action=activate]').count(), 1, 'an inactive member can be reactivated');
  t.ok(await page.locator('cc-staff-admin tr[data-staff=admin] [data-action=deactivate]').isDisabled(), 'the admin cannot deactivate their own account');
});

t.test('creating a member sends exactly the form\'s fields and shows the one-time and SIP passwords once, saying they will not be shown again', async (t) => {
  const { page, requests } = await componentPage(t, browser, api({
    'POST /api/staff': (body) => {
      const b = body as NewStaffBody;
      return { status: 201, body: { staff: staff(12, b.login, b.fullName, { role: b.role, queues: b.queues ?? [], phone: b.phone ?? { kind: 'browser' }, mustChangePassword: true }), oneTimePassword: 'Kx7-pQ2m-Zt9w', sipPassword: 'sip-Secret-4411' } };
    },
  }));
  const el = await mount(page);
  await el.locator('[data-action=create-staff]').click();
  const form = el.locator('cc-staff-form');
  await form.locator('input[name=login]').fill('galina.p');
  await form.locator('input[name=fullName]').fill('  Галина Петрова ');
  await form.locator('select[name=role]').selectOption('supervisor');
  t.ok(await form.locator('input[name=priority-billing]').isDisabled(), 'no priority for a queue not ticked');
  await form.locator('input[name=queue][value=billing]').check();
  await form.locator('input[name=priority-billing]').fill('3');
  await form.locator('input[name=queue][value=general]').check();
  await form.locator('input[name=phoneKind][value=sip]').check();
  await form.locator('input[name=contact]').fill('sip:1012@192.0.2.12:5060');
  await form.locator('[data-action=save-staff]').click();

  const box = el.locator('.secret');
  await box.waitFor();
  t.same(sent(requests), [{
    method: 'POST', path: '/api/staff',
    body: { login: 'galina.p', fullName: 'Галина Петрова', role: 'supervisor', queues: [{ queueId: 'general', priority: 1 }, { queueId: 'billing', priority: 3 }], phone: { kind: 'sip', contact: 'sip:1012@192.0.2.12:5060' } },
  }]);
  t.equal(await box.locator('[data-otp]').textContent(), 'Kx7-pQ2m-Zt9w');
  t.equal(await box.locator('[data-sip-password]').textContent(), 'sip-Secret-4411');
  t.match(await box.textContent(), 'больше он показан не будет');
  t.equal(await el.locator('cc-staff-form').count(), 0, 'the form is closed');
  t.same((await cells(page, 'galina.p')).slice(0, 3), ['galina.p', 'Галина Петрова', 'Супервизор'], 'the new member is in the table');

  await box.locator('[data-action=dismiss-otp]').click();
  t.equal(await el.locator('[data-otp]').count(), 0, 'hidden once dismissed');
  const shown = await page.evaluate(() => document.querySelector('cc-staff-admin')!.shadowRoot!.innerHTML);
  t.notMatch(shown, 'Kx7-pQ2m-Zt9w', 'the password is nowhere on the page any more');
  t.notMatch(shown, 'sip-Secret-4411');
});

t.test('a browser phone is sent as such and a desk phone without a contact as one that registers itself', async (t) => {
  const created = (body: unknown) => ({ status: 201, body: { staff: staff(13, (body as NewStaffBody).login, 'X'), oneTimePassword: 'p' } });
  const { page, requests } = await componentPage(t, browser, api({ 'POST /api/staff': created }));
  const el = await mount(page);
  const form = el.locator('cc-staff-form');
  await el.locator('[data-action=create-staff]').click();
  await form.locator('input[name=login]').fill('dmitry');
  await form.locator('input[name=fullName]').fill('Дмитрий Носов');
  await form.locator('[data-action=save-staff]').click();
  await el.locator('[data-otp]').waitFor();
  t.equal(await el.locator('[data-sip-password]').count(), 0, 'no SIP password for a browser phone');
  await el.locator('[data-action=create-staff]').click();
  await form.locator('input[name=login]').fill('elena');
  await form.locator('input[name=fullName]').fill('Елена Зуева');
  await form.locator('input[name=phoneKind][value=sip]').check();
  await form.locator('[data-action=save-staff]').click();
  await el.locator('tr[data-staff=elena]').waitFor();
  t.same(sent(requests).map((r) => r.body), [
    { login: 'dmitry', fullName: 'Дмитрий Носов', role: 'agent', queues: [], phone: { kind: 'browser' } },
    { login: 'elena', fullName: 'Елена Зуева', role: 'agent', queues: [], phone: { kind: 'sip', contact: null } },
  ]);
});

t.test('fields the page can check are marked with the rule and nothing is sent', async (t) => {
  const { page, requests } = await componentPage(t, browser, api());
  const el = await mount(page);
  await el.locator('[data-action=create-staff]').click();
  const form = el.locator('cc-staff-form');
  await form.locator('input[name=login]').fill('Ab');
  await form.locator('input[name=queue][value=general]').check();
  await form.locator('input[name=priority-general]').fill('101');
  await form.locator('[data-action=save-staff]').click();
  t.match(await form.locator('[data-error-for=login]').textContent(), '3–32 символа');
  t.equal(await form.locator('input[name=login]').getAttribute('aria-invalid'), 'true');
  t.match(await form.locator('[data-error-for=fullName]').textContent(), 'Укажите ФИО');
  t.match(await form.locator('[data-error-for=queues]').textContent(), 'от 1 до 100');
  t.same(sent(requests), [], 'nothing was sent');
});

t.test('the server\'s refusals are shown next to the fields they are about, in the page\'s language', async (t) => {
  const answers = [
    { status: 409, body: { code: 'CC_ERR_STAFF_LOGIN_TAKEN', message: 'login taken', details: { login: 'anna2' } } },
    { status: 400, body: { code: 'CC_ERR_VALIDATION', message: 'body/fullName must NOT have more than 100 characters', details: { errors: [{ path: '/fullName', message: 'must NOT have more than 100 characters' }, { path: '/phone/contact', message: 'must match pattern' }] } } },
    { status: 400, body: { code: 'CC_ERR_STAFF_QUEUE_UNKNOWN', message: 'unknown queue', details: { queueId: 'billing' } } },
  ];
  const { page, requests } = await componentPage(t, browser, api({ 'POST /api/staff': () => answers.shift()! }));
  const el = await mount(page, 'en');
  await el.locator('[data-action=create-staff]').click();
  const form = el.locator('cc-staff-form');
  await form.locator('input[name=login]').fill('anna2');
  await form.locator('input[name=fullName]').fill('Anna Second');
  await form.locator('[data-action=save-staff]').click();
  await form.locator('[data-error-for=login]').waitFor();
  t.equal(await form.locator('[data-error-for=login]').textContent(), 'The login “anna2” is taken. Choose another.');
  t.equal(await form.locator('input[name=login]').getAttribute('aria-invalid'), 'true');

  await form.locator('input[name=phoneKind][value=sip]').check();
  await form.locator('[data-action=save-staff]').click();
  await form.locator('[data-error-for=fullName]').waitFor();
  t.equal(await form.getByTestId('staff-form-error').textContent(), 'The server did not accept the data: check the marked fields.');
  t.equal(await form.locator('[data-error-for=fullName]').textContent(), 'Enter the full name (at most 100 characters).');
  t.match(await form.locator('[data-error-for=contact]').textContent(), 'must start with sip:');
  t.equal(await form.locator('[data-error-for=login]').count(), 0, 'the earlier refusal is gone');

  await form.locator('input[name=queue][value=billing]').check();
  await form.locator('[data-action=save-staff]').click();
  await form.locator('[data-error-for=queues]').waitFor();
  t.match(await form.locator('[data-error-for=queues]').textContent(), 'The queue “billing” no longer exists');
  t.equal(sent(requests).length, 3);
  t.equal(await el.locator('[data-otp]').count(), 0, 'no password shown for a refused creation');
});

t.test('editing sends only the fields that changed, and the login cannot be changed', async (t) => {
  const { page, requests } = await componentPage(t, browser, api({
    'PATCH /api/staff/7': (body) => ({ body: { ...ANNA, ...(body as object) } }),
  }));
  const el = await mount(page);
  await el.locator('tr[data-staff=anna] [data-action=edit-staff]').click();
  const form = el.locator('cc-staff-form');
  t.equal(await form.locator('input[name=login]').getAttribute('readonly'), '');
  t.equal(await form.locator('input[name=priority-billing]').inputValue(), '5', 'the current priorities are filled in');
  await form.locator('input[name=fullName]').fill('Анна Смирнова-Котова');
  await form.locator('input[name=queue][value=general]').uncheck();
  await form.locator('[data-action=save-staff]').click();
  await el.locator('cc-staff-form').waitFor({ state: 'detached' });
  t.same(sent(requests), [{ method: 'PATCH', path: '/api/staff/7', body: { fullName: 'Анна Смирнова-Котова', queues: [{ queueId: 'billing', priority: 5 }] } }]);
  t.same((await cells(page, 'anna')).slice(1, 4), ['Анна Смирнова-Котова', 'Оператор', 'Начисления и оплата (5)']);
});

t.test('taking away one\'s own admin role is refused with the reason next to the role', async (t) => {
  const { page } = await componentPage(t, browser, api({
    'PATCH /api/staff/1': () => ({ status: 409, body: { code: 'CC_ERR_STAFF_SELF_LOCKOUT', message: 'self lockout', details: {} } }),
  }));
  const el = await mount(page);
  await el.locator('tr[data-staff=admin] [data-action=edit-staff]').click();
  const form = el.locator('cc-staff-form');
  await form.locator('select[name=role]').selectOption('agent');
  await form.locator('[data-action=save-staff]').click();
  await form.locator('[data-error-for=role]').waitFor();
  t.match(await form.locator('[data-error-for=role]').textContent(), 'Нельзя отключить себя или снять с себя роль администратора');
});

t.test('deactivating sends active false and shows the member inactive; reactivating sends active true', async (t) => {
  const { page, requests } = await componentPage(t, browser, api({
    'PATCH /api/staff/7': (body) => ({ body: { ...ANNA, ...(body as object) } }),
  }));
  const el = await mount(page);
  await el.locator('tr[data-staff=anna] [data-action=deactivate]').click();
  await el.locator('tr[data-staff=anna] [data-action=activate]').waitFor();
  t.equal((await cells(page, 'anna'))[5], 'Нет');
  t.match(await el.locator('tr[data-staff=anna]').getAttribute('class'), 'inactive');
  await el.locator('tr[data-staff=anna] [data-action=activate]').click();
  await el.locator('tr[data-staff=anna] [data-action=deactivate]').waitFor();
  t.same(sent(requests), [
    { method: 'PATCH', path: '/api/staff/7', body: { active: false } },
    { method: 'PATCH', path: '/api/staff/7', body: { active: true } },
  ]);
});

t.test('a password reset shows the new one-time password once and marks the member to change it', async (t) => {
  const { page, requests } = await componentPage(t, browser, api({
    'POST /api/staff/7/reset-password': () => ({ body: { oneTimePassword: 'Reset-77-Qw' } }),
  }));
  const el = await mount(page);
  await el.locator('tr[data-staff=anna] [data-action=reset-password]').click();
  await el.locator('[data-otp]').waitFor();
  t.equal(await el.locator('[data-otp]').textContent(), 'Reset-77-Qw');
  t.match(await el.locator('.secret').textContent(), 'Временный пароль для anna');
  t.equal((await cells(page, 'anna'))[6], 'при входе');
  t.same(sent(requests).map((r) => `${r.method} ${r.path}`), ['POST /api/staff/7/reset-password']);
  await el.locator('[data-action=dismiss-otp]').click();
  t.equal(await el.locator('.secret').count(), 0);
});

t.test('a refused row action names the member and the reason', async (t) => {
  const { page } = await componentPage(t, browser, api({
    'PATCH /api/staff/8': () => ({ status: 404, body: { code: 'CC_ERR_STAFF_NOT_FOUND', message: 'no such staff', details: {} } }),
  }));
  const el = await mount(page);
  await el.locator('tr[data-staff=boris] [data-action=deactivate]').click();
  await el.getByTestId('staff-error').waitFor();
  t.equal(await el.getByTestId('staff-error').textContent(), 'boris: Такого сотрудника больше нет. Обновите список.');
});

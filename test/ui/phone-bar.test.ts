import t from 'tap';
import type { Page } from 'playwright-core';
import { componentPage, launchBrowser } from '../support/browser.js';
import { eventually } from '../support/fake-telephony.js';

/*
 * The phone bar with a stand-in softphone: answering and hanging up go to the softphone (the
 * browser's end of the call); hold, mute, transfer and dialing out go to the server, which does
 * them over ARI where the caller is.
 */

const browser = await launchBrowser(t);
const onCall = { kind: 'on_call', callId: 'c1', since: 0, held: false, muted: false };

// A string, not a function: tsx names functions with a helper (__name) the page does not have.
const FAKE_CONTROLS = `(() => {
  const calls = [];
  window.phoneCalls = calls;
  return {
    answer: async () => { calls.push('answer'); },
    hangup: async () => { calls.push('hangup'); },
    sendDtmf: (k) => { calls.push('dtmf ' + k); return true; },
    expectOutbound: (n) => { calls.push('expect ' + n); },
  };
})()`;

async function mount(page: Page, phone: object, agentState: object) {
  await page.evaluate(({ phone, agentState, controls }) => {
    const el = document.createElement('cc-phone-bar') as HTMLElement & Record<string, unknown>;
    el['agentId'] = 5;
    el['phoneState'] = phone;
    el['agentState'] = agentState;
    el['controls'] = (0, eval)(controls);
    document.body.append(el);
  }, { phone, agentState, controls: FAKE_CONTROLS });
  return page.locator('cc-phone-bar');
}
const phoneCalls = (page: Page) => page.evaluate(() => (window as unknown as { phoneCalls: string[] }).phoneCalls);
const line = (call: object | null) => ({ registration: 'registered', problem: null, media: 'ok', call });

t.test('a ringing call shows the caller and is answered or declined in the softphone', async (t) => {
  const { page } = await componentPage(t, browser);
  const bar = await mount(page, line({ direction: 'inbound', state: 'ringing', remote: '+74012000001', since: Date.now(), answeredAt: null }), { kind: 'ringing', callId: 'c1', since: 0 });
  t.equal(await bar.getAttribute('data-call'), 'ringing');
  t.equal(await bar.getByTestId('remote').textContent(), '+7 401 200-00-01');
  await bar.locator('[data-action=answer]').click();
  await bar.locator('[data-action=hangup]').click();
  await page.keyboard.press('Alt+a');
  t.same(await phoneCalls(page), ['answer', 'hangup', 'answer'], 'the buttons and Alt+A reach the softphone');
  t.equal(await bar.locator('[data-action=hold]').count(), 0, 'no hold before the call is answered');
});

t.test('hold and mute are asked of the server and show what the server says', async (t) => {
  const { page, requests } = await componentPage(t, browser, {
    'POST /api/agents/5/call/hold': () => ({ body: { agentId: 5, username: 'a', state: { ...onCall, held: true } } }),
    'POST /api/agents/5/call/mute': () => ({ body: { agentId: 5, username: 'a', state: { ...onCall, muted: true } } }),
  });
  const bar = await mount(page, line({ direction: 'inbound', state: 'established', remote: '+74012000001', since: Date.now() - 65_000, answeredAt: Date.now() - 61_000 }), onCall);
  t.match(await bar.getByTestId('duration').textContent(), /^1:0[12]$/, 'the duration counts from the answer');
  await bar.locator('[data-action=hold]').click();
  await bar.locator('[data-action=mute]').click();
  await eventually(() => (requests.length === 2 ? true : undefined), 5000, 'both requests sent');
  t.same(requests.map((r) => [r.path, r.body]), [['/api/agents/5/call/hold', { on: true }], ['/api/agents/5/call/mute', { on: true }]]);
  // The live socket brings the new state; the bar shows it.
  await page.evaluate((s) => { (document.querySelector('cc-phone-bar') as HTMLElement & { agentState: object }).agentState = s; }, { ...onCall, held: true, muted: true });
  await bar.locator('[data-action=hold][aria-pressed=true]').waitFor();
  t.match(await bar.locator('[data-action=hold]').textContent(), 'Снять с удержания');
  t.match(await bar.locator('[data-action=mute]').textContent(), 'Включить микрофон');
});

t.test('the keypad sends keys into the call, by click and by keyboard', async (t) => {
  const { page } = await componentPage(t, browser);
  const bar = await mount(page, line({ direction: 'outbound', state: 'established', remote: '88001234567', since: Date.now(), answeredAt: Date.now() }), onCall);
  await bar.locator('[data-action=keypad]').click();
  await bar.locator('cc-dialpad [data-key="5"]').click();
  await bar.locator('cc-dialpad [data-key="#"]').focus();
  await page.keyboard.press('2');
  t.same(await phoneCalls(page), ['dtmf 5', 'dtmf 2']);
});

t.test('a blind transfer offers the queues, the available colleagues and the voice menu', async (t) => {
  const { page, requests } = await componentPage(t, browser, {
    'GET /api/queues': () => ({ body: [{ id: 'general', name: 'Общая' }, { id: 'billing', name: 'Начисления' }] }),
    'GET /api/agents': () => ({ body: [
      { agentId: 5, username: 'me', state: { kind: 'on_call' } },
      { agentId: 6, username: 'free', state: { kind: 'available', since: 1 } },
      { agentId: 7, username: 'busy', state: { kind: 'on_call' } },
    ] }),
    'POST /api/agents/5/call/transfer': () => ({ status: 202, body: {} }),
  });
  const bar = await mount(page, line({ direction: 'inbound', state: 'established', remote: '+74012000001', since: Date.now(), answeredAt: Date.now() }), onCall);
  await bar.locator('[data-action=transfer]').click();
  await bar.locator('select#target').waitFor();
  const options = await bar.locator('select#target option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  t.same(options, ['queue:general', 'queue:billing', 'agent:6', 'ivr:ivr'], 'only colleagues who are free, never oneself');
  await bar.locator('select#target').selectOption('agent:6');
  await bar.locator('form.pop button[type=submit]').click();
  await bar.locator('select#target').waitFor({ state: 'detached' });
  t.same(requests.at(-1), { method: 'POST', path: '/api/agents/5/call/transfer', body: { agentId: 6 } });
});

t.test('an outbound call is placed through the server and its leg is expected by the softphone', async (t) => {
  const { page, requests } = await componentPage(t, browser, {
    'POST /api/agents/5/calls': () => ({ status: 201, body: { callId: '6f1c3c1e-1111-4111-8111-111111111111' } }),
  });
  const bar = await mount(page, line(null), { kind: 'available', since: 1 });
  await bar.locator('input#number').fill('+7 401 200-00-02');
  await bar.locator('input#number').press('Enter');
  await page.waitForFunction(() => (document.querySelector('cc-phone-bar')!.shadowRoot!.querySelector('input#number') as HTMLInputElement).value === '');
  t.same(requests, [{ method: 'POST', path: '/api/agents/5/calls', body: { number: '+7 401 200-00-02' } }]);
  t.same(await phoneCalls(page), ['expect +7 401 200-00-02']);
});

t.test('no outbound call without a registered line, and a refused one is explained', async (t) => {
  const { page } = await componentPage(t, browser, {
    'POST /api/agents/5/calls': () => ({ status: 400, body: { code: 'CC_ERR_VALIDATION', message: 'not a Russian phone number', details: {} } }),
  });
  const bar = await mount(page, { ...line(null), registration: 'unregistered' }, { kind: 'available', since: 1 });
  t.equal(await bar.locator('[data-action=dial]').isDisabled(), true);
  await page.evaluate(() => { (document.querySelector('cc-phone-bar') as HTMLElement & { phoneState: object }).phoneState = { registration: 'registered', problem: null, media: 'ok', call: null }; });
  await bar.locator('input#number').fill('12');
  await bar.locator('[data-action=dial]').click();
  await bar.locator('[role=alert]').waitFor();
  t.match(await bar.locator('[role=alert]').textContent(), 'CC_ERR_VALIDATION');
});

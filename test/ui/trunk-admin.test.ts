import t from 'tap';
import type { Page } from 'playwright-core';
import type { TrunksReply } from '../../agent-ui/src/components/cc-trunk-admin.js';
import { componentPage, launchBrowser } from '../support/browser.js';

/*
 * <cc-trunk-admin> in Chromium against a fake API: the carriers' trunks with their numbers and
 * where each goes, the registration's state (a wrong password shows as rejected), the calls
 * refused for matching no trunk, and a state that changes on the server reaching the page.
 */

const browser = await launchBrowser(t);

const reply = (state: 'registered' | 'rejected', refused: TrunksReply['refused']['byAddress'] = []): TrunksReply => ({
  trunks: [
    {
      name: 'rostelecom', host: '10.20.0.5', port: 5060, transport: 'udp', match: ['10.20.0.0/24'], callerIdFrom: 'pai', outbound: true,
      dids: [{ number: '+74012999000', entry: 'ivr' }, { number: '+74012999001', entry: 'queue:billing' }], defaultEntry: 'ivr', registration: null,
    },
    {
      name: 'mts', host: 'sip.carrier.example', port: 5060, transport: 'tcp', match: [], callerIdFrom: 'from', outbound: false,
      dids: [], defaultEntry: 'ivr-en', registration: { username: 'line1', state, since: '2026-12-08T10:00:05.000Z' },
    },
  ],
  refused: { total: refused.reduce((n, a) => n + a.count, 0), watching: true, byAddress: refused },
});

async function mount(page: Page, lang: 'ru' | 'en' = 'ru') {
  await page.evaluate((lang) => {
    const el = document.createElement('cc-trunk-admin');
    el.lang = lang;
    document.body.append(el);
  }, lang);
  const el = page.locator('cc-trunk-admin');
  await el.locator('tr[data-trunk=rostelecom]').waitFor();
  return el;
}

t.test('each trunk shows its address, its numbers and where they go, and whether it registers', async (t) => {
  const { page } = await componentPage(t, browser, { 'GET /api/trunks': () => ({ body: reply('registered') }) });
  const el = await mount(page);
  const cells = await el.locator('tr[data-trunk=rostelecom] td').allTextContents();
  t.match(cells[1], /UDP 10\.20\.0\.5:5060\s*звонки принимаются с 10\.20\.0\.0\/24/);
  t.match(cells[2], /\+74012999000 → голосовое меню\s*\+74012999001 → очередь billing\s*прочие номера → голосовое меню/);
  t.match(cells[3], 'без регистрации');
  t.equal(cells[4], 'Да', 'outbound calls leave through it');
  t.equal(await el.locator('tr[data-trunk=mts] [data-state]').getAttribute('data-state'), 'registered');
  t.match(await el.locator('tr[data-trunk=mts] td').nth(2).textContent(), 'прочие номера → голосовое меню (англ.)');
  t.match(await el.locator('[data-testid=refused-none]').textContent(), 'Не было');
});

t.test('a rejected registration and refused calls appear without reloading the page', async (t) => {
  let current = reply('registered');
  const { page, requests } = await componentPage(t, browser, { 'GET /api/trunks': () => ({ body: current }) });
  await page.clock.install();
  const el = await mount(page, 'en');
  current = reply('rejected', [{ address: '203.0.113.9', count: 3, lastAt: '2026-12-08T10:01:00.000Z', lastFrom: '<sip:100@203.0.113.9>' }]);
  await page.clock.runFor(10_000);
  await el.locator('tr[data-trunk=mts] [data-state=rejected]').waitFor();
  t.match(await el.locator('tr[data-trunk=mts] [data-state]').textContent(), 'rejected (check the username and password)');
  const refused = await el.locator('[data-testid=refused] tr[data-address="203.0.113.9"] td').allTextContents();
  t.equal(refused[1], '3', 'the calls refused from that address are counted');
  t.match(refused[2], '<sip:100@203.0.113.9>');
  t.ok(requests.filter((r) => r.path === '/api/trunks').length >= 2, 'the view asked the server again by itself');
});

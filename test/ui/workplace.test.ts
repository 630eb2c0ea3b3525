import t from 'tap';
import type { Page } from 'playwright-core';
import { addAgent, testApp } from '../support/app.js';
import { launchBrowser, signIn as signInAs } from '../support/browser.js';

/*
 * The whole page against the real server (fake telephony, no Asterisk): signing in, the one-tab
 * guard, the live socket's recovery, the language switch and what the page says when the phone
 * cannot work. Calls in a real browser are in test/e2e/.
 */

const browser = await launchBrowser(t);
const mediaBrowser = await launchBrowser(t, { media: true });

async function app(t: Parameters<typeof testApp>[0]) {
  let agentId = 0;
  const a = await testApp(t, {
    ui: true,
    seed: async (db) => {
      agentId = await addAgent(db, 'anna', { general: 1 }, { password: 'anna-password' });
      await addAgent(db, 'boss', {}, { password: 'boss-password', role: 'supervisor' });
    },
  });
  return { ...a, agentId };
}

const signIn = (page: Page, url: string, username = 'anna', password = 'anna-password') => signInAs(page, url, username, password);

t.test('the page is served with a strict content policy and a wrong password is explained', async (t) => {
  const server = await app(t);
  const res = await fetch(server.url!);
  t.equal(res.status, 200);
  t.match(res.headers.get('content-security-policy'), /default-src 'self'/);
  const page = await mediaBrowser.newPage();
  t.teardown(() => page.close());
  await signIn(page, server.url!, 'anna', 'not-her-password');
  t.match(await page.locator('cc-login [role=alert]').textContent(), 'Неверное имя пользователя или пароль');
  t.equal(await page.locator('cc-status-selector').count(), 0, 'nothing of the workplace is shown');
});

t.test('a second tab says the workplace is open elsewhere, and taking over stops the first', async (t) => {
  const server = await app(t);
  const context = await mediaBrowser.newContext();
  t.teardown(() => context.close());
  const first = await context.newPage();
  await signIn(first, server.url!);
  await first.locator('cc-status-selector').waitFor();

  const second = await context.newPage();
  await second.goto(server.url!);
  await second.locator('cc-app [data-action=take-over]').waitFor();
  t.equal(await second.locator('cc-status-selector').count(), 0, 'the second tab does not start a phone');
  t.match(await second.locator('cc-app [role=alert]').textContent(), 'уже открыто в другой вкладке');

  await second.locator('cc-app [data-action=take-over]').click();
  await second.locator('cc-status-selector').waitFor();
  await first.locator('cc-app [data-action=take-over]').waitFor();
  t.equal(await first.locator('cc-status-selector').count(), 0, 'the first tab gave up its phone');
});

t.test('a lost live connection reconnects and shows a change made while it was down', async (t) => {
  const server = await app(t);
  const page = await mediaBrowser.newPage();
  t.teardown(() => page.close());
  await signIn(page, server.url!);
  await page.locator('cc-status-selector[data-state=offline]').waitFor();
  const boss = await server.loginAs('boss', 'boss-password');
  // Cut the page's socket, then change the agent while the page waits to reconnect (its first
  // retry is 500 ms away): only the state sent on reconnection can tell the page.
  for (const client of server.http.websocketServer.clients) client.terminate();
  const res = await boss.inject({ method: 'POST', url: `/api/agents/${server.agentId}/login` });
  t.equal(res.statusCode, 200);
  await page.locator('cc-status-selector[data-state=available]').waitFor({ timeout: 10_000 });
  t.pass('the page shows the agent available after reconnecting');
  t.equal(server.http.websocketServer.clients.size, 1, 'one live socket again');
});

t.test('a supervisor sees the wallboard first and can switch to the workplace; an agent sees no wallboard', async (t) => {
  const server = await app(t);
  const page = await mediaBrowser.newPage();
  t.teardown(() => page.close());
  await signIn(page, server.url!, 'boss', 'boss-password');
  await page.locator('cc-wallboard [data-queue=general]').waitFor();
  t.equal(await page.locator('cc-phone-bar').count(), 0, 'no phone bar on the wallboard');
  await page.locator(`cc-wallboard tr[data-agent="${server.agentId}"][data-state=offline]`).waitFor();
  // A change made elsewhere reaches the wallboard over the live socket.
  const boss = await server.loginAs('boss', 'boss-password');
  t.equal((await boss.inject({ method: 'POST', url: `/api/agents/${server.agentId}/login` })).statusCode, 200);
  await page.locator(`cc-wallboard tr[data-agent="${server.agentId}"][data-state=available]`).waitFor({ timeout: 5000 });
  await page.locator('cc-app [data-view=workspace]').click();
  await page.locator('cc-phone-bar').waitFor();
  t.equal(await page.locator('cc-wallboard').count(), 0);
  await page.locator('cc-app [data-view=wallboard]').click();
  await page.locator('cc-wallboard [data-queue=general]').waitFor();

  const agentPage = await mediaBrowser.newPage();
  t.teardown(() => agentPage.close());
  await signIn(agentPage, server.url!);
  await agentPage.locator('cc-phone-bar').waitFor();
  t.equal(await agentPage.locator('cc-wallboard, cc-app [data-view]').count(), 0, 'the agent gets the workplace only');
});

t.test('switching to English changes the page and is kept for the next visit', async (t) => {
  const server = await app(t);
  const page = await mediaBrowser.newPage();
  t.teardown(() => page.close());
  await signIn(page, server.url!);
  await page.locator('cc-status-selector').waitFor();
  t.match(await page.locator('cc-status-selector [data-action=start-shift]').textContent(), 'Начать смену');
  await page.locator('cc-app select#lang').selectOption('en');
  await page.locator('cc-status-selector [data-action=start-shift]', { hasText: 'Start shift' }).waitFor();
  t.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.reload();
  await page.locator('cc-status-selector [data-action=start-shift]', { hasText: 'Start shift' }).waitFor();
  const stored = await server.db.selectFrom('agents').select('language').where('id', '=', server.agentId).executeTakeFirstOrThrow();
  t.equal(stored.language, 'en');
});

t.test('the agent is told when the phone cannot register and when there is no microphone', async (t) => {
  // No Asterisk listens at the SIP WebSocket of a fake-telephony app; no fake media devices either.
  const server = await app(t);
  const page = await browser.newPage();
  t.teardown(() => page.close());
  await signIn(page, server.url!);
  await page.locator('cc-phone-bar[data-registration=unregistered]').waitFor({ timeout: 15_000 });
  t.match(await page.locator('cc-phone-bar [data-testid=registration]').textContent(), 'не зарегистрирован');
  await page.locator('cc-phone-bar [data-testid=mic-problem]').waitFor({ timeout: 10_000 });
  t.match(await page.locator('cc-phone-bar [data-testid=mic-problem]').textContent(), /микрофон/i);
});

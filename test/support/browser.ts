import { chromium, type Browser, type BrowserContext, type Page, type Route } from 'playwright-core';
import { CHROMIUM, ensureHostPackages } from '../../server/asterisk/host-packages.js';
import { buildAgentUi, type UiAssets } from '../../server/ui/bundle.js';

/*
 * Debian's chromium, driven by playwright-core (its own browser download does not work here):
 * headless, fresh profile, and for calls fake media devices with the permission prompt answered.
 */

type Teardown = { teardown(fn: () => unknown): void };

export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const MEDIA_FLAGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'];

export async function launchBrowser(t: Teardown, opts: { media?: boolean } = {}): Promise<Browser> {
  await ensureHostPackages([CHROMIUM]);
  // playwright gives every launch a fresh temporary profile of its own.
  const browser = await chromium.launch({
    executablePath: CHROMIUM.program,
    headless: true,
    args: [...CHROMIUM_FLAGS, ...(opts.media ? MEDIA_FLAGS : [])],
  });
  t.teardown(() => browser.close().catch(() => undefined));
  return browser;
}

// One bundle per test process: building takes about a second.
let bundle: Promise<UiAssets> | undefined;
export const agentUiBundle = () => (bundle ??= buildAgentUi());

/** A fake API answer: a status and a JSON body, or a function of the request body. */
export type FakeApi = Record<string, (body: unknown, url: URL) => { status?: number; body?: unknown } | Promise<{ status?: number; body?: unknown }>>;

export const COMPONENT_ORIGIN = 'http://127.0.0.1:9';

/**
 * A page with every component of the agent's app defined and nothing mounted, served from a
 * fake origin by request routing (no server): `api` answers '/api/…' requests by "METHOD /path"
 * (query string ignored); unanswered API requests fail the test with a 599. `requests` records
 * every API request with its JSON body, for asserting what a component sent.
 */
export async function componentPage(t: Teardown, browser: Browser, api: FakeApi = {}, opts: { viewport?: { width: number; height: number } } = {}): Promise<{ page: Page; context: BrowserContext; requests: Array<{ method: string; path: string; body: unknown }> }> {
  const assets = await agentUiBundle();
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1366, height: 768 } });
  t.teardown(() => context.close().catch(() => undefined));
  const requests: Array<{ method: string; path: string; body: unknown }> = [];
  await context.route(`${COMPONENT_ORIGIN}/**`, async (route: Route) => {
    const req = route.request();
    const url = new URL(req.url());
    if (url.pathname.startsWith('/api/')) {
      const raw = req.postData();
      const body: unknown = raw === null || raw === '' ? undefined : JSON.parse(raw);
      requests.push({ method: req.method(), path: url.pathname + url.search, body });
      const handler = api[`${req.method()} ${url.pathname}`];
      if (handler === undefined) return route.fulfill({ status: 599, contentType: 'application/json', body: JSON.stringify({ code: 'TEST_UNROUTED', message: `${req.method()} ${url.pathname}` }) });
      const answer = await handler(body, url);
      return route.fulfill({ status: answer.status ?? 200, contentType: 'application/json', body: JSON.stringify(answer.body ?? null) });
    }
    if (url.pathname === '/') {
      // The shell without <cc-app>: the test mounts the components it wants.
      const html = assets.get('/')!.body.toString().replace('<cc-app></cc-app>', '');
      return route.fulfill({ status: 200, contentType: 'text/html', body: html });
    }
    const asset = assets.get(url.pathname);
    if (asset === undefined) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, contentType: asset.contentType, body: asset.body });
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${COMPONENT_ORIGIN}/`);
  await page.waitForFunction(() => customElements.get('cc-app') !== undefined);
  t.teardown(() => {
    if (errors.length > 0) throw new Error(`uncaught errors in the page: ${errors.join('; ')}`);
  });
  return { page, context, requests };
}

/** Opens the app at `url` and signs in through its login form (what follows is the caller's to wait for). */
export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.locator('cc-login input[name=username]').fill(username);
  await page.locator('cc-login input[name=password]').fill(password);
  await page.locator('cc-login button[type=submit]').click();
}

import type { Page } from 'playwright-core';
import type { AsteriskInstance } from '../../server/asterisk/instance.js';
import { identifyCaller } from '../../server/accounts/lookup.js';
import { generateDemoData } from '../../server/demo/generator.js';
import { launchBrowser, signIn } from '../support/browser.js';
import { startTestAsterisk, startTestServer } from '../support/asterisk.js';
import { runSipp, type SippRun } from '../support/sipp.js';
import { percentiles, runAlone, type BenchSection } from './report.js';

/*
 * Offer → account card painted, in a real browser: Debian's chromium logged in as operator1 and
 * available, sipp callers from phones that identify exactly one account pressing 0 for an
 * operator. The page itself (<cc-app>.metrics) records Date.now() − offeredAt when the card
 * announces it has painted; the server and the browser share the machine's clock. Nobody answers:
 * the card is painted while the call rings, and the caller hangs up by itself, which cancels the
 * offer. No audio is needed, so no network namespace: SIP over ws://127.0.0.1 only.
 */

const SAMPLES = 20;
const CUSTOMERS = 2000;
/** The caller waits this long for a BYE that never comes, then hangs up (the card is long painted). */
const CALLER_HANGS_UP_MS = 2500;

type Teardown = { teardown(fn: () => unknown): void };
interface Metric { callId: string; accountId: number; offerToPaintMs: number }

const metrics = (page: Page) => page.evaluate(() => (document.querySelector('cc-app') as unknown as { metrics: Metric[] }).metrics.map((m) => ({ ...m })));

async function withTimeout<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

export async function benchScreenPop(asterisk: AsteriskInstance): Promise<BenchSection> {
  const teardowns: Array<() => unknown> = [];
  const t: Teardown = { teardown: (fn) => teardowns.push(fn) };
  const callers: SippRun[] = [];
  try {
    const server = await startTestServer(t, asterisk, {
      ui: true,
      seed: async (db) => { await generateDemoData(db, { customers: CUSTOMERS, seed: 7, asOf: new Date() }); },
    });

    // Phones that identify exactly one open account, each account once (a new accountId is what makes the card load).
    const phones = await server.db.selectFrom('account_phones').select(['phone_e164', 'account_id']).orderBy('account_id').execute();
    const picked: Array<{ phone: string; accountId: number }> = [];
    const accounts = new Set<number>();
    for (const p of phones) {
      if (picked.length === SAMPLES) break;
      if (accounts.has(p.account_id)) continue;
      const who = await identifyCaller(server.db, p.phone_e164);
      if (who.identification !== 'one' || who.accountId === null || accounts.has(who.accountId)) continue;
      accounts.add(who.accountId);
      picked.push({ phone: p.phone_e164, accountId: who.accountId });
    }
    if (picked.length < SAMPLES) throw new Error(`only ${picked.length} phones identify exactly one account`);

    const browser = await launchBrowser(t, { media: true });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, server.url!, 'operator1', 'operator1-demo');
    await page.locator('cc-phone-bar[data-registration=registered]').waitFor({ timeout: 20_000 });
    await page.locator('cc-status-selector [data-action=start-shift]').click();
    await page.locator('cc-status-selector[data-state=available]').waitFor();

    const samples: number[] = [];
    for (const [i, { phone, accountId }] of picked.entries()) {
      const before = (await metrics(page)).length;
      const caller = await runSipp({
        scenario: [{ keys: '0' }, { waitBye: CALLER_HANGS_UP_MS, orHangUp: true }],
        sipPort: asterisk.sipPort, caller: phone, timeoutS: 30,
      });
      callers.push(caller);
      await page.locator('cc-phone-bar[data-call=ringing]').waitFor({ timeout: 20_000 });
      await page.waitForFunction((n) => (document.querySelector('cc-app') as unknown as { metrics: unknown[] }).metrics.length > n, before, { timeout: 20_000 });
      const got = (await metrics(page)).slice(before);
      if (got.length !== 1 || got[0]!.accountId !== accountId) throw new Error(`call ${i}: expected one painted card of account ${accountId}, got ${JSON.stringify(got)}`);
      samples.push(got[0]!.offerToPaintMs);
      // The caller hangs up by itself; the offer is cancelled; the agent is available again before the next call.
      const result = await withTimeout(`caller ${phone} to hang up`, 35_000, caller.done);
      if (result.code !== 0) throw new Error(`call ${i}: sipp caller failed (${result.code}): ${result.errors}`);
      await page.locator('cc-phone-bar[data-call=none]').waitFor({ timeout: 15_000 });
      await page.locator('cc-status-selector[data-state=available]').waitFor({ timeout: 15_000 });
    }
    if (pageErrors.length > 0) throw new Error(`uncaught errors in the page: ${pageErrors.join('; ')}`);

    const p = percentiles(samples);
    return {
      title: 'Screen pop in the browser: queue offer → account card painted (Chromium, operator1, ringing, not answered)',
      rows: [
        { name: 'offer → card painted, median', value: `${p.median.toFixed(0)} ms` },
        { name: 'offer → card painted, p99', value: `${p.p99.toFixed(0)} ms` },
        { name: 'samples', value: String(samples.length) },
      ],
      notes: [
        'From the queue offering the call on the server (offeredAt, the ACD\'s offer time) to <cc-account-card> painted in Chromium (its cc-card-painted: rendered, chart and history rendered, one animation frame), as <cc-app>.metrics records it: Date.now() − offeredAt, same machine clock (ms). Includes the screen pop query (caller identification, IVR path), the /api/live WebSocket message, GET /api/accounts/:id/card and the Chart.js render.',
        `${CUSTOMERS} demo customers; each call from a phone of a different account that the phone identifies alone, so the card opens at once; the caller presses 0, nobody answers, the caller hangs up after ${CALLER_HANGS_UP_MS / 1000} s and the next call starts only once the agent is available again. Headless Chromium on loopback, SIP over ws://127.0.0.1. The first call is the page's first card (cold). p99 of ${SAMPLES} is the maximum.`,
      ],
    };
  } finally {
    for (const c of callers) c.kill();
    for (const fn of teardowns.reverse()) await fn();
  }
}

/** `npx tsx test/bench/screen-pop.ts --alone`: this section only, with an Asterisk of its own. */
runAlone(import.meta.url, async (t) => benchScreenPop(await startTestAsterisk(t, 'bench-pop')));

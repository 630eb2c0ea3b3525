import type { Page } from 'playwright-core';
import type { AsteriskInstance } from '../../server/asterisk/instance.js';
import { generateDemoData } from '../../server/demo/generator.js';
import { launchBrowser, signIn } from '../support/browser.js';
import { startTestAsterisk, startTestServer } from '../support/asterisk.js';
import { runSipp, type SippRun } from '../support/sipp.js';
import { percentiles, runAlone, type BenchSection } from './report.js';

/*
 * The softphone's path to Asterisk through the server's /sip proxy (production: the page's own
 * origin) against straight to Asterisk's ws://…/ws, in the same run and against the same
 * Asterisk: how long the browser's registration takes (the phone starting → 200 OK to its
 * REGISTER), and how long from the queue offering a call on the server to the INVITE reaching
 * sip.js in the page (the browser rings). Debian's chromium, operator1, sipp callers pressing 0;
 * nobody answers and each caller hangs up by itself. Loopback only, plain ws, no media.
 */

const REGISTRATIONS = 20;
const CALLS = 20;
const CALLER_HANGS_UP_MS = 1500;

type Teardown = { teardown(fn: () => unknown): void };
interface Timings { startedAt: number | null; registeredAt: number | null; lastInviteAt: number | null }

const timings = (page: Page) => page.evaluate(() => ({ ...(document.querySelector('cc-app') as unknown as { phone: { timings: Timings } }).phone.timings }));
const offeredAt = (page: Page) => page.evaluate(() => (document.querySelector('cc-app') as unknown as { pop: { offeredAt: string } | null }).pop?.offeredAt ?? null);

async function measure(asterisk: AsteriskInstance, sip: 'direct' | 'proxy'): Promise<{ register: number[]; ring: number[] }> {
  const teardowns: Array<() => unknown> = [];
  const t: Teardown = { teardown: (fn) => teardowns.push(fn) };
  const callers: SippRun[] = [];
  try {
    const server = await startTestServer(t, asterisk, {
      ui: true, sip,
      seed: async (db) => { await generateDemoData(db, { customers: 50, seed: 7, asOf: new Date() }); },
    });
    const browser = await launchBrowser(t, { media: true });
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(20_000);
    const register: number[] = [];
    // Each sample is a fresh page load: a new WebSocket through the path and a first REGISTER.
    for (let i = 0; i < REGISTRATIONS; i++) {
      if (i === 0) await signIn(page, server.url!, 'operator1', 'operator1-demo');
      else await page.reload();
      await page.locator('cc-phone-bar[data-registration=registered]').waitFor();
      const s = await timings(page);
      if (s.startedAt === null || s.registeredAt === null) throw new Error(`registration ${i}: no timings`);
      register.push(s.registeredAt - s.startedAt);
    }
    await page.locator('cc-status-selector [data-action=start-shift]').click();
    await page.locator('cc-status-selector[data-state=available]').waitFor();
    const ring: number[] = [];
    let previousOffer: string | null = null;
    for (let i = 0; i < CALLS; i++) {
      const caller = await runSipp({ scenario: [{ keys: '0' }, { waitBye: CALLER_HANGS_UP_MS, orHangUp: true }], sipPort: asterisk.sipPort, caller: '+74012000001', timeoutS: 30 });
      callers.push(caller);
      await page.locator('cc-phone-bar[data-call=ringing]').waitFor();
      // The screen pop of this call (the live socket's offer), not the last one's.
      await page.waitForFunction((prev) => ((document.querySelector('cc-app') as unknown as { pop: { offeredAt: string } | null }).pop?.offeredAt ?? null) !== prev, previousOffer);
      const [s, offered] = [await timings(page), await offeredAt(page)];
      previousOffer = offered;
      if (s.lastInviteAt === null || offered === null) throw new Error(`call ${i}: no offer or INVITE seen`);
      ring.push(s.lastInviteAt - Date.parse(offered));
      const result = await caller.done;
      if (result.code !== 0) throw new Error(`call ${i}: sipp caller failed (${result.code}): ${result.errors}`);
      await page.locator('cc-status-selector[data-state=available]').waitFor();
    }
    return { register, ring };
  } finally {
    for (const c of callers) c.kill();
    for (const fn of teardowns.reverse()) await fn();
  }
}

export async function benchSipPath(asterisk: AsteriskInstance): Promise<BenchSection> {
  const direct = await measure(asterisk, 'direct');
  const proxy = await measure(asterisk, 'proxy');
  const row = (name: string, viaProxy: number[], straight: number[]) => {
    const [p, d] = [percentiles(viaProxy), percentiles(straight)];
    return {
      name,
      value: `proxy ${p.median.toFixed(1)} / ${p.p99.toFixed(1)} ms, direct ${d.median.toFixed(1)} / ${d.p99.toFixed(1)} ms (median / p99), ratio ${(p.median / d.median).toFixed(2)}`,
    };
  };
  return {
    title: 'The softphone through the /sip proxy against straight to Asterisk (Chromium, operator1)',
    rows: [
      row('registration: phone started → 200 OK', proxy.register, direct.register),
      row('queue offer → INVITE in the page (rings)', proxy.ring, direct.ring),
      { name: 'samples', value: `${REGISTRATIONS} registrations and ${CALLS} calls each way` },
    ],
    notes: [
      'Registration: from SipController.start() (WebSocket opened, REGISTER, 401 challenge, REGISTER with digest) to the first 200 OK, each on a fresh page load. Ring: from the ACD\'s offer time on the server (offeredAt) to sip.js receiving the INVITE in the page (Date.now() on the same machine clock).',
      'proxy: ws://127.0.0.1:<server>/sip, the server\'s @fastify/http-proxy WebSocket proxy (session cookie checked) to Asterisk\'s /ws; direct: ws://127.0.0.1:<asterisk http>/ws. Same Asterisk, same browser, one after the other; p99 of 20 is the maximum.',
    ],
  };
}

/** `npx tsx test/bench/sip-path.ts --alone`: this section only, with an Asterisk of its own. */
runAlone(import.meta.url, async (t) => benchSipPath(await startTestAsterisk(t, 'bench-sip-path')));

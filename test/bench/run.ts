import { cpus, totalmem } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.js';
import { benchProvisioning } from './provisioning.js';
import { benchServerStart } from './server-start.js';
import { benchLookup } from './lookup.js';
import { printSection } from './report.js';
import { startTestAsterisk, TEST_APP } from '../support/asterisk.js';

/*
 * `npm run bench`: figures, not pass/fail. Flags: --customers N (default 1000000) for the
 * lookup database, --skip-cold to leave out the cold-cache provisioning (a full debootstrap).
 */

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

const print = printSection;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const customers = Number(flag('customers') ?? 1_000_000);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(`# contact-center bench — ${new Date().toISOString()}\n`);
  process.stdout.write(`machine: ${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`);

  print(await benchProvisioning({ cacheDir: config.localAsterisk.cacheDir, skipCold: process.argv.includes('--skip-cold') }));

  const teardowns: Array<() => unknown> = [];
  try {
    const asterisk = await startTestAsterisk({ teardown: (fn) => teardowns.push(fn) }, 'bench', { bench: true });
    print(await benchServerStart(asterisk, TEST_APP));
    for (const section of await (await import('./ivr.js')).benchIvr()) print(section);
    print(await (await import('./acd.js')).benchAcd(asterisk));
    print(await (await import('./screen-pop.js')).benchScreenPop(asterisk));
    print(await (await import('./sip-path.js')).benchSipPath(asterisk));
    print(await (await import('./callback.js')).benchCallback(asterisk));
    print(await (await import('./hold-music.js')).benchHoldMusic(asterisk));
  } finally {
    for (const fn of teardowns.reverse()) await fn();
  }

  const dir = mkdtempSync(join(tmpdir(), 'cc-bench-lookup-'));
  try {
    print(await benchLookup({ customers, dbPath: join(dir, 'bench.db') }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProvisioned, provisionAsterisk, removeTree, rootPath, type AsteriskInstallation } from '../../server/asterisk/install.js';
import { createAsteriskInstance } from '../../server/asterisk/instance.js';
import { allocateTestPorts } from '../../server/asterisk/ports.js';
import { percentiles, type BenchSection } from './report.js';

export interface ProvisioningBenchOptions {
  /** The normal cache folder (warm: already provisioned by `npm test` or an earlier run). */
  cacheDir: string;
  /** Skip the cold build (a full debootstrap, about a minute and 1 GB of downloads). */
  skipCold?: boolean;
  /** How many times to time Asterisk's start (default 5). */
  starts?: number;
}

const progress = (line: string): void => {
  process.stderr.write(`[bench provisioning] ${line}\n`);
};

/**
 * Provisioning from a cold cache (a fresh temporary cache folder: a full debootstrap, removed
 * afterwards), from the warm normal cache, and Asterisk's start to ARI ready. The chroot root
 * is measured even where a system Asterisk is installed.
 */
export async function benchProvisioning(opts: ProvisioningBenchOptions): Promise<BenchSection> {
  const rows: BenchSection['rows'] = [];
  const notes: string[] = [];

  if (opts.skipCold) {
    notes.push('cold provisioning skipped (--skip-cold)');
  } else {
    const coldDir = mkdtempSync(join(tmpdir(), 'cc-bench-cold-'));
    try {
      const t0 = performance.now();
      const cold = await provisionAsterisk({ cacheDir: coldDir, preferSystem: false, log: progress });
      rows.push({ name: 'cold cache (debootstrap)', value: `${((performance.now() - t0) / 1000).toFixed(1)} s` });
      if (cold.kind === 'chroot') rows.push({ name: 'root size', value: `${sizeMb(cold.root)} MB` });
    } finally {
      await removeTree(coldDir);
    }
  }

  const wasWarm = await isProvisioned(rootPath(opts.cacheDir));
  if (!wasWarm) notes.push(`${opts.cacheDir} held no root: the "warm" figure below includes building it`);
  const t1 = performance.now();
  const install = await provisionAsterisk({ cacheDir: opts.cacheDir, preferSystem: false, log: progress });
  rows.push({ name: 'warm cache', value: `${(performance.now() - t1).toFixed(1)} ms` });

  const { createMs, startMs, stopMs } = await timeStarts(install, opts.starts ?? 5);
  const start = percentiles(startMs);
  rows.push({ name: 'instance create (config, links)', value: `${percentiles(createMs).median.toFixed(0)} ms median` });
  rows.push({ name: 'Asterisk start to ARI ready', value: `${start.median.toFixed(0)} ms median, ${Math.min(...startMs).toFixed(0)}-${Math.max(...startMs).toFixed(0)} ms` });
  rows.push({ name: 'Asterisk stop (SIGTERM to exit)', value: `${percentiles(stopMs).median.toFixed(0)} ms median` });
  rows.push({ name: 'start runs', value: String(startMs.length) });
  return { title: 'Asterisk provisioning and start', rows, notes };
}

async function timeStarts(
  install: AsteriskInstallation,
  runs: number,
): Promise<{ createMs: number[]; startMs: number[]; stopMs: number[] }> {
  const createMs: number[] = [];
  const startMs: number[] = [];
  const stopMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ports = await allocateTestPorts();
    const t0 = performance.now();
    const asterisk = await createAsteriskInstance({
      install,
      name: `bench-start-${process.pid}-${i}`,
      baseRunDir: join(tmpdir(), 'cc-asterisk-runs'),
      ...ports,
      ariApp: 'cc-bench',
      log: () => {},
    });
    createMs.push(performance.now() - t0);
    try {
      const t1 = performance.now();
      await asterisk.start();
      startMs.push(performance.now() - t1);
      const t2 = performance.now();
      await asterisk.stop();
      stopMs.push(performance.now() - t2);
    } finally {
      await asterisk.stop();
      rmSync(asterisk.runDir, { recursive: true, force: true });
    }
  }
  return { createMs, startMs, stopMs };
}

function sizeMb(dir: string): number {
  const kb = Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]);
  return Math.round(kb / 1024);
}

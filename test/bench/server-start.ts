import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AsteriskInstance } from '../../server/asterisk/instance.js';
import { startServerProcess } from '../support/server-process.js';
import { percentiles, type BenchSection } from './report.js';

/** Time from spawning the server process to its first 200 on /api/health (ARI connected, DB migrated). */
export async function benchServerStart(asterisk: AsteriskInstance, app: string, runs = 5): Promise<BenchSection> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'cc-bench-start-'));
    const t0 = performance.now();
    const server = await startServerProcess({ asterisk, dbPath: join(dir, 'cc.db'), app });
    samples.push(performance.now() - t0);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const { median } = percentiles(samples);
  return {
    title: 'Server start (spawn to healthy: ARI connected, fresh DB migrated)',
    rows: [
      { name: 'median', value: `${median.toFixed(0)} ms` },
      { name: 'min / max', value: `${Math.min(...samples).toFixed(0)} / ${Math.max(...samples).toFixed(0)} ms` },
      { name: 'runs', value: String(runs) },
    ],
  };
}

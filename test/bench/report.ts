import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One section of `npm run bench` output: a title and named figures, printed as a table. */
export interface BenchSection {
  title: string;
  rows: Array<{ name: string; value: string }>;
  notes?: string[];
}

/** Median and p99 of a sample, in the sample's unit. */
export function percentiles(samples: number[]): { median: number; p99: number } {
  if (samples.length === 0) throw new Error('percentiles of an empty sample');
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p99: at(0.99) };
}

export function printSection(section: BenchSection): void {
  const width = Math.max(...section.rows.map((r) => r.name.length));
  process.stdout.write(`\n## ${section.title}\n`);
  for (const r of section.rows) process.stdout.write(`  ${r.name.padEnd(width)}  ${r.value}\n`);
  for (const n of section.notes ?? []) process.stdout.write(`  note: ${n}\n`);
}

type Teardowns = { teardown(fn: () => unknown): void };

/**
 * `npx tsx test/bench/<file>.ts --alone`: runs one section with teardowns of its own, when the
 * module at `moduleUrl` is the script being run with --alone (importing it from run.ts does nothing).
 */
export function runAlone(moduleUrl: string, section: (t: Teardowns) => Promise<BenchSection>): void {
  const script = process.argv[1];
  if (script === undefined || realpathSync(script) !== realpathSync(fileURLToPath(moduleUrl)) || !process.argv.includes('--alone')) return;
  const teardowns: Array<() => unknown> = [];
  section({ teardown: (fn) => teardowns.push(fn) })
    .then(printSection)
    .catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    })
    .finally(async () => { for (const fn of teardowns.reverse()) await fn(); });
}

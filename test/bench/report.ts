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

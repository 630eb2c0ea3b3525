import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * Runs tap (arguments pass through) and ends with the plain closing line "N passed, N failed"
 * that CI and people read, taken from tap's own final summary.
 */
const tapBin = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.bin', 'tap');
const child = spawn(process.execPath, [tapBin, ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'inherit'] });
let tail = '';
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on('close', (code) => {
  const summary = [...tail.matchAll(/# \{ total: (\d+)((?:, \w+: \d+)*) \}/g)].at(-1);
  if (summary !== undefined) {
    const counts = Object.fromEntries([...summary[2]!.matchAll(/(\w+): (\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
    const skipped = (counts['skip'] ?? 0) + (counts['todo'] ?? 0);
    process.stdout.write(`\n${counts['pass'] ?? 0} passed, ${counts['fail'] ?? 0} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
  } else {
    process.stdout.write('\n0 passed, 1 failed (tap printed no summary)\n');
  }
  process.exit(code ?? 1);
});

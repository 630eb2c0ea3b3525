import { loadConfig } from '../config.js';
import { isAppError } from '../errors.js';
import { provisionAsterisk } from '../asterisk/install.js';
import { BARESIP, CHROMIUM, ensureHostPackages, SIPP, TCPDUMP } from '../asterisk/host-packages.js';

/*
 * `npm run provision [-- --for-tests] [-- --cache-dir DIR]`: makes the local Asterisk ready to
 * run (the system one, or the cached Debian sid root, built on first use). With --for-tests it
 * also makes sure the test callers' program (sipp) and the browser the softphone tests drive
 * (Debian's chromium) are installed. Exits 1 with one sentence on
 * failure.
 */

const USAGE = 'usage: provision [--for-tests] [--cache-dir DIR]   (DIR defaults to ASTERISK_CACHE_DIR, /var/cache/contact-center)';

interface Args {
  forTests: boolean;
  cacheDir: string;
}

function parseArgs(argv: string[], defaultCacheDir: string): Args {
  const args: Args = { forTests: false, cacheDir: defaultCacheDir };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--for-tests') args.forTests = true;
    else if (arg === '--cache-dir' && argv[i + 1]) args.cacheDir = argv[++i]!;
    else if (arg?.startsWith('--cache-dir=')) args.cacheDir = arg.slice('--cache-dir='.length);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      process.stderr.write(`unknown argument '${arg}'\n${USAGE}\n`);
      process.exit(2);
    }
  }
  return args;
}

const progress = (line: string): void => {
  process.stderr.write(`[provision] ${line}\n`);
};

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const args = parseArgs(process.argv.slice(2), config.localAsterisk.cacheDir);
  if (config.externalAri !== undefined && !args.forTests) {
    process.stdout.write(`ARI_URL is set: the product uses the Asterisk at ${config.externalAri.url}; nothing to provision\n`);
    return;
  }
  const started = performance.now();
  const install = await provisionAsterisk({ cacheDir: args.cacheDir, log: progress });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const where = install.kind === 'system' ? `the system Asterisk ${install.binary}` : `the Debian sid root ${install.root}`;
  process.stdout.write(`Asterisk: ${where} (ready in ${seconds} s)\n`);
  if (args.forTests) {
    const installed = await ensureHostPackages([SIPP, TCPDUMP, BARESIP, CHROMIUM], { log: progress });
    process.stdout.write(
      installed.length > 0 ? `test tools: installed ${installed.join(', ')}\n` : `test tools: already installed (${SIPP.program}, ${TCPDUMP.program}, ${BARESIP.program}, ${CHROMIUM.program})\n`,
    );
  }
}

main().catch((err: unknown) => {
  if (isAppError(err)) {
    process.stderr.write(`${err.message} [${err.code}]\n`);
    for (const [key, value] of Object.entries(err.details)) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      process.stderr.write(text.includes('\n') ? `  ${key}:\n    ${text.split('\n').join('\n    ')}\n` : `  ${key}: ${text}\n`);
    }
  } else {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});

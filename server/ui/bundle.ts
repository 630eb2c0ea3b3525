import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { AppError } from '../errors.js';

/** One file of the agent's web app, ready to serve. */
export interface UiAsset {
  body: Buffer;
  contentType: string;
  etag: string;
  /** fingerprinted names never change content: browsers may keep them for good */
  immutable: boolean;
}

/** The agent's web app by URL path ('/', '/assets/main-XXXX.js', …). */
export type UiAssets = ReadonlyMap<string, UiAsset>;

export const agentUiDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'agent-ui');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

const etagOf = (body: Buffer) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;

export interface BuildUiOptions {
  /** the entry module, relative to agent-ui/ (component tests bundle their own harness) */
  entry?: string;
  /** minified for production; readable for tests and development */
  minify?: boolean;
}

/**
 * Bundles the agent's web app with esbuild, in memory: Lit, sip.js and Chart.js and our
 * components become one fingerprinted ES module, and index.html is rewritten to load it. It runs
 * at every server start (about a second), so what is served always matches the source: there is
 * no stale `dist/` to forget. Throws CC_ERR_UI_BUILD_FAILED with esbuild's messages.
 */
export async function buildAgentUi(opts: BuildUiOptions = {}): Promise<UiAssets> {
  let result;
  try {
    result = await build({
      absWorkingDir: agentUiDir,
      entryPoints: { main: opts.entry ?? 'src/main.ts' },
      bundle: true,
      format: 'esm',
      // Debian's chromium is current; operators' browsers are evergreen.
      target: ['chrome110', 'firefox115', 'safari16'],
      minify: opts.minify ?? false,
      sourcemap: 'linked',
      write: false,
      outdir: join(agentUiDir, 'out'),
      entryNames: '[name]-[hash]',
      assetNames: '[name]-[hash]',
      tsconfig: join(agentUiDir, '..', 'tsconfig.json'),
      logLevel: 'silent',
      legalComments: 'none',
    });
  } catch (err) {
    const errors = (err as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors ?? [];
    throw new AppError('CC_ERR_UI_BUILD_FAILED', `agent UI build failed: ${errors.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`).join('; ') || String(err)}`, { errors: errors.map((e) => e.text) }, { cause: err });
  }
  const assets = new Map<string, UiAsset>();
  let mainJs: string | undefined;
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const ext = name.slice(name.lastIndexOf('.'));
    const body = Buffer.from(file.contents);
    assets.set(`/assets/${name}`, { body, contentType: TYPES[ext] ?? 'application/octet-stream', etag: etagOf(body), immutable: true });
    if (ext === '.js') mainJs = `/assets/${name}`;
  }
  if (mainJs === undefined) throw new AppError('CC_ERR_UI_BUILD_FAILED', 'agent UI build produced no script', { errors: [] });
  const html = (await readFile(join(agentUiDir, 'index.html'), 'utf8')).replace('%MAIN_JS%', mainJs);
  const body = Buffer.from(html);
  assets.set('/', { body, contentType: TYPES['.html']!, etag: etagOf(body), immutable: false });
  return assets;
}

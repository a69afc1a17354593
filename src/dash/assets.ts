/**
 * The dashboard's browser files: src/dash/web/ bundled by esbuild into memory when the server starts (once per
 * process, shared by every app it starts), so that the files served always come from the code that runs, with
 * no build step before `npm start` (which runs the TypeScript sources through tsx). The bundle is split: the
 * main script carries the pages; the chart module (an ECharts custom build from echarts/core with only the
 * calendar heat-map) is a chunk loaded by `import()` on the pages that chart. Every file is named by a hash of
 * its content, compressed once with brotli and gzip, and served under `/dash/assets/` with a year's immutable
 * caching; a request picks the encoding it accepts.
 */
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { basename } from 'node:path';
import { build } from 'esbuild';
import type { Context } from 'koa';

export const ASSET_PREFIX = '/dash/assets/';

export interface Asset {
  type: string;
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
}

export interface DashAssets {
  /** The URL of the main script and of the style sheet. */
  script: string;
  style: string;
  /** Every file by its name (content-hashed). */
  files: Map<string, Asset>;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

async function bundle(): Promise<DashAssets> {
  const out = await build({
    absWorkingDir: ROOT,
    entryPoints: { dash: 'src/dash/web/main.ts', style: 'src/dash/web/dash.css' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    write: false,
    outdir: 'assets',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    define: { 'process.env.NODE_ENV': '"production"', __DEV__: 'false' },
    metafile: true,
    logLevel: 'silent',
  });
  const files = new Map<string, Asset>();
  let script = '';
  let style = '';
  for (const f of out.outputFiles) {
    const name = basename(f.path);
    const ext = name.slice(name.lastIndexOf('.'));
    const type = TYPES[ext];
    if (!type) continue;
    const raw = Buffer.from(f.contents);
    files.set(name, {
      type,
      raw,
      gzip: gzipSync(raw, { level: 9 }),
      br: brotliCompressSync(raw, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
      }),
    });
    if (name.startsWith('dash-') && ext === '.js') script = ASSET_PREFIX + name;
    if (name.startsWith('style-') && ext === '.css') style = ASSET_PREFIX + name;
  }
  if (!script || !style) throw new Error('dashboard assets: the bundle has no main script or style sheet');
  return { script, style, files };
}

let built: Promise<DashAssets> | undefined;

/** The bundle, built on first use in this process; a failed build is tried again on the next call. */
export function dashAssets(): Promise<DashAssets> {
  built ??= bundle().catch((err: unknown) => {
    built = undefined;
    throw err;
  });
  return built;
}

/** Serve one file: the best encoding the request accepts, cached for a year (the name changes with the content). */
export function serveAsset(ctx: Context, asset: Asset): void {
  const accepts = ctx.acceptsEncodings('br', 'gzip', 'identity');
  ctx.type = asset.type;
  ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
  ctx.set('Vary', 'Accept-Encoding');
  ctx.set('X-Content-Type-Options', 'nosniff');
  if (accepts === 'br') {
    ctx.set('Content-Encoding', 'br');
    ctx.body = asset.br;
  } else if (accepts === 'gzip') {
    ctx.set('Content-Encoding', 'gzip');
    ctx.body = asset.gzip;
  } else ctx.body = asset.raw;
}

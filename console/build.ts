// Bundles the privacy centre, the staff console and the API reference's initializer with esbuild: one script and one style sheet per page,
// no inline code, so the pages run under a CSP of 'self' only. The local runtime builds in memory at start;
// `npm run build:console` writes the same files to console/dist for the stack to upload.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { swaggerUiFiles } from './docs.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const CONSOLE_DIST = join(HERE, 'dist');

export interface Asset {
  contentType: string;
  body: Buffer;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
};
const typeOf = (path: string) => TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';

/**
 * The site's files by URL path ("/" is the privacy centre, "/console" the staff console, "/docs" the API reference),
 * ready to serve.
 */
export async function buildConsole(options: { write?: boolean } = {}): Promise<Map<string, Asset>> {
  const result = await build({
    entryPoints: {
      centre: join(HERE, 'src/centre.tsx'),
      console: join(HERE, 'src/console/main.tsx'),
      docs: join(HERE, 'src/docs.ts'),
    },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: join(CONSOLE_DIST, 'assets'),
    write: false,
    logLevel: 'silent',
    loader: { '.css': 'css' },
  });
  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    assets.set(`/assets/${name}`, { contentType: typeOf(name), body: Buffer.from(file.contents) });
  }
  assets.set('/', { contentType: typeOf('.html'), body: readFileSync(join(HERE, 'centre.html')) });
  // Its page refers to ../assets/, so it works at /console/ and under the stage (/v1/console/) alike.
  assets.set('/console', { contentType: typeOf('.html'), body: readFileSync(join(HERE, 'console.html')) });
  // The API reference (Swagger UI from swagger-ui-dist); like the console's, its page refers to ../assets/.
  assets.set('/docs', { contentType: typeOf('.html'), body: readFileSync(join(HERE, 'docs.html')) });
  for (const file of swaggerUiFiles())
    assets.set(file.path, { contentType: typeOf(file.path), body: file.body });
  // The printable letters' style sheet (P4), linked by the letters the API serves to staff.
  assets.set('/assets/letter.css', {
    contentType: typeOf('.css'),
    body: readFileSync(join(HERE, 'letter.css')),
  });
  if (options.write) await writeAssets(assets);
  return assets;
}

async function writeAssets(assets: Map<string, Asset>): Promise<void> {
  const { mkdirSync, writeFileSync } = await import('node:fs');
  for (const [path, asset] of assets) {
    // A page ("/console", "/docs") is its folder's index.html; a file keeps its path.
    const page = path !== '/' && !/\.[a-z0-9]+$/i.test(path);
    const file = join(CONSOLE_DIST, path === '/' ? 'index.html' : page ? `${path}/index.html` : path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, asset.body);
  }
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const assets = await buildConsole({ write: true });
  process.stdout.write(`console: ${assets.size} files in ${CONSOLE_DIST}\n`);
}

// The API reference's files from swagger-ui-dist (a well-kept renderer, served from the package, never a CDN).
// Its style sheet carries its icons as data: URIs, which the pages' CSP (img-src 'self') refuses: each becomes a
// file of its own beside the sheet, so /docs keeps the same policy as every other page.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const DIST = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const PREFIX = '/assets/swagger-ui/';

export interface DocsFile {
  path: string;
  body: Buffer;
}

const EXTENSION: Record<string, string> = {
  'image/svg+xml': '.svg',
  'image/png': '.png',
  'image/jpeg': '.jpg',
};

/** `url(data:…)` and `url("data:…")` in the sheet (the SVG ones hold escaped quotes, never a bare one). */
const DATA_URL = /url\((["']?)data:([a-z+/]+)((?:;[a-z0-9=-]+)*),((?:\\.|(?!\1\)).)*)\1\)/gi;

function decode(params: string, data: string): Buffer {
  if (params.includes(';base64')) return Buffer.from(data, 'base64');
  // URL-encoded, with CSS escapes (\" inside the quoted url) undone.
  return Buffer.from(decodeURIComponent(data.replace(/\\(.)/g, '$1')), 'utf8');
}

/** The style sheet with its inline images moved to files, and those files. */
export function extractDataUrls(css: string): { css: string; images: DocsFile[] } {
  const images: DocsFile[] = [];
  const out = css.replace(DATA_URL, (_m, _q, type: string, params: string, data: string) => {
    const name = `image-${images.length + 1}${EXTENSION[type.toLowerCase()] ?? '.bin'}`;
    images.push({ path: `${PREFIX}${name}`, body: decode(params, data) });
    return `url(${name})`;
  });
  return { css: out, images };
}

let cached: DocsFile[] | undefined;

/** Every file /docs needs under /assets/swagger-ui/, by URL path. */
export function swaggerUiFiles(): DocsFile[] {
  if (cached) return cached;
  const { css, images } = extractDataUrls(readFileSync(join(DIST, 'swagger-ui.css'), 'utf8'));
  cached = [
    // The sheet's last line names a source map the site does not ship: dropped, so no browser asks for it.
    {
      path: `${PREFIX}swagger-ui.css`,
      body: Buffer.from(css.replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '')),
    },
    { path: `${PREFIX}swagger-ui-bundle.js`, body: readFileSync(join(DIST, 'swagger-ui-bundle.js')) },
    { path: `${PREFIX}favicon-32x32.png`, body: readFileSync(join(DIST, 'favicon-32x32.png')) },
    ...images,
  ];
  return cached;
}

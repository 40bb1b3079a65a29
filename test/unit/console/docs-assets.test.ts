// The API reference's files (console/docs.ts, issue 11): Swagger UI from swagger-ui-dist, made to run under the pages'
// CSP (img-src 'self', no inline script), so /docs needs no relaxation.
import { describe, expect, it } from 'vitest';
import { buildConsole } from '../../../console/build.ts';
import { extractDataUrls, swaggerUiFiles } from '../../../console/docs.ts';

describe('API reference files', () => {
  it('moves every data: image of a style sheet to a file the sheet refers to beside it', () => {
    // Prepare: a quoted, URL-encoded SVG with escaped quotes inside, and a base64 PNG
    const css =
      '.a{background:url("data:image/svg+xml;charset=utf-8,<svg xmlns=\\"http://www.w3.org/2000/svg\\"><path d=\\"M0 0\\"/></svg>")}' +
      '.b{background:url(data:image/png;base64,iVBORw0KGgo=)}.c{color:red}';
    // Act
    const { css: out, images } = extractDataUrls(css);
    // Assess: no data: left, each image a file with its decoded bytes, the rest untouched
    expect(out).toBe('.a{background:url(image-1.svg)}.b{background:url(image-2.png)}.c{color:red}');
    expect(images.map((i) => i.path)).toEqual([
      '/assets/swagger-ui/image-1.svg',
      '/assets/swagger-ui/image-2.png',
    ]);
    expect(images[0]?.body.toString()).toBe('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>');
    expect(images[1]?.body.subarray(1, 4).toString()).toBe('PNG');
  });

  it("serves Swagger UI's sheet without a data: URL, and every file it refers to", async () => {
    // Act: build the site in memory
    const assets = await buildConsole();
    const sheet = assets.get('/assets/swagger-ui/swagger-ui.css')?.body.toString() ?? '';
    const referred = [...sheet.matchAll(/url\(([^)]+)\)/g)].map((m) => `/assets/swagger-ui/${m[1]}`);
    // Assess: nothing the CSP refuses; each image served with its type
    expect(sheet.length).toBeGreaterThan(100_000);
    expect(sheet).not.toContain('data:');
    expect(referred.length).toBeGreaterThan(10);
    for (const path of referred) expect(assets.get(path)?.contentType, path).toMatch(/^image\//);
    expect(swaggerUiFiles().every((f) => assets.has(f.path))).toBe(true);
  });

  it('has /docs load only files of its own origin, with no inline script or style (P15)', async () => {
    // Act: the page and what it loads
    const assets = await buildConsole();
    const html = assets.get('/docs')?.body.toString() ?? '';
    const loaded = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    // Assess: relative paths under ../assets/ that the build serves; no inline code
    expect(loaded.length).toBe(4);
    for (const url of loaded) {
      expect(url, url).toMatch(/^\.\.\/assets\//);
      expect(assets.has(url.slice(2)), url).toBe(true);
    }
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=/);
    expect(assets.get('/assets/docs.js')?.body.toString()).toContain('openapi.json');
  });
});

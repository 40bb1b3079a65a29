// The Lambda bundles as CDK's NodejsFunction builds them (esbuild, then the command hooks): the HTML templates
// must travel with every bundle, and a bundle must render from them on its own, away from the source tree.
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, type CfnResource, Stack } from 'aws-cdk-lib';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BESIDE_BUNDLE, CATALOG_FILES, LAMBDA_BUNDLING, TEMPLATES } from '../../infra/bundling.ts';
import { REPO_ROOT } from '../../infra/paths.ts';

const dirs: string[] = [];
const tmp = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

/** Bundles entries exactly as infra/constructs/functions.ts does and answers each bundle's folder. */
function bundle(entries: string[]): string[] {
  const outdir = tmp('bundle-test-');
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'BundleTest', { env: { region: 'eu-west-1', account: '111111111111' } });
  const fns = entries.map(
    (entry, i) =>
      new NodejsFunction(stack, `Fn${i}`, {
        entry: path.join(REPO_ROOT, entry),
        handler: 'handler',
        projectRoot: REPO_ROOT,
        depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
        runtime: Runtime.NODEJS_22_X,
        bundling: LAMBDA_BUNDLING,
      }),
  );
  app.synth();
  // Each function's code asset is staged as outdir/asset.<hash>; the resource's metadata names it.
  return fns.map((fn) =>
    path.join(outdir, String((fn.node.defaultChild as CfnResource).getMetadata('aws:asset:path'))),
  );
}

const filesOf = (source: string) => readdirSync(path.join(REPO_ROOT, source)).sort();
let renderer: string;
let unsubscribeRoute: string;

beforeAll(() => {
  [renderer, unsubscribeRoute] = bundle([
    'test/infra/fixtures/render-entry.ts',
    'functions/api/unsubscribe-page.ts',
  ]) as [string, string];
}, 120_000);

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('Lambda bundles: templates and catalogs travel with the code (P5, P10, P18)', () => {
  it('puts every template file and every catalog beside the bundle of a real route', () => {
    // Prepare: the opt-out page route, bundled as the stack bundles it.
    const folders = BESIDE_BUNDLE.map((f) => path.join(unsubscribeRoute, f.bundled));

    // Act
    const bundled = folders.map((folder) => (existsSync(folder) ? readdirSync(folder).sort() : []));

    // Assess
    expect(existsSync(path.join(unsubscribeRoute, 'index.mjs'))).toBe(true);
    expect(bundled).toEqual(BESIDE_BUNDLE.map((f) => filesOf(f.source)));
    expect(bundled[0]?.length).toBeGreaterThan(3);
    expect(bundled[1]).toEqual(['always-en.json', 'en.json', 'fr.json', 'nl.json']);
  });

  it('renders the opt-out page and the mails from the bundle alone, moved away from the source tree', async () => {
    // Prepare: the bundle copied to a folder of its own, as Lambda unpacks it.
    const task = tmp('lambda-task-');
    cpSync(renderer, task, { recursive: true });

    // Act
    const mod = (await import(pathToFileURL(path.join(task, 'index.mjs')).href)) as {
      handler: () => Promise<{ page: string; refusal: string; staff: string }>;
    };
    const out = await mod.handler();

    // Assess
    expect(out.page).toContain('<html lang="fr"');
    expect(out.page).toContain('Me désinscrire');
    expect(out.refusal).toContain('Gegevensbeschermingsautoriteit');
    expect(out.refusal).toContain('artikel 79 AVG');
    expect(out.staff).toContain('r_Bundle');
  });

  it.each([TEMPLATES, CATALOG_FILES])(
    'reads $bundled from beside the bundle, not from the source tree: without them it fails',
    async (folder) => {
      // Prepare: the same bundle, moved, with that folder left out.
      const task = tmp('lambda-task-');
      cpSync(renderer, task, { recursive: true });
      rmSync(path.join(task, folder.bundled), { recursive: true });

      // Act
      const mod = (await import(pathToFileURL(path.join(task, 'index.mjs')).href)) as {
        handler: () => Promise<unknown>;
      };

      // Assess
      await expect(mod.handler()).rejects.toThrow(/ENOENT/);
    },
  );
});

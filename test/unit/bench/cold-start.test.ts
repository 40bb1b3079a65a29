// The cold-start benchmark's summary of a bundle (issue 12, measurement 6): its size and three largest packages from
// esbuild's metafile, every Lambda of the stack listed once, and the targets reported as met or missed.
import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  type BundleFigures,
  coldStartSection,
  lambdaEntries,
  packageOf,
  summarize,
} from '../../../bench/cold-start.ts';
import { CONNECTORS } from '../../../functions/registry.ts';

const input = (bytesInOutput: number) => ({ bytesInOutput });

describe('Cold-start benchmark: what is in each Lambda bundle (issue 12, measurement 6)', () => {
  it('names the package of a bundled file: scoped, plain, nested, or our own folder', () => {
    // Act
    const names = [
      'node_modules/@aws-sdk/client-s3/dist-es/index.js',
      'node_modules/zod/v4/core/schemas.js',
      'node_modules/@aws-sdk/lib-storage/node_modules/buffer/index.js',
      'functions/core/messages/fr.json',
    ].map(packageOf);
    // Assess
    expect(names).toEqual(['@aws-sdk/client-s3', 'zod', 'buffer', '(ours) functions/core']);
  });

  it('sizes the bundle from its output, not its source map, and ranks the three largest packages', () => {
    // Prepare: a metafile of one bundle and its map
    const metafile = {
      inputs: {},
      outputs: {
        'out/index.mjs.map': { bytes: 9_999_999, inputs: {}, imports: [], exports: [] },
        'out/index.mjs': {
          bytes: 1_000,
          imports: [],
          exports: [],
          inputs: {
            'node_modules/zod/v4/core/schemas.js': input(300),
            'node_modules/zod/v4/classic/schemas.js': input(200),
            'node_modules/@smithy/core/dist-es/index.js': input(250),
            'functions/core/schemas.ts': input(100),
            'functions/core/messages/en.json': input(50),
            'node_modules/eta/dist/index.js': input(100),
          },
        },
      },
    } as unknown as Metafile;
    // Act
    const summary = summarize(metafile);
    // Assess: zod's two files together come first
    expect(summary.bytes).toBe(1_000);
    expect(summary.packages).toEqual([
      { name: 'zod', bytes: 500 },
      { name: '@smithy/core', bytes: 250 },
      { name: '(ours) functions/core', bytes: 150 },
    ]);
  });

  it('lists every Lambda entry of the registers once, with the four connectors marked', () => {
    // Act
    const entries = lambdaEntries();
    // Assess
    expect(new Set(entries.map((e) => e.entry)).size).toBe(entries.length);
    expect(
      entries
        .filter((e) => e.connector)
        .map((e) => e.entry)
        .sort(),
    ).toEqual(CONNECTORS.map((c) => c.entry).sort());
    expect(entries.map((e) => e.entry)).toContain('functions/api/create-request.ts');
  });

  it('reports each target as met or missed: 1 MB a bundle, 500 KB a connector, 150 ms a load', () => {
    // Prepare: a function of 900 KB loading in 120 ms, a connector of 600 KB loading in 80 ms
    const bundles: BundleFigures[] = [
      {
        entry: 'functions/api/x.ts',
        connector: false,
        bytes: 900_000,
        loadMs: [110, 120, 190],
        packages: [],
      },
      { entry: 'functions/connectors/y.ts', connector: true, bytes: 600_000, loadMs: [80], packages: [] },
    ];
    // Act
    const section = coldStartSection(bundles, 'before: 1.37 MB');
    // Assess
    const met = Object.fromEntries(section.figures.map((f) => [f.name, f.target?.met]));
    expect(met['largest bundle']).toBe(true);
    expect(met['largest connector bundle']).toBe(false);
    expect(met['slowest load (median of its loads)']).toBe(true);
    expect(section.notes).toContain('| functions/connectors/y.ts (connector) | – | 600 KB | 80 (80–80) |');
    expect(section.notes).toContain('before: 1.37 MB');
  });
});

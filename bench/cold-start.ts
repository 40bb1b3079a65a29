// Benchmark 6: cold start. Every Lambda of the stack bundled as infra/bundling.ts bundles it (esbuild with the same
// options CDK passes, plus a metafile), its size (the .mjs AWS loads; the source map is beside it and not loaded),
// the three largest packages in it, and the time a fresh Node process takes to import it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { ENV } from '../functions/core/config.ts';
import { SYSTEMS } from '../functions/core/schemas.ts';
import { API_ROUTES, CONNECTORS, SCHEDULES, WORKFLOW_TASKS } from '../functions/registry.ts';
import { WORKFLOW_EVENTS } from '../functions/registry-deadlines.ts';
import { MAIL_EVENTS } from '../functions/registry-mail.ts';
import { RETENTION_SWEEP } from '../functions/registry-retention.ts';
import { BESIDE_BUNDLE, LAMBDA_BUNDLING } from '../infra/bundling.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import { type BenchOptions, type BenchSection, figure, machine } from './section.ts';

export const TARGETS = { bundleBytes: 1_000_000, connectorBytes: 500_000, loadMs: 150 };

/** Each bundle's size before this work (bench/cold-start-before.json), for the before/after column. */
const BEFORE = JSON.parse(readFileSync(new URL('./cold-start-before.json', import.meta.url), 'utf8')) as {
  commit: string;
  bytes: Record<string, number>;
};

/** What moved the sizes, for the notes. */
export const CHANGES = [
  "`import { z } from 'zod'` kept all of zod (454 KB: every locale, the JSON Schema converters) in every bundle, as " +
    'esbuild cannot shake a namespace re-exported as a binding, and `extendZodWithOpenApi(z)` handed the whole ' +
    "namespace over as a value. Now `import * as z from 'zod'` everywhere and only `ZodType` handed over: zod " +
    'is 101 KB a bundle, every bundle about 350 KB smaller (create-request 1,368 KB → 1,012 KB, connectors ' +
    '1,108 KB → 751 KB). Load time follows size: compiling the module is the largest part of an import (54 of 167 ms ' +
    "in a CPU profile of create-request's import).",
  'Left as they are: minify, tree shaking and `mainFields: module,main` were on already; dropping legal comments ' +
    'saves under 1 KB; source maps are beside the bundle and not loaded.',
  'Since: the message catalogs (about 100 KB of every bundle that writes to anyone) are files beside the bundle, ' +
    'read on first use per language like the templates, no longer compiled into the code; the zip of a package is ' +
    'core/package-zip.ts, so the routes that only name a download carry no yazl; the pages’ headers and the form ' +
    'parsing are modules of their own, so the owner’s task routes carry no opt-out JWE code. task-answer 1,122 → ' +
    '987 KB, intake routes 1,016 → about 910 KB, manual connector 961 → 863 KB; the connectors gained the Step ' +
    'Functions client (23 KB) by answering their own task.',
  'Still over: the connectors (about 785 KB) need S3 (exports), DynamoDB and Step Functions: @smithy/core 139 KB, ' +
    'client-s3 101 KB, zod 98 KB and the default credential chain’s STS/SSO clients (57 KB). Bundled without the ' +
    'SDK (the runtime’s own, `bundleAwsSDK: false`) a connector is 262 KB: that is what would reach 500 KB, at the ' +
    'price of running an SDK version nobody tested with, which infra/bundling.ts declines on purpose.',
];

/** Every handler file the stack makes a Lambda of, once each; connectors marked. */
export function lambdaEntries(): { entry: string; connector: boolean }[] {
  const connectors = new Set(CONNECTORS.map((c) => c.entry));
  const all = [
    ...API_ROUTES.map((r) => r.entry),
    ...WORKFLOW_TASKS.map((t) => t.entry),
    ...CONNECTORS.map((c) => c.entry),
    ...SCHEDULES.map((s) => s.entry),
    ...WORKFLOW_EVENTS.map((w) => w.entry),
    ...RETENTION_SWEEP.tasks.map((t) => t.entry),
    MAIL_EVENTS.entry,
  ];
  return [...new Set(all)].map((entry) => ({ entry, connector: connectors.has(entry) }));
}

/** The package an input of the bundle belongs to: `@scope/name` or `name` under node_modules, else our folder. */
export function packageOf(input: string): string {
  // the innermost node_modules: a nested copy belongs to its own package
  const match = [...input.replaceAll('\\', '/').matchAll(/(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/g)].at(
    -1,
  );
  if (match) return match[1] as string;
  return `(ours) ${input.split('/').slice(0, 2).join('/')}`;
}

/** A bundle's size and its largest packages, from esbuild's metafile. */
export function summarize(
  metafile: Metafile,
  top = 3,
): { bytes: number; packages: { name: string; bytes: number }[] } {
  const output = Object.entries(metafile.outputs).find(([path]) => !path.endsWith('.map'));
  if (!output) throw new Error('the metafile names no bundle');
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output[1].inputs))
    byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytesInOutput);
  const packages = [...byPackage]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
  return { bytes: output[1].bytes, packages };
}

/** Bundles one entry with the stack's options (aws-lambda-nodejs turns LAMBDA_BUNDLING into these flags). */
async function bundle(entry: string, outdir: string): Promise<{ file: string; metafile: Metafile }> {
  const file = join(outdir, 'index.mjs');
  const result = await build({
    entryPoints: [join(REPO_ROOT, entry)],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: LAMBDA_BUNDLING.target,
    format: 'esm',
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourceMap,
    sourcesContent: LAMBDA_BUNDLING.sourcesContent,
    mainFields: LAMBDA_BUNDLING.mainFields,
    banner: LAMBDA_BUNDLING.banner ? { js: LAMBDA_BUNDLING.banner } : undefined,
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: REPO_ROOT,
  });
  for (const f of BESIDE_BUNDLE)
    cpSync(join(REPO_ROOT, f.source), join(dirname(file), f.bundled), { recursive: true });
  return { file, metafile: result.metafile };
}

// A fresh process per measurement: Node started, then only the import of the bundle timed.
const LOADER =
  'const t=performance.now();await import(process.argv[1]);process.stdout.write(String(performance.now()-t));process.exit(0)';

// What the stack gives every function, as placeholders: some modules read their configuration when loaded.
const NAMES = [
  ENV.requestsTable,
  ENV.auditTable,
  ENV.exportBucket,
  ENV.auditBucket,
  ENV.mailFrom,
  ENV.staffInbox,
  ENV.sesConfigurationSet,
  ENV.idempotencyTable,
  ENV.appSecretArn,
  ENV.erasuresTable,
  ...SYSTEMS.map(ENV.systemTable),
];
const STACK_ENV = {
  ...Object.fromEntries(NAMES.map((n) => [n, 'cold-start'])),
  [ENV.stateMachineArn]: 'arn:aws:states:eu-west-1:111111111111:stateMachine:cold-start',
  [ENV.publicBaseUrl]: 'https://privacy.example.invalid',
  [ENV.recipientsBaseUrl]: 'https://recipients.invalid',
};

function loadMs(file: string): number {
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', LOADER, pathToFileURL(file).href],
    {
      cwd: dirname(file),
      env: {
        PATH: process.env.PATH,
        ...STACK_ENV,
        AWS_REGION: 'eu-west-1',
        AWS_LAMBDA_FUNCTION_NAME: 'cold-start',
        POWERTOOLS_SERVICE_NAME: 'privacy-rights',
        POWERTOOLS_METRICS_NAMESPACE: 'PrivacyRights',
      },
      encoding: 'utf8',
    },
  );
  return Number(out);
}

export interface BundleFigures {
  entry: string;
  connector: boolean;
  bytes: number;
  loadMs: number[];
  packages: { name: string; bytes: number }[];
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} KB`;

export async function benchColdStart(opts: BenchOptions): Promise<BenchSection> {
  const loads = opts.quick ? 3 : 20;
  const dir = mkdtempSync(join(tmpdir(), 'bench-cold-'));
  const bundles: BundleFigures[] = [];
  try {
    for (const [i, { entry, connector }] of lambdaEntries().entries()) {
      const { file, metafile } = await bundle(entry, join(dir, String(i)));
      const { bytes, packages } = summarize(metafile);
      if (bytes !== statSync(file).size) throw new Error(`${entry}: metafile and file disagree`);
      bundles.push({
        entry,
        connector,
        bytes,
        packages,
        loadMs: Array.from({ length: loads }, () => loadMs(file)),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return coldStartSection(bundles);
}

/** The report of measured bundles (apart from the measuring, so the tests can feed it known figures). */
export function coldStartSection(bundles: BundleFigures[], before?: string): BenchSection {
  const connectors = bundles.filter((b) => b.connector);
  const others = bundles.filter((b) => !b.connector);
  const medians = bundles.map((b) => figure('load', 'ms', b.loadMs).median);
  const figures = [
    figure('largest bundle', 'bytes', [Math.max(...bundles.map((b) => b.bytes))], (m) => ({
      text: `each ≤ ${kb(TARGETS.bundleBytes)}`,
      met: m <= TARGETS.bundleBytes,
    })),
    figure(
      'bundle size (all functions but connectors)',
      'bytes',
      others.map((b) => b.bytes),
    ),
    figure('largest connector bundle', 'bytes', [Math.max(...connectors.map((b) => b.bytes))], (m) => ({
      text: `≤ ${kb(TARGETS.connectorBytes)}`,
      met: m <= TARGETS.connectorBytes,
    })),
    figure('slowest load (median of its loads)', 'ms', [Math.max(...medians)], (m) => ({
      text: `≤ ${TARGETS.loadMs} ms`,
      met: m <= TARGETS.loadMs,
    })),
    figure('load time, median per bundle', 'ms', medians),
  ];
  const rows = bundles.map((b) => {
    const load = figure('load', 'ms', b.loadMs);
    const top = b.packages.map((p) => `${p.name} ${kb(p.bytes)}`).join(', ');
    const before = BEFORE.bytes[b.entry];
    return `| ${b.entry}${b.connector ? ' (connector)' : ''} | ${before ? kb(before) : '–'} | ${kb(b.bytes)} | ${load.median.toFixed(0)} (${load.min.toFixed(0)}–${load.max.toFixed(0)}) | ${top} |`;
  });
  const notes = [
    `| bundle | size before (${BEFORE.commit}) | size | load ms, median (min–max) | three largest packages in it |`,
    '|---|---|---|---|---|',
    ...rows,
    '',
    ...CHANGES.map((c) => `- ${c}`),
    ...(before ? ['', before] : []),
  ].join('\n');
  return {
    id: 'cold-start',
    title: 'Cold start: bundle sizes and load times',
    method:
      'Each Lambda entry bundled with the stack’s esbuild options (infra/bundling.ts) plus a metafile; size of the ' +
      '.mjs (source map excluded, it is not loaded); import time in a fresh Node process, median of 20 (quick: 3).',
    figures,
    notes,
    data: { machine: machine(), bundles },
  };
}

// Run on its own: node --import tsx bench/cold-start.ts [--quick]
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await benchColdStart({ quick: process.argv.includes('--quick'), repeats: 1 });
  for (const f of section.figures)
    console.log(
      `${f.name}: ${f.median} ${f.unit}${f.target ? ` (target ${f.target.text}: ${f.target.met ? 'met' : 'MISSED'})` : ''}`,
    );
  console.log(section.notes);
}

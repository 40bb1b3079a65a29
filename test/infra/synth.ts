// Synthesizes the CDK app in-process without bundling (fast, no esbuild) and exposes what the tests inspect.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/build-app.ts';
import type { PrivacyRightsStack } from '../../infra/stack.ts';

export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;
/** A stand-in for console/dist, so the synth does not depend on whether `npm run build:console` ran. */
export const CONSOLE_DIST_FIXTURE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures/console-dist',
);

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, unknown>;
}

export interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; severity: string }[] }[];
}

export interface Synthesized {
  app: App;
  stack: PrivacyRightsStack;
  template: Template;
  json: CfnTemplate;
  report: ValidationReport;
}

const outdirs: string[] = [];
process.on('exit', () => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** Builds and synthesizes the app; throws, like `cdk synth`, on any unacknowledged cdk-nag error. */
export function synth(
  context: Record<string, unknown> = {},
  mutate?: (stack: PrivacyRightsStack) => void,
): Synthesized {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'infra-test-'));
  outdirs.push(outdir);
  const { app, stack } = buildApp({
    context: { ...NO_BUNDLING, consoleDist: CONSOLE_DIST_FIXTURE, ...context },
    outdir,
  });
  mutate?.(stack);
  const assembly = app.synth();
  const json = assembly.getStackByName(stack.stackName).template as CfnTemplate;
  const report = JSON.parse(
    readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
  return { app, stack, template: Template.fromJSON(json), json, report };
}

let cached: Synthesized | undefined;

/** One synth per test file: the default app, as `cdk synth` builds it. */
export function synthOnce(): Synthesized {
  cached ??= synth();
  return cached;
}

/** Resources of one CloudFormation type, by logical id. */
export function resourcesOfType(json: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(json.Resources).filter(([, r]) => r.Type === type);
}

/** The construct path CDK records in a resource's metadata (`aws:cdk:path`). */
export const cdkPath = (resource: CfnResource | undefined) =>
  String((resource?.Metadata as Record<string, unknown> | undefined)?.['aws:cdk:path'] ?? '');

/** Untyped CloudFormation JSON: the tests assert on its shape. */
// biome-ignore lint/suspicious/noExplicitAny: template JSON has no static type worth writing out
export type Json = any;

/** A resource's properties, typed loosely for assertions. */
export function props(resource: CfnResource | undefined): Record<string, Json> {
  return (resource?.Properties ?? {}) as Record<string, Json>;
}

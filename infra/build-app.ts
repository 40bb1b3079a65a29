// Builds the CDK app in-process: used by `cdk synth` (infra/app.ts), the tests and the local runtime.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { REPO_ROOT } from './paths.ts';
import { resolveRegion } from './region.ts';
import { PrivacyRightsStack } from './stack.ts';

export const STACK_NAME = 'PrivacyRights';

export interface BuildAppOptions {
  /** Context on top of cdk.json's, e.g. `{ 'aws:cdk:bundling-stacks': [] }` to skip bundling. */
  context?: Record<string, unknown>;
  /** Where to write the cloud assembly; a temporary directory by default. */
  outdir?: string;
}

/** cdk.json's context (feature flags, region), so an in-process synth matches `cdk synth`. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** Creates the app and the stack, with cdk-nag AwsSolutions checking every synth. */
export function buildApp(options: BuildAppOptions = {}): { app: App; stack: PrivacyRightsStack } {
  // Context from the CLI (-c, CDK_CONTEXT_JSON) still overrides all of these. Path metadata is on, as the
  // CLI turns it on (cdk.json "pathMetadata"); as a context key in cdk.json the CLI would warn it is reserved.
  const app = new App({
    context: { 'aws:cdk:enable-path-metadata': true, ...cdkJsonContext(), ...options.context },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // P14: fails here, before any resource exists, for a region outside the EU.
  const region = resolveRegion(app.node.tryGetContext('region'), process.env.CDK_DEFAULT_REGION);
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const stack = new PrivacyRightsStack(app, STACK_NAME, {
    env: account ? { account, region } : { region },
    description: 'JSM privacy-rights pipeline: data-subject requests under the GDPR (EU region only)',
    terminationProtection: true,
  });
  Tags.of(stack).add('app', 'privacy-rights');
  Tags.of(stack).add('data-classification', 'personal-data');
  return { app, stack };
}

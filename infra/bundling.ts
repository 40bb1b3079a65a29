// How every Lambda is bundled: one ESM file by esbuild, plus the HTML templates and the message catalogs beside it.
// Both are files (functions/core/messages/templates/*.eta, catalogs/*.json) read at run time relative to the
// module's URL; esbuild folds that module into the bundle, so each folder is copied next to the bundle's index.mjs
// under the same name. The catalogs stay files so that a Lambda parses only the language it writes in.
import { type BundlingOptions, LogLevel, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { configuredSystems } from '../functions/core/systems.ts';

/** The templates' folder in the repository, and its name beside a bundle (as render.ts resolves it). */
export const TEMPLATES = { source: 'functions/core/messages/templates', bundled: 'templates' } as const;
/** The catalogs' folder, and its name beside a bundle (as catalog.ts resolves it). */
export const CATALOG_FILES = { source: 'functions/core/messages/catalogs', bundled: 'catalogs' } as const;
/** Every folder read beside a bundle. */
export const BESIDE_BUNDLE = [TEMPLATES, CATALOG_FILES] as const;

/** Shell commands that copy those folders into a bundle's output folder (CDK runs them after esbuild). */
export const copyTemplates = (inputDir: string, outputDir: string): string[] =>
  BESIDE_BUNDLE.map((f) => `cp -R "${inputDir}/${f.source}" "${outputDir}/${f.bundled}"`);

export const LAMBDA_BUNDLING: BundlingOptions = {
  minify: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  target: 'node22',
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  // Some CommonJS dependencies call require(); ESM has none, so the bundle defines it.
  banner: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
  // The SDK version we test with is the one that runs, not whatever the runtime ships.
  bundleAwsSDK: true,
  logLevel: LogLevel.WARNING,
  // The validated files of config/systems/ (P17), in every bundle: functions/core/systems.ts reads them from here.
  define: { 'process.env.JSM_SYSTEMS': JSON.stringify(JSON.stringify(configuredSystems())) },
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: copyTemplates,
  },
};

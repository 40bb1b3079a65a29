// How every Lambda is bundled: one ESM file by esbuild, plus the HTML templates beside it. Templates are files
// (functions/core/messages/templates/*.eta) read at run time relative to the module's URL; esbuild folds that
// module into the bundle, so the folder is copied next to the bundle's index.mjs under the same name.
import { type BundlingOptions, LogLevel, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { configuredSystems } from '../functions/core/systems.ts';

/** The templates' folder in the repository, and its name beside a bundle (as render.ts resolves it). */
export const TEMPLATES = { source: 'functions/core/messages/templates', bundled: 'templates' } as const;

/** Shell commands that copy the templates into a bundle's output folder (CDK runs them after esbuild). */
export const copyTemplates = (inputDir: string, outputDir: string): string[] => [
  `cp -R "${inputDir}/${TEMPLATES.source}" "${outputDir}/${TEMPLATES.bundled}"`,
];

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

// cdk.out for the tests that run the Lambda bundles (test/integration/bundles.test.ts, iam.test.ts): synthesized
// once, by whichever test file gets there first, and only when missing or stale (`npm test` synthesizes before
// vitest, so in CI it is current already).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlesProblem } from '../../local/bundles.ts';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const LOCK = join(ROOT, '.cdk.out.lock');

/** Makes sure cdk.out holds current bundles; runs `npm run synth` at most once across test files. */
export async function ensureBundles(): Promise<void> {
  for (;;) {
    if (!bundlesProblem(ROOT)) return;
    try {
      mkdirSync(LOCK);
    } catch {
      // another test file synthesizes; a lock older than 15 minutes was left by a killed run
      const since = statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > 900_000) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 2000));
      continue;
    }
    try {
      if (bundlesProblem(ROOT)) execFileSync('npm', ['run', 'synth'], { cwd: ROOT, stdio: 'ignore' });
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

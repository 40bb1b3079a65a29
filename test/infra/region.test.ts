import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { DEFAULT_REGION, EU_REGIONS, RegionNotAllowedError, resolveRegion } from '../../infra/region.ts';
import { NO_BUNDLING, synth } from './synth.ts';

const build = (region: string) => () => buildApp({ context: { ...NO_BUNDLING, region } });

describe('Region guard (P14: no transfer outside the EU)', () => {
  it('refuses us-east-1 because it is outside the EU (P14)', () => {
    // Act: build the app for us-east-1
    // Assess: refused, with a message naming the region and P14
    expect(build('us-east-1')).toThrow(RegionNotAllowedError);
    expect(build('us-east-1')).toThrow(/us-east-1.*not in an EU member state.*P14/);
  });

  it('refuses London (eu-west-2) because the United Kingdom left the EU', () => {
    // Act: build the app for London
    // Assess: refused because the United Kingdom is not in the EU
    expect(build('eu-west-2')).toThrow(/London is in the United Kingdom.*P14/);
  });

  it('refuses Zurich (eu-central-2) because Switzerland is not an EU member state', () => {
    // Act: build the app for Zurich
    // Assess: refused because Switzerland is not in the EU
    expect(build('eu-central-2')).toThrow(/Zurich is in Switzerland.*P14/);
  });

  it('builds the whole stack in Paris (eu-west-3)', () => {
    // Act: synthesize the stack in Paris
    const { stack, json } = synth({ region: 'eu-west-3' });
    // Assess: the stack is in eu-west-3 and names no non-EU region
    expect(stack.region).toBe('eu-west-3');
    expect(JSON.stringify(json)).not.toMatch(/us-east-1|eu-west-2|eu-central-2/);
  });

  it('defaults to eu-west-1 and otherwise follows CDK_DEFAULT_REGION', () => {
    // Act: resolve with neither context nor CDK_DEFAULT_REGION
    // Assess: the default, eu-west-1
    expect(resolveRegion(undefined, undefined)).toBe(DEFAULT_REGION);
    expect(DEFAULT_REGION).toBe('eu-west-1');
    // Act: resolve with CDK_DEFAULT_REGION only, then with context too
    // Assess: CDK_DEFAULT_REGION is followed, context wins over it
    expect(resolveRegion(undefined, 'eu-north-1')).toBe('eu-north-1');
    expect(resolveRegion('eu-south-2', 'eu-north-1')).toBe('eu-south-2');
    // Act: resolve with a non-EU CDK_DEFAULT_REGION
    // Assess: refused
    expect(() => resolveRegion(undefined, 'us-west-2')).toThrow(RegionNotAllowedError);
  });

  it('accepts exactly the six EU regions of the allowlist', () => {
    // Assess: the allowlist holds exactly the six EU regions
    expect([...EU_REGIONS].sort()).toEqual(
      ['eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-3'].sort(),
    );
    // Act: resolve each region of the allowlist as context
    // Assess: accepted as is
    for (const region of EU_REGIONS) expect(resolveRegion(region, undefined)).toBe(region);
  });

  it('fails the CDK app itself when the CLI passes -c region=us-east-1', () => {
    // Act: run infra/app.ts as the CLI would
    // What `cdk synth -c region=us-east-1` does: the CLI hands context to the app in CDK_CONTEXT_JSON.
    const run = spawnSync('npx', ['tsx', 'infra/app.ts'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ region: 'us-east-1', ...NO_BUNDLING }) },
      timeout: 60_000,
    });
    // Assess: the process fails, naming the region and P14
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/Refusing to synthesize for region us-east-1.*P14/);
  });
});

// PROMISES P14: no transfer outside the EU. The deployment region is checked before anything is built, so a
// stack for a non-EU region can never be synthesized, let alone deployed.

/** Regions of EU member states that host every service the stack uses. */
export const EU_REGIONS = [
  'eu-west-1',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
] as const;
export type EuRegion = (typeof EU_REGIONS)[number];

export const DEFAULT_REGION: EuRegion = 'eu-west-1';

// Regions whose names suggest Europe but which lie outside the EU; named in the error so nobody "fixes" the list.
const NOT_EU: Record<string, string> = {
  'eu-west-2': 'London is in the United Kingdom, which left the EU',
  'eu-central-2': 'Zurich is in Switzerland, which is not an EU member state',
};

export class RegionNotAllowedError extends Error {
  constructor(region: string) {
    const why = NOT_EU[region] ?? `${region} is not in an EU member state`;
    super(
      `Refusing to synthesize for region ${region}: ${why}. PROMISES P14 (GDPR, no transfer outside the EU) ` +
        `allows only ${EU_REGIONS.join(', ')}. Pass -c region=<one of those>.`,
    );
    this.name = 'RegionNotAllowedError';
  }
}

export function isEuRegion(region: string): region is EuRegion {
  return (EU_REGIONS as readonly string[]).includes(region);
}

/**
 * The deployment region: context `region`, else CDK_DEFAULT_REGION, else eu-west-1; anything outside the
 * allowlist throws.
 */
export function resolveRegion(contextRegion: unknown, defaultRegionEnv: string | undefined): EuRegion {
  const region =
    typeof contextRegion === 'string' && contextRegion !== ''
      ? contextRegion
      : defaultRegionEnv || DEFAULT_REGION;
  if (!isEuRegion(region)) throw new RegionNotAllowedError(region);
  return region;
}

// The set of systems: the four built-in ones plus every file of config/systems/ (P17). Bundled Lambdas carry the
// validated files in JSM_SYSTEMS (esbuild's define, infra/bundling.ts); the sources read the folder. Nothing in
// the modules this one imports may import functions/core/schemas.ts, which validates names with isSystem.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SystemConfig } from '../connectors/generic/config.ts';
import { type BuiltInSystem, SYSTEMS } from './builtins.ts';

/** Where the configuration files live; SYSTEMS_CONFIG_DIR points elsewhere (tests, operators' checks). */
export const SYSTEMS_DIR = fileURLToPath(new URL('../../config/systems/', import.meta.url));
export const SYSTEMS_DIR_ENV = 'SYSTEMS_CONFIG_DIR';

/** A configuration file that is not a valid system: names the file and what is wrong, never starts. */
export class SystemConfigError extends Error {
  constructor(file: string, problem: string) {
    super(`config/systems/${file}: ${problem}`);
    this.name = 'SystemConfigError';
  }
}

/** Reads and validates every `*.json` of a folder, in name order; the file is named after its system. */
export function loadSystemConfigs(dir: string): SystemConfig[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  return files.map((file) => {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (error) {
      throw new SystemConfigError(file, `not JSON (${(error as Error).message})`);
    }
    const parsed = SystemConfig.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SystemConfigError(file, `${issue?.path.join('.') || '(file)'}: ${issue?.message}`);
    }
    if (parsed.data.name !== basename(file, '.json'))
      throw new SystemConfigError(file, `name "${parsed.data.name}" differs from the file's name`);
    return parsed.data;
  });
}

let cached: SystemConfig[] | undefined;

/** The configured systems, validated once per process. */
export function configuredSystems(): SystemConfig[] {
  if (cached) return cached;
  // Replaced by the bundle's copy of the files at build time; unset when running from the sources.
  const bundled = process.env.JSM_SYSTEMS;
  cached = bundled
    ? SystemConfig.array().parse(JSON.parse(bundled))
    : loadSystemConfigs(process.env[SYSTEMS_DIR_ENV] || SYSTEMS_DIR);
  return cached;
}

/** Forgets the files read, so a test can point SYSTEMS_CONFIG_DIR elsewhere. */
export function resetConfiguredSystems(): void {
  cached = undefined;
}

/** Every system's name: the built-in ones first, then the configured ones in file order. */
export function allSystems(): string[] {
  return [...SYSTEMS, ...configuredSystems().map((s) => s.name)];
}

export const isBuiltIn = (name: string): name is BuiltInSystem =>
  (SYSTEMS as readonly string[]).includes(name);

export function isSystem(name: string): boolean {
  return isBuiltIn(name) || configuredSystems().some((s) => s.name === name);
}

/** A configured system's file, if `name` is one. */
export function configuredSystem(name: string): SystemConfig | undefined {
  return configuredSystems().find((s) => s.name === name);
}

/** The Secrets Manager secret a configured system's connector reads, if it needs one. */
export function systemSecretName(name: string): string | undefined {
  const config = configuredSystem(name);
  return config?.kind === 'http' ? config.auth.secret : undefined;
}

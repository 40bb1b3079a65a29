import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { knownLabel } from '../../../functions/core/messages/catalog.ts';
import { SystemName } from '../../../functions/core/schemas.ts';
import {
  allSystems,
  loadSystemConfigs,
  SYSTEMS_DIR,
  SystemConfigError,
} from '../../../functions/core/systems.ts';
import { CONNECTORS } from '../../../functions/registry.ts';
import { demoHttpSystem } from '../../fixtures/http-system.ts';

const dirs: string[] = [];
/** A folder of configuration files, as config/systems/ holds them. */
function folder(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'jsm-systems-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const demo = () => JSON.parse(readFileSync(join(SYSTEMS_DIR, `${demoHttpSystem().name}.json`), 'utf8'));

describe('Systems added by configuration (P17)', () => {
  it('adds every valid file of config/systems/ to the four built-in systems, each with its own connector', () => {
    // Act
    const names = allSystems();
    // Assess: the built-ins first, then the configured system, each with one connector function
    expect(names.slice(0, 4)).toEqual(['billing', 'crm', 'support', 'marketing']);
    expect(names).toContain(demoHttpSystem().name);
    expect(CONNECTORS.map((c) => c.system)).toEqual(names);
    expect(CONNECTORS.find((c) => c.system === demoHttpSystem().name)?.entry).toBe(
      'functions/connectors/generic/http/handler.ts',
    );
  });

  it('refuses a file that is not a valid system, naming the file and the problem (P17)', () => {
    // Prepare: a base URL that is no URL
    const dir = folder({ 'broken.json': { ...demo(), name: 'broken', baseUrl: 'not a url' } });
    // Act
    const load = () => loadSystemConfigs(dir);
    // Assess
    expect(load).toThrow(SystemConfigError);
    expect(load).toThrow(/^config\/systems\/broken\.json: baseUrl: /);
  });

  it('refuses a file that is not JSON, one named after another system, and one taking a built-in name (P17)', () => {
    // Prepare
    const notJson = folder({ 'x.json': '{ name: ' });
    const misnamed = folder({ 'other.json': demo() });
    const builtIn = folder({ 'billing.json': { ...demo(), name: 'billing' } });
    // Act + Assess
    expect(() => loadSystemConfigs(notJson)).toThrow(/^config\/systems\/x\.json: not JSON/);
    expect(() => loadSystemConfigs(misnamed)).toThrow(/other\.json: name ".+" differs from the file's name/);
    expect(() => loadSystemConfigs(builtIn)).toThrow(/billing\.json: name: a built-in system has this name/);
  });

  it('refuses a path template that would fill in anything but the email, customer number or request id (P17)', () => {
    // Prepare
    const config = demo();
    config.operations.erase.path = '/applicants/{firstName}';
    const dir = folder({ [`${config.name}.json`]: config });
    // Act + Assess
    expect(() => loadSystemConfigs(dir)).toThrow(/operations\.erase\.path: only \{email\}/);
  });

  it('accepts a configured system’s name where a system is named, and refuses one nobody configured (P17)', () => {
    // Act
    const known = SystemName.safeParse(demoHttpSystem().name);
    const unknown = SystemName.safeParse('payroll');
    // Assess
    expect(known.success).toBe(true);
    expect(unknown.success).toBe(false);
  });

  it('names a configured system by its file’s label in every language, the built-in ones by the catalogs (P17, P18)', () => {
    // Act
    const labels = (['nl', 'fr', 'en'] as const).map((l) => knownLabel('system', demoHttpSystem().name, l));
    // Assess
    expect(labels).toEqual([demoHttpSystem().label.nl, demoHttpSystem().label.fr, demoHttpSystem().label.en]);
    expect(knownLabel('system', 'billing', 'nl')).toBe('Facturatie');
  });
});

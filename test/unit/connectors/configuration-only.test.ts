import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configuredSystems } from '../../../functions/core/systems.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Every TypeScript file under a folder of the product. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : sources(path);
    return /\.tsx?$/.test(entry) ? [path] : [];
  });
}

describe('Systems added by configuration alone (P17)', () => {
  it('names no configured system in any TypeScript file of functions/, infra/, local/ or console/', () => {
    // Prepare: the configured systems' names, and their labels, as the files give them
    const names = configuredSystems().flatMap((c) => [c.name, ...Object.values(c.label)]);
    expect(names.length).toBeGreaterThan(0);
    // Act
    const naming = ['functions', 'infra', 'local', 'console']
      .flatMap((d) => sources(join(ROOT, d)))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8').toLowerCase();
        return names
          .filter((n) => text.includes(n.toLowerCase()))
          .map((n) => `${relative(ROOT, file)}: ${n}`);
      });
    // Assess
    expect(naming).toEqual([]);
  });
});

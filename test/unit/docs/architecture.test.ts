// docs/ARCHITECTURE.md cannot go stale: its workflow graphs are what docs/tools/asl-mermaid.ts draws from
// statemachines/, its life cycle names every status, and every dependency of package.json is explained in it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aslToMermaid, type Machine } from '../../../docs/tools/asl-mermaid.ts';
import { DIAGRAMS, ROOT, withDiagrams } from '../../../docs/tools/generate.ts';
import { STATUSES } from '../../../functions/core/schemas.ts';

const DOC = readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');

/** The text of the section under one `## ` heading. */
const section = (heading: string) => {
  const from = DOC.indexOf(`\n## ${heading}\n`);
  const to = DOC.indexOf('\n## ', from + 1);
  expect(from).toBeGreaterThan(0);
  return DOC.slice(from, to < 0 ? undefined : to);
};

/** Every state name of a definition, Map iterators included. */
const stateNames = (m: Machine): string[] =>
  Object.entries(m.States).flatMap(([name, s]) => {
    const inner = (s as { ItemProcessor?: Machine; Iterator?: Machine }).ItemProcessor ?? s.Iterator;
    return [name, ...(inner ? stateNames(inner) : [])];
  });

describe('docs/ARCHITECTURE.md', () => {
  it('holds the workflow graphs npm run docs draws from statemachines/ today, every state in them', () => {
    // Prepare: each definition the stack deploys
    const machines = DIAGRAMS.map(
      (name) => JSON.parse(readFileSync(join(ROOT, 'statemachines', `${name}.asl.json`), 'utf8')) as Machine,
    );
    // Act: redraw the graphs into the committed page
    const regenerated = withDiagrams(ROOT, DOC);
    // Assess: nothing changes, and each graph has a node for every state of its definition
    expect(DOC).toBe(regenerated);
    for (const machine of machines) {
      const drawn = aslToMermaid(machine);
      expect(DOC).toContain(drawn);
      for (const name of stateNames(machine))
        expect(drawn).toMatch(new RegExp(`^\\s*(subgraph )?${name}\\W`, 'm'));
    }
  });

  it('explains every dependency of package.json on a line of its own, and none that is gone', () => {
    // Prepare: the dependencies and the first column of the dependency table
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const declared = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)].sort();
    // Act: read which package each row of the table names
    const rows = section('Dependencies and why')
      .split('\n')
      .map((line) => /^\| `([^`]+)` \| (.+) \|$/.exec(line))
      .filter((m) => m !== null);
    const named = rows.map((m) => m[1] as string);
    // Assess: exactly the declared ones, one row each, each with a reason
    expect([...named].sort()).toEqual(declared);
    expect(new Set(named).size).toBe(named.length);
    for (const m of rows) expect((m[2] as string).length).toBeGreaterThan(20);
  });

  it('names every request status of functions/core/schemas.ts in the life cycle, diagram and table', () => {
    // Prepare: the life-cycle section
    const text = section('The request life cycle');
    // Act: find each status as a diagram state and as a table row
    const missing = STATUSES.filter((s) => !text.includes(`--> ${s}`) || !text.includes(`| \`${s}\` |`));
    // Assess: none missing
    expect(missing).toEqual([]);
  });
});

describe('The ASL to Mermaid generator', () => {
  it('draws Choice branches with their conditions, Map iterators as subgraphs and Catch edges dashed', () => {
    // Prepare: a small definition with each construct
    const machine: Machine = {
      StartAt: 'Check',
      States: {
        Check: {
          Type: 'Choice',
          Choices: [{ Variable: '$.kind', StringEquals: 'erase', Next: 'Each' }],
          Default: 'Stop',
        },
        Each: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Act',
            States: {
              Act: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }],
                End: true,
              },
              Failed: { Type: 'Pass', End: true },
            },
          },
          Next: 'Stop',
        },
        Stop: { Type: 'Succeed' },
      },
    };
    // Act: draw it
    const drawn = aslToMermaid(machine).split('\n');
    // Assess: the shapes and edges, in order
    expect(drawn).toEqual([
      'flowchart TD',
      '  start((start))',
      '  Check{"Check"}',
      '  subgraph Each["Each · Map, inline"]',
      '    direction TB',
      '    Act["Act (waits for a task token)"]',
      '    Failed[/"Failed"/]',
      '  end',
      '  Stop(["Stop (succeed)"])',
      '  start --> Check',
      '  Check -->|"$.kind = #quot;erase#quot;"| Each',
      '  Check -->|default| Stop',
      '  Act -.->|"catch States.ALL"| Failed',
      '  Each --> Stop',
    ]);
  });
});

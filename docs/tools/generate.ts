// `npm run docs`: regenerates every generated part of docs/: the workflow graphs in ARCHITECTURE.md (between
// their marker comments, from statemachines/*.asl.json) and the whole of PROMISES.md (from the test titles).
// `--check` writes nothing and exits 1 when a file is out of date. test/unit/docs/ runs the same comparison.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aslToMermaid, type Machine } from './asl-mermaid.ts';
import { renderPromises } from './promises.ts';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The state machines drawn in ARCHITECTURE.md, by marker name. */
export const DIAGRAMS = ['request', 'retention-sweep'] as const;

const begin = (name: string) => `<!-- BEGIN GENERATED asl:${name} (npm run docs) -->`;
const end = (name: string) => `<!-- END GENERATED asl:${name} -->`;

/** The Mermaid block of one state machine, fenced, as ARCHITECTURE.md holds it. */
export function diagram(root: string, name: string): string {
  const machine = JSON.parse(
    readFileSync(join(root, 'statemachines', `${name}.asl.json`), 'utf8'),
  ) as Machine;
  return `\`\`\`mermaid\n${aslToMermaid(machine)}\n\`\`\``;
}

/** `doc` with every diagram between its markers replaced by what the definitions give now. */
export function withDiagrams(root: string, doc: string): string {
  let out = doc;
  for (const name of DIAGRAMS) {
    const from = out.indexOf(begin(name));
    const to = out.indexOf(end(name));
    if (from < 0 || to < from) throw new Error(`ARCHITECTURE.md lacks the markers of the ${name} diagram`);
    out = `${out.slice(0, from + begin(name).length)}\n${diagram(root, name)}\n${out.slice(to)}`;
  }
  return out;
}

/** Every generated file: its path and the content the generators give now. */
export function generatedDocs(root = ROOT): { path: string; content: string }[] {
  const architecture = join(root, 'docs', 'ARCHITECTURE.md');
  return [
    { path: architecture, content: withDiagrams(root, readFileSync(architecture, 'utf8')) },
    { path: join(root, 'docs', 'PROMISES.md'), content: renderPromises(root) },
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const { path, content } of generatedDocs()) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {}
    if (current === content) continue;
    stale += 1;
    if (check) process.stderr.write(`${path} is out of date: run npm run docs\n`);
    else {
      writeFileSync(path, content);
      process.stdout.write(`wrote ${path}\n`);
    }
  }
  if (check && stale > 0) process.exit(1);
}

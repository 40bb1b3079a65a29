// Turns an Amazon States Language definition (statemachines/*.asl.json) into a Mermaid flowchart: every state,
// Choice branches labelled with their condition, Map iterators as subgraphs, Catch edges dashed and labelled with
// the errors they catch, waitForTaskToken tasks marked. docs/ARCHITECTURE.md holds the output between markers;
// test/unit/docs/architecture.test.ts fails when it no longer matches the definitions.

interface Catcher {
  ErrorEquals: string[];
  Next: string;
}
interface Condition {
  Variable?: string;
  And?: Condition[];
  Or?: Condition[];
  Not?: Condition;
  Next?: string;
  [operator: string]: unknown;
}
interface State {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Condition[];
  Catch?: Catcher[];
  Iterator?: Machine;
  ItemProcessor?: Machine & { ProcessorConfig?: { Mode?: string } };
  ItemReader?: unknown;
  Branches?: Machine[];
}
export interface Machine {
  StartAt: string;
  States: Record<string, State>;
}

const OPERATORS: Record<string, string> = {
  BooleanEquals: '=',
  StringEquals: '=',
  NumericEquals: '=',
  NumericGreaterThan: '>',
  NumericGreaterThanEquals: '≥',
  NumericLessThan: '<',
  NumericLessThanEquals: '≤',
  TimestampEquals: '=',
  TimestampLessThan: '<',
  TimestampGreaterThan: '>',
};

/** A Choice rule in words: `$.closed = true`, `$.dryRun is present and is boolean`. */
export function describeCondition(c: Condition): string {
  if (c.And) return c.And.map(describeCondition).join(' and ');
  if (c.Or) return c.Or.map(describeCondition).join(' or ');
  if (c.Not) return `not (${describeCondition(c.Not)})`;
  const operator = Object.keys(c).find((k) => k !== 'Variable' && k !== 'Next');
  if (!operator) return String(c.Variable);
  const value = c[operator];
  if (operator.startsWith('Is')) {
    const what = operator
      .slice(2)
      .replace(/[A-Z]/g, (l) => ` ${l.toLowerCase()}`)
      .trim();
    return `${c.Variable} ${value === false ? 'is not' : 'is'} ${what}`;
  }
  const symbol = OPERATORS[operator] ?? operator;
  return `${c.Variable} ${symbol} ${JSON.stringify(value)}`;
}

/** Mermaid label text: quotes become entities, since every label is written in double quotes. */
const label = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;
const nodeId = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');

function shape(name: string, state: State): string {
  const id = nodeId(name);
  switch (state.Type) {
    case 'Choice':
      return `${id}{${label(name)}}`;
    case 'Pass':
      return `${id}[/${label(name)}/]`;
    case 'Succeed':
    case 'Fail':
      return `${id}([${label(`${name} (${state.Type.toLowerCase()})`)}])`;
    case 'Wait':
      return `${id}[[${label(`${name} (wait)`)}]]`;
    default: {
      const waits = state.Resource?.endsWith('.waitForTaskToken') ? ' (waits for a task token)' : '';
      return `${id}[${label(`${name}${waits}`)}]`;
    }
  }
}

function render(machine: Machine, indent: string, out: string[], edges: string[]): void {
  for (const [name, state] of Object.entries(machine.States)) {
    const id = nodeId(name);
    const inner = state.ItemProcessor ?? state.Iterator;
    const subgraph = (title: string, machines: Machine[]) => {
      out.push(`${indent}subgraph ${id}[${label(title)}]`, `${indent}  direction TB`);
      for (const m of machines) render(m, `${indent}  `, out, edges);
      out.push(`${indent}end`);
    };
    if (state.Type === 'Map' && inner) {
      const mode = state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED' ? 'distributed' : 'inline';
      subgraph(`${name} · Map, ${mode}`, [inner]);
    } else if (state.Type === 'Parallel' && state.Branches) {
      subgraph(`${name} · Parallel`, state.Branches);
    } else {
      out.push(`${indent}${shape(name, state)}`);
    }
    for (const choice of state.Choices ?? []) {
      if (choice.Next) edges.push(`${id} -->|${label(describeCondition(choice))}| ${nodeId(choice.Next)}`);
    }
    if (state.Default) edges.push(`${id} -->|default| ${nodeId(state.Default)}`);
    if (state.Next) edges.push(`${id} --> ${nodeId(state.Next)}`);
    for (const c of state.Catch ?? [])
      edges.push(`${id} -.->|${label(`catch ${c.ErrorEquals.join(', ')}`)}| ${nodeId(c.Next)}`);
  }
}

/** The Mermaid flowchart of one state machine definition. */
export function aslToMermaid(machine: Machine): string {
  const nodes: string[] = [];
  const edges: string[] = [];
  render(machine, '  ', nodes, edges);
  return [
    'flowchart TD',
    '  start((start))',
    ...nodes,
    `  start --> ${nodeId(machine.StartAt)}`,
    ...edges.map((e) => `  ${e}`),
  ].join('\n');
}

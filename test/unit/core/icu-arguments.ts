// Reads the ICU arguments of a catalog message, for the catalog and escaping tests.
import { compile } from '../../../functions/core/messages/catalog.ts';

/** A node of the ICU message AST (intl-messageformat's parser): `type` is its TYPE enum. */
type Node = { type: number; value?: unknown; options?: Record<string, { value: Node[] }> };
const KINDS: Record<number, string> = {
  1: 'text',
  2: 'number',
  3: 'date',
  4: 'time',
  5: 'select',
  6: 'plural',
};

/** The ICU arguments of a message, as `name:kind`, sorted; nested plural and select branches included. */
export function argumentsOf(source: string, locale: string): string[] {
  const found = new Set<string>();
  const walk = (nodes: Node[]) => {
    for (const n of nodes) {
      const kind = KINDS[n.type];
      if (kind) found.add(`${String(n.value)}:${kind}`);
      for (const option of Object.values(n.options ?? {})) walk(option.value);
    }
  };
  walk(compile(source, locale).getAst() as Node[]);
  return [...found].sort();
}

// Outcomes from records: counts, categories, grounds and field names, never a value.
import type { KeptCount } from '../../core/connector.ts';
import { periodsOf, type Retention, type RetentionPeriod } from '../../core/retention.ts';
import type { Outcome } from '../../core/schemas.ts';
import { type StoredItem, TECHNICAL_FIELDS } from '../records.ts';

export const TECHNICAL = new Set<string>(TECHNICAL_FIELDS);

export const keyOf = (item: StoredItem) => `${item.pk}\u0000${item.sk}`;

export function categoriesOf(items: StoredItem[]): string[] {
  return [...new Set(items.map((i) => String(i.category ?? 'uncategorised')))].sort();
}

/** Records tallied per category with the names they concern (fields rectified, purposes objected to). */
export function categoryTally() {
  const groups = new Map<string, { records: number; names: Set<string> }>();
  return {
    add(item: StoredItem, names: Iterable<string>) {
      const category = String(item.category ?? 'uncategorised');
      const group = groups.get(category) ?? { records: 0, names: new Set<string>() };
      group.records += 1;
      for (const name of names) group.names.add(name);
      groups.set(category, group);
    },
    /** One entry per category, by category, its names sorted. */
    entries: () =>
      [...groups.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([category, g]) => ({ records: g.records, category, names: [...g.names].sort() })),
  };
}

/** `erased` outcomes tallied record by record, so a streamed erasure holds counts, never the records. */
export function erasedTally() {
  const counts = new Map<string, number>();
  return {
    add(items: Iterable<StoredItem>) {
      for (const item of items) {
        const category = String(item.category ?? 'uncategorised');
        counts.set(category, (counts.get(category) ?? 0) + 1);
      }
    },
    /** One `erased` outcome per category, by category. */
    outcomes: (): Outcome[] =>
      [...counts.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([category, records]) => ({ kind: 'erased', records, category })),
  };
}

/** One `erased` outcome per category, with its record count. */
export function erasedOutcomes(items: StoredItem[]): Outcome[] {
  const tally = erasedTally();
  tally.add(items);
  return tally.outcomes();
}

/** `retained` outcomes tallied record by record (see retainedOutcomes). */
export function retainedTally() {
  const groups = new Map<
    string,
    { category: string; retention: Retention; periods: RetentionPeriod[]; kept: Set<string>; n: number }
  >();
  return {
    add(items: Iterable<StoredItem>) {
      for (const item of items) {
        const retention = item.retention as Retention | undefined;
        if (!retention) continue;
        const category = String(item.category ?? 'uncategorised');
        const periods = periodsOf(retention);
        const id = [
          category,
          retention.ground,
          retention.until,
          ...periods.map((p) => `${p.ground}@${p.until}`),
        ].join('|');
        const group = groups.get(id) ?? { category, retention, periods, kept: new Set(), n: 0 };
        group.n += 1;
        for (const field of Object.keys(item)) if (!TECHNICAL.has(field)) group.kept.add(field);
        groups.set(id, group);
      }
    },
    outcomes: (): Outcome[] =>
      [...groups.values()]
        .sort(
          (a, b) =>
            a.retention.until.localeCompare(b.retention.until) ||
            a.retention.ground.localeCompare(b.retention.ground),
        )
        .map((g) => ({
          kind: 'retained',
          records: g.n,
          category: g.category,
          ground: g.retention.ground,
          until: g.retention.until,
          ...(g.periods.length > 1 ? { periods: g.periods } : {}),
          kept: [...g.kept].sort(),
        })),
  };
}

/**
 * One `retained` outcome per category and grounds with their dates, naming the fields still held. Where several
 * grounds apply (an invoice under an open claim is also kept for the VAT Code), `periods` gives each its own date.
 */
export function retainedOutcomes(items: StoredItem[]): Outcome[] {
  const tally = retainedTally();
  tally.add(items);
  return tally.outcomes();
}

/** Restricted records by category, ground and purge date; one kept without a ground is counted without one (P3). */
export function keptCounts(items: StoredItem[]): KeptCount[] {
  const groups = new Map<string, KeptCount>();
  for (const item of items) {
    const retention = (item.retention ?? {}) as Partial<Retention>;
    const category = String(item.category ?? 'uncategorised');
    const ground = typeof retention.ground === 'string' ? retention.ground : undefined;
    const until = typeof retention.until === 'string' ? retention.until : undefined;
    const id = `${category}|${ground ?? ''}|${until ?? ''}`;
    const group = groups.get(id) ?? {
      category,
      ...(ground ? { ground } : {}),
      ...(until ? { until } : {}),
      records: 0,
    };
    group.records += 1;
    groups.set(id, group);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, g]) => g);
}

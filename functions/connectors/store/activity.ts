// The retention sweep's questions to a store (P11): when did the subject last do something here, does a contract
// still run, and who are the system's subjects. Read page by page; dates and a flag come out, no content.
import type { ActivityReport } from '../../core/connector.ts';
import { CUSTOMER_PREFIX, recordType, type StoredItem, subjectListKey } from '../records.ts';
import type { ActivityRule, StoreAccess, Subject } from './types.ts';

/** The value at a dotted path (`payment.paidAt`), if any. */
function at(item: Record<string, unknown>, path: string): unknown {
  let value: unknown = item;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The latest instant the rule finds in one record, in epoch milliseconds (NaN when none). */
function latestIn(item: StoredItem, rule: ActivityRule | undefined): number {
  let latest = Number.NaN;
  for (const path of rule?.dates[recordType(item.sk)] ?? []) {
    const value = at(item, path);
    const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (!Number.isNaN(time) && !(time <= latest)) latest = time;
  }
  return latest;
}

/** The subject's last activity here, whether a contract runs, and the addresses on file (for keyed hashes only). */
export async function activityOf(
  store: StoreAccess,
  rule: ActivityRule | undefined,
  subject: Subject,
): Promise<ActivityReport> {
  const { partitions, loose } = await store.footprint(subject.email, subject.customerNumber);
  let found = false;
  let latest = Number.NaN;
  let contractRunning = false;
  const emails = new Set<string>();
  const take = (item: StoredItem) => {
    found = true;
    const time = latestIn(item, rule);
    if (!Number.isNaN(time) && !(time <= latest)) latest = time;
    if (rule?.contractRunning?.(item)) contractRunning = true;
    if (typeof item.email === 'string' && item.email) emails.add(item.email.toLowerCase());
  };
  for (const item of loose) take(item);
  for (const pk of partitions) for await (const page of store.pages(pk)) for (const item of page) take(item);
  if (!found) return { kind: 'not_found' };
  return {
    kind: 'found',
    ...(Number.isNaN(latest) ? {} : { lastActivityAt: new Date(latest).toISOString() }),
    contractRunning,
    emails: [...emails].sort(),
  };
}

/** One shard of the system's subject list, a page of customer numbers at a time, in order. */
export async function* subjectsOf(store: StoreAccess, shard: number): AsyncGenerator<string[]> {
  for await (const page of store.pages(subjectListKey(shard), CUSTOMER_PREFIX)) {
    const numbers = page.map((i) => i.sk.slice(CUSTOMER_PREFIX.length));
    if (numbers.length > 0) yield numbers;
  }
}

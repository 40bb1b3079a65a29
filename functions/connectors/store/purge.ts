// The legal retention purge (P3, P11): a restricted record goes once its retention has ended (the day after
// `retention.until`, Brussels time) and no claim it serves is still open. Due records are found through the
// purge-date index and read again, consistently, before anything is removed.
import type { OperationContext, PurgeOptions, PurgeResult } from '../../core/connector.ts';
import type { SystemKey } from '../../core/ports.ts';
import { isOpenClaim, isPurgeDue, type Retention, type RetentionGround } from '../../core/retention.ts';
import { RESTRICTED_PREFIX, type StoredItem } from '../records.ts';
import { keyOf } from './outcomes.ts';
import type { StoreAccess } from './types.ts';

const DEFAULT_LIMIT = 500;

/** Today in Brussels as YYYY-MM-DD: the purge date of a record is its last day. */
export const brusselsDay = (now: Date) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Brussels',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);

/** The sort key of the claim a record is kept for, when it names one (`claim` or `retention.claim`). */
function claimOf(item: StoredItem): string | undefined {
  const named = item.claim ?? (item.retention as { claim?: unknown } | undefined)?.claim;
  return typeof named === 'string' ? named : undefined;
}

/**
 * Whether a claim the record serves is still open, read now: the record itself (an unpaid or disputed invoice),
 * or the claim it names in the same restricted partition. A named claim that is gone is no longer open.
 */
export function claimStillOpen(item: StoredItem, partition: StoredItem[]): boolean {
  if (isOpenClaim(item.status as string | undefined)) return true;
  const claim = claimOf(item);
  if (!claim || claim === item.sk) return false;
  const record = partition.find((i) => i.sk === claim);
  return record !== undefined && isOpenClaim(record.status as string | undefined);
}

/** Removes the restricted records whose retention ended; a dry run counts them and changes nothing. */
export async function purgeExpired(
  store: StoreAccess,
  ctx: OperationContext,
  { limit = DEFAULT_LIMIT, dryRun = false }: PurgeOptions = {},
): Promise<PurgeResult> {
  const today = brusselsDay(ctx.now);
  const purged = new Map<string, PurgeResult['purged'][number]>();
  let deferred = 0;
  let seen = 0;
  for await (const page of store.purgeDue(today)) {
    // A subject's kept records share a partition: read each once, consistently, and act on what it holds now.
    const byPartition = new Map<string, SystemKey[]>();
    for (const key of page) byPartition.set(key.pk, [...(byPartition.get(key.pk) ?? []), key]);
    for (const [pk, keys] of byPartition) {
      if (!dryRun && seen >= limit) return { purged: [...purged.values()], deferred, more: true };
      seen += keys.length;
      const partition = await store.partition(pk);
      const wanted = new Set(keys.map(keyOf));
      const gone: StoredItem[] = [];
      for (const item of partition.filter((i) => wanted.has(keyOf(i)))) {
        const retention = item.retention as Retention | undefined;
        if (!retention || item.restricted !== true) continue;
        if (!isPurgeDue(retention.until, ctx.now, claimStillOpen(item, partition))) {
          // Kept for an open claim: looked at again tomorrow, so the index moves on meanwhile.
          deferred += 1;
          if (!dryRun) await store.update(item, { purgeOn: today });
          continue;
        }
        gone.push(item);
        const subjectRef = pk.slice(RESTRICTED_PREFIX.length);
        const category = String(item.category ?? 'uncategorised');
        const ground: RetentionGround = retention.ground;
        const id = `${subjectRef}|${category}|${ground}`;
        const entry = purged.get(id) ?? { subjectRef, category, ground, records: 0 };
        entry.records += 1;
        purged.set(id, entry);
      }
      if (!dryRun) await store.deleteAll(gone);
    }
  }
  return { purged: [...purged.values()], deferred, more: false };
}

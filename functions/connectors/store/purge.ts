// The legal retention purge (P3, P11): a restricted record goes once its retention has ended (the day after
// `retention.until`, Brussels time) and no claim it serves is still open. Due records are found through the
// purge-date index and read again, consistently, before anything is removed.
import type { OperationContext, PurgeOptions, PurgeResult } from '../../core/connector.ts';
import type { SystemKey } from '../../core/ports.ts';
import {
  calendarDate,
  isOpenClaim,
  isRetentionOver,
  type Retention,
  type RetentionGround,
} from '../../core/retention.ts';
import { RESTRICTED_PREFIX, type StoredItem } from '../records.ts';
import { keyOf } from './outcomes.ts';
import type { StoreAccess } from './types.ts';

const DEFAULT_LIMIT = 500;

/**
 * Whether the claim a record serves is still open, read now in this system: an unpaid or disputed invoice itself, or
 * the invoice its retention names (`retention.claim`) among the subject's kept records. Undefined where this system
 * cannot tell (a dispute ticket's invoice lives in billing): the record then stays until the limitation period ends.
 */
export function claimStillOpen(item: StoredItem, partition: StoredItem[]): boolean | undefined {
  if (item.sk.startsWith('INVOICE#')) return isOpenClaim(item.status as string | undefined);
  const number = (item.retention as Retention | undefined)?.claim?.invoiceNumber;
  if (!number) return undefined;
  const invoice = partition.find((i) => i.sk.startsWith('INVOICE#') && i.invoiceNumber === number);
  return invoice ? isOpenClaim(invoice.status as string | undefined) : undefined;
}

/** Whether a contract the record serves still runs, as the subject's kept contract records say; undefined if none. */
function contractStillRuns(
  retention: Retention,
  partition: StoredItem[],
  today: string,
): boolean | undefined {
  if (!retention.contracts?.length) return undefined;
  const kept = partition.filter(
    (i) => i.sk.startsWith('CONTRACT#') && retention.contracts?.includes(String(i.contractNumber)),
  );
  const runs = (c: StoredItem) =>
    c.status === 'active' && !(typeof c.endsAt === 'string' && calendarDate(c.endsAt) < today);
  return kept.length > 0 ? kept.some(runs) : undefined;
}

/** Removes the restricted records whose retention ended; a dry run counts them and changes nothing. */
export async function purgeExpired(
  store: StoreAccess,
  ctx: OperationContext,
  { limit = DEFAULT_LIMIT, dryRun = false }: PurgeOptions = {},
): Promise<PurgeResult> {
  const today = calendarDate(ctx.now);
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
        const found = {
          claimOpen: claimStillOpen(item, partition),
          contractRunning: contractStillRuns(retention, partition, today),
        };
        // An open claim keeps a record whatever its dates say (an invoice kept before claims had their own date).
        if (found.claimOpen === true || !isRetentionOver(retention, ctx.now, found)) {
          // Kept for an open claim or a running contract: looked at again tomorrow, so the index moves on meanwhile.
          deferred += 1;
          if (!dryRun) await store.update(item, { purgeOn: today });
          continue;
        }
        gone.push(item);
      }
      // Counted from what this run removed: a purge running twice at once never reports a record twice.
      for (const item of dryRun ? gone : await store.deleteAll(gone)) {
        const subjectRef = pk.slice(RESTRICTED_PREFIX.length);
        const category = String(item.category ?? 'uncategorised');
        const ground: RetentionGround = (item.retention as Retention).ground;
        const id = `${subjectRef}|${category}|${ground}`;
        const entry = purged.get(id) ?? { subjectRef, category, ground, records: 0 };
        entry.records += 1;
        purged.set(id, entry);
      }
    }
  }
  return { purged: [...purged.values()], deferred, more: false };
}

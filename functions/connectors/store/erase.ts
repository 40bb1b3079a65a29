// Erasure (P3): every live record of the subject goes, except what a system's rule keeps under a legal ground,
// which is stripped and moved, in one transaction, to the subject's restricted partition.
import type { OperationContext } from '../../core/connector.ts';
import type { Outcome, SystemName } from '../../core/schemas.ts';
import {
  CONTACT_AND_FINANCIAL_FIELDS,
  CUSTOMER_PREFIX,
  findFields,
  PURGE_LIST,
  recordType,
  restrictedKey,
  type StoredItem,
  subjectListEntry,
} from '../records.ts';
import { findRestricted } from './locate.ts';
import { erasedTally, keyOf, retainedTally } from './outcomes.ts';
import type { Restriction, RestrictionRule, StoreAccess, Subject } from './types.ts';

/**
 * Erases the subject's records; a repeat deletes nothing more and answers what is kept again. Records of a `bulk`
 * type (billing's calls: a subject may have millions) are never held together: they are read page by page after
 * the rest, decided against the rest and deleted a page at a time, and only their counts are kept.
 */
export async function eraseSubject(
  store: StoreAccess,
  system: SystemName,
  restrict: RestrictionRule | undefined,
  subject: Subject,
  ctx: OperationContext,
  bulk: readonly string[] = [],
): Promise<Outcome[]> {
  const isBulk = (item: StoredItem) => bulk.includes(recordType(item.sk));
  const { live, partitions, bulkSeen } = await findLiveExcept(store, subject, isBulk);
  const restricted = await findRestricted(store, subject);
  if (live.length === 0 && restricted.length === 0 && !bulkSeen) return [{ kind: 'not_found' }];

  const erased = erasedTally();
  const kept = retainedTally();
  // Read before anything moves: a record kept in an earlier, interrupted run still tells what belongs with it.
  const related: readonly StoredItem[] = [...live, ...restricted];
  // Deletes what the rule does not keep, moves what it keeps; answers what this call moved.
  const settle = async (items: StoredItem[]) => {
    const toDelete: StoredItem[] = [];
    const moved: StoredItem[] = [];
    for (const item of items) {
      const restriction = restrict?.(item, ctx.now, related);
      if (!restriction) {
        toDelete.push(item);
        continue;
      }
      // Without the pseudonymous id a kept record could never be found again for this subject.
      if (!subject.subjectRef) throw new Error('A subjectRef is needed to restrict records');
      moved.push(await restrictOne(store, system, item, restriction, subject.subjectRef, ctx.now));
    }
    erased.add(await store.deleteAll(toDelete));
    return moved;
  };
  restricted.push(...(await settle(live)));
  // A record a concurrent erasure moved between our two reads is both live and restricted here: count it once.
  kept.add(new Map(restricted.map((i) => [i.sk, i])).values());
  // Bulk records are read after the restricted partition, so none of them can be in both.
  for (const pk of bulk.length ? partitions : []) {
    for (const type of bulk) {
      for await (const page of store.pages(pk, type)) {
        kept.add(await settle(page.filter((i) => i.pk === pk && recordType(i.sk) === type)));
      }
    }
  }
  // A customer whose partition is gone leaves the system's subject list too (the retention sweep reads it, P11).
  for (const pk of partitions) {
    const entry = subjectListEntry(pk.slice(CUSTOMER_PREFIX.length));
    for await (const page of store.pages(entry.pk, entry.sk)) {
      await store.deleteAll(page.filter((i) => i.sk === entry.sk));
    }
  }
  const outcomes = [...erased.outcomes(), ...kept.outcomes()];
  // A concurrent erasure of the same subject removed everything first: nothing of theirs is left here.
  return outcomes.length > 0 ? outcomes : [{ kind: 'not_found' }];
}

/** The subject's live records but bulk ones, read page by page; and whether any bulk record was seen. */
async function findLiveExcept(store: StoreAccess, subject: Subject, isBulk: (item: StoredItem) => boolean) {
  const { direct, partitions } = await store.footprint(subject.email, subject.customerNumber);
  const found = new Map<string, StoredItem>();
  let bulkSeen = false;
  const take = (item: StoredItem) => {
    if (!isBulk(item)) found.set(keyOf(item), item);
    else bulkSeen = true;
  };
  // A bulk record outside the customer partitions (none today) is not streamed later: it is taken as the rest.
  for (const item of direct)
    if (partitions.includes(item.pk)) take(item);
    else found.set(keyOf(item), item);
  for (const pk of partitions) for await (const page of store.pages(pk)) for (const item of page) take(item);
  return { live: [...found.values()], partitions, bulkSeen };
}

/** A record as kept in the subject's restricted partition: what the ground needs, and when it may go. */
export function restrictedRecord(
  item: StoredItem,
  restriction: Restriction,
  subjectRef: string,
  now: Date,
): StoredItem {
  return {
    ...restriction.keep,
    pk: restrictedKey(subjectRef),
    sk: item.sk,
    category: item.category,
    restricted: true,
    retention: restriction.retention,
    restrictedAt: now.toISOString(),
    // In the purge-date index, so the purge finds it when its retention ends (P3, P11).
    purgeList: PURGE_LIST,
    purgeOn: restriction.retention.until,
  };
}

/** Moves a record to the subject's restricted partition, stripped; refuses to keep contact or bank data. */
async function restrictOne(
  store: StoreAccess,
  system: SystemName,
  item: StoredItem,
  restriction: Restriction,
  subjectRef: string,
  now: Date,
): Promise<StoredItem> {
  const restricted = restrictedRecord(item, restriction, subjectRef, now);
  const leaked = findFields(restricted, CONTACT_AND_FINANCIAL_FIELDS);
  if (leaked.length > 0) throw new Error(`Restriction rule of ${system} keeps ${leaked.join(', ')}`);
  await store.move(item, restricted);
  return restricted;
}

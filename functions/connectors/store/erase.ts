// Erasure (P3): every live record of the subject goes, except what a system's rule keeps under a legal ground,
// which is stripped and moved, in one transaction, to the subject's restricted partition.
import type { OperationContext } from '../../core/connector.ts';
import type { Outcome, SystemName } from '../../core/schemas.ts';
import {
  CONTACT_AND_FINANCIAL_FIELDS,
  CUSTOMER_PREFIX,
  findFields,
  PURGE_LIST,
  restrictedKey,
  type StoredItem,
  subjectListEntry,
} from '../records.ts';
import { findLive, findRestricted } from './locate.ts';
import { erasedOutcomes, retainedOutcomes } from './outcomes.ts';
import type { Restriction, RestrictionRule, StoreAccess, Subject } from './types.ts';

/** Erases the subject's records; a repeat deletes nothing more and answers what is kept again. */
export async function eraseSubject(
  store: StoreAccess,
  system: SystemName,
  restrict: RestrictionRule | undefined,
  subject: Subject,
  ctx: OperationContext,
): Promise<Outcome[]> {
  const live = await findLive(store, subject);
  const restricted = await findRestricted(store, subject);
  if (live.length === 0 && restricted.length === 0) return [{ kind: 'not_found' }];

  const toDelete: StoredItem[] = [];
  // Read before anything moves: a record kept in an earlier, interrupted run still tells what belongs with it.
  const related: readonly StoredItem[] = [...live, ...restricted];
  for (const item of live) {
    const restriction = restrict?.(item, ctx.now, related);
    if (!restriction) {
      toDelete.push(item);
      continue;
    }
    // Without the pseudonymous id a kept record could never be found again for this subject.
    if (!subject.subjectRef) throw new Error('A subjectRef is needed to restrict records');
    restricted.push(await restrictOne(store, system, item, restriction, subject.subjectRef, ctx.now));
  }
  const erased = await store.deleteAll(toDelete);
  // A customer whose partition is gone leaves the system's subject list too (the retention sweep reads it, P11).
  const customers = new Set(live.filter((i) => i.pk.startsWith(CUSTOMER_PREFIX)).map((i) => i.pk));
  for (const pk of customers) {
    const entry = subjectListEntry(pk.slice(CUSTOMER_PREFIX.length));
    for await (const page of store.pages(entry.pk, entry.sk)) {
      await store.deleteAll(page.filter((i) => i.sk === entry.sk));
    }
  }
  // A record a concurrent erasure moved between our two reads is both live and restricted here: count it once.
  const kept = [...new Map(restricted.map((i) => [i.sk, i])).values()];
  const outcomes = [...erasedOutcomes(erased), ...retainedOutcomes(kept)];
  // A concurrent erasure of the same subject removed everything first: nothing of theirs is left here.
  return outcomes.length > 0 ? outcomes : [{ kind: 'not_found' }];
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

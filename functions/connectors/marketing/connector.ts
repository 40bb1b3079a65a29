// Marketing: the newsletter and direct-mailing lists shared with the processors (P13), and the suppression
// entries (keyed hash, no address) that keep an objection (P6), an opt-out (P5) or an erasure (P3) in force
// against any later import.
import type { OperationContext } from '../../core/connector.ts';
import type { Outcome } from '../../core/schemas.ts';
import { listsSuppressedBy, MARKETING_LISTS, suppressionKey } from '../../core/suppression.ts';
import type { StoredItem } from '../records.ts';
import {
  type ActivityRule,
  type ConnectorStores,
  createStoreConnector,
  type ExportRules,
  erasedOutcomes,
  type ObjectionRule,
  type StoreAccess,
  type StoreConnector,
  type Subject,
} from '../store/index.ts';

export const LIST_PREFIX = 'LIST#';

/** Marketing's files; an access export also shows the subject's suppression entry (their objection on record). */
export const MARKETING_EXPORT: ExportRules = {
  files: {
    LIST: {
      name: 'lists',
      columns: [
        'customerNumber',
        'list',
        'email',
        'firstName',
        'lastName',
        'gender',
        'language',
        'address.street',
        'address.postalCode',
        'address.city',
        'address.country',
        'subscribedAt',
        'addedAt',
        'source',
        'processor',
      ],
    },
    SUPPRESSION: { name: 'suppression', columns: ['lists', 'reasons', 'since', 'updatedAt'] },
  },
};

/** Marketing's objection rule: suppress first (an import running now cannot slip in), then empty the lists. */
export const objectInMarketing: ObjectionRule = async (store, subject, ctx, { scope }) => {
  const lists = listsSuppressedBy(scope);
  if (lists.length === 0) return [{ kind: 'skipped', reason: 'not_applicable' }];
  if (!subject.subjectRef) return [{ kind: 'failed', retryable: false, reason: 'subject_ref_missing' }];
  const entry = await store.suppressions.suppress({
    subjectRef: subject.subjectRef,
    lists,
    reason: 'objection',
    now: ctx.now,
  });

  const { partitions, loose } = await store.footprint(subject.email, subject.customerNumber);
  const entries: StoredItem[] = loose.filter((i) => i.sk.startsWith(LIST_PREFIX));
  for (const pk of partitions) for await (const page of store.pages(pk, LIST_PREFIX)) entries.push(...page);
  const removed = await store.deleteAll(entries);
  // Someone on no list is suppressed all the same: the objection holds for any future import.
  return [...erasedOutcomes(removed), { kind: 'suppressed', lists: entry.lists }];
};

/**
 * Marketing's erasure (P3): suppress every list first (an import running now cannot slip her back in), then
 * delete her entries. The suppression entry holds the keyed hash only and survives on purpose: without it a later
 * import of an old list would add the erased person again (Art. 17; kept as an objection's is, Art. 21(3)). It
 * is suppressed even when no list holds her now, since an old list or a processor's sync may still.
 */
export async function eraseInMarketing(
  base: Pick<StoreConnector, 'erase'>,
  store: Pick<StoreAccess, 'suppressions'>,
  subject: Subject,
  ctx: OperationContext,
): Promise<Outcome[]> {
  if (!subject.subjectRef) return [{ kind: 'failed', retryable: false, reason: 'subject_ref_missing' }];
  const entry = await store.suppressions.suppress({
    subjectRef: subject.subjectRef,
    lists: MARKETING_LISTS,
    reason: 'erasure',
    now: ctx.now,
  });
  const erased = (await base.erase(subject, ctx)).filter((o) => o.kind !== 'not_found');
  // A repeat finds her entries gone and reports the suppression again: the state, not the change.
  return [...erased, { kind: 'suppressed', lists: entry.lists }];
}

/** What dates a subject's marketing interaction (P11): joining a list, opening or clicking a mailing. */
export const MARKETING_ACTIVITY: ActivityRule = {
  dates: { LIST: ['subscribedAt', 'addedAt', 'lastOpenedAt', 'lastClickedAt'] },
};

/** The marketing system's connector over its store. */
export function createMarketingConnector(stores: ConnectorStores): StoreConnector {
  const { suppressions } = stores;
  const base = createStoreConnector({
    system: 'marketing',
    stores,
    exportRules: MARKETING_EXPORT,
    pseudonymousPartitions: (ref) => [suppressionKey(ref).pk],
    object: objectInMarketing,
    activity: MARKETING_ACTIVITY,
  });
  return {
    ...base,
    erase: (subject, ctx) => eraseInMarketing(base, stores, subject, ctx),
    async rectify(subject, ctx, input) {
      // An address several people share moves nothing, not even a suppression, until staff pick the person (P8).
      if ((await base.locate(subject, ctx)).customers) return base.rectify(subject, ctx, input);
      // A new address has a new keyed hash: the suppression must follow, before the address moves.
      const carried: Outcome[] = [];
      const { email } = input.changes;
      if (email && input.newSubjectRef && subject.subjectRef && input.newSubjectRef !== subject.subjectRef) {
        const old = await suppressions.read(subject.subjectRef);
        if (old) {
          const moved = await suppressions.suppress({
            subjectRef: input.newSubjectRef,
            lists: old.lists,
            reason: old.reasons,
            now: ctx.now,
          });
          carried.push({ kind: 'suppressed', lists: moved.lists });
        }
      }
      const outcomes = await base.rectify(subject, ctx, input);
      if (carried.length === 0) return outcomes;
      const rest = outcomes.filter((o) => o.kind !== 'skipped' && o.kind !== 'not_found');
      return [...rest, ...carried];
    },
  };
}

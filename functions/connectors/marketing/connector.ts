import type { ObjectInput, OperationContext } from '../../core/connector.ts';
import type { Outcome } from '../../core/schemas.ts';
import { listsSuppressedBy, suppressionKey } from '../../core/suppression.ts';
import type { StoredItem } from '../records.ts';
import {
  type ConnectorStores,
  createStoreConnector,
  type ExportRules,
  erasedOutcomes,
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
export async function objectInMarketing(
  store: StoreAccess,
  subject: Subject,
  ctx: OperationContext,
  { scope }: ObjectInput,
): Promise<Outcome[]> {
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
  await store.deleteAll(entries);
  // Someone on no list is suppressed all the same: the objection holds for any future import.
  return [...erasedOutcomes(entries), { kind: 'suppressed', lists: entry.lists }];
}

/** The marketing system's connector over its store. */
export function createMarketingConnector(stores: ConnectorStores): StoreConnector {
  const { suppressions } = stores;
  const base = createStoreConnector({
    system: 'marketing',
    stores,
    exportRules: MARKETING_EXPORT,
    pseudonymousPartitions: (ref) => [suppressionKey(ref).pk],
    object: objectInMarketing,
  });
  return {
    ...base,
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

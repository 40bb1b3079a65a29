// Objection (P6): a system's own rule decides direct marketing and profiling (marketing suppresses and empties the
// lists, CRM withdraws consents and deletes interest profiles); an objection to processing on legitimate interest
// (Art. 21(1)), once staff have weighed it, flags every record the register lists for such a purpose, so that
// processing stops while the records stay for the purposes that rest on contract or law.
import type { ObjectInput, OperationContext } from '../../core/connector.ts';
import { legitimateInterestPurposes } from '../../core/registers/index.ts';
import type { Outcome, SystemName } from '../../core/schemas.ts';
import type { StoredItem } from '../records.ts';
import { categoryTally } from './outcomes.ts';
import type { StoreAccess, StoreConnectorOptions, Subject } from './types.ts';

/** Runs the system's objection rule for direct marketing and profiling, and the register's for legitimate interest. */
export async function objectSubject(
  system: SystemName,
  rule: StoreConnectorOptions['object'],
  store: StoreAccess,
  subject: Subject,
  ctx: OperationContext,
  input: ObjectInput,
): Promise<Outcome[]> {
  const own = input.scope.filter((s) => s !== 'legitimate_interest');
  const outcomes: Outcome[] = [];
  if (own.length > 0) {
    if (rule) outcomes.push(...(await rule(store, subject, ctx, { scope: own })));
    else outcomes.push({ kind: 'skipped', reason: 'not_applicable' });
  }
  if (input.scope.includes('legitimate_interest')) {
    outcomes.push(...(await objectToLegitimateInterest(system, store, subject, ctx)));
  }
  // Several scopes: what was done; if nothing was, the first reason why not.
  const acted = outcomes.filter((o) => o.kind !== 'skipped' && o.kind !== 'not_found');
  return acted.length > 0 ? acted : outcomes.slice(0, 1);
}

/** Whether a record's sort key is of one of the register's record types (`ACCOUNT`, `TICKET#…`). */
const ofType = (sk: string, type: string) => sk === type || sk.startsWith(`${type}#`);

/**
 * Art. 21(1): records of the register's purposes on legitimate interest get `objectedPurposes` (kept with the
 * date, as evidence and as the flag every process for those purposes must honour). A repeat reports the state.
 */
export async function objectToLegitimateInterest(
  system: SystemName,
  store: StoreAccess,
  subject: Subject,
  ctx: OperationContext,
): Promise<Outcome[]> {
  const lines = legitimateInterestPurposes(system);
  if (lines.length === 0) return [{ kind: 'skipped', reason: 'not_applicable' }];
  const { partitions } = await store.footprint(subject.email);
  if (partitions.length === 0) return [{ kind: 'not_found' }];

  const flagged = new Map<string, { item: StoredItem; purposes: Set<string> }>();
  for (const pk of partitions) {
    for (const { purpose, records } of lines) {
      for (const type of records) {
        for await (const page of store.pages(pk, type)) {
          for (const item of page.filter((i) => ofType(i.sk, type))) {
            const key = `${item.pk}|${item.sk}`;
            const entry = flagged.get(key) ?? { item, purposes: new Set<string>() };
            entry.purposes.add(purpose);
            flagged.set(key, entry);
          }
        }
      }
    }
  }
  if (flagged.size === 0) return [{ kind: 'skipped', reason: 'no_legitimate_interest' }];

  const tally = categoryTally();
  for (const { item, purposes } of flagged.values()) {
    const held = Array.isArray(item.objectedPurposes) ? item.objectedPurposes.map(String) : [];
    const all = [...new Set([...held, ...purposes])].sort();
    if (all.length !== held.length) {
      // Erased meanwhile: nothing left to flag (the store leaves a gone record gone).
      await store.update(item, {
        objectedPurposes: all,
        objectedAt: typeof item.objectedAt === 'string' ? item.objectedAt : ctx.now.toISOString(),
        objectedBy: ctx.requestId,
      });
    }
    tally.add(item, purposes);
  }
  return tally
    .entries()
    .map(({ records, category, names }) => ({ kind: 'objected', records, category, purposes: names }));
}

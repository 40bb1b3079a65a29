// Objection (P6): a system's own rule decides (marketing suppresses and empties the lists, CRM withdraws
// consents); a system that holds neither marketing nor profiling answers `skipped`.
import type { ObjectInput, OperationContext } from '../../core/connector.ts';
import type { Outcome } from '../../core/schemas.ts';
import type { StoreAccess, StoreConnectorOptions, Subject } from './types.ts';

/** Runs the system's objection rule, if it has one. */
export async function objectSubject(
  rule: StoreConnectorOptions['object'],
  store: StoreAccess,
  subject: Subject,
  ctx: OperationContext,
  input: ObjectInput,
): Promise<Outcome[]> {
  if (!rule) return [{ kind: 'skipped', reason: 'not_applicable' }];
  return rule(store, subject, ctx, input);
}

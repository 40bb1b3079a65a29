// The one implementation behind the four demo connectors: find the subject's records in a system store,
// count them, erase them, and keep what the law requires, restricted; stream them out, rectify them.
// A system differs only by its rules (what is kept, what is never rewritten, what is free text). The store
// itself is a port (functions/core/ports.ts SystemStore); its DynamoDB adapter lives in functions/aws/.
import type {
  Connector,
  ExportInput,
  ObjectInput,
  OperationContext,
  RectifyInput,
} from '../../core/connector.ts';
import type { Outcome } from '../../core/schemas.ts';
import { activityOf, subjectsOf } from './activity.ts';
import { eraseSubject } from './erase.ts';
import { exportSubject } from './export.ts';
import { ambiguityOf, createStoreAccess, locateSubject } from './locate.ts';
import { objectSubject } from './object.ts';
import { purgeExpired } from './purge.ts';
import { rectifySubject } from './rectify.ts';
import type { StoreConnectorOptions, Subject } from './types.ts';

export { restrictedRecord } from './erase.ts';
export { exportRecord } from './export.ts';
export { createStoreAccess } from './locate.ts';
export { erasedOutcomes, retainedOutcomes } from './outcomes.ts';
export { planRectification } from './rectify.ts';
export type {
  ActivityRule,
  ConnectorStores,
  ExportRules,
  Footprint,
  ImmutableRule,
  ObjectionRule,
  Restriction,
  RestrictionRule,
  StoreAccess,
  StoreConnectorOptions,
  Subject,
} from './types.ts';

/** The store-backed connector: the Connector contract over one table with the shared layout. */
export type StoreConnector = Connector;

/** Builds a connector over one system store with the shared layout of functions/connectors/records.ts. */
export function createStoreConnector(options: StoreConnectorOptions): StoreConnector {
  const { system, restrict, immutable, exportRules = {} } = options;
  const store = createStoreAccess(options.stores, immutable);
  // An address several people share acts for nobody until staff pick the person (P8): checked before every act.
  const unlessAmbiguous =
    <A extends unknown[]>(act: (subject: Subject, ...rest: A) => Promise<Outcome[]>) =>
    async (subject: Subject, ...rest: A): Promise<Outcome[]> => {
      const ambiguous = await ambiguityOf(store, subject);
      return ambiguous ? [ambiguous] : act(subject, ...rest);
    };
  return {
    system,
    locate: (subject) => locateSubject(store, subject),
    erase: unlessAmbiguous((subject, ctx: OperationContext) =>
      eraseSubject(store, system, restrict, subject, ctx, options.bulk),
    ),
    export: unlessAmbiguous((subject, _ctx: OperationContext, input: ExportInput) =>
      exportSubject(system, store, exportRules, options.pseudonymousPartitions, subject, input),
    ),
    rectify: unlessAmbiguous((subject, ctx: OperationContext, input: RectifyInput) =>
      rectifySubject(store, immutable, exportRules, subject, ctx, input),
    ),
    object: unlessAmbiguous((subject, ctx: OperationContext, input: ObjectInput) =>
      objectSubject(system, options.object, store, subject, ctx, input),
    ),
    activity: (subject) => activityOf(store, options.activity, subject),
    subjects: (shard) => subjectsOf(store, shard),
    addresses: () => store.addresses(),
    purge: (ctx, purgeOptions) => purgeExpired(store, ctx, purgeOptions),
  };
}

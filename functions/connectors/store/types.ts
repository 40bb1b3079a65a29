// The shapes every part of the store connector shares: the rules a system brings, and the store it runs on.
import type { ObjectInput, OperationContext, SubjectKeys } from '../../core/connector.ts';
import type { SuppressionStore, SystemStore } from '../../core/ports.ts';
import type { Retention } from '../../core/retention.ts';
import type { Outcome, SystemName } from '../../core/schemas.ts';
import type { StoredItem } from '../records.ts';

/** The subject as a connector sees it (see SubjectKeys). */
export type Subject = SubjectKeys;

/** What a system keeps of one record after an erasure, and why; undefined means the record is deleted. */
export interface Restriction {
  retention: Retention;
  /** the restricted record: only what the ground requires, no contact or bank data */
  keep: Record<string, unknown>;
}

/**
 * A system's rule for erasure: which records outlive it, stripped to what. `related` holds every record of the
 * subject in this system, live and already kept, so a rule can see what a record belongs with (the calls billed on
 * an invoice under an open claim, the notes of a dispute ticket, the contracts a profile serves).
 */
export type RestrictionRule = (
  item: StoredItem,
  now: Date,
  related: readonly StoredItem[],
) => Restriction | undefined;

/** A system's rule for rectification: records never rewritten (issued invoices), with the ground shown. */
export type ImmutableRule = (item: StoredItem) => Retention | undefined;

/** A system's rule for an objection to direct marketing or profiling (store/object.ts runs it). */
export type ObjectionRule = (
  store: StoreAccess,
  subject: Subject,
  ctx: OperationContext,
  input: ObjectInput,
) => Promise<Outcome[]>;

/**
 * What dates a subject's own activity in a system, for the retention sweep (P11): per record type (the sort key's
 * first segment), the attributes (dotted paths) holding an instant or a date of something the subject did; and
 * which record shows a running contract.
 */
export interface ActivityRule {
  dates: Record<string, readonly string[]>;
  contractRunning?: (item: StoredItem) => boolean;
}

/** How a system's records are exported (P1, P7, P16). */
export interface ExportRules {
  /** free-text attributes: other people's names, numbers and addresses are removed (Art. 15(4)) */
  freeText?: string[];
  /** attributes holding other people's numbers: masked in a portability file (Art. 20(4)) */
  othersNumbers?: string[];
  /** record types the system's staff write (support notes): in the access report, never in a portability file */
  staffWritten?: string[];
  /** attributes naming a member of staff (a note's agent): data about staff, not the subject (CJEU C-579/21) */
  staffIdentifiers?: string[];
  /** file name (without extension) and CSV columns per record type; otherwise the type in kebab case */
  files?: Record<string, { name: string; columns?: string[] }>;
}

/** What every connector factory takes: the system's own table and, for marketing, its suppression entries. */
export interface ConnectorStores {
  records: SystemStore;
  suppressions: SuppressionStore;
}

export interface StoreConnectorOptions {
  system: SystemName;
  stores: ConnectorStores;
  restrict?: RestrictionRule;
  immutable?: ImmutableRule;
  exportRules?: ExportRules;
  /** partitions that hold the subject's records under the pseudonymous id, beyond RESTRICTED# (access only) */
  pseudonymousPartitions?: (subjectRef: string) => string[];
  /** the system's objection rule; systems without marketing or profiling answer `skipped` */
  object?: ObjectionRule;
  /** what dates the subject's activity here (P11); without it the system knows records but no dates */
  activity?: ActivityRule;
  /**
   * record types (the sort key's first segment) a subject may hold without bound, e.g. billing's calls: an erasure
   * streams them page by page and never gives them to `restrict` as `related`
   */
  bulk?: readonly string[];
}

/** Where the subject lives in a store: records holding the address, and the customer partitions they open. */
export interface Footprint {
  /** live records holding the address (a small, bounded set: never call records) */
  direct: StoredItem[];
  /** customer partitions (`CUST#…`) of those records */
  partitions: string[];
  /** records holding the address outside any customer partition (e.g. an imported prospect) */
  loose: StoredItem[];
}

/** The store operations every rule builds on; also used by systems' own rules (objection). */
export interface StoreAccess extends SystemStore {
  readonly suppressions: SuppressionStore;
  /** with `customerNumber`, only that customer's records (the person staff picked behind a shared address) */
  footprint(email: string, customerNumber?: string): Promise<Footprint>;
}

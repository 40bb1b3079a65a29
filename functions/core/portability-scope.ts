// What a portability package may hold (P7, Art. 20(1)): data the subject provided, or that their use of our
// services showed, processed on their consent or for their contract. The processing register decides the legal
// basis per record type; the record itself says whether it was inferred; the system's rules say which record types
// its staff write. Whatever is left out stays in the access report (Art. 15) and is counted, never copied.
import { type LegalBasis, purposesOf } from './registers/index.ts';
import { LEFT_OUT_REASONS, type LeftOutReason, type SystemName } from './schemas.ts';

export { LEFT_OUT_REASONS, type LeftOutReason };

/** The legal bases Art. 20(1)(a) names: consent (Art. 6(1)(a), 9(2)(a)) and contract (Art. 6(1)(b)). */
export const PORTABLE_BASES: readonly LegalBasis[] = ['consent', 'contract'];

/** One record as the rule sees it: its type (sort-key prefix), origin label and restriction flag; no values. */
export interface ScopedRecord {
  recordType: string;
  origin?: unknown;
  restricted?: unknown;
}

export type ScopeDecision =
  | { portable: true }
  /** `legalBasis`: the bases the register gives this record type, when they are what keeps it out */
  | { portable: false; reason: LeftOutReason; legalBasis?: LegalBasis[] };

/** Every legal basis the register gives a record type of a system, over all its processing lines, sorted. */
export function legalBasesOf(system: SystemName, recordType: string): LegalBasis[] {
  const lines = purposesOf(system).filter((l) => l.records.includes(recordType));
  return [...new Set(lines.flatMap((l) => l.legalBasis))].sort();
}

/**
 * Whether one record goes into a portability package, and if not, why. A record type the register does not list
 * has no basis on record, so it stays out as well; `staffWritten` are the system's record types its staff write.
 */
export function portabilityScope(
  system: SystemName,
  record: ScopedRecord,
  staffWritten: readonly string[] = [],
): ScopeDecision {
  // Kept only under a legal ground after an erasure: restricted (Art. 18), never handed on.
  if (record.restricted === true) return { portable: false, reason: 'restricted' };
  const bases = legalBasesOf(system, record.recordType);
  if (!bases.some((b) => PORTABLE_BASES.includes(b))) {
    return { portable: false, reason: 'legal_basis', legalBasis: bases };
  }
  if (staffWritten.includes(record.recordType)) return { portable: false, reason: 'staff_note' };
  if (record.origin === 'inferred') return { portable: false, reason: 'inferred' };
  return { portable: true };
}

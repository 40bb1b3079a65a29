// Which recipients actually had this subject's data, and which of them have been told (P13, P10). Derived from
// facts only: what each system's locate found (record types, lists) against what the recipients register says each
// recipient receives, and the notices the notice store holds. The register-wide list is never taken for the answer
// (CJEU C-154/21: the subject learns the actual recipients; categories only where they cannot be named).

import type { LocateResult } from './connector.ts';
import type { NoticeRecord } from './notice-plan.ts';
import { loadRecipients, type Recipient } from './registers/index.ts';
import type { RequestRecord, SystemState } from './request.ts';
import type { SystemName } from './schemas.ts';
import { allSystems } from './systems.ts';

/** What a system found of the subject: its locate's answer, or what its outcomes show when it has none. */
export type Holding = Pick<LocateResult, 'found' | 'recordTypes' | 'lists'>;

/**
 * A system's holding from its recorded state. A state without a locate (recorded before locates named record
 * types, or a fixture) is found when an outcome counts records, with record types unknown.
 */
export function holdingOf(state: SystemState | undefined): Holding | undefined {
  if (!state) return undefined;
  if (state.located) return state.located;
  const found = (state.outcomes ?? []).some((o) => 'records' in o && o.records > 0);
  return { found };
}

/**
 * Whether the recipient received the subject's data from one system: true or false from the facts, undefined
 * when the subject was found there but the locate did not say with which record types (then no one can say).
 */
export function receivedThrough(
  recipient: Recipient,
  system: SystemName,
  holding: Holding | undefined,
): boolean | undefined {
  if (!recipient.systems.includes(system)) return false;
  if (!holding) return undefined;
  if (!holding.found) return false;
  if (!holding.recordTypes) return undefined;
  const types = holding.recordTypes;
  if (!recipient.records.some((t) => types.includes(t))) return false;
  return recipient.lists.length === 0 || recipient.lists.some((l) => (holding.lists ?? []).includes(l));
}

/** Recipients of the subject's data: those the facts show, and those of systems where the facts are missing. */
export interface SubjectRecipients {
  /** received the subject's data, with the systems it came from */
  received: { recipient: Recipient; systems: SystemName[] }[];
  /** may have: a system that holds the subject did not say which records; shown only as a category */
  unknown: { recipient: Recipient; systems: SystemName[] }[];
}

/** Which recipients the subject's data went to, from what each system found (P1, Art. 15(1)(c)). */
export function recipientsOfSubject(systems: RequestRecord['systems']): SubjectRecipients {
  const out: SubjectRecipients = { received: [], unknown: [] };
  for (const recipient of loadRecipients().recipients) {
    const through = allSystems().map(
      (s) => [s, receivedThrough(recipient, s, holdingOf(systems[s]))] as const,
    );
    const received = through.filter(([, got]) => got === true).map(([s]) => s);
    const unknown = through.filter(([, got]) => got === undefined).map(([s]) => s);
    if (received.length > 0) out.received.push({ recipient, systems: received });
    else if (unknown.length > 0) out.unknown.push({ recipient, systems: unknown });
  }
  return out;
}

/** Where the notices of a request stand: `told` acknowledged them; `pending` are still being sent (P13). */
export interface NoticeStanding {
  told: Recipient[];
  pending: Recipient[];
}

/**
 * Splits the recipients a request affects by what the notice store holds at this moment: told only once a
 * recipient acknowledged; planned, unanswered or failed notices are pending (the sweep keeps sending them).
 */
export function noticeStanding(planned: readonly string[], records: readonly NoticeRecord[]): NoticeStanding {
  const ids = [...new Set([...planned, ...records.map((n) => n.recipientId)])];
  const acknowledged = new Set(records.filter((n) => n.status === 'acknowledged').map((n) => n.recipientId));
  // In the register's order, so every mail names them alike; an id the register lost cannot be named.
  const named = loadRecipients().recipients.filter((r) => ids.includes(r.id));
  return {
    told: named.filter((r) => acknowledged.has(r.id)),
    pending: named.filter((r) => !acknowledged.has(r.id)),
  };
}

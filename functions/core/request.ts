import type { LetterKind, ManualCheck, Representative } from './authority.ts';
import type { ExportPurpose, LocateResult, ObjectionScope, RectificationChanges } from './connector.ts';
import type { ManualTask } from './manual-answer.ts';
import type { MinimiseQueue } from './minimise.ts';
import type {
  Channel,
  ExtensionReason,
  Language,
  Outcome,
  Recheck,
  RejectionReason,
  RequestType,
  Status,
  SystemName,
} from './schemas.ts';
import type { MessageKind, MessageRole } from './sent-messages.ts';

/**
 * A request as stored (requests table, pk `REQ#<id>`, sk `REQUEST`). The subject's address is the only
 * personal datum; it never leaves this record except in e-mails to that address.
 */
export interface RequestRecord {
  pk: string;
  sk: 'REQUEST';
  /** constant 'request', the partition of the byReceived index */
  kind: 'request';
  id: string;
  type: RequestType;
  status: Status;
  channel: Channel;
  email: string;
  /** keyed hash of the address: the pseudonymous subject id used in audit entries and metrics */
  subjectRef: string;
  language: Language;
  /** false when the form named no language: the language on file then replaces the default once found (P18) */
  languageChosen?: boolean;
  receivedAt: string;
  dueAt: string;
  /**
   * The period extended once, before the first due date (Art. 12(3), P9); not a status. `note` is staff's internal
   * reason, never sent to the subject or written to the audit trail; `noticeSentAt` is when the subject was told.
   */
  extension?: {
    reason: ExtensionReason;
    dueAt: string;
    at: string;
    by: string;
    note?: string;
    noticeSentAt?: string;
  };
  verification: {
    codeHmac: string;
    expiresAt: string;
    attempts: number;
    sent: number;
    verifiedAt?: string;
  };
  /** why the request was refused; `explanation` is staff's text for `other`, sent to the subject (Art. 12(4)) */
  rejection?: { reason: RejectionReason; at: string; explanation?: string };
  approval?: { approved: boolean; by: string; at: string };
  /** task token of the parked approval wait; replaced each time the workflow waits again */
  approvalToken?: string;
  /** the person staff picked where the address leads to several customers (P8); connectors act for them only */
  identity?: { customerNumber: string; by: string; at: string };
  /** task token of the parked identity check; replaced each time the workflow waits again */
  identityToken?: string;
  /** the subject's postal address as the letter gives it (P4): personal data, scrubbed with the address */
  postalAddress?: string;
  /** who made the request for the subject (P12); answers go to them. Personal data, scrubbed with the address */
  representative?: Representative;
  /** a check staff must record before anything acts (P4 letters, P12); `checkedAt` once recorded (core/authority.ts) */
  manualCheck?: ManualCheck;
  /** printable letters sent instead of mails (core/answers.ts): ids, kinds and dates only */
  letters?: { id: string; kind: LetterKind; at: string }[];
  /** rectification (P2): the new values; scrubbed when the request closes */
  changes?: RectificationChanges;
  /** keyed hash of a new address in `changes.email`, so a suppression can follow the subject to it */
  newSubjectRef?: string;
  /** a new address in `changes.email` is confirmed with its own code before it takes effect (P2) */
  newEmailVerification?: { codeHmac: string; expiresAt: string; attempts: number; verifiedAt?: string };
  /** objection (P6) */
  scope?: ObjectionScope[];
  /** access (P1) or portability (P7): what the connectors export */
  exportPurpose?: ExportPurpose;
  /** portability to another organisation the subject named; `confirmedAt` once their verify confirmed it (Art. 20(2)) */
  recipient?: { organisation: string; email: string; confirmedAt?: string };
  /** where the assembled report or package lies in the export bucket, with its integrity and expiry */
  package?: { key: string; sha256: string; bytes: number; expiresAt: string; reportKey?: string };
  attempt: number;
  systems: Partial<Record<SystemName, SystemState>>;
  toldAt?: string;
  closedAt?: string;
  /** when the personal part (address, requested changes, staff's free text) was removed (core/minimise.ts) */
  minimisedAt?: string;
  /** the minimisation queue the store files a closed, not yet minimised request under: its sparse index key */
  minimise?: MinimiseQueue;
  /** what the deadline sweep did for the due date in force: staff reminders by step, the interim answer (P9) */
  deadline?: { dueAt: string; reminded: string[]; interimAt?: string };
  /** the workflow of this attempt failed: staff must act, and the subject is not left in silence (Art. 12(3)–(4)) */
  failure?: { reason: 'workflow_failed'; at: string; attempt: number };
  /** tasks of systems without an API, for their owners (core/manual-tasks.ts), by `<system>:<operation>` */
  manualTasks?: Record<string, ManualTask>;
  /**
   * The latest mail about the request that bounced or was complained about (P10, core/delivery.ts), until staff
   * record how they reached the subject instead; `reachedNote` is internal. `seen` lists every event recorded.
   */
  delivery?: {
    state: 'bounced' | 'complained';
    at: string;
    messageKind: MessageKind;
    to: MessageRole;
    messageId: string;
    seen: string[];
    reachedAt?: string;
    reachedBy?: string;
    reachedMeans?: 'letter' | 'phone' | 'other_address' | 'in_person';
    reachedNote?: string;
  };
  version: number;
}

export interface SystemState {
  located?: LocateResult;
  state: 'pending' | 'done' | 'failed';
  outcomes?: Outcome[];
  /** an erasure's fresh look after acting (P3); the system counts as done only when it agrees */
  recheck?: Recheck;
}

export const requestKey = (id: string) => ({ pk: `REQ#${id}`, sk: 'REQUEST' as const });

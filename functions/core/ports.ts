// What the domain needs from the outside world. Handlers pass AWS-backed implementations (core/storage,
// core/adapters); unit tests pass fakes.
import type { AuditEntry } from './audit.ts';
import type { LetterKind } from './authority.ts';
import type { MinimiseQueue } from './minimise.ts';
import type { NoticeOwner, NoticeRecord } from './notice-plan.ts';
import type { RequestRecord } from './request.ts';
import type { Channel, Language, RequestType, Status } from './schemas.ts';
import type { MailAbout } from './sent-messages.ts';
import type { MarketingList, SuppressionEntry, SuppressionReason } from './suppression.ts';

/** One e-mail; the idempotency key lets receivers (and our own retries) drop repeats. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  idempotencyKey: string;
  /** the request, kind and recipient's role it is logged under (core/sent-messages.ts); 'staff' is not logged */
  about: MailAbout;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** A printable letter sent instead of a mail (P4): HTML with the address block, personal data like the address. */
export interface Letter {
  requestId: string;
  id: string;
  kind: LetterKind;
  /** ISO 8601 */
  at: string;
  language: Language;
  html: string;
}

/** Where printable letters are kept until the request is minimised (functions/aws/letter-store.ts). */
export interface LetterStore {
  /** stores a letter once; a repeat of the same id changes nothing */
  put(letter: Letter): Promise<void>;
  /** the letter, or undefined when there is none or its content was minimised */
  get(requestId: string, letterId: string): Promise<Letter | undefined>;
  /** removes the content (HTML with the address) of a request's letters; answers how many there were */
  scrub(requestId: string): Promise<number>;
}

export interface Workflow {
  /** Starts the execution named after the request; false when one by that name already exists. */
  start(requestId: string, attempt: number): Promise<boolean>;
  /** Resumes a parked task; false when the token is no longer waiting (timed out, or a restart replaced it). */
  resume(taskToken: string, output: unknown): Promise<boolean>;
  /** Fails a parked task with an error name its Retry and Catch match; false when the token is no longer waiting. */
  fail(taskToken: string, error: string, cause: string): Promise<boolean>;
}

/** A page of the staff queue (functions/aws/request-list.ts); every filter applies before the page is counted. */
export interface ListQuery {
  status?: Status;
  type?: RequestType;
  channel?: Channel;
  /** only open requests: verified and not final (the due index's requests) */
  openOnly?: boolean;
  /** `received`: newest received first (the default); `due`: open requests, earliest due date first */
  order?: 'received' | 'due';
  /** a test of the domain's, applied to each request read before it counts towards the limit */
  keep?: (r: RequestRecord) => boolean;
  limit: number;
  cursor?: string;
}

type RecordOrNone = RequestRecord | undefined;

export interface RequestStore {
  create(record: RequestRecord): Promise<void>;
  get(id: string): Promise<RequestRecord | undefined>;
  /**
   * Applies a change with optimistic locking, re-reading on a concurrent write. `change` returns the new
   * record, or undefined to leave it as it is. Returns the stored record, or undefined when there is none.
   * `entry` is the audit entry of the change, chained to the request's trail in the same transaction: the
   * change and its entry are one fact, neither without the other (Art. 5(2)).
   */
  update(
    id: string,
    change: (current: RequestRecord) => RequestRecord | undefined,
    entry?: (next: RequestRecord) => AuditEntryInput | undefined,
  ): Promise<RecordOrNone>;
  list(query: ListQuery): Promise<{ items: RequestRecord[]; cursor?: string }>;
}

/** Open requests by due date, through the requests table's sparse due-date index (functions/aws/due-index.ts). */
export interface OpenRequests {
  /** every verified, not yet final request, page by page, the earliest due date first; never a scan */
  byDue(): AsyncIterable<RequestRecord[]>;
}

/** Completed requests by receipt date, through the byStatus index (functions/aws/request-list.ts). */
export interface CompletedRequests {
  /** every completed request received at or after `receivedFrom` (ISO 8601), page by page */
  completedSince(receivedFrom: string): AsyncIterable<RequestRecord[]>;
}

export interface RateLimiter {
  /** Counts one hit on a key; false when the key has used up its limit for the current window. */
  hit(key: string, limit: number, windowSeconds: number): Promise<boolean>;
}

/** The marketing store as the one-click opt-out needs it (functions/aws/marketing-opt-out.ts is the DynamoDB one). */
export interface MarketingOptOutStore {
  /** whether the subject's suppression entry already names the list */
  isSuppressed(subjectRef: string, list: MarketingList): Promise<boolean>;
  /** adds the list to the subject's suppression entry (keyed hash, reason `opt_out`) */
  suppress(subjectRef: string, list: MarketingList, now: Date): Promise<void>;
  /** takes every entry of the address off the list; answers how many there were */
  removeFromList(email: string, list: MarketingList): Promise<number>;
}

/** How a consent withdrawal was made, kept with it as evidence (Art. 7(1), 7(3)). */
export interface ConsentWithdrawal {
  at: Date;
  /** e.g. `one_click`: the RFC 8058 link in a mailing (P5) */
  channel: 'one_click';
  /** the pseudonymous id of what withdrew it (an opt-out id), never an address */
  by: string;
}

/** CRM's consents as the one-click opt-out needs them (functions/aws/crm-consents.ts is the DynamoDB one). */
export interface ConsentWithdrawals {
  /**
   * Records the consent for `purpose` as not given in every customer record the address leads to, where it is
   * still given; answers how many were withdrawn now (0 for a repeat, or for an address that is no customer).
   */
  withdraw(email: string, purpose: MarketingList, how: ConsentWithdrawal): Promise<number>;
}

export type Actor = 'subject' | 'system' | `staff:${string}`;

export interface AuditEntryInput {
  actor: Actor;
  action: string;
  /** ids, counts, statuses; never personal data */
  details?: Record<string, unknown>;
  /** what makes a repeat of this entry a repeat (a restarted step): written once per chain and key */
  fact?: string;
}

export interface AuditLog {
  /** Chains an entry; false when its fact key is already in the chain (nothing written). */
  append(requestId: string, entry: AuditEntryInput): Promise<boolean>;
}

/** A request as the access report lists it among the subject's earlier ones: no address, no staff id. */
export type HistoryRequest = Pick<
  RequestRecord,
  'id' | 'type' | 'status' | 'channel' | 'receivedAt' | 'closedAt' | 'subjectRef' | 'newSubjectRef'
> & { identity?: { customerNumber: string } };

/** What the pipeline itself keeps about a subject (P1, P15), read by keys only (functions/aws/subject-history.ts). */
export interface SubjectHistoryStore {
  /** every request filed from the address with this keyed hash (the bySubject index), oldest first */
  requestsOf(subjectRef: string): Promise<HistoryRequest[]>;
  /** the audit chain of a request or an opt-out, oldest first */
  chain(id: string): Promise<AuditEntry[]>;
  /** the notices sent for a request or an opt-out */
  notices(owner: NoticeOwner): Promise<NoticeRecord[]>;
}

// Connectors

/** One item of a system store: key attributes and whatever the record holds. */
export interface SystemItem {
  pk: string;
  sk: string;
  [attribute: string]: unknown;
}

/** The key of one item of a system store. */
export type SystemKey = Pick<SystemItem, 'pk' | 'sk'>;

/** A system's own table, as the store connector reads and changes it (functions/aws/system-store.ts). */
export interface SystemStore {
  /** every item holding the address (lower case) in `email`, through the address index */
  byEmail(email: string): Promise<SystemItem[]>;
  /** a whole partition, read consistently */
  partition(pk: string): Promise<SystemItem[]>;
  /**
   * a partition page by page, in sort-key order, optionally only sort keys beginning with `prefix`; deleting items
   * already yielded does not disturb the pages to come (DynamoDB resumes after the last key)
   */
  pages(pk: string, prefix?: string): AsyncGenerator<SystemItem[]>;
  /**
   * Deletes the items and answers the keys of those that existed, so counts say what this call removed: two
   * concurrent erasures of one subject never both report the same record as erased.
   */
  deleteAll<K extends SystemKey>(keys: K[]): Promise<K[]>;
  /** writes `to` and deletes `from` in one transaction (a record moved to the restricted partition) */
  move(from: SystemKey, to: SystemItem): Promise<void>;
  /** sets attributes of an item that still exists; false when it is gone (an erasure won) */
  update(key: SystemKey, set: Record<string, unknown>): Promise<boolean>;
  /** keys of restricted records whose purge date (`purgeOn`, YYYY-MM-DD) is before `before`, page by page */
  purgeDue(before: string): AsyncGenerator<SystemKey[]>;
  /** every address held in `email`, page by page (a restore's re-apply only: it reads the whole address index) */
  addresses(): AsyncGenerator<string[]>;
}

/** The marketing store's suppression entries, keyed by subjectRef (functions/aws/suppression-store.ts). */
export interface SuppressionStore {
  /** adds lists to a subject's entry (created if missing) and answers the entry as it now stands */
  suppress(input: SuppressInput): Promise<SuppressionEntry>;
  /** a subject's entry, if any */
  read(subjectRef: string): Promise<SuppressionEntry | undefined>;
}

export interface SuppressInput {
  subjectRef: string;
  lists: readonly MarketingList[];
  reason: SuppressionReason | SuppressionReason[];
  now: Date;
}

/** Writes one list entry unless a suppression entry names its list or it is there already (one transaction). */
export interface SubscriberStore {
  add(
    entry: SystemItem,
    subjectRef: string,
    list: MarketingList,
  ): Promise<'added' | 'present' | 'suppressed'>;
}

/** What a connector reads of a request: the projected attributes, or undefined when there is no request. */
export interface ConnectorRequests {
  inputs(requestId: string, attributes: readonly string[]): Promise<Record<string, unknown> | undefined>;
}

/** What makes a repeat of a connector operation a repeat. */
export interface OperationKey {
  requestId: string;
  system: string;
  operation: string;
  attempt: number;
}

/** An answer `act` gives: recorded (a repeat gets it again) or not (nothing was done; a corrected request may run). */
export type LedgerAnswer<T> = { record: true; result: T } | { record: false; result: T };

/** Runs each connector operation at most once per key (functions/aws/operation-ledger.ts). */
export interface OperationLedger {
  /**
   * Answers the recorded result of a finished run; waits for a run in progress and answers its result; or runs
   * `act` under a lock that lapses after `lockMs` (the caller's remaining time), recording its answer if asked.
   */
  once<T>(key: OperationKey, lockMs: number, act: () => Promise<LedgerAnswer<T>>): Promise<T>;
}

// The pipeline's own records (P9, Art. 5(1)(e))

/** Where the expiry sweep finds its work, by index and never by a scan (functions/aws/expiry-index.ts). */
export interface ExpiryIndex {
  /** ids of requests still awaiting verification that were received at or before `before`, oldest first */
  unverified(before: Date, limit: number): Promise<string[]>;
  /** ids of requests waiting in a minimisation queue that were closed at or before `before`, oldest first */
  toMinimise(queue: MinimiseQueue, before: Date, limit: number): Promise<string[]>;
}

// Retention sweep (P11) and the erasure ledger (P3)

/** The sweep's working files (batches of customer numbers, per-batch results) in the export bucket, short-lived. */
export interface SweepFiles {
  put(key: string, body: string): Promise<void>;
  /** the object's text, or undefined when there is none */
  get(key: string): Promise<string | undefined>;
  /** keys under a prefix, page by page, in key order */
  list(prefix: string): AsyncGenerator<string[]>;
}

/** Starts a retention sweep run (P11): the sweep's state machine on AWS, the runtime's own runner locally. */
export interface SweepRuns {
  start(runId: string, dryRun: boolean): Promise<void>;
}

/** One erasure as the ledger keeps it: keyed hashes and dates, never an address or a customer number. */
export interface ErasureEntry {
  /** keyed hash of the address a request erased (core/secrets.ts subjectRef) */
  subjectRef?: string;
  /** keyed hash of the customer number the sweep erased, or of the person staff picked (core/secrets.ts customerRef) */
  customerRef?: string;
  by: 'request' | 'sweep';
  /** the request id, or the sweep's run id */
  id: string;
  /** ISO 8601 */
  erasedAt: string;
  systems: string[];
}

/** Every erasure, kept apart from the stores it protects so a restore of those cannot roll it back (P3). */
export interface ErasureLedger {
  record(entry: ErasureEntry): Promise<void>;
  /** the erasures made from `from` on, page by page, oldest day first */
  since(from: Date, to: Date): AsyncGenerator<ErasureEntry[]>;
}

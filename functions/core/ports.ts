// What the domain needs from the outside world. Handlers pass AWS-backed implementations (core/storage,
// core/adapters); unit tests pass fakes.
import type { RequestRecord } from './request.ts';
import type { RequestType, Status } from './schemas.ts';
import type { MarketingList } from './suppression.ts';

/** One e-mail; the idempotency key lets receivers (and our own retries) drop repeats. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  idempotencyKey: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

export interface Workflow {
  /** Starts the execution named after the request; false when one by that name already exists. */
  start(requestId: string, attempt: number): Promise<boolean>;
  /** Resumes a parked task; false when the token is no longer waiting (timed out, or a restart replaced it). */
  resume(taskToken: string, output: unknown): Promise<boolean>;
}

export interface ListQuery {
  status?: Status;
  type?: RequestType;
  limit: number;
  cursor?: string;
}

export interface RequestStore {
  create(record: RequestRecord): Promise<void>;
  get(id: string): Promise<RequestRecord | undefined>;
  /**
   * Applies a change with optimistic locking, re-reading on a concurrent write. `change` returns the new
   * record, or undefined to leave it as it is. Returns the stored record, or undefined when there is none.
   */
  update(
    id: string,
    change: (current: RequestRecord) => RequestRecord | undefined,
  ): Promise<RequestRecord | undefined>;
  list(query: ListQuery): Promise<{ items: RequestRecord[]; cursor?: string }>;
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

export type Actor = 'subject' | 'system' | `staff:${string}`;

export interface AuditEntryInput {
  actor: Actor;
  action: string;
  /** ids, counts, statuses; never personal data */
  details?: Record<string, unknown>;
}

export interface AuditLog {
  append(requestId: string, entry: AuditEntryInput): Promise<void>;
}

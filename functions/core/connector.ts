import * as z from 'zod';
import { RECTIFIABLE_FIELDS } from './builtins.ts';
import type { RetentionGround } from './retention.ts';
import { Email, Language, type Operation, type Outcome, type SystemName } from './schemas.ts';

/**
 * How a connector finds the subject: the address verified by the request, plus keys found on the way. The
 * retention sweep knows no address: it gives an empty `email` and the `customerNumber` from a subject list.
 */
export interface SubjectKeys {
  email: string;
  /** the request's keyed hash of the address: finds records kept under restriction once the address is gone */
  subjectRef?: string;
  /** the one person staff picked where the address leads to several (a shared mailbox, P8); only theirs is touched */
  customerNumber?: string;
}

/** Context every operation receives; the request id keys idempotency. */
export interface OperationContext {
  requestId: string;
  now: Date;
}

/** What a system holds on the subject, in counts and categories only (PROMISES P16). */
export interface LocateResult {
  found: boolean;
  records: number;
  categories: string[];
  /** the preferred language on file, if the system keeps one: the answer's language when the form named none (P18) */
  language?: Language;
  /** how many people the address leads to, when more than one and none was picked: nothing may be done (P8) */
  customers?: number;
  /**
   * the record types found (sort-key prefixes, as the registers name them) and the marketing lists the subject is
   * on: which recipients had their data (P13, CJEU C-154/21); names of kinds, never values
   */
  recordTypes?: string[];
  lists?: string[];
  /** the restricted records among `records`, by category, ground and purge date: what a fresh look checks (P3) */
  kept?: KeptCount[];
}

/** Restricted records of one category, ground and purge date, as a look counts them; no ground if none is set. */
export const KeptCount = z.object({
  category: z.string(),
  ground: z.string().optional(),
  until: z.string().optional(),
  records: z.number().int(),
});
export type KeptCount = z.infer<typeof KeptCount>;

/** A LocateResult as a connector Lambda answers it to the workflow: counts, categories, grounds. */
export const LocateResultSchema = z.object({
  found: z.boolean(),
  records: z.number().int(),
  categories: z.array(z.string()),
  language: Language.optional(),
  customers: z.number().int().optional(),
  recordTypes: z.array(z.string()).optional(),
  lists: z.array(z.string()).optional(),
  kept: z.array(KeptCount).optional(),
});

// ---- export (P1, P7, P16) ----

/** Access (P1: everything, Art. 15(4) redactions) or portability (P7: provided and observed data only). */
export const ExportPurpose = z.enum(['access', 'portability']);
export type ExportPurpose = z.infer<typeof ExportPurpose>;

export type ExportFormat = 'json' | 'csv';

/** What a closed export file is: counts and a hash, never its content. */
export interface ExportFileInfo {
  name: string;
  format: ExportFormat;
  records: number;
  bytes: number;
  /** hex SHA-256 of the file's bytes, for the portability manifest */
  sha256: string;
}

/** One file being written; records go in one at a time, so a connector never holds a whole export. */
export interface ExportFile {
  /** resolves once the record is accepted (waits while the destination is busy: backpressure) */
  write(record: Record<string, unknown>): Promise<void>;
  close(): Promise<ExportFileInfo>;
  /** drops a half-written file after a failure */
  abort(): Promise<void>;
}

/** Where an export goes (S3 in the Lambda, memory in unit tests): a port, so connectors never know. */
export interface ExportSink {
  /**
   * Opens a file. `name` includes the extension (e.g. `invoices.csv`); `columns` fixes a CSV's header, else the
   * first record's fields do (anything outside the header lands in an `extra` column, never lost).
   */
  file(name: string, format: ExportFormat, options?: { columns?: string[] }): ExportFile;
}

export interface ExportInput {
  purpose: ExportPurpose;
  sink: ExportSink;
}

// ---- rectification (P2) ----

/** A Belgian or foreign number in E.164 after removing spaces, dots, slashes and dashes. */
const Phone = z
  .string()
  .transform((s) => s.replace(/[\s./()-]/g, ''))
  .pipe(
    z
      .string()
      .regex(
        /^\+[1-9]\d{7,14}$/,
        'A phone number in international form: +, the country code, then the number',
      ),
  );

const NamePart = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}<>]+$/u, 'No control characters or angle brackets');

export const PostalAddress = z.strictObject({
  street: z.string().trim().min(1).max(200),
  postalCode: z.string().trim().min(1).max(12),
  city: z.string().trim().min(1).max(100),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code'),
});

/** The fields a rectification may change (P2), each with its own format; at least one. */
export const RectificationChanges = z
  .strictObject({
    firstName: NamePart.optional(),
    lastName: NamePart.optional(),
    email: Email.optional(),
    phone: Phone.optional(),
    address: PostalAddress.optional(),
    language: Language.optional(),
    gender: z.enum(['F', 'M', 'X']).optional(),
    jobTitle: z.string().trim().min(1).max(120).optional(),
  })
  .refine((c) => Object.values(c).some((v) => v !== undefined), 'At least one field to change');
export type RectificationChanges = z.infer<typeof RectificationChanges>;
export type RectifiableField = keyof RectificationChanges;
export { RECTIFIABLE_FIELDS };

// The list lives in builtins.ts (configured systems map fields to it); it must name exactly these fields.
const _fields: readonly RectifiableField[] = RECTIFIABLE_FIELDS;

export interface RectifyInput {
  changes: RectificationChanges;
  /**
   * keyed hash of the new address, when `changes.email` is set: lets a suppression follow the subject to the new
   * address (connectors hold no secret to compute it)
   */
  newSubjectRef?: string;
}

// ---- objection (P6) ----

/**
 * What a subject objects to: direct marketing, with the profiling for it (absolute, Art. 21(2)–(3)); profiling,
 * which rests on consent here, so this withdraws it (Art. 7(3)); processing on our legitimate interest, which staff
 * weigh (Art. 21(1); the purposes are the register's, `legitimateInterestPurposes`).
 */
export const ObjectionScope = z.enum(['direct_marketing', 'profiling', 'legitimate_interest']);
export type ObjectionScope = z.infer<typeof ObjectionScope>;
/** One scope or several, as the request holds it; normalised to a sorted list without repeats. */
export const ObjectionScopes = z
  .union([ObjectionScope, z.array(ObjectionScope).min(1)])
  .transform((s) => [...new Set(Array.isArray(s) ? s : [s])].sort());

export interface ObjectInput {
  scope: ObjectionScope[];
}

// ---- retention sweep (P11) and legal retention purge (P3) ----

/** What a system knows of a customer's activity, for the retention sweep (P11): dates and a flag, no content. */
export type ActivityReport =
  | { kind: 'not_found' }
  | {
      kind: 'found';
      /** the latest dated act of the subject here (invoice, payment, call, login, ticket, marketing), ISO 8601 */
      lastActivityAt?: string;
      /** a contract still runs: the subject is a customer whatever the dates say */
      contractRunning: boolean;
      /**
       * the addresses on file here, lower case; the sweep turns them into keyed hashes at once (open requests,
       * restricted records) and never logs, returns or stores them
       */
      emails: string[];
    };

/** What one call of the legal retention purge did in a system: pseudonymous refs, counts and grounds only. */
export interface PurgeResult {
  /** restricted records removed (or, in a dry run, due), per subject ref, category and ground */
  purged: { subjectRef: string; category: string; ground: RetentionGround; records: number }[];
  /** due records kept because a claim is still open; looked at again on the next run */
  deferred: number;
  /** more due records remain: call again */
  more: boolean;
}

export interface PurgeOptions {
  /** records looked at in one call (the caller's time budget) */
  limit?: number;
  /** count what is due and change nothing */
  dryRun?: boolean;
}

/** The one contract every system's connector implements (DESIGN: Connector contract). Every operation is idempotent. */
export interface Connector {
  readonly system: SystemName;
  locate(subject: SubjectKeys, ctx: OperationContext): Promise<LocateResult>;
  erase(subject: SubjectKeys, ctx: OperationContext): Promise<Outcome[]>;
  /** Streams what the system holds into the sink, page by page; answers `exported` (counts, hashes) or `not_found`. */
  export(subject: SubjectKeys, ctx: OperationContext, input: ExportInput): Promise<Outcome[]>;
  /** Applies the changes wherever the system holds the field; issued invoices are never rewritten (`retained`). */
  rectify(subject: SubjectKeys, ctx: OperationContext, input: RectifyInput): Promise<Outcome[]>;
  /** Stops marketing and/or profiling in this system; a system without either answers `skipped`. */
  object(subject: SubjectKeys, ctx: OperationContext, input: ObjectInput): Promise<Outcome[]>;
  /** The subject's last activity here and whether a contract runs (retention sweep, P11). */
  activity(subject: SubjectKeys, ctx: OperationContext): Promise<ActivityReport>;
  /** The system's subject list, shard `shard` of RETENTION.shards, page by page in customer-number order. */
  subjects(shard: number): AsyncIterable<string[]>;
  /** Every address on file, page by page, repeats possible (re-applying erasures after a restore, P3). */
  addresses(): AsyncIterable<string[]>;
  /** Removes restricted records whose retention ended, re-checking open claims first (P3, P11). */
  purge(ctx: OperationContext, options?: PurgeOptions): Promise<PurgeResult>;
}

/** The event a connector Lambda receives from the workflow: ids only, never personal data. */
export interface ConnectorEvent {
  requestId: string;
  attempt: number;
  system: SystemName;
  operation: Operation;
}

/** What a connector Lambda returns to the workflow: counts, kinds, grounds; never personal data. */
export interface ConnectorResult {
  system: SystemName;
  operation: Operation;
  located?: LocateResult;
  outcomes: Outcome[];
}

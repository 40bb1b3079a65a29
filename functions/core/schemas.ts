import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { type BuiltInSystem, SYSTEMS } from './builtins.ts';
import { isSystem } from './systems.ts';

// Only ZodType is patched; handing over the whole `z` namespace as a value would keep all of zod (its JSON Schema
// converters, every locale's messages) in every Lambda bundle, since esbuild can then shake none of it.
extendZodWithOpenApi({ ZodType: z.ZodType } as Parameters<typeof extendZodWithOpenApi>[0]);

export { type BuiltInSystem, CATEGORIES, type Category, SYSTEMS } from './builtins.ts';

/** A built-in system's name: where code is specific to one of the four. */
export const BuiltInSystemName = z.enum(SYSTEMS);
/** Any system's name: a built-in one or one of config/systems/ (P17); unknown names are refused. */
export const SystemName = z.string().refine(isSystem, 'Unknown system').openapi({
  description: 'A system that holds personal data: billing, crm, support, marketing or a configured one',
});
export type SystemName = BuiltInSystem | (string & {});

export const Language = z
  .enum(['nl', 'fr', 'en'])
  .openapi({ description: 'Language of every message (P18)' });
export type Language = z.infer<typeof Language>;

/** Every request type the product carries out. */
export const REQUEST_TYPES = ['access', 'portability', 'rectification', 'erasure', 'objection'] as const;
export const RequestType = z.enum(REQUEST_TYPES);
export type RequestType = z.infer<typeof RequestType>;

export const STATUSES = [
  'awaiting_verification',
  'awaiting_identity_check',
  'awaiting_approval',
  'in_progress',
  'completed',
  'partially_completed',
  'rejected',
  'expired',
] as const;
export const Status = z.enum(STATUSES);
export type Status = z.infer<typeof Status>;

/** The only grounds on which the period for an answer may be extended (Art. 12(3)); not a status. */
export const ExtensionReason = z.enum(['complexity', 'number_of_requests']);
export type ExtensionReason = z.infer<typeof ExtensionReason>;

export const Channel = z.enum(['web', 'email', 'letter']);
export type Channel = z.infer<typeof Channel>;

export const RejectionReason = z.enum([
  'verification_failed',
  'identity_not_established',
  'manifestly_unfounded',
  'excessive',
  // Only for an objection to processing on legitimate interest, and the only reason for it (Art. 21(1)).
  'compelling_legitimate_grounds',
  'other',
]);
export type RejectionReason = z.infer<typeof RejectionReason>;

// RFC 5321 caps an address at 254 characters; zod's email() checks the shape.
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .check(z.email())
  .openapi({ format: 'email', example: 'an.devos@example.be' });

export const VerifyBody = z
  .strictObject({
    code: z.string().regex(/^\d{8}$/, 'The code has 8 digits'),
    confirmTransfer: z.boolean().optional().openapi({
      description:
        'A portability request to another organisation (GDPR Art. 20(2)) is verified only with true: the subject confirms the organisation the code e-mail names',
    }),
  })
  .openapi('VerifyRequest');

/** Staff text may break lines, and holds no other control character. */
export const withoutControlCharacters = (s: string) =>
  [...s].every((c) => c >= ' ' || c === '\n' || c === '\r') && !s.includes('\u007f');

/** Longest explanation staff may write for an `other` refusal. */
export const EXPLANATION_MAX = 1000;

/**
 * Staff's own reason for an `other` refusal, sent to the subject as written (Art. 12(4)). It is staff text, not
 * the subject's data, yet it stays out of logs and audit details: the audit keeps the reason code only.
 */
export const RejectionExplanation = z
  .string({ error: 'Explain the refusal to the subject' })
  .trim()
  .min(10, 'Explain the refusal to the subject in at least 10 characters')
  .max(EXPLANATION_MAX, `At most ${EXPLANATION_MAX} characters`)
  .refine(withoutControlCharacters, { message: 'No control characters' })
  .openapi({ description: "The reason, in the subject's language, as the subject will read it" });

const internalNote = z
  .string()
  .max(500)
  .optional()
  .openapi({ description: 'Internal note; never sent to the subject' });

/**
 * A staff refusal: a reason code, each with its own written explanation in the subject's language (Art. 12(4));
 * `other` carries staff's explanation instead, required there and refused with any other code.
 */
export const RejectBody = z
  .discriminatedUnion('reason', [
    z.strictObject({
      reason: RejectionReason.exclude(['other']).openapi({
        description:
          'For an objection on legitimate interest (Art. 21(1)) compelling_legitimate_grounds is the only reason, and it refuses nothing else; an objection to direct marketing or a withdrawal of consent cannot be rejected',
      }),
      note: internalNote,
    }),
    z.strictObject({ reason: z.literal('other'), explanation: RejectionExplanation, note: internalNote }),
  ])
  .openapi('RejectRequest');
export type RejectBody = z.infer<typeof RejectBody>;

/** The company's customer number, the join key of every system (`C-` and six digits). */
export const CustomerNumber = z
  .string()
  .regex(/^C-\d{6}$/, 'A customer number: C- and six digits')
  .openapi({ example: 'C-100234' });

/** Staff pick the one person behind an address several customers share (P8). */
export const ResolveIdentityBody = z
  .strictObject({ customerNumber: CustomerNumber })
  .openapi('ResolveIdentity');

export const RequestId = z.string().regex(/^r_[0-9A-Za-z]{22}$/, 'Not a request id');

/** Why a record stays out of a portability package (P7, Art. 20(1)); core/portability-scope.ts decides. */
export const LEFT_OUT_REASONS = ['restricted', 'legal_basis', 'staff_note', 'inferred'] as const;
export type LeftOutReason = (typeof LEFT_OUT_REASONS)[number];

/** What one system did for one operation (PROMISES P3, P16): a discriminated union. */
export const Outcome = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('erased'), records: z.number().int(), category: z.string() }),
  z.object({
    kind: z.literal('retained'),
    records: z.number().int(),
    category: z.string(),
    ground: z.string(),
    until: z.string().describe('ISO date on which the retained data is purged'),
    periods: z
      .array(z.object({ ground: z.string(), until: z.string() }))
      .optional()
      .describe('where several grounds apply, each with the date it ends on, the first weighing most'),
    kept: z.array(z.string()).describe('the fields still held'),
  }),
  z.object({ kind: z.literal('not_found') }),
  z.object({ kind: z.literal('skipped'), reason: z.string() }),
  z.object({ kind: z.literal('failed'), retryable: z.boolean(), reason: z.string() }),
  // [2/7] export, rectify, object: counts, names and hashes only, never values.
  z.object({
    kind: z.literal('exported'),
    purpose: z.enum(['access', 'portability']),
    records: z.number().int(),
    files: z.array(
      z.object({
        name: z.string(),
        format: z.enum(['json', 'csv']),
        records: z.number().int(),
        bytes: z.number().int(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        categories: z.array(z.string()),
      }),
    ),
    omitted: z
      .array(
        z.object({
          category: z.string(),
          records: z.number().int(),
          reason: z.enum(LEFT_OUT_REASONS),
          legalBasis: z.array(z.string()).optional().describe("the register's bases, when they keep it out"),
        }),
      )
      .describe('records left out of a portability export (P7, Art. 20(1)), by category and reason'),
    redacted: z
      .number()
      .int()
      .describe("other people's names, numbers and addresses removed from free text (Art. 15(4))"),
    masked: z.number().int().describe("other people's numbers masked in call records (Art. 20(4))"),
  }),
  z.object({
    kind: z.literal('rectified'),
    records: z.number().int(),
    category: z.string(),
    fields: z.array(z.string()).describe('the changed fields these records hold; never the values'),
  }),
  z.object({
    kind: z.literal('withdrawn'),
    records: z.number().int(),
    category: z.string(),
    purposes: z.array(z.string()).describe('consents now recorded as not given'),
  }),
  // P8: the address leads to several people and none was picked; nothing was disclosed, exported or erased.
  z.object({
    kind: z.literal('ambiguous'),
    customers: z.number().int().min(2),
    records: z.number().int(),
  }),
  z.object({
    kind: z.literal('objected'),
    records: z.number().int(),
    category: z.string(),
    purposes: z
      .array(z.string())
      .describe('purposes on legitimate interest these records are no longer processed for (Art. 21(1))'),
  }),
  z.object({
    kind: z.literal('suppressed'),
    lists: z.array(z.string()).describe('lists a later import cannot add the subject to again (P6)'),
  }),
]);
export type Outcome = z.infer<typeof Outcome>;

/** `recheck` is the fresh look after an erasure (P3): a locate of its own, so it never answers the first one's record. */
export const Operation = z.enum(['locate', 'export', 'erase', 'rectify', 'object', 'recheck']);
export type Operation = z.infer<typeof Operation>;

/** Why a fresh look after an erasure disagrees with what the system answered (P3). */
export const RecheckReason = z.enum(['live_records', 'kept_without_ground', 'kept_untold', 'not_checked']);
export type RecheckReason = z.infer<typeof RecheckReason>;

/** Proof of erasure (P3): what a fresh look after acting still found in one system, in counts only. */
export const Recheck = z
  .object({
    attempt: z.number().int(),
    agrees: z.boolean().describe('only records kept on a ground the subject is told of, or nothing, remain'),
    live: z.number().int().describe('records still found outside the restricted partition'),
    kept: z.number().int().describe('restricted records found'),
    reasons: z.array(RecheckReason).optional(),
  })
  .openapi('Recheck');
export type Recheck = z.infer<typeof Recheck>;

/** Per-system progress as recorded on the request and shown to subject and staff. */
export const SystemProgress = z
  .object({
    system: SystemName,
    located: z.object({ found: z.boolean(), records: z.number().int() }).optional(),
    state: z.enum(['pending', 'done', 'failed']),
    outcomes: z.array(Outcome).optional(),
    recheck: Recheck.optional(),
    waiting: z
      .literal('owner')
      .optional()
      .describe('a system without an API whose owner has not yet answered its task (P17)'),
  })
  .openapi('SystemProgress');
export type SystemProgress = z.infer<typeof SystemProgress>;

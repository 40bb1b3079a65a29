// A request made by someone other than the subject (P12), or received by letter (P4): nothing acts until staff record
// how they checked the identity and, for a representative, the authority. Staff record a method code and at most an
// internal note, never a copy of an ID document (GBA recommendation 17/2020). The wait is the identity-check wait
// of P8 (identity-check.ts, staff-wait.ts): the workflow locates, then parks in awaiting_identity_check.
import * as z from 'zod';
import { changeInStatus, type DecisionDeps } from './decisions.ts';
import { awaitsIdentityCheck } from './identity-check.ts';
import { checkPending, needsApproval } from './lifecycle.ts';
import { CustomerNumber, withoutControlCharacters } from './schemas.ts';
import type { MessageKind } from './sent-messages.ts';

/** Who makes a request for the subject: a parent for a child under 16, a guardian, or another representative. */
export const Relation = z.enum(['parent', 'guardian', 'representative']);
export type Relation = z.infer<typeof Relation>;

/** How staff checked who wrote and, for a representative, their authority: codes only, never the document. */
export const AUTHORITY_METHODS = [
  'id_document_seen',
  'customer_number_and_address',
  'signed_letter_matches_records',
  'parental_authority_document_seen',
  'guardianship_decision_seen',
  'power_of_attorney_seen',
  'lawyer_mandate_seen',
] as const;
export const AuthorityMethod = z.enum(AUTHORITY_METHODS).openapi({
  description:
    'How identity and (for a representative) authority were checked; the document itself is seen, never copied or kept (GBA recommendation 17/2020)',
});
export type AuthorityMethod = z.infer<typeof AuthorityMethod>;

const oneLine = (s: string) => !/[\p{Cc}\u2028\u2029]/u.test(s);

/** A postal address as the letter gives it: lines apart by a newline, nothing else but text. */
export const PostalAddress = z
  .string()
  .trim()
  .min(5)
  .max(500)
  .refine(withoutControlCharacters, 'No control characters')
  .openapi({
    description: 'Postal address, one line per row (\\n between rows)',
    example: 'Markt 1\n8500 Kortrijk',
  });

export const PersonName = z.string().trim().min(2).max(200).refine(oneLine, 'A name on one line');

/** The kinds of answer that go out as a mail, or as a printable letter when there is no e-mail address. */
export const LETTER_KINDS = [
  'acknowledgement',
  'outcome',
  'refusal',
  'extension',
  'interim',
] as const satisfies readonly MessageKind[];
export type LetterKind = (typeof LETTER_KINDS)[number];

/** Who acts for the subject (P12): personal data, kept on the request and scrubbed with the subject's address. */
export interface Representative {
  relation: Relation;
  name: string;
  email?: string;
  postalAddress?: string;
}

/** The check staff must record; `checkedAt`, `method`, `by` and `note` once they did. */
export interface ManualCheck {
  /** `authority` when someone acts for the subject, `identity` for a subject who wrote a letter */
  of: 'identity' | 'authority';
  checkedAt?: string;
  method?: AuthorityMethod;
  by?: string;
  /** staff's internal note: never sent, never in the audit trail; scrubbed at minimisation */
  note?: string;
}

export const AuthorityCheckBody = z
  .strictObject({
    method: AuthorityMethod,
    note: z
      .string()
      .trim()
      .max(500)
      .refine(withoutControlCharacters, 'No control characters')
      .optional()
      .openapi({ description: 'Internal note; never sent, never a copy or number of an ID document' }),
    customerNumber: CustomerNumber.optional().openapi({
      description:
        'The customer the request is about, where staff established it (a letter without e-mail address)',
    }),
  })
  .openapi('AuthorityCheck');
export type AuthorityCheckBody = z.infer<typeof AuthorityCheckBody>;

export interface AuthorityDeps extends DecisionDeps {
  /** keyed hash of a customer number: the audit trail holds pseudonymous ids only (P15) */
  customerRef: (customerNumber: string) => string;
}

/**
 * Records how staff checked identity and authority; the parked workflow then goes on as for a verified request. A
 * portability transfer the letter names is confirmed by this check, as the subject's verify confirms it on the web.
 */
export async function recordAuthorityCheck(
  deps: AuthorityDeps,
  id: string,
  staffId: string,
  body: AuthorityCheckBody,
) {
  const at = deps.now().toISOString();
  const updated = await changeInStatus(
    deps.store,
    id,
    'not_awaiting_identity_check',
    (r) => r.status === 'awaiting_identity_check' && checkPending(r),
    (r) => {
      r.manualCheck = {
        of: r.manualCheck?.of ?? 'identity',
        checkedAt: at,
        method: body.method,
        by: staffId,
        ...(body.note ? { note: body.note } : {}),
      };
      if (body.customerNumber) r.identity = { customerNumber: body.customerNumber, by: staffId, at };
      if (r.recipient) r.recipient.confirmedAt = at;
      if (!awaitsIdentityCheck(r))
        r.status = needsApproval(r) && !r.approval ? 'awaiting_approval' : 'in_progress';
    },
    (r) => ({
      actor: `staff:${staffId}`,
      action: 'authority.checked',
      details: {
        of: r.manualCheck?.of,
        method: body.method,
        ...(r.representative ? { relation: r.representative.relation } : {}),
        ...(body.customerNumber ? { customerRef: deps.customerRef(body.customerNumber) } : {}),
      },
    }),
  );
  if (updated.identityToken && updated.status !== 'awaiting_identity_check')
    await deps.workflow.resume(updated.identityToken, { resolved: true });
  return { id, status: updated.status };
}

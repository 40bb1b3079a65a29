// Staff register a request received by letter or by e-mail (P4), or made by someone for the subject (P12), with its
// real receipt date: the period counts from it (P9). The subject's own e-mail proves control with a code, as on the
// web; a letter, and every request made by someone else, waits for staff to record how they checked (authority.ts).
import * as z from 'zod';
import { type LetterKind, PersonName, PostalAddress, Relation } from './authority.ts';
import { dueDate } from './deadlines.ts';
import { RefusedError } from './errors.ts';
import { newRequestId } from './ids.ts';
import { CODE_LIFETIME_MS, codeMail } from './intake.ts';
import { acknowledgementMessage } from './messages/index.ts';
import type { AuditLog, Mailer, RequestStore, Workflow } from './ports.ts';
import { type RequestRecord, requestKey } from './request.ts';
import { CreateRequestBody } from './request-body.ts';
import { typeFields } from './request-fields.ts';
import { Email, Language } from './schemas.ts';
import { codeHmac, newCode, subjectRef } from './secrets.ts';

/** The oldest receipt date staff may register: a letter found a year late is a matter for the privacy officer. */
export const MAX_RECEIPT_AGE_DAYS = 365;
const DAY_MS = 86_400_000;

export const Representative = z
  .strictObject({
    relation: Relation,
    name: PersonName,
    email: Email.optional(),
    postalAddress: PostalAddress.optional(),
  })
  .refine((r) => r.email !== undefined || r.postalAddress !== undefined, {
    message: "The representative's own e-mail or postal address, to answer to",
    path: ['postalAddress'],
  })
  .openapi('Representative', { description: 'Who acts for the subject (P12); the answers go to them' });

const staffFields = {
  email: Email.optional().openapi({ description: "The subject's e-mail address, if known" }),
  language: Language,
  channel: z.enum(['letter', 'email']),
  receivedAt: z.iso.datetime({ offset: true }).openapi({
    description:
      'When the letter or e-mail was received; the period counts from it (P9). Not in the future, at most a year ago',
  }),
  postalAddress: PostalAddress.optional().openapi({ description: "The subject's postal address" }),
  representative: Representative.optional(),
};

const [access, portability, rectification, erasure, objection] = CreateRequestBody.options;

/** Whom the answers go to: the representative where one acts, otherwise the subject. */
const requesterOf = (b: {
  email?: string;
  postalAddress?: string;
  representative?: { email?: string; postalAddress?: string };
}) => b.representative ?? b;

export const RegisterRequestBody = z
  .discriminatedUnion('type', [
    access.extend(staffFields),
    portability.extend(staffFields),
    rectification.extend(staffFields),
    erasure.extend(staffFields),
    objection.extend(staffFields),
  ])
  .superRefine((b, ctx) => {
    const to = requesterOf(b);
    if (b.channel === 'email' && !to.email)
      ctx.addIssue({
        code: 'custom',
        path: b.representative ? ['representative', 'email'] : ['email'],
        message: 'A request received by e-mail needs the address it came from',
      });
    if (!to.email && !to.postalAddress)
      ctx.addIssue({
        code: 'custom',
        path: ['postalAddress'],
        message: 'An e-mail or postal address to answer to',
      });
  })
  .openapi('RegisterRequest');
export type RegisterRequestBody = z.infer<typeof RegisterRequestBody>;

export interface RegisterDeps {
  store: RequestStore;
  audit: AuditLog;
  /** the answer mailer (core/answers.ts): the acknowledgement may be a letter */
  mailer: Mailer;
  workflow: Workflow;
  secret: string;
  now: () => Date;
}

function checkReceipt(receivedAt: Date, now: Date) {
  const earliest = new Date(now.getTime() - MAX_RECEIPT_AGE_DAYS * DAY_MS);
  if (receivedAt.getTime() > now.getTime() || receivedAt.getTime() < earliest.getTime())
    throw new RefusedError({
      reason: 'received_at_not_allowed',
      earliest: earliest.toISOString(),
      latest: now.toISOString(),
    });
}

/** Registers the request; a code to the subject's e-mail, or the acknowledgement and the wait for staff's check. */
export async function registerRequest(deps: RegisterDeps, body: RegisterRequestBody, staffId: string) {
  const at = deps.now();
  const received = new Date(body.receivedAt);
  checkReceipt(received, at);
  const id = newRequestId();
  // Proof of control, as on the web: only the subject's own address, never a representative's (P8, P12).
  const code = body.channel === 'email' && !body.representative && body.email ? newCode() : undefined;
  const record: RequestRecord = {
    ...requestKey(id),
    kind: 'request',
    id,
    type: body.type,
    status: code ? 'awaiting_verification' : 'awaiting_identity_check',
    channel: body.channel,
    email: body.email ?? '',
    // Without an address the pseudonym is the request's own: it links this request to no other.
    subjectRef: subjectRef(deps.secret, body.email ?? `request:${id}`),
    language: body.language,
    languageChosen: true,
    receivedAt: received.toISOString(),
    dueAt: dueDate(received).toISOString(),
    verification: {
      codeHmac: code ? codeHmac(deps.secret, id, code) : '',
      expiresAt: new Date(at.getTime() + (code ? CODE_LIFETIME_MS : 0)).toISOString(),
      attempts: 0,
      sent: code ? 1 : 0,
    },
    ...(body.postalAddress ? { postalAddress: body.postalAddress } : {}),
    ...(body.representative ? { representative: body.representative } : {}),
    ...(code ? {} : { manualCheck: { of: body.representative ? 'authority' : 'identity' } }),
    ...typeFields(deps.secret, body),
    attempt: 1,
    systems: {},
    version: 1,
  };
  await deps.store.create(record);
  await deps.audit.append(id, {
    actor: `staff:${staffId}`,
    action: 'request.registered',
    details: {
      type: record.type,
      channel: record.channel,
      subjectRef: record.subjectRef,
      receivedAt: record.receivedAt,
      dueAt: record.dueAt,
      check: record.manualCheck?.of ?? 'code',
      ...(body.representative ? { relation: body.representative.relation } : {}),
    },
  });
  if (code) {
    await deps.mailer.send({
      to: record.email,
      ...codeMail(record, code),
      idempotencyKey: `${id}:code:1`,
      about: { requestId: id, kind: 'code', to: 'subject' },
    });
  } else {
    // The workflow locates and then waits for staff's check: nothing acts before it (P8, P12).
    await deps.workflow.start(id, 1);
    await acknowledge(deps, record);
  }
  return { id, status: record.status, dueAt: record.dueAt };
}

async function acknowledge(deps: RegisterDeps, r: RequestRecord) {
  const kind: LetterKind = 'acknowledgement';
  const message = acknowledgementMessage(r.language, {
    type: r.type,
    channel: r.channel,
    receivedAt: r.receivedAt,
    dueAt: r.dueAt,
    check: r.manualCheck?.of ?? 'identity',
  });
  await deps.mailer.send({
    to: r.email,
    ...message,
    idempotencyKey: `${r.id}:acknowledged`,
    about: { requestId: r.id, kind, to: 'subject' },
  });
}

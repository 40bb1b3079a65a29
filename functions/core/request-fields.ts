// What each request type carries beside the address (P2, P6, P7), as intake and staff registration store it.
import type { RequestRecord } from './request.ts';
import type { CreateRequestBody } from './request-body.ts';
import { subjectRef } from './secrets.ts';

/** A body's type-specific part: the same for a form and for a request staff register (P4). */
export type TypeSpecific<T = CreateRequestBody> = T extends unknown ? Omit<T, 'email' | 'language'> : never;

/** The record fields of a request type: changes, scope, export purpose, a named recipient. */
export function typeFields(secret: string, body: TypeSpecific): Partial<RequestRecord> {
  return {
    ...(body.type === 'rectification' ? { changes: body.changes } : {}),
    ...(body.type === 'rectification' && body.changes.email
      ? { newSubjectRef: subjectRef(secret, body.changes.email) }
      : {}),
    ...(body.type === 'objection' ? { scope: body.scope } : {}),
    ...(body.type === 'access' || body.type === 'portability' ? { exportPurpose: body.type } : {}),
    // Named on the form, confirmed only by the subject's verify (Art. 20(2)): never by a flag sent with the form.
    ...(body.type === 'portability' && body.recipient
      ? { recipient: { organisation: body.recipient.organisation, email: body.recipient.email } }
      : {}),
  };
}

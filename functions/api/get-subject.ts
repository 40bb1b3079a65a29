import { RefusedError } from '../core/errors.ts';
import { RequestId } from '../core/schemas.ts';
import { audit, store } from '../wiring.ts';
import { route } from './http.ts';

/**
 * GET /admin/requests/{id}/subject (approver): the personal data staff need to act on a request, its address and
 * the new address a rectification asks for. Every call is an audit entry `subject.viewed` naming which fields were
 * shown, never their values (P15); the subject learns of it, with its date and purpose, in an access report.
 */
export const handler = route({ id: 'GetSubject', role: 'approver' }, async ({ params, staff }) => {
  const id = RequestId.parse(params.id);
  const r = await store().get(id);
  if (!r) throw new RefusedError({ reason: 'request_not_found' });
  const newEmail = r.changes?.email;
  // A minimised request has no address left: nothing personal is shown, and the call is recorded all the same.
  const fields = [...(r.email ? ['email'] : []), ...(newEmail ? ['newEmail'] : [])];
  await audit().append(id, { actor: `staff:${staff?.id}`, action: 'subject.viewed', details: { fields } });
  return {
    status: 200,
    body: {
      id: r.id,
      ...(r.email ? { email: r.email } : {}),
      ...(newEmail ? { newEmail } : {}),
      ...(r.minimisedAt ? { minimisedAt: r.minimisedAt } : {}),
    },
  };
});

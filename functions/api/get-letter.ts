import * as z from 'zod';
import { RefusedError } from '../core/errors.ts';
import { RequestId } from '../core/schemas.ts';
import { audit, letterStore } from '../wiring.ts';
import { route } from './http.ts';

export const LetterId = z.string().regex(/^l_[A-Za-z0-9_-]{22}$/, 'Not a letter id');

/** The letter's own policy: its style sheet from the API's assets, nothing else; the console may frame it. */
export const LETTER_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** GET /admin/requests/{id}/letters/{letterId}: the printable letter (P4); opening it is audited (P15). */
export const handler = route({ id: 'GetLetter', role: 'approver' }, async ({ params, staff }) => {
  const id = RequestId.parse(params.id);
  const letterId = LetterId.parse(params.letterId);
  const letter = await letterStore().get(id, letterId);
  if (!letter) throw new RefusedError({ reason: 'letter_not_found' });
  await audit().append(id, {
    actor: `staff:${staff?.id}`,
    action: 'letter.viewed',
    details: { letterId, kind: letter.kind },
  });
  return {
    status: 200,
    html: letter.html,
    headers: { 'content-security-policy': LETTER_CSP, 'x-content-type-options': 'nosniff' },
  };
});

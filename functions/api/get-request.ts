import { answerView } from '../core/answers.ts';
import { verifyChain } from '../core/audit.ts';
import { now } from '../core/clock.ts';
import { attentionOf } from '../core/deadline-watch.ts';
import { answered, deliveryView } from '../core/delivery.ts';
import { RefusedError } from '../core/errors.ts';
import { progressView } from '../core/lifecycle.ts';
import { RequestId } from '../core/schemas.ts';
import { audit, auditChain, chainHeads, messageLog, requestNotices, store } from '../wiring.ts';
import { route } from './http.ts';

/**
 * GET /admin/requests/{id}: status, due date, outcomes, notices and the audit trail, its hash chain verified against
 * every head stored after an entry (P15); the view is audited, and the entry for it is part of what is verified.
 */
export const handler = route({ id: 'GetRequest', role: 'viewer' }, async ({ params, staff }) => {
  const id = RequestId.parse(params.id);
  const r = await store().get(id);
  if (!r) throw new RefusedError({ reason: 'request_not_found' });
  await audit().append(id, { actor: `staff:${staff?.id}`, action: 'request.viewed' });
  const [trail, head, notices, messages] = await Promise.all([
    auditChain(id),
    chainHeads(id),
    requestNotices(id),
    messageLog().list(id),
  ]);
  return {
    status: 200,
    body: {
      ...progressView(r),
      attention: attentionOf(r, now()),
      channel: r.channel,
      language: r.language,
      subjectRef: r.subjectRef,
      approval: r.approval,
      rejection: r.rejection,
      closedAt: r.closedAt,
      // Staff see the extension's internal note too (P9); the subject's view has the ground and the date only.
      extension: r.extension,
      minimisedAt: r.minimisedAt,
      // How the requester is answered (P4, P12): codes and dates only, no name or address.
      ...answerView(r),
      // Recipients and processors told of this request (P13), each with its acknowledgement.
      notices,
      chain: verifyChain(trail, head),
      // P10: every mail about it (kind, role, SES id, how it fared), a standing bounce, and whether it is answered.
      messages,
      delivery: deliveryView(r),
      answered: answered(r),
      audit: trail.map(({ seq, at, actor, action, details, hash }) => ({
        seq,
        at,
        actor,
        action,
        details,
        hash,
      })),
    },
  };
});

import { ENV, env } from '../core/config.ts';
import { subjectRef } from '../core/secrets.ts';
import { optOutId, UnsubscribeLinkBody, unsubscribeLink, unsubscribeToken } from '../core/unsubscribe.ts';
import { appSecret, audit } from '../wiring.ts';
import { route } from './http.ts';

/**
 * POST /admin/unsubscribe-links (admin): the signed one-click URL for one address and list, with the headers the
 * e-mail marketing processor puts in the mailing (P5, RFC 8058). The same input always gives the same URL.
 */
export const handler = route(
  { id: 'IssueUnsubscribeLink', role: 'admin', body: UnsubscribeLinkBody, idempotent: true },
  async ({ body, staff }) => {
    const secret = await appSecret();
    const token = await unsubscribeToken(secret, { ...body, language: body.language ?? 'nl' });
    // A staff action on an address (P15): audited on the opt-out's pseudonymous chain, without the address.
    await audit().append(optOutId(subjectRef(secret, body.email), body.list), {
      actor: `staff:${staff?.id}`,
      action: 'unsubscribe_link.issued',
      details: { list: body.list },
    });
    return { status: 200, body: unsubscribeLink(env(ENV.publicBaseUrl), token) };
  },
);

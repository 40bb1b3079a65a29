import { now } from '../core/clock.ts';
import { unsubscribePage } from '../core/messages/index.ts';
import { optOut, readUnsubscribeToken } from '../core/unsubscribe.ts';
import { appSecret, audit, crmConsents, logger, marketingOptOut, noticeDelivery } from '../wiring.ts';
import { route } from './http.ts';
import { oneClickProblem } from './one-click.ts';
import { PAGE_HEADERS, pageLanguage } from './pages.ts';
import { ProblemError } from './problems.ts';
import { invalidToken } from './unsubscribe-page.ts';

/**
 * POST /unsubscribe/{token} with `List-Unsubscribe=One-Click` (RFC 8058; P5): takes the address off the list,
 * suppresses it (keyed hash), records CRM's consent for the list as withdrawn and tells the list's processor. No login and no code: the signed token is the
 * authority. Idempotent; answers a small page, as the form post of a browser expects.
 */
export const handler = route(
  { id: 'Unsubscribe', idempotent: true },
  async ({ event, params, query, headers }) => {
    const secret = await appSecret();
    const target = await readUnsubscribeToken(secret, params.token ?? '');
    if (!target) return invalidToken(query, headers);
    // The body is a form, not JSON: the route's JSON parsing is not used here.
    const problem = await oneClickProblem(
      headers['content-type'] ?? '',
      event.body ?? '',
      event.isBase64Encoded,
    );
    if (problem === 'unsupported_media_type')
      throw new ProblemError('unsupported-form-type', {
        detail: 'Content-Type must be application/x-www-form-urlencoded or multipart/form-data.',
      });
    if (problem) throw new ProblemError('one-click-required');

    const result = await optOut(
      {
        secret,
        marketing: marketingOptOut(),
        consents: crmConsents(),
        audit: audit(),
        // Well inside the route's 10 s: an unanswered processor is left to the notice sweep.
        delivery: noticeDelivery(4000),
        now,
      },
      target,
    );
    logger.info('One-click opt-out', {
      optOutId: result.id,
      list: target.list,
      changed: result.changed,
      removed: result.removed,
      withdrawn: result.withdrawn,
      notified: result.notified,
      acknowledged: result.acknowledged,
    });
    return {
      status: 200,
      html: unsubscribePage(pageLanguage(query, target.language), 'done', target.list),
      headers: PAGE_HEADERS,
    };
  },
);

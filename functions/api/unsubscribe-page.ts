import { unsubscribePage } from '../core/messages/index.ts';
import { readUnsubscribeToken } from '../core/unsubscribe.ts';
import { appSecret } from '../wiring.ts';
import { type RouteResult, route } from './http.ts';
import { PAGE_HEADERS, pageLanguage } from './pages.ts';
import { ProblemError } from './problems.ts';

/**
 * A forged, altered or malformed token: a 400 problem, or for a browser (Accept: text/html) the same 400 as a
 * page that says what to do. Nothing is changed either way.
 */
export function invalidToken(query: Record<string, string>, headers: Record<string, string>): RouteResult {
  if (/\btext\/html\b/i.test(headers.accept ?? '')) {
    const lang = pageLanguage(query, undefined, headers['accept-language']);
    return { status: 400, html: unsubscribePage(lang, 'invalid'), headers: PAGE_HEADERS };
  }
  throw new ProblemError('invalid-unsubscribe-token', {
    detail: 'The link is malformed, forged or altered; nothing was changed.',
  });
}

/** GET /unsubscribe/{token}: the confirmation page only (P5). A GET never unsubscribes: mail scanners open links. */
export const handler = route({ id: 'UnsubscribePage' }, async ({ params, query, headers }) => {
  const target = await readUnsubscribeToken(await appSecret(), params.token ?? '');
  if (!target) return invalidToken(query, headers);
  return {
    status: 200,
    html: unsubscribePage(pageLanguage(query, target.language), 'confirm', target.list),
    headers: PAGE_HEADERS,
  };
});

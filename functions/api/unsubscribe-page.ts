import { unsubscribePage } from '../core/messages/index.ts';
import { Language } from '../core/schemas.ts';
import { readUnsubscribeToken } from '../core/unsubscribe.ts';
import { appSecret } from '../wiring.ts';
import { type RouteResult, route } from './http.ts';
import { ProblemError } from './problems.ts';

/**
 * Headers of the opt-out pages: no scripts, forms only to ourselves, never framed, and no Referer, so the
 * token in the URL does not travel to another site.
 */
export const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex',
};

/** The page's language: chosen with `?lang=`, else the token's, else the browser's, else Dutch (P18). */
export function pageLanguage(
  query: Record<string, string>,
  fallback?: Language,
  acceptLanguage = '',
): Language {
  const chosen = Language.safeParse(query.lang);
  if (chosen.success) return chosen.data;
  if (fallback) return fallback;
  const browser = /\b(nl|fr|en)\b/i.exec(acceptLanguage)?.[1]?.toLowerCase();
  return Language.safeParse(browser).data ?? 'nl';
}

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

// What the server-rendered pages share (the opt-out pages, the owner's task page): their headers and language.
// A module of its own, so that a page's route carries no other page's code.
import { Language } from '../core/schemas.ts';

/**
 * Headers of the server-rendered pages (opt-out, task): no scripts, forms only to ourselves, never framed, and no Referer, so the
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

// The one-click opt-out pages (P5, P18), rendered from templates/unsubscribe.eta.
import type { Language } from '../schemas.ts';
import { LANGUAGES, label, t } from './catalog.ts';
import { render } from './render.ts';

/**
 * The opt-out page: `confirm` (the GET: a form whose button POSTs `List-Unsubscribe=One-Click` to the same URL;
 * a GET itself never unsubscribes, mail scanners open links), `done` (after the POST) or `invalid` (a forged or
 * damaged link). It names the list, never the address.
 */
export function unsubscribePage(
  lang: Language,
  state: 'confirm' | 'done' | 'invalid',
  list?: 'newsletter' | 'direct_mailing',
): string {
  const languages = LANGUAGES.filter((l) => l !== lang).map((l) => ({ code: l, name: t(l, 'languageName') }));
  return render('unsubscribe', lang, {
    state,
    list: list ? label('unsubscribe.list', list, lang) : '',
    languages,
  });
}

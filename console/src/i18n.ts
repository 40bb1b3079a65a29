// The centre's texts in nl, fr and en; the browser's language picks the first one, the switch changes it.
import en from './i18n/en.json';
import fr from './i18n/fr.json';
import nl from './i18n/nl.json';

export const LANGUAGES = ['nl', 'fr', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export type Key = keyof typeof en;

const CATALOGS: Record<Lang, Record<Key, string>> = { nl, fr, en };

export function browserLanguage(): Lang {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.slice(0, 2).toLowerCase();
    if ((LANGUAGES as readonly string[]).includes(base)) return base as Lang;
  }
  return 'en';
}

export type T = (key: Key, values?: Record<string, string>) => string;

/** A translator over one page's catalogs: the language's text, else the English one, with `{name}` filled in. */
export const catalogTranslator =
  <K extends string>(catalogs: Record<Lang, Record<K, string>>) =>
  (lang: Lang) =>
  (key: K, values: Record<string, string> = {}): string =>
    (catalogs[lang][key] ?? catalogs.en[key] ?? key).replace(
      /\{(\w+)\}/g,
      (_, name: string) => values[name] ?? '',
    );

export const translator: (lang: Lang) => T = catalogTranslator<Key>(CATALOGS);

/** A date in the language; French writes the first of the month "1er", as Intl does not. */
export const formatDate = (lang: Lang, iso: string) =>
  new Intl.DateTimeFormat(`${lang}-BE`, { dateStyle: 'long', timeZone: 'Europe/Brussels' })
    .formatToParts(new Date(iso))
    .map((p) => (lang === 'fr' && p.type === 'day' && p.value === '1' ? '1er' : p.value))
    .join('');

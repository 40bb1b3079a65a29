// The console's texts in nl, fr and en, in its own catalogs, translated the way the centre's are.
import { ApiError } from '../api.ts';
import { catalogTranslator, type Lang } from '../i18n.ts';
import en from './i18n/en.json';
import fr from './i18n/fr.json';
import nl from './i18n/nl.json';

export type CKey = keyof typeof en;
export type CT = (key: CKey, values?: Record<string, string>) => string;

const CATALOGS: Record<Lang, Record<CKey, string>> = { nl, fr, en };
export const consoleTranslator: (lang: Lang) => CT = catalogTranslator<CKey>(CATALOGS);

/** A label for a code (status, type, action...), or the code itself where the catalog has none. */
export const labelOf = (t: CT, prefix: string, code: string) => {
  const key = `${prefix}.${code}` as CKey;
  return key in en ? t(key) : code;
};

/** The text for an API problem, by its slug; never the raw answer. */
export function errorText(t: CT, e: unknown): string {
  const slug = e instanceof ApiError ? e.problem.slug : 'unknown';
  const key = `err.${slug}` as CKey;
  return key in en ? t(key) : t('err.unknown');
}

export const formatDay = (lang: Lang, iso: string) =>
  new Intl.DateTimeFormat(`${lang}-BE`, { dateStyle: 'medium', timeZone: 'Europe/Brussels' }).format(
    new Date(iso),
  );

export const formatTime = (lang: Lang, iso: string) =>
  new Intl.DateTimeFormat(`${lang}-BE`, {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone: 'Europe/Brussels',
  }).format(new Date(iso));

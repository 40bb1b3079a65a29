// How the access report shows one value (P1, P16): labels in the subject's language, dates and instants as they
// read them, nested data as short lines, long free text cut (the machine-readable file holds it whole).
import { formatDate, formatIn, knownLabel, LOCALES, label, semicolon, t } from './messages/index.ts';
import type { Language } from './schemas.ts';

type Row = Record<string, unknown>;

/** Characters shown of one value (long free text is cut; the file holds it whole). */
const MAX_CELL = 600;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const INSTANT = (lang: Language) =>
  new Intl.DateTimeFormat(LOCALES[lang], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Brussels',
  });

/** An instant as the subject reads it: date and time, Belgian time. */
export const formatInstant = (iso: string, lang: Language) => formatIn(INSTANT(lang), new Date(iso), lang);

const cut = (s: string) => (s.length > MAX_CELL ? `${s.slice(0, MAX_CELL)}…` : s);

/** A count as the subject reads numbers. */
export const formatCount = (n: number, lang: Language): string =>
  new Intl.NumberFormat(LOCALES[lang]).format(n);

/** The name of a field (the last part of a dotted key): a report column name, a field name, or the key made readable. */
export function fieldLabel(key: string, lang: Language): string {
  const last = key.split('.').at(-1) ?? key;
  const known = knownLabel('reportField', last, lang) ?? knownLabel('field', last, lang);
  return (
    known ??
    last
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .replaceAll('_', ' ')
      .toLowerCase()
  );
}

/** The record kind of an export file (`invoices.json` → invoices). */
export const kindOf = (file: string): string => file.replace(/\.(json|csv)$/, '');

/** The name of a record kind in the language; kept-restricted kinds say so. */
export function kindLabel(kind: string, lang: Language): string {
  const restricted = kind.startsWith('restricted-');
  const base = kind.replace(/^restricted-/, '').replace(/-\d+$/, '');
  const name = knownLabel('recordKind', base, lang) ?? base.replaceAll('-', ' ');
  return restricted ? t(lang, 'report.restrictedKindName', { kind: name }) : name;
}

/** A column heading: kind and origin have their own words, every other column is a field. */
export const heading = (column: string, lang: Language): string =>
  column === 'category'
    ? t(lang, 'report.category')
    : column === 'origin'
      ? t(lang, 'report.origin')
      : fieldLabel(column, lang);

/** Columns of a table: kind and origin first, then every field in the order the records bring them. */
export function columnsOf(rows: Row[]): string[] {
  const seen = new Set<string>(['category', 'origin']);
  for (const row of rows) for (const k of Object.keys(row)) seen.add(k);
  return [...seen];
}

/** A value as a reader sees it: labels in their language, nested data as short lines. */
export function show(key: string, value: unknown, lang: Language): string {
  if (value === undefined || value === null || value === '') return '';
  if (key === 'category') return label('category', String(value), lang);
  if (key === 'origin') return knownLabel('report.origin', String(value), lang) ?? String(value);
  // How a consent was withdrawn (P5): `one_click` reads as the link it was.
  if (key === 'withdrawnChannel') return knownLabel('report.channel', String(value), lang) ?? String(value);
  if (key === 'password') return t(lang, 'report.passwordExists');
  if (typeof value === 'boolean') return t(lang, value ? 'report.yes' : 'report.no');
  // An objection on legitimate interest (Art. 21(1)) on this record: the purposes it ended, in words.
  if (key === 'objectedPurposes' && Array.isArray(value)) {
    return value.map((p) => label('purpose', String(p), lang)).join(', ');
  }
  if (key === 'retention' && typeof value === 'object') {
    const r = value as { ground?: string; until?: string };
    return t(lang, 'report.keptUntil', {
      ground: label('ground', r.ground ?? '', lang),
      until: r.until ? formatDate(r.until, lang) : '',
    });
  }
  if (key === 'address' && typeof value === 'object' && !Array.isArray(value)) {
    const a = value as Record<string, string | undefined>;
    return cut(
      [a.street, [a.postalCode, a.city].filter(Boolean).join(' '), a.country].filter(Boolean).join(', '),
    );
  }
  if (typeof value === 'string' && ISO_INSTANT.test(value)) return formatInstant(value, lang);
  if (typeof value === 'string' && ISO_DATE.test(value)) return formatDate(value, lang);
  if (Array.isArray(value)) return cut(value.map((v) => show('', v, lang)).join('\n'));
  if (typeof value === 'object') {
    return cut(
      Object.entries(value as Row)
        .filter(([, v]) => v !== undefined && v !== null && v !== '')
        .map(([k, v]) => t(lang, 'report.labelled', { label: fieldLabel(k, lang), value: show(k, v, lang) }))
        .join(semicolon(lang)),
    );
  }
  return cut(String(value));
}

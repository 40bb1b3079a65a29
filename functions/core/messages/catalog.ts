// The catalogs: every word a subject reads, one ICU MessageFormat file per language (P18), with real plural
// rules. Keys are flat (`section.name`); labels of systems, categories, fields… are sections like any other.

import { readFileSync } from 'node:fs';
import { IntlMessageFormat } from 'intl-messageformat';
import type { Language } from '../schemas.ts';
import { configuredSystem } from '../systems.ts';
import type alwaysEn from './catalogs/always-en.json';
import type nl from './catalogs/nl.json';

/** A key of the subject catalogs; every language has the same keys (a test holds them to it). */
export type MessageKey = keyof typeof nl;
/** A key of the catalog that is always English: staff notices and the mail to a receiving organisation. */
export type EnglishKey = keyof typeof alwaysEn;
/** ICU argument values: numbers for `plural` and `number` arguments, strings for the rest. */
export type Values = Record<string, string | number>;

/** The languages a subject can read every message in (P18). */
export const LANGUAGES: readonly Language[] = ['nl', 'fr', 'en'];

// The catalogs are files beside this module's URL, like the templates (render.ts): the source folder under tsx and
// vitest, the `catalogs/` folder copied next to each Lambda bundle (infra/bundling.ts). Each is read on first use,
// so a Lambda that writes in one language parses one, and none is compiled into the bundle's code.
const FOLDER = new URL('./catalogs/', import.meta.url);
const read = new Map<string, Record<string, string>>();
function catalog(name: Language | 'always-en'): Record<string, string> {
  let entries = read.get(name);
  if (!entries) {
    entries = JSON.parse(readFileSync(new URL(`${name}.json`, FOLDER), 'utf8')) as Record<string, string>;
    read.set(name, entries);
  }
  return entries;
}

/** The subject catalogs by language, as ICU MessageFormat sources, each read on first use. */
export const CATALOGS = {
  get nl() {
    return catalog('nl');
  },
  get fr() {
    return catalog('fr');
  },
  get en() {
    return catalog('en');
  },
} as Record<Language, Record<MessageKey, string>>;
/** The always-English catalog, read on first use. */
export const alwaysEnglish = (): Record<EnglishKey, string> => catalog('always-en');
/** The locale each language formats numbers, dates and plurals with. */
export const LOCALES: Record<Language, string> = { nl: 'nl-BE', fr: 'fr-BE', en: 'en-GB' };

const compiled = new Map<string, IntlMessageFormat>();

/** The parsed message, cached; `ignoreTag` keeps `<` in a message a character, never markup. */
export function compile(source: string, locale: string): IntlMessageFormat {
  const id = `${locale}\u0000${source}`;
  let format = compiled.get(id);
  if (!format) {
    format = new IntlMessageFormat(source, locale, undefined, { ignoreTag: true });
    compiled.set(id, format);
  }
  return format;
}

function format(source: string | undefined, locale: string, key: string, values?: Values): string {
  if (source === undefined) throw new Error(`No message ${key} for ${locale}`);
  const out = compile(source, locale).format(values);
  if (typeof out !== 'string') throw new Error(`Message ${key} did not format to text`);
  return out;
}

/** A message of the subject catalogs in the language, with its ICU arguments filled in. */
export function t(lang: Language, key: MessageKey, values?: Values): string {
  return format(CATALOGS[lang][key], LOCALES[lang], key, values);
}

/** A message of the always-English catalog. */
export function english(key: EnglishKey, values?: Values): string {
  return format(alwaysEnglish()[key], LOCALES.en, key, values);
}

/** The sections whose entries are labels looked up by a code from the data (a system, a category…). */
export type LabelSection =
  | 'system'
  | 'category'
  | 'ground'
  | 'purpose'
  | 'skip'
  | 'field'
  | 'recordKind'
  | 'reportField'
  | 'type'
  | 'rejected'
  | 'report.origin'
  | 'report.channel'
  | 'report.role'
  | 'unsubscribe.list'
  | 'history.type'
  | 'history.status'
  | 'history.event'
  | 'history.purpose';

/** The label of `code` in the language, or undefined when the catalog has none. */
export function knownLabel(section: LabelSection, code: string, lang: Language): string | undefined {
  const source = (CATALOGS[lang] as Record<string, string>)[`${section}.${code}`];
  // A configured system (config/systems/, P17) brings its name in every language in its own file.
  if (source === undefined && section === 'system') return configuredSystem(code)?.label[lang];
  return source === undefined ? undefined : format(source, LOCALES[lang], `${section}.${code}`);
}

/** A label in the language, or the code itself, readable, when none is known. */
export const label = (section: LabelSection, code: string, lang: Language): string =>
  knownLabel(section, code, lang) ?? code.replaceAll('_', ' ');

/** What separates items of a list that hold commas: a semicolon, in French after a narrow no-break space. */
export const semicolon = (lang: Language): string => (lang === 'fr' ? '\u202f; ' : '; ');

/** Labels of several codes, joined with commas. */
export const labels = (section: LabelSection, codes: readonly string[], lang: Language): string =>
  codes.map((c) => label(section, c, lang)).join(', ');

const LONG_DATE = Object.fromEntries(
  LANGUAGES.map((l) => [
    l,
    new Intl.DateTimeFormat(LOCALES[l], { dateStyle: 'long', timeZone: 'Europe/Brussels' }),
  ]),
) as Record<Language, Intl.DateTimeFormat>;

/** A date formatted for the language; French writes the first of the month "1er" ("1er mars"), as Intl does not. */
export const formatIn = (format: Intl.DateTimeFormat, date: Date, lang: Language): string =>
  format
    .formatToParts(date)
    .map((p) => (lang === 'fr' && p.type === 'day' && p.value === '1' ? '1er' : p.value))
    .join('');

/** A date as the subject reads it in their language (Belgian time). */
export const formatDate = (iso: string, lang: Language): string =>
  formatIn(LONG_DATE[lang], new Date(iso), lang);

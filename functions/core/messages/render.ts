// HTML comes only from the template files in ./templates, rendered by Eta with auto-escaping: `<%= value %>`
// escapes & < > " ' every time, so no caller has to remember to. The files are read beside this module's URL:
// the source folder under tsx and vitest, and the `templates/` folder copied next to each Lambda bundle
// (infra/bundling.ts), since esbuild puts this module into the bundle's one file.
import { readdirSync, readFileSync } from 'node:fs';
import { Eta } from 'eta/core';
import type { Language } from '../schemas.ts';
import { type MessageKey, t, type Values } from './catalog.ts';

const FOLDER = new URL('./templates/', import.meta.url);
const EXTENSION = '.eta';

let engine: Eta | undefined;

/** Template names (file names without `.eta`), as `render` takes them. */
export function templateNames(): string[] {
  return readdirSync(FOLDER)
    .filter((f) => f.endsWith(EXTENSION))
    .map((f) => f.slice(0, -EXTENSION.length))
    .sort();
}

/** The source text of one template, for tests that read what the files contain. */
export const templateSource = (name: string): string =>
  readFileSync(new URL(`${name}${EXTENSION}`, FOLDER), 'utf8');

function load(): Eta {
  if (engine) return engine;
  const eta = new Eta({ autoEscape: true, autoTrim: [false, 'nl'], useWith: false, varName: 'it' });
  // A file's final newline is not part of the template: a partial such as a table cell stays inline.
  for (const name of templateNames())
    eta.loadTemplate(`@${name}`, templateSource(name).replace(/\r?\n$/, ''));
  engine = eta;
  return eta;
}

/** What a template may call for words: the catalog of its language. */
export type Words = (key: MessageKey, values?: Values) => string;

/** Renders template `name` with `data`; `lang` also gives the template `it.lang` and `it.t(key, values)`. */
export function render(name: string, lang: Language, data: object, words?: Words): string {
  const tr: Words = words ?? ((key, values) => t(lang, key, values));
  return load().render(`@${name}`, { lang, t: tr, ...data });
}

/** Escapes text for HTML exactly as the templates do (& < > " '), for tests and the rare caller outside them. */
export const escapeHtml = (s: string): string =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

// The access report (P1, P17): one printable HTML document in the subject's language, built from what every
// system exported plus the Art. 15(1) context from the processing and recipients registers. Memory stays
// bounded: each record kind shows its first rows and points to the machine-readable file for the rest.
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import {
  CATEGORY_LABELS,
  EXPORT_T,
  escapeHtml,
  FIELD_LABELS,
  formatDate,
  GROUND_LABELS,
  label,
  RECORD_KIND_LABELS,
  REPORT_FIELD_LABELS,
  SYSTEM_LABELS,
  T,
} from './messages.ts';
import {
  type ExportedFile,
  type ExportObjects,
  openExportFile,
  reportKey,
  type SystemExport,
  systemExports,
} from './package.ts';
import { loadProcessingRegister, loadRecipients, type Recipient } from './registers/index.ts';
import type { RequestRecord } from './request.ts';
import type { Language, SystemName } from './schemas.ts';

/** Rows shown per record kind; the rest is in the machine-readable files. */
export const REPORT_MAX_ROWS = 50;
/** Characters shown of one value (long free text is cut; the file holds it whole). */
const MAX_CELL = 600;

export interface ReportDeps {
  objects: ExportObjects;
  now: () => Date;
  /** rows per record kind; REPORT_MAX_ROWS by default */
  maxRows?: number;
}

type Words = (typeof EXPORT_T)[Language];
type Row = Record<string, unknown>;

/** Reads the first `max` records of a connector's JSON file (one record per line) and closes the stream. */
export async function firstRecords(stream: Readable, max: number): Promise<Row[]> {
  const rows: Row[] = [];
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const raw of lines) {
      if (rows.length >= max) break;
      // export-files.ts writes `[`, then one record per line separated by `,`, then `]`.
      const line = raw.trim().replace(/^,/, '').replace(/,$/, '');
      if (line === '' || line === '[' || line === ']' || line === '[]') continue;
      rows.push(JSON.parse(line) as Row);
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  return rows;
}

const fieldLabel = (key: string, lang: Language) => {
  const last = key.split('.').at(-1) ?? key;
  const known = REPORT_FIELD_LABELS[last]?.[lang] ?? FIELD_LABELS[last]?.[lang];
  return (
    known ??
    last
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .replaceAll('_', ' ')
      .toLowerCase()
  );
};

const kindOf = (file: string) => file.replace(/\.(json|csv)$/, '');
function kindLabel(kind: string, w: Words, lang: Language): string {
  const restricted = kind.startsWith('restricted-');
  const base = kind.replace(/^restricted-/, '').replace(/-\d+$/, '');
  const name = RECORD_KIND_LABELS[base]?.[lang] ?? base.replaceAll('-', ' ');
  return restricted ? `${name} (${w.restrictedKind})` : name;
}

const GDPR: Record<Language, string> = { nl: 'AVG', fr: 'RGPD', en: 'GDPR' };

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCALES: Record<Language, string> = { nl: 'nl-BE', fr: 'fr-BE', en: 'en-GB' };
const formatInstant = (iso: string, lang: Language) =>
  new Intl.DateTimeFormat(LOCALES[lang], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Brussels',
  }).format(new Date(iso));

const cut = (s: string) => (s.length > MAX_CELL ? `${s.slice(0, MAX_CELL)}…` : s);

/** A value as a reader sees it: labels in their language, nested data as short lines. */
function show(key: string, value: unknown, lang: Language, w: Words): string {
  if (value === undefined || value === null || value === '') return '';
  if (key === 'category') return label(CATEGORY_LABELS, String(value), lang);
  if (key === 'origin') return w.origins[String(value)] ?? String(value);
  if (key === 'password') return w.passwordExists;
  if (typeof value === 'boolean') return value ? w.yes : w.no;
  if (key === 'retention' && typeof value === 'object') {
    const r = value as { ground?: string; until?: string };
    return w.keptUntil(label(GROUND_LABELS, r.ground ?? '', lang), r.until ? formatDate(r.until, lang) : '');
  }
  if (key === 'address' && typeof value === 'object' && !Array.isArray(value)) {
    const a = value as Record<string, string | undefined>;
    return cut(
      [a.street, [a.postalCode, a.city].filter(Boolean).join(' '), a.country].filter(Boolean).join(', '),
    );
  }
  if (typeof value === 'string' && ISO_INSTANT.test(value)) return formatInstant(value, lang);
  if (typeof value === 'string' && ISO_DATE.test(value)) return formatDate(value, lang);
  if (Array.isArray(value)) return cut(value.map((v) => show('', v, lang, w)).join('\n'));
  if (typeof value === 'object') {
    return cut(
      Object.entries(value as Row)
        .filter(([, v]) => v !== undefined && v !== null && v !== '')
        .map(([k, v]) => `${fieldLabel(k, lang)}: ${show(k, v, lang, w)}`)
        .join('; '),
    );
  }
  return cut(String(value));
}

/** Columns of a table: kind and origin first, then every field in the order the records bring them. */
function columnsOf(rows: Row[]): string[] {
  const seen = new Set<string>(['category', 'origin']);
  for (const row of rows) for (const k of Object.keys(row)) seen.add(k);
  return [...seen];
}

const h = escapeHtml;
const cell = (text: string) => `<td>${h(text).replaceAll('\n', '<br>')}</td>`;
const fmt = (n: number, lang: Language) => new Intl.NumberFormat(LOCALES[lang]).format(n);

/** Columns a row of the page can hold legibly (also on A4); wider kinds get one small table per record. */
const WIDE = 9;
const heading = (c: string, lang: Language, w: Words) =>
  c === 'category' ? w.category : c === 'origin' ? w.origin : fieldLabel(c, lang);

function wideTable(rows: Row[], columns: string[], lang: Language, w: Words): string {
  return [
    '<div class="table"><table>',
    `<thead><tr>${columns.map((c) => `<th scope="col">${h(heading(c, lang, w))}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...rows.map((row) => `<tr>${columns.map((c) => cell(show(c, row[c], lang, w))).join('')}</tr>`),
    '</tbody></table></div>',
  ].join('\n');
}

function recordTables(rows: Row[], columns: string[], lang: Language, w: Words): string {
  return rows
    .map((row) => {
      const lines = columns
        .filter((c) => row[c] !== undefined && row[c] !== null && row[c] !== '')
        .map(
          (c) => `<tr><th scope="row">${h(heading(c, lang, w))}</th>${cell(show(c, row[c], lang, w))}</tr>`,
        );
      return `<table class="record"><tbody>${lines.join('')}</tbody></table>`;
    })
    .join('\n');
}

async function renderKind(
  deps: ReportDeps,
  r: RequestRecord,
  attempt: number,
  system: SystemName,
  json: ExportedFile,
  csv: ExportedFile | undefined,
  lang: Language,
  w: Words,
): Promise<string> {
  const max = deps.maxRows ?? REPORT_MAX_ROWS;
  const rows = await firstRecords(await openExportFile(deps.objects, r.id, attempt, system, json.name), max);
  const columns = columnsOf(rows);
  const files = [csv, json]
    .filter((f): f is ExportedFile => f !== undefined)
    .map((f) => `${system}/${f.name}`)
    .join(', ');
  const note =
    json.records > rows.length
      ? w.shown(rows.length, fmt(json.records, lang), files)
      : w.machineReadable(files);
  const kind = kindOf(json.name);
  return [
    `<section class="kind" id="${h(`${system}-${kind}`)}">`,
    `<h4>${h(kindLabel(kind, w, lang))} <span class="count">(${fmt(json.records, lang)})</span></h4>`,
    `<p class="cats">${h(w.categories)}: ${h(json.categories.map((c) => label(CATEGORY_LABELS, c, lang)).join(', '))}</p>`,
    columns.length <= WIDE ? wideTable(rows, columns, lang, w) : recordTables(rows, columns, lang, w),
    `<p class="more">${h(note)}</p>`,
    '</section>',
  ].join('\n');
}

function renderContext(system: SystemName, lang: Language, w: Words): string {
  const register = loadProcessingRegister();
  const entry = register.systems[system];
  const purposes = entry.processing
    .map((line) => {
      const purpose = register.purposes[line.purpose]?.text[lang] ?? line.purpose;
      const bases = line.legalBasis
        .map(
          (b) =>
            `${register.legalBases[b].text[lang]} (art. ${register.legalBases[b].article} ${GDPR[lang]})`,
        )
        .join('; ');
      const note = line.legalBasisNote ? `\n${line.legalBasisNote[lang]}` : '';
      const categories = line.categories.map((c) => label(CATEGORY_LABELS, c, lang)).join(', ');
      return `<tr>${cell(purpose)}${cell(`${bases}${note}`)}${cell(categories)}${cell(register.retentionRules[line.retention.rule].text[lang])}</tr>`;
    })
    .join('\n');
  const recipients = loadRecipientsOf(system);
  return [
    `<h3>${h(w.why)}</h3>`,
    '<div class="table"><table class="context">',
    `<thead><tr><th scope="col">${h(w.purpose)}</th><th scope="col">${h(w.legalBasis)}</th><th scope="col">${h(w.categories)}</th><th scope="col">${h(w.retention)}</th></tr></thead>`,
    `<tbody>${purposes}</tbody></table></div>`,
    `<h3>${h(w.sources)}</h3>`,
    entry.sources.length > 0
      ? `<ul>${entry.sources.map((s) => `<li>${h(s.text[lang])} (${h(label(CATEGORY_LABELS, s.category, lang))}).</li>`).join('')}</ul><p>${h(w.otherFromYou)}</p>`
      : `<p>${h(w.fromYou)}</p>`,
    `<h3>${h(w.recipients)}</h3>`,
    recipients.length > 0
      ? `<ul>${recipients.map((rc) => `<li>${h(rc.name)} (${h(w.kinds[rc.kind] ?? rc.kind)}, ${h(rc.country)}): ${h(rc.service[lang])}. ${h(w.fields)}: ${h(rc.fields.map((f) => fieldLabel(f, lang)).join(', '))}.</li>`).join('')}</ul>`
      : `<p>${h(w.noRecipients)}</p>`,
    `<h3>${h(w.automated)}</h3>`,
    `<p>${h(entry.automatedDecisions.text[lang])}</p>`,
  ].join('\n');
}

const loadRecipientsOf = (system: SystemName): Recipient[] =>
  loadRecipients().recipients.filter((rc) => rc.systems.includes(system));

async function renderSystem(
  deps: ReportDeps,
  r: RequestRecord,
  attempt: number,
  s: SystemExport,
  lang: Language,
  w: Words,
): Promise<string> {
  const register = loadProcessingRegister();
  const parts = [
    `<section class="system" id="system-${s.system}">`,
    `<h2>${h(SYSTEM_LABELS[s.system][lang])}</h2>`,
    `<p>${h(register.systems[s.system].description[lang])}</p>`,
    `<h3>${h(w.heldData)}</h3>`,
  ];
  if (s.status === 'not_found') parts.push(`<p>${h(w.noData)}</p>`);
  if (s.status === 'other') parts.push(`<p>${h(w.notExported)}</p>`);
  // One table per record kind, from its JSON file (nested values intact); the CSV twin is named beside it.
  for (const json of s.files.filter((f) => f.format === 'json')) {
    const csv = s.files.find((f) => f.format === 'csv' && kindOf(f.name) === kindOf(json.name));
    parts.push(await renderKind(deps, r, attempt, s.system, json, csv, lang, w));
  }
  if (s.redacted > 0) parts.push(`<p class="note">${h(w.redacted(s.redacted))}</p>`);
  parts.push(renderContext(s.system, lang, w), '</section>');
  return parts.join('\n');
}

const STYLE = `
:root { color-scheme: light; }
body { font: 10.5pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1a1a1a; margin: 0; }
main { max-width: 70rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; } h2 { font-size: 1.3rem; border-bottom: 2px solid #1d4e89; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; } h4 { font-size: .95rem; margin: 1rem 0 .2rem; }
.meta { color: #444; } .count, .cats, .more, .note { color: #444; font-size: .9em; }
.table { overflow-x: auto; } table { border-collapse: collapse; width: 100%; margin: .3rem 0; font-size: .85em; }
th, td { border: 1px solid #c8c8c8; padding: .25rem .4rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
th { background: #eef2f7; } nav ol { columns: 2; }
table.record { width: auto; min-width: 60%; margin: .6rem 0; } table.record th { width: 14rem; font-weight: 600; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { font-size: 9.5pt; } main { max-width: none; padding: 0; } nav { display: none; }
  section.system { break-before: page; } h2, h3, h4 { break-after: avoid; }
  tr, li { break-inside: avoid; } thead { display: table-header-group; } .table { overflow: visible; }
  table { font-size: 7.5pt; } a { color: inherit; text-decoration: none; }
}`;

/** Renders the whole report as one HTML document in the request's language. */
export async function renderReport(deps: ReportDeps, r: RequestRecord, attempt: number): Promise<string> {
  const lang = r.language;
  const w = EXPORT_T[lang];
  const t = T[lang];
  const register = loadProcessingRegister();
  const systems = systemExports(r);
  const controller = register.controller;

  const summary = systems
    .map((s) => {
      const held =
        s.status === 'exported'
          ? fmt(s.records, lang)
          : s.status === 'not_found'
            ? w.nothingHeld
            : w.notExported;
      const cats = s.categories.map((c) => label(CATEGORY_LABELS, c, lang)).join(', ');
      return `<tr><td><a href="#system-${s.system}">${h(SYSTEM_LABELS[s.system][lang])}</a></td>${cell(held)}${cell(cats)}</tr>`;
    })
    .join('\n');

  const sections: string[] = [];
  for (const s of systems) sections.push(await renderSystem(deps, r, attempt, s, lang, w));

  const recipients = loadRecipients().recipients;
  const outside = Object.values(register.purposes).filter((p) => p.heldOutsideSystems);
  const anyAutomated = Object.values(register.systems).some((s) => s.automatedDecisions.made);

  const html = [
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // The report shows data from other systems: nothing in it may run or load anything.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="robots" content="noindex">',
    `<title>${h(w.reportTitle)} – ${h(controller.name)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body><main>',
    '<header>',
    `<h1>${h(w.reportTitle)}</h1>`,
    `<p>${h(w.reportIntro(controller.name))}</p>`,
    `<p class="meta">${h(w.reference)}: ${h(r.id)} · ${h(w.received)}: ${h(formatDate(r.receivedAt, lang))} · ${h(w.generated)}: ${h(formatDate(deps.now().toISOString(), lang))}</p>`,
    '</header>',
    `<nav><h2>${h(w.contents)}</h2><ol>`,
    `<li><a href="#summary">${h(w.summary)}</a></li>`,
    ...systems.map((s) => `<li><a href="#system-${s.system}">${h(SYSTEM_LABELS[s.system][lang])}</a></li>`),
    `<li><a href="#recipients">${h(w.allRecipients)}</a></li>`,
    `<li><a href="#rights">${h(w.rightsTitle)}</a></li>`,
    `<li><a href="#complaint">${h(w.complaintTitle)}</a></li>`,
    '</ol></nav>',
    `<section id="summary"><h2>${h(w.summary)}</h2>`,
    '<div class="table"><table>',
    `<thead><tr><th scope="col">${h(w.system)}</th><th scope="col">${h(w.records)}</th><th scope="col">${h(w.categories)}</th></tr></thead>`,
    `<tbody>${summary}</tbody></table></div>`,
    anyAutomated ? '' : `<p>${h(w.noAutomatedAtAll)}</p>`,
    '</section>',
    ...sections,
    `<section id="recipients"><h2>${h(w.allRecipients)}</h2>`,
    `<p>${h(w.recipientsIntro)}</p>`,
    '<div class="table"><table>',
    `<thead><tr><th scope="col">${h(w.name)}</th><th scope="col">${h(w.role)}</th><th scope="col">${h(w.country)}</th><th scope="col">${h(w.service)}</th><th scope="col">${h(w.fields)}</th><th scope="col">${h(w.system)}</th></tr></thead>`,
    '<tbody>',
    ...recipients.map(
      (rc) =>
        `<tr>${cell(rc.name)}${cell(w.kinds[rc.kind] ?? rc.kind)}${cell(rc.country)}${cell(rc.service[lang])}${cell(rc.fields.map((f) => fieldLabel(f, lang)).join(', '))}${cell(rc.systems.map((s) => SYSTEM_LABELS[s][lang]).join(', '))}</tr>`,
    ),
    '</tbody></table></div>',
    '</section>',
    outside.length > 0
      ? `<section id="outside"><h2>${h(w.outside)}</h2><p>${h(w.outsideIntro)}</p><ul>${outside.map((p) => `<li>${h(p.text[lang])}</li>`).join('')}</ul></section>`
      : '',
    `<section id="rights"><h2>${h(w.rightsTitle)}</h2>`,
    `<ul>${w.rights.map((x) => `<li>${h(x)}</li>`).join('')}</ul>`,
    `<p>${h(w.howTo(controller.email.toLowerCase(), `${controller.name}, ${controller.address}`))}</p>`,
    '</section>',
    `<section id="complaint"><h2>${h(w.complaintTitle)}</h2>`,
    `<p>${h(t.complaint)}</p>`,
    `<p>${h(t.contact)}</p>`,
    '</section>',
    `<footer><h2>${h(w.controllerTitle)}</h2><p>${h(controller.name)}, ${h(controller.address)} · ${h(w.enterpriseNumber)} ${h(controller.enterpriseNumber)} · ${h(controller.phone)} · ${h(controller.email.toLowerCase())}</p></footer>`,
    '</main></body></html>',
    '',
  ];
  return html.filter((line) => line !== '').join('\n');
}

/** Renders the report and stores it at `exports/<id>/<attempt>/report.html`; answers its key and size. */
export async function buildReport(
  deps: ReportDeps,
  r: RequestRecord,
  attempt: number,
): Promise<{ key: string; bytes: number }> {
  const body = Buffer.from(await renderReport(deps, r, attempt), 'utf8');
  const key = reportKey(r.id, attempt);
  await deps.objects.put(key, Readable.from([body]), 'text/html; charset=utf-8');
  return { key, bytes: body.length };
}

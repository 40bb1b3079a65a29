// The access report (P1, P17): one printable HTML document in the subject's language, built from what every
// system exported plus the Art. 15(1) context from the processing and recipients registers, and rendered from
// messages/templates/report*.eta. Memory stays bounded: each record kind shows its first rows and points to the
// machine-readable file for the rest.
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { formatDate, label, labels, render, t } from './messages/index.ts';
import {
  type ExportedFile,
  type ExportObjects,
  openExportFile,
  reportKey,
  type SystemExport,
  systemExports,
} from './package.ts';
import { recipientsOfSubject, type SubjectRecipients } from './recipients-reached.ts';
import { loadProcessingRegister } from './registers/index.ts';
import { columnsOf, formatCount, heading, kindLabel, kindOf, show } from './report-cells.ts';
import {
  type RecipientsPart,
  recipientsPart,
  registerContext,
  type SystemContext,
} from './report-context.ts';
import { type HistoryView, historyView } from './report-history.ts';
import type { RequestRecord } from './request.ts';
import type { Language, SystemName } from './schemas.ts';
import { NO_HISTORY, type SubjectHistory } from './subject-history.ts';

/** Rows shown per record kind; the rest is in the machine-readable files. */
export const REPORT_MAX_ROWS = 50;
/** Columns a row of the page can hold legibly (also on A4); wider kinds get one small table per record. */
const WIDE = 9;

/** What building a report needs: the export bucket and a clock. */
export interface ReportDeps {
  objects: ExportObjects;
  now: () => Date;
  /** rows per record kind; REPORT_MAX_ROWS by default */
  maxRows?: number;
  /** what the pipeline itself holds about the subject (P1, P15); none when absent */
  history?: SubjectHistory;
}

type Row = Record<string, unknown>;

/** One record kind of one system, as the template shows it. Cells are text; a newline is a line break. */
export interface KindView {
  anchor: string;
  name: string;
  count: string;
  categories: string;
  /** one table with a column per field, or (when wider than WIDE) one small table per record */
  wide: boolean;
  headings: string[];
  /** per row, per column: the cell; for record tables only the non-empty ones, with their heading */
  rows: { heading: string; cell: string }[][];
  shown: number;
  total: number;
  files: string;
}

/** One system of the report: its data per record kind and its register context. */
export interface SystemView extends SystemContext {
  id: SystemName;
  name: string;
  description: string;
  status: SystemExport['status'];
  kinds: KindView[];
  redacted: number;
}

/** Everything the report template shows; the words come from the catalog of `lang`. */
export interface ReportView extends RecipientsPart {
  lang: Language;
  controller: { name: string; address: string; enterpriseNumber: string; phone: string; email: string };
  requestId: string;
  received: string;
  generated: string;
  summary: { id: SystemName; name: string; held: string; categories: string }[];
  anyAutomated: boolean;
  systems: SystemView[];
  outside: string[];
  history: HistoryView;
}

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

async function kindView(
  deps: ReportDeps,
  r: RequestRecord,
  attempt: number,
  system: SystemName,
  json: ExportedFile,
  csv: ExportedFile | undefined,
): Promise<KindView> {
  const lang = r.language;
  const max = deps.maxRows ?? REPORT_MAX_ROWS;
  const records = await firstRecords(
    await openExportFile(deps.objects, r.id, attempt, system, json.name),
    max,
  );
  const columns = columnsOf(records);
  const wide = columns.length <= WIDE;
  const present = (row: Row, c: string) => row[c] !== undefined && row[c] !== null && row[c] !== '';
  const kind = kindOf(json.name);
  return {
    anchor: `${system}-${kind}`,
    name: kindLabel(kind, lang),
    count: formatCount(json.records, lang),
    categories: labels('category', json.categories, lang),
    wide,
    headings: columns.map((c) => heading(c, lang)),
    rows: records.map((row) =>
      columns
        .filter((c) => wide || present(row, c))
        .map((c) => ({ heading: heading(c, lang), cell: show(c, row[c], lang) })),
    ),
    shown: records.length,
    total: json.records,
    files: [csv, json]
      .filter((f): f is ExportedFile => f !== undefined)
      .map((f) => `${system}/${f.name}`)
      .join(', '),
  };
}

async function systemView(
  deps: ReportDeps,
  r: RequestRecord,
  attempt: number,
  s: SystemExport,
  shared: SubjectRecipients,
): Promise<SystemView> {
  const lang = r.language;
  const kinds: KindView[] = [];
  // One table per record kind, from its JSON file (nested values intact); the CSV twin is named beside it.
  for (const json of s.files.filter((f) => f.format === 'json')) {
    const csv = s.files.find((f) => f.format === 'csv' && kindOf(f.name) === kindOf(json.name));
    kinds.push(await kindView(deps, r, attempt, s.system, json, csv));
  }
  return {
    id: s.system,
    name: label('system', s.system, lang),
    description: loadProcessingRegister().systems[s.system]?.description[lang] ?? '',
    status: s.status,
    kinds,
    redacted: s.redacted,
    ...registerContext(s.system, lang, shared),
  };
}

/** What the report of this request shows, before it is rendered. */
export async function reportView(deps: ReportDeps, r: RequestRecord, attempt: number): Promise<ReportView> {
  const lang = r.language;
  const register = loadProcessingRegister();
  const exports = systemExports(r);
  const shared = recipientsOfSubject(r.systems);
  const systems: SystemView[] = [];
  for (const s of exports) systems.push(await systemView(deps, r, attempt, s, shared));
  const c = register.controller;
  return {
    lang,
    // The register names the company as registered (BV); French readers know the same legal form as SRL.
    controller: { ...c, name: t(lang, 'company.name'), email: c.email.toLowerCase() },
    requestId: r.id,
    received: formatDate(r.receivedAt, lang),
    generated: formatDate(deps.now().toISOString(), lang),
    summary: exports.map((s) => ({
      id: s.system,
      name: label('system', s.system, lang),
      held:
        s.status === 'exported'
          ? formatCount(s.records, lang)
          : t(lang, s.status === 'not_found' ? 'report.nothingHeld' : 'report.notExported'),
      categories: labels('category', s.categories, lang),
    })),
    anyAutomated: Object.values(register.systems).some((s) => s.automatedDecisions.made),
    systems,
    ...recipientsPart(shared, lang),
    outside: Object.values(register.purposes)
      .filter((p) => p.heldOutsideSystems)
      .map((p) => p.text[lang]),
    history: historyView(deps.history ?? NO_HISTORY, lang),
  };
}

/** Renders a report view with templates/report.eta. */
export const renderReportView = (view: ReportView): string => render('report', view.lang, view);

/** Renders the whole report as one HTML document in the request's language. */
export async function renderReport(deps: ReportDeps, r: RequestRecord, attempt: number): Promise<string> {
  return renderReportView(await reportView(deps, r, attempt));
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

// The access report's section on what the pipeline itself holds (P1, P15): the subject's earlier requests, the
// notices sent about them and when and why staff consulted their data, in the subject's language; and the same as
// machine-readable files for the package (pipeline/*.json and *.csv), encoded as every connector file is.
import { createMemorySink } from '../connectors/export-files.ts';
import { formatDate, label, t } from './messages/index.ts';
import { formatInstant } from './report-cells.ts';
import type { Language } from './schemas.ts';
import type { HistoryAbout, SubjectHistory } from './subject-history.ts';

/** The section as the template shows it: cells are text. */
export interface HistoryView {
  requests: { type: string; received: string; status: string; closed: string }[];
  notices: { recipient: string; event: string; about: string; sent: string; acknowledged: string }[];
  consultations: { at: string; purpose: string; about: string }[];
  files: string;
}

/** Folder of the pipeline's own files in the package. */
export const HISTORY_FOLDER = 'pipeline';
const ABOUT = ['about.request', 'about.receivedAt', 'about.list'];
/** Each file's CSV columns, fixed, so a row about a list and one about a request share one header. */
const COLUMNS = {
  requests: ['type', 'list', 'receivedAt', 'status', 'closedAt'],
  notices: ['recipient', 'role', 'event', ...ABOUT, 'sentAt', 'acknowledgedAt'],
  consultations: ['at', 'purpose', ...ABOUT],
} as const;
const KINDS = Object.keys(COLUMNS) as (keyof typeof COLUMNS)[];

function about(a: HistoryAbout, lang: Language): string {
  if ('list' in a) return t(lang, 'history.aboutList', { list: a.list });
  return t(lang, 'history.aboutRequest', {
    type: t(lang, `type.${a.request}`),
    date: formatDate(a.receivedAt, lang),
  });
}

/** The history in the subject's language. */
export function historyView(h: SubjectHistory, lang: Language): HistoryView {
  return {
    requests: h.requests.map((r) => ({
      type:
        r.type === 'opt_out'
          ? t(lang, 'history.optOut', { list: r.list ?? 'other' })
          : label('history.type', r.type, lang),
      received: formatInstant(r.receivedAt, lang),
      status: label('history.status', r.status, lang),
      closed: r.closedAt ? formatInstant(r.closedAt, lang) : '',
    })),
    notices: h.notices.map((n) => ({
      recipient: `${n.recipient} (${label('report.role', n.role, lang)})`,
      event: label('history.event', n.event, lang),
      about: about(n.about, lang),
      sent: formatInstant(n.sentAt, lang),
      acknowledged: n.acknowledgedAt ? formatInstant(n.acknowledgedAt, lang) : t(lang, 'report.notYet'),
    })),
    consultations: h.consultations.map((c) => ({
      at: formatInstant(c.at, lang),
      purpose: label('history.purpose', c.purpose, lang),
      about: about(c.about, lang),
    })),
    files: KINDS.map((k) => `${HISTORY_FOLDER}/${k}.csv, ${HISTORY_FOLDER}/${k}.json`).join(', '),
  };
}

/** One file of the pipeline's own data, ready to zip. */
export interface HistoryFile {
  path: string;
  format: 'json' | 'csv';
  records: number;
  body: Buffer;
}

/** The history as JSON and CSV files, codes rather than words, as a program reads them. */
export async function historyFiles(h: SubjectHistory): Promise<HistoryFile[]> {
  const sink = createMemorySink();
  for (const kind of KINDS) {
    for (const format of ['json', 'csv'] as const) {
      const file = sink.file(`${kind}.${format}`, format, { columns: [...COLUMNS[kind]] });
      for (const row of h[kind]) await file.write({ ...row });
      await file.close();
    }
  }
  return [...sink.files].map(([name, f]) => ({
    path: `${HISTORY_FOLDER}/${name}`,
    format: f.format,
    records: h[name.replace(/\.(json|csv)$/, '') as keyof typeof COLUMNS].length,
    body: Buffer.from(f.text, 'utf8'),
  }));
}

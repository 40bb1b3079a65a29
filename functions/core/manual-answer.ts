// What an owner's answer to a manual task means for the workflow (P16, P17): the rules that turn "done, with
// counts", "nothing held" or an uploaded extract into the Outcome union every connector answers with.
// Pure: the page (functions/api/task-*.ts) parses the form, core/manual-tasks.ts stores and hands over the result.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { ManualOperation, ManualSystem } from '../connectors/generic/manual/config.ts';
import type { ConnectorResult } from './connector.ts';
import type { RequestRecord } from './request.ts';
import type { Outcome } from './schemas.ts';

/** One task as kept on the request; `taskToken` is the parked workflow task's, never shown to the owner. */
export interface ManualTask {
  system: string;
  operation: ManualOperation;
  attempt: number;
  state: 'open' | 'done';
  openedAt: string;
  /** the last reminder, if any; the next is due `reminderDays` after it (or after `openedAt`) */
  remindedAt?: string;
  reminders: number;
  taskToken?: string;
  answeredAt?: string;
  /** what the workflow was handed: counts, kinds and hashes only */
  result?: ConnectorResult;
}

/** The uploaded extract as the page read it: bytes and their count, never kept in the request. */
export interface ExtractFile {
  format: 'json' | 'csv';
  body: Buffer;
}

/** What the owner answered on the page. */
export type OwnerAnswer =
  | { kind: 'nothing_held' }
  | { kind: 'done'; counts: Record<string, number> }
  | { kind: 'extract'; extract: ExtractFile };

/** Why an answer cannot be recorded; each has its words on the page (task.reason.*). */
export type AnswerProblem = 'counts' | 'file' | 'size' | 'format';

/** The file name of an uploaded extract in the export bucket, beside what connectors write. */
export const extractName = (format: ExtractFile['format']) => `extract.${format}`;

/** How many records an extract holds: a JSON array of objects, or CSV rows under a header; undefined if neither. */
export function extractRecords(extract: ExtractFile): number | undefined {
  try {
    const text = extract.body.toString('utf8');
    if (extract.format === 'json') {
      const rows: unknown = JSON.parse(text);
      const ok =
        Array.isArray(rows) && rows.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x));
      return ok ? rows.length : undefined;
    }
    const rows = parse(text, { columns: true, skip_empty_lines: true, bom: true }) as unknown[];
    return text.trim() === '' ? undefined : rows.length;
  } catch {
    return undefined;
  }
}

/** Checks an answer against the task and the system's configuration; undefined when it can be recorded. */
export function answerProblem(
  config: ManualSystem,
  operation: ManualOperation,
  answer: OwnerAnswer,
): AnswerProblem | undefined {
  if (answer.kind === 'nothing_held') return undefined;
  if (operation === 'export') {
    if (answer.kind !== 'extract') return 'file';
    if (!config.upload.formats.includes(answer.extract.format)) return 'format';
    if (answer.extract.body.length > config.upload.maxBytes) return 'size';
    return extractRecords(answer.extract) === undefined ? 'file' : undefined;
  }
  if (answer.kind !== 'done') return 'counts';
  const counts = Object.entries(answer.counts);
  const valid = counts.every(
    ([c, n]) => config.categories.includes(c as never) && Number.isInteger(n) && n >= 0,
  );
  return valid && counts.some(([, n]) => n > 0) ? undefined : 'counts';
}

/** The connector result an answer stands for; `answerProblem` must have passed. Counts, kinds and hashes only. */
export function answerResult(
  task: Pick<ManualTask, 'system' | 'operation'>,
  config: ManualSystem,
  r: Pick<RequestRecord, 'type' | 'changes' | 'scope' | 'exportPurpose'>,
  answer: OwnerAnswer,
): ConnectorResult {
  const result = (outcomes: Outcome[]): ConnectorResult => ({
    system: task.system as ConnectorResult['system'],
    operation: task.operation,
    outcomes,
  });
  if (answer.kind === 'nothing_held') return result([{ kind: 'not_found' }]);
  if (answer.kind === 'extract') {
    const { format, body } = answer.extract;
    const records = extractRecords(answer.extract) ?? 0;
    const file = {
      name: extractName(format),
      format,
      records,
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
      categories: [...config.categories],
    };
    const purpose = r.exportPurpose ?? (r.type === 'portability' ? 'portability' : 'access');
    return result([
      { kind: 'exported', purpose, records, files: [file], omitted: [], redacted: 0, masked: 0 },
    ]);
  }
  const counted = Object.entries(answer.counts).filter(([, n]) => n > 0);
  const fields = Object.keys(r.changes ?? {}).sort();
  const purposes = [...(r.scope ?? [])].sort();
  return result(
    counted.map(([category, records]): Outcome => {
      if (task.operation === 'rectify') return { kind: 'rectified', records, category, fields };
      if (task.operation === 'object') return { kind: 'objected', records, category, purposes };
      return { kind: 'erased', records, category };
    }),
  );
}

/** The answer to a look (locate, or the recheck after an erasure) that never bothers the owner. */
export function lookResult(
  system: string,
  operation: 'locate' | 'recheck',
  config: ManualSystem,
): ConnectorResult {
  // Nothing can be counted without asking: a locate assumes the system may hold the person; after an erasure the
  // owner's answer is the proof that nothing live remains (P3), as no one else can look.
  const located =
    operation === 'locate'
      ? { found: true, records: 0, categories: [...config.categories] }
      : { found: false, records: 0, categories: [] };
  return { system: system as ConnectorResult['system'], operation, located, outcomes: [] };
}

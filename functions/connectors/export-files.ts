// How export files are encoded (JSON array or RFC 4180 CSV), counted and hashed as they stream, whatever the
// destination: the S3 sink and the in-memory sink both write through here, so their bytes are identical.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { ExportFile, ExportFileInfo, ExportFormat, ExportSink } from '../core/connector.ts';

/** Where encoded chunks go; `write` resolves when the destination can take more (backpressure). */
export interface ChunkTarget {
  write(chunk: string): Promise<void>;
  end(): Promise<void>;
  abort(): Promise<void>;
}

/** Key prefix of one system's files for one attempt: `exports/<requestId>/<attempt>/<system>/`. */
export const exportPrefix = (requestId: string, attempt: number, system: string) =>
  `exports/${requestId}/${attempt}/${system}/`;

/** Column of a CSV that holds, as JSON, whatever a record has outside the header. */
export const EXTRA_COLUMN = 'extra';

/** Wraps a chunk target into an export file that encodes, counts and hashes every record it is given. */
export function encodedFile(
  name: string,
  format: ExportFormat,
  target: ChunkTarget,
  options: { columns?: string[] } = {},
): ExportFile {
  const hash = createHash('sha256');
  let bytes = 0;
  let records = 0;
  let columns = options.columns;
  let state: 'open' | 'closed' | 'aborted' = 'open';

  const emit = async (text: string) => {
    if (!text) return;
    const buffer = Buffer.from(text, 'utf8');
    hash.update(buffer);
    bytes += buffer.length;
    await target.write(text);
  };

  return {
    async write(record) {
      if (state !== 'open') throw new Error(`Export file ${name} is ${state}`);
      if (format === 'json') {
        await emit(`${records === 0 ? '[\n' : ',\n'}${JSON.stringify(canonical(record))}`);
      } else {
        const flat = flatten(record);
        if (!columns) columns = Object.keys(flat);
        if (records === 0) await emit(csvLine([...columns, EXTRA_COLUMN]));
        await emit(csvRow(flat, columns));
      }
      records += 1;
    },
    async close(): Promise<ExportFileInfo> {
      if (state !== 'open') throw new Error(`Export file ${name} is ${state}`);
      if (format === 'json') await emit(records === 0 ? '[]\n' : '\n]\n');
      else if (records === 0) await emit(csvLine([...(columns ?? []), EXTRA_COLUMN]));
      state = 'closed';
      await target.end();
      return { name, format, records, bytes, sha256: hash.digest('hex') };
    },
    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      await target.abort();
    },
  };
}

/** Keys sorted at every depth, labels first: the same record always encodes to the same bytes (stable hashes). */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value instanceof Set) return [...value].map(canonical).sort();
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of orderOf(Object.keys(record))) {
    if (record[key] !== undefined) out[key] = canonical(record[key]);
  }
  return out;
}

// Records of one type share their keys: their order is worked out once, not per record (a million calls).
const ORDERS = new Map<string, string[]>();
const rank = (k: string) => (k === 'category' ? 0 : k === 'origin' ? 1 : 2);
function orderOf(keys: string[]): string[] {
  const signature = keys.join('\u0000');
  let order = ORDERS.get(signature);
  if (!order) {
    order = [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    if (ORDERS.size < 1000) ORDERS.set(signature, order);
  }
  return order;
}

/** Nested objects become dotted columns (address.city); arrays stay whole, as JSON in one cell. */
export function flatten(record: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(canonical(record) as Record<string, unknown>)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(out, flatten(value as Record<string, unknown>, name));
    } else {
      out[name] = value;
    }
  }
  return out;
}

function csvRow(flat: Record<string, unknown>, columns: string[]): string {
  const known = new Set(columns);
  const extra = Object.fromEntries(Object.entries(flat).filter(([k]) => !known.has(k)));
  return csvLine([
    ...columns.map((c) => cell(flat[c])),
    Object.keys(extra).length > 0 ? JSON.stringify(extra) : '',
  ]);
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** One RFC 4180 line: quoted where needed, CRLF; cells a spreadsheet would run as a formula are neutralised. */
export function csvLine(cells: string[]): string {
  return stringify([cells.map(neutralise)], { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}

/** =, @ and a sign before a non-digit start formulas in spreadsheets; phone numbers (+32...) stay as they are. */
function neutralise(raw: string): string {
  return /^[=@\t\r]/.test(raw) || /^[+-][^\d]/.test(raw) ? `'${raw}` : raw;
}

/** An in-memory sink (unit tests, small local exports): the files' text by name. */
export interface MemorySink extends ExportSink {
  readonly files: Map<string, { format: ExportFormat; text: string; closed: boolean }>;
  /** records accepted so far, across every file */
  written(): number;
}

export function createMemorySink(): MemorySink {
  const files: MemorySink['files'] = new Map();
  let written = 0;
  return {
    files,
    written: () => written,
    file(name, format, options) {
      if (files.has(name)) throw new Error(`Export file ${name} opened twice`);
      const entry = { format, text: '', closed: false };
      files.set(name, entry);
      const file = encodedFile(
        name,
        format,
        {
          write: async (chunk) => {
            entry.text += chunk;
          },
          end: async () => {
            entry.closed = true;
          },
          abort: async () => {
            files.delete(name);
          },
        },
        options,
      );
      return {
        ...file,
        write: async (record) => {
          await file.write(record);
          written += 1;
        },
      };
    },
  };
}

/** Parses a CSV written by this module (tests and the assembler read files back): rows of cells, as written. */
export function parseCsv(text: string): string[][] {
  return parse(text, { record_delimiter: '\r\n', relax_column_count: true });
}

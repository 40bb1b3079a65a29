// How `dsr` prints: aligned tables and key/value blocks for people, one JSON document for scripts (--json).

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** whether stderr is a terminal (progress bars and spinners only then) */
  tty: boolean;
}

export const processIo = (): Io => ({
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  tty: Boolean(process.stderr.isTTY),
});

const cell = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

/** Rows as a table with a header line; columns as wide as their widest cell. */
export function table(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n')}\n`;
}

/** A record as `key  value` lines, keys aligned; nested objects as JSON. */
export function fields(record: Record<string, unknown>): string {
  const entries = Object.entries(record).filter(([, v]) => v !== undefined);
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return `${entries.map(([k, v]) => `${k.padEnd(width)}  ${cell(v)}`).join('\n')}\n`;
}

/** Prints `value` as JSON with --json, else what `human` makes of it. */
export function print<T>(io: Io, json: boolean, value: T, human: (v: T) => string): void {
  io.out(json ? `${JSON.stringify(value, null, 2)}\n` : human(value));
}

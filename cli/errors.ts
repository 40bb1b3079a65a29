// What `dsr` exits with, and the one error it reports: a short message, never a stack trace.

export const EXIT = { done: 0, failed: 1, usage: 2, notFound: 3, forbidden: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports as one line on stderr and turns into its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: ExitCode = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The exit code for an API answer's HTTP status: 404 not found, 401/403 forbidden, 400 usage, else failed. */
export function exitForStatus(status: number): ExitCode {
  if (status === 404) return EXIT.notFound;
  if (status === 401 || status === 403) return EXIT.forbidden;
  if (status === 400) return EXIT.usage;
  return EXIT.failed;
}

/** An RFC 9457 problem (functions/api/problems.ts) as one line: its title, detail and first field error. */
export function problemMessage(status: number, body: unknown): string {
  const p = (body ?? {}) as {
    title?: unknown;
    detail?: unknown;
    errors?: { path?: string; message?: string }[];
  };
  const title = typeof p.title === 'string' ? p.title : `HTTP ${status}`;
  const detail = typeof p.detail === 'string' && p.detail !== title ? `: ${p.detail}` : '';
  const field = p.errors?.[0]?.path ? ` (${p.errors[0].path})` : '';
  return `${title}${detail}${field}`;
}

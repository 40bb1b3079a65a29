/** Base of every problem `type` URI (RFC 9457); the rest of the URI is stable per error. */
export const PROBLEM_BASE = 'https://privacy.jsm.be/problems/';

/** A problem with what the client sent or may do: becomes an RFC 9457 answer with this status and type. */
export class ClientError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 415 | 422 | 429,
    readonly type: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(title);
    this.name = 'ClientError';
  }
}

/** A system could not be reached or answered wrongly; the workflow retries it (ErrorEquals "ConnectorError"). */
export class ConnectorError extends Error {
  constructor(
    message: string,
    readonly retryable = true,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

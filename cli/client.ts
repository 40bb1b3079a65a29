// The API as `dsr` calls it: JSON in and out, a staff token, an Idempotency-Key on every POST, and every refusal
// turned into a CliError with the exit code of its status (cli/errors.ts).
import { randomUUID } from 'node:crypto';
import { CliError, EXIT, exitForStatus, problemMessage } from './errors.ts';

export interface ClientOptions {
  endpoint: string;
  token?: string;
  /** per call */
  timeoutMs?: number;
}

export interface CallOptions {
  body?: unknown;
  query?: Record<string, string | undefined>;
  /** a staff route: without a token, say how to get one before calling */
  staff?: boolean;
  idempotencyKey?: string;
  /** answer a redirect instead of following it */
  redirect?: boolean;
}

export class Client {
  constructor(readonly options: ClientOptions) {}

  url(path: string, query: Record<string, string | undefined> = {}): string {
    const url = new URL(`${this.options.endpoint.replace(/\/+$/, '')}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
    return url.toString();
  }

  /** Sends a request; a problem answer throws a CliError, anything else answers the Response. */
  async send(method: 'GET' | 'POST', path: string, options: CallOptions = {}): Promise<Response> {
    if (options.staff && !this.options.token)
      throw new CliError('Not logged in: set DSR_TOKEN or run `dsr login`.', EXIT.forbidden);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (method === 'POST') headers['idempotency-key'] = options.idempotencyKey ?? randomUUID();
    let res: Response;
    try {
      res = await fetch(this.url(path, options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        redirect: options.redirect ? 'manual' : 'follow',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (e) {
      const name = (e as Error).name;
      throw new CliError(
        name === 'TimeoutError'
          ? `No answer from ${this.options.endpoint} in time.`
          : `Cannot reach ${this.options.endpoint} (is it running?).`,
      );
    }
    if (res.status >= 400) {
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      throw new CliError(problemMessage(res.status, body), exitForStatus(res.status));
    }
    return res;
  }

  /** Sends a request and answers its JSON body. */
  async json<T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    options: CallOptions = {},
  ): Promise<T> {
    const res = await this.send(method, path, options);
    return (await res.json()) as T;
  }
}

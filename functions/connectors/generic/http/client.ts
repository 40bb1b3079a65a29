// Calls one configured system's API (P17): its base URL and authentication, a token bucket for its rate limit,
// a timeout, an Idempotency-Key on every call that changes something, and the difference between an answer worth
// asking again (429, 5xx, the network: ConnectorError, the workflow's Retry) and a final refusal.
import { ConnectorError } from '../../../core/errors.ts';
import type { HttpSystem } from './config.ts';

export interface HttpDeps {
  fetch: typeof fetch;
  /** the system's own secret, by the name its file gives (Secrets Manager; locally local/secrets.ts) */
  secret: (name: string) => Promise<string>;
  /** the file's base URL, or the one the environment puts in its place */
  baseUrl: string;
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
}

/** A status the system answered that asking again will not change: the operation fails, not retryable. */
export class HttpRefusal extends Error {
  constructor(
    readonly system: string,
    readonly status: number,
  ) {
    super(`${system} answered ${status}`);
    this.name = 'HttpRefusal';
  }

  get reason(): string {
    return `http_${this.status}`;
  }
}

/** Requests per second with bursts: each call takes a token, waiting for one when none is left. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.tokens = burst;
    this.last = clock();
  }

  async take(): Promise<void> {
    for (;;) {
      const now = this.clock();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
    }
  }
}

export type PathValues = Partial<Record<'email' | 'customerNumber' | 'requestId', string>>;

/** Fills `{email}`, `{customerNumber}`, `{requestId}`, url-encoded; a value the template needs but lacks is a bug. */
export function fillPath(template: string, values: PathValues): string {
  return template.replace(/\{(email|customerNumber|requestId)\}/g, (_, name: keyof PathValues) => {
    const value = values[name];
    if (value === undefined || value === '') throw new Error(`No ${name} for the path template`);
    return encodeURIComponent(value);
  });
}

/** The value at a dotted path of a JSON value, if any. */
export function pathGet(value: unknown, path: string): unknown {
  let at: unknown = value;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** Sets the value at a dotted path, making the objects on the way. */
export function pathSet(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = target;
  for (const key of keys.slice(0, -1)) {
    const next = at[key];
    at[key] = next && typeof next === 'object' ? next : {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys[keys.length - 1] as string] = value;
}

export interface Call {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** `<requestId>-<system>-<operation>`: the system applies a repeated call once */
  idempotencyKey?: string;
}

/** One configured system's HTTP client; one per Lambda container, so the bucket and the token are shared. */
export class HttpSystemClient {
  private readonly bucket: TokenBucket;
  private token?: { value: string; expires: number };
  private readonly clock: () => number;

  constructor(
    private readonly config: HttpSystem,
    private readonly deps: HttpDeps,
  ) {
    this.clock = deps.clock ?? Date.now;
    this.bucket = new TokenBucket(config.rateLimit.perSecond, config.rateLimit.burst, this.clock, deps.sleep);
  }

  /** The answer's JSON (undefined for an empty body); throws ConnectorError to retry, HttpRefusal to give up. */
  async send(call: Call, renewed = false): Promise<unknown> {
    const url = this.url(call.path, call.query);
    const headers: Record<string, string> = { accept: 'application/json', ...(await this.auth()) };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
    await this.bucket.take();
    const response = await this.fetch(url, {
      method: call.method,
      headers,
      ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
    });
    // A rejected token may have been revoked early: one fresh token, then the status counts.
    if (response.status === 401 && this.token && !renewed) {
      this.token = undefined;
      return this.send(call, true);
    }
    return this.read(response);
  }

  private url(path: string, query?: Record<string, string>): string {
    const base = this.deps.baseUrl.replace(/\/+$/, '');
    const url = new URL(`${base}${path}`);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    return url.toString();
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.deps.fetch(url, { ...init, signal: AbortSignal.timeout(this.config.timeoutMs) });
    } catch (error) {
      // The network or the timeout: passing, as far as we can tell. The message names no address.
      throw new ConnectorError(`${this.config.name} unreachable: ${(error as Error).name}`, true);
    }
  }

  private async read(response: Response): Promise<unknown> {
    const text = await response.text();
    if (this.config.retryableStatuses.includes(response.status))
      throw new ConnectorError(`${this.config.name} answered ${response.status}`, true);
    if (!response.ok) throw new HttpRefusal(this.config.name, response.status);
    if (text === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpRefusal(this.config.name, response.status);
    }
  }

  private async auth(): Promise<Record<string, string>> {
    const auth = this.config.auth;
    if (auth.type === 'api_key') return { [auth.header.toLowerCase()]: await this.deps.secret(auth.secret) };
    if (!this.token || this.token.expires <= this.clock()) this.token = await this.newToken(auth);
    return { authorization: `Bearer ${this.token.value}` };
  }

  /** OAuth2 client credentials (RFC 6749 §4.4), the client's id and secret in the system's secret. */
  private async newToken(auth: Extract<HttpSystem['auth'], { type: 'oauth2_client_credentials' }>) {
    const credentials = JSON.parse(await this.deps.secret(auth.secret)) as {
      clientId?: string;
      clientSecret?: string;
    };
    if (!credentials.clientId || !credentials.clientSecret)
      throw new Error(`${this.config.name}: its secret lacks clientId or clientSecret`);
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (auth.scope) form.set('scope', auth.scope);
    const basic = Buffer.from(
      `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`,
    ).toString('base64');
    const tokenUrl = /^https?:\/\//.test(auth.tokenUrl) ? auth.tokenUrl : this.url(auth.tokenUrl);
    await this.bucket.take();
    const response = await this.fetch(tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const body = (await this.read(response)) as { access_token?: string; expires_in?: number } | undefined;
    if (!body?.access_token) throw new HttpRefusal(this.config.name, response.status);
    // A minute's margin, so a token never runs out mid-call.
    const lifetime = Math.max(0, (body.expires_in ?? 300) - 60) * 1000;
    return { value: body.access_token, expires: this.clock() + lifetime };
  }
}

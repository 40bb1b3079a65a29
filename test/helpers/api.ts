// Small clients for integration tests: the API as a subject or staff member would call it, and the local inbox.

export interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown> & { [k: string]: unknown };
  text: string;
}

/** Calls the local API; `body` objects are sent as JSON, strings as they are. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body:
      typeof options.body === 'string'
        ? options.body
        : options.body === undefined
          ? undefined
          : JSON.stringify(options.body),
  });
  const text = await res.text();
  let json = {};
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, json, text };
}

export interface InboxMail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  headers?: { name: string; value: string }[];
  at: number;
}

/** Every mail in the local SES inbox; with `since` (epoch seconds), only those sent from then on. */
export async function inbox(sesUrl: string, since?: number): Promise<InboxMail[]> {
  const res = await fetch(`${sesUrl}/store${since === undefined ? '' : `?since=${since}`}`);
  return ((await res.json()) as { emails: InboxMail[] }).emails;
}

/** Waits until a mail to `to` matching `match` arrives (mail is asynchronous to the API answer). */
export async function waitForMail(
  sesUrl: string,
  to: string,
  match: (m: InboxMail) => boolean = () => true,
  timeoutMs = 20_000,
  since?: number,
): Promise<InboxMail> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const found = (await inbox(sesUrl, since))
      .filter((m) => m.destination.to.includes(to) && match(m))
      .at(-1);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`No mail to ${to} arrived in ${timeoutMs} ms`);
}

/** A mail's X-Idempotency-Key (`<request id>:<kind>...`), which names the request it is about. */
export const mailKey = (m: Pick<InboxMail, 'headers'>) =>
  m.headers?.find((h) => h.name.toLowerCase() === 'x-idempotency-key')?.value ?? '';

/** The 8-digit code in a verification mail. */
export const codeIn = (m: InboxMail) => /\b(\d{8})\b/.exec(m.body.text ?? '')?.[1] ?? '';

/** Polls until `check` returns a value, or fails after the timeout. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
  everyMs = 150,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

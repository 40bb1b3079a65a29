// Small clients for integration tests: the API as a subject or staff member would call it, and the local inbox.
import { expect } from 'vitest';

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

/** Every mail in the local SES inbox. */
export async function inbox(sesUrl: string): Promise<InboxMail[]> {
  const res = await fetch(`${sesUrl}/store`);
  return ((await res.json()) as { emails: InboxMail[] }).emails;
}

/** Waits until a mail to `to` matching `match` arrives (mail is asynchronous to the API answer). */
export async function waitForMail(
  sesUrl: string,
  to: string,
  match: (m: InboxMail) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<InboxMail> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const found = (await inbox(sesUrl)).filter((m) => m.destination.to.includes(to) && match(m)).at(-1);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`No mail to ${to} arrived in ${timeoutMs} ms`);
}

/** The 8-digit code in a verification mail. */
export const codeIn = (m: InboxMail) => /\b(\d{8})\b/.exec(m.body.text ?? '')?.[1] ?? '';

/** Polls until `check` returns a value, or fails after the timeout. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
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
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** The runtime as the request helpers below reach it: its API, its inbox and its staff tokens. */
export interface RequestRuntime {
  readonly apiUrl: string;
  readonly sesUrl: string;
  staffToken(role: 'approver'): Promise<string>;
}

/**
 * Files a request and verifies it with the code newly mailed to each address in `codeTo`, in turn; answers its id,
 * its status token and the mails there were before it was filed.
 */
export async function fileAndVerify(
  rt: Pick<RequestRuntime, 'apiUrl' | 'sesUrl'>,
  body: Record<string, unknown>,
  codeTo: string[],
) {
  const seen = new Set((await inbox(rt.sesUrl)).map((m) => m.messageId));
  const filed = await call(rt.apiUrl, 'POST', '/requests', { body });
  expect(filed.status).toBe(202);
  const id = filed.json.id as string;
  let verified: Answer | undefined;
  for (const to of codeTo) {
    const mail = await waitForMail(
      rt.sesUrl,
      to,
      (m) => /\d{8}/.test(m.body.text ?? '') && !seen.has(m.messageId),
    );
    verified = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, { body: { code: codeIn(mail) } });
    expect(verified.status).toBe(200);
  }
  return { id, token: verified?.json.statusToken as string, seen };
}

/** An approver rejects the request for `reason` (with staff's own `explanation`, if given). */
export async function reject(
  rt: Pick<RequestRuntime, 'apiUrl' | 'staffToken'>,
  id: string,
  reason: string,
  explanation?: string,
) {
  return call(rt.apiUrl, 'POST', `/admin/requests/${id}/reject`, {
    token: await rt.staffToken('approver'),
    body: { reason, ...(explanation === undefined ? {} : { explanation }) },
  });
}

// What a refusal must name, by language (P10, Art. 12(4)): the authority to complain to, and the court (Art. 79).
const COMPLAINT_ROUTES = {
  fr: ['Autorité de protection des données', 'article 79'],
  en: ['contact@apd-gba.be', 'Article 79'],
} as const;

/** Asserts that a refusal mail names where to complain and the right to go to court, in its language. */
export function expectComplaintRoutes(
  text: string | undefined,
  language: keyof typeof COMPLAINT_ROUTES,
): void {
  for (const phrase of COMPLAINT_ROUTES[language]) expect(text).toContain(phrase);
}

/** Waits until the request, as its subject follows it with the status token, is in one of `statuses`; answers it. */
export function reachStatus(
  rt: Pick<RequestRuntime, 'apiUrl'>,
  id: string,
  token: string,
  statuses: string[],
  timeoutMs = 60_000,
) {
  return eventually(
    async () => {
      const s = (await call(rt.apiUrl, 'GET', `/requests/${id}`, { token })).json;
      return statuses.includes(s.status as string) ? s : undefined;
    },
    timeoutMs,
    statuses.join(' or '),
  );
}

/**
 * Approves the request if it waits for approval (after `beforeDecision`, staff's attempts first, with the approver's
 * token), then waits for its end; answers the first status it settled in and the last.
 */
export async function approveAndFinish(
  rt: RequestRuntime,
  id: string,
  token: string,
  beforeDecision?: (approver: string) => Promise<void>,
) {
  const first = await reachStatus(rt, id, token, ['awaiting_approval', 'completed', 'partially_completed']);
  if (first.status === 'awaiting_approval') {
    const approver = await rt.staffToken('approver');
    await beforeDecision?.(approver);
    const approved = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, { token: approver });
    expect(approved.status).toBe(200);
  }
  const done = await reachStatus(rt, id, token, ['completed', 'partially_completed'], 90_000);
  return { first, done };
}

// A request's way through the embedded runtime as integration tests drive it: filed, verified, decided, followed.
// Assertions included (vitest's expect), so this stays out of the benchmark, which reuses api.ts.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { type Answer, call, codeIn, eventually, inbox, mailKey, waitForMail } from './api.ts';

/** The runtime as these helpers reach it: its API, its inbox and its staff tokens. */
export interface RequestRuntime {
  readonly apiUrl: string;
  readonly sesUrl: string;
  staffToken(role: 'approver'): Promise<string>;
}

/**
 * A call sent again, as a client does, while the API answers 503 with Retry-After (a service it relies on busy:
 * functions/api/http.ts); at most three times more, so a lasting 503 still fails the test.
 */
export async function asAClientWould(send: () => Promise<Answer>): Promise<Answer> {
  let answer = await send();
  for (let again = 0; answer.status === 503 && again < 3; again++) {
    await new Promise((r) => setTimeout(r, 1000 * Number(answer.headers.get('retry-after') ?? 1)));
    answer = await send();
  }
  return answer;
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
  // the inbox keeps whole seconds: from the second before, so no mail of this request is missed
  const since = Math.floor(Date.now() / 1000) - 1;
  const key = randomUUID();
  const filed = await asAClientWould(() =>
    call(rt.apiUrl, 'POST', '/requests', { body, headers: { 'idempotency-key': key } }),
  );
  expect(filed.status).toBe(202);
  const id = filed.json.id as string;
  let verified: Answer | undefined;
  for (const to of codeTo) {
    // this request's own code mail (its idempotency key names the request), so requests from one address can overlap
    const mail = await waitForMail(
      rt.sesUrl,
      to,
      (m) => /\d{8}/.test(m.body.text ?? '') && !seen.has(m.messageId) && mailKey(m).startsWith(`${id}:`),
      20_000,
      since,
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
  everyMs?: number,
) {
  return eventually(
    async () => {
      const s = (await call(rt.apiUrl, 'GET', `/requests/${id}`, { token })).json;
      return statuses.includes(s.status as string) ? s : undefined;
    },
    timeoutMs,
    statuses.join(' or '),
    everyMs,
  );
}

/**
 * Approves the request if it waits for approval (after `beforeDecision`, staff's attempts first, with the approver's
 * token), then waits for its end; answers the first status it settled in and the last. `everyMs`: how often to look
 * (many requests at once look less often, so the looking does not load the runtime).
 */
export async function approveAndFinish(
  rt: RequestRuntime,
  id: string,
  token: string,
  beforeDecision?: (approver: string) => Promise<void>,
  everyMs?: number,
) {
  const settled = ['awaiting_approval', 'completed', 'partially_completed'];
  const first = await reachStatus(rt, id, token, settled, 60_000, everyMs);
  if (first.status === 'awaiting_approval') {
    const approver = await rt.staffToken('approver');
    await beforeDecision?.(approver);
    const approved = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, { token: approver });
    expect(approved.status).toBe(200);
  }
  const done = await reachStatus(rt, id, token, ['completed', 'partially_completed'], 90_000, everyMs);
  return { first, done };
}

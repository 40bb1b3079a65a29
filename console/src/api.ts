// The public API as the privacy centre calls it: same origin, paths relative to the page (so /v1/ works on AWS).

export interface Problem {
  status: number;
  /** the problem type's slug, e.g. "invalid-code" (functions/api/problems.ts) */
  slug: string;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.slug);
  }
}

/** Calls the API at `path`, relative to `base` (the page's own address unless given); problems throw ApiError. */
export async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  base: string = document.baseURI,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    // Every POST carries a fresh key: a retried lost answer is replayed by the API, not filed twice.
    headers['Idempotency-Key'] = crypto.randomUUID();
  }
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(new URL(path, base), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({ status: 0, slug: 'network' });
  }
  const json = (await res.json().catch(() => ({}))) as { type?: string };
  if (!res.ok) {
    const slug =
      String(json.type ?? '')
        .split('/')
        .pop() || 'unknown';
    throw new ApiError({ status: res.status, slug });
  }
  return json as T;
}

export type RequestType = 'erasure' | 'access' | 'portability' | 'rectification' | 'objection';

export interface Filed {
  id: string;
  status: string;
  dueAt: string;
}

export interface Verified {
  status: string;
  statusToken: string;
  confirmNewEmail?: boolean;
}

export interface Progress {
  id: string;
  type: RequestType;
  status: string;
  receivedAt: string;
  dueAt: string;
  extended?: { reason: string; dueAt: string };
  systems: { system: string; state: 'pending' | 'done' | 'failed' }[];
  /** the outcome mail's links, once it went out, until they expire (P1, P7) */
  download?: { url: string; reportUrl?: string; expiresAt: string };
}

export const fileRequest = (body: Record<string, unknown>) => call<Filed>('POST', 'requests', body);

export const verify = (id: string, code: string, confirmTransfer?: boolean) =>
  call<Verified>('POST', `requests/${encodeURIComponent(id)}/verify`, {
    code,
    ...(confirmTransfer ? { confirmTransfer: true } : {}),
  });

export const progress = (id: string, token: string) =>
  call<Progress>('GET', `requests/${encodeURIComponent(id)}`, undefined, token);

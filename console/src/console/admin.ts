// The staff API (/admin/*) as the console calls it, with the signed-in staff member's ID token. Fields other parts
// add to the request page (chain, messages, delivery, letters, representation) are optional: the page shows what
// the API gives.
import { ApiError, call } from '../api.ts';
import { apiBase } from './auth.ts';

export interface QueueItem {
  id: string;
  type: string;
  status: string;
  channel: string;
  receivedAt: string;
  dueAt: string;
  daysLeft?: number;
  attention?: string;
  bounced?: boolean;
}

export interface QueueQuery {
  status?: string;
  type?: string;
  channel?: string;
  attention?: string;
  id?: string;
  order?: string;
  cursor?: string;
}

export type Outcome = { kind: string } & Record<string, unknown>;

export interface SystemView {
  system: string;
  state: 'pending' | 'done' | 'failed';
  located?: { found: boolean; records: number };
  outcomes?: Outcome[];
  recheck?: { agrees: boolean; live: number; kept: number; reasons?: string[] };
  /** a system without an API whose owner has not yet answered its task (P17) */
  waiting?: 'owner';
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  details?: Record<string, unknown>;
  hash?: string;
}

export interface Notice {
  recipientId: string;
  recipient: string;
  kind: string;
  event: string;
  status: string;
  attempts: number;
  firstSentAt: string;
  lastAttemptAt: string;
  acknowledgedAt?: string;
  lastError?: string;
}

export interface RequestDetail {
  id: string;
  type: string;
  status: string;
  receivedAt: string;
  dueAt: string;
  channel?: string;
  language?: string;
  attention?: string;
  extended?: { reason: string; dueAt: string };
  extension?: { reason: string; dueAt: string; note?: string };
  rejection?: { reason: string };
  closedAt?: string;
  systems: SystemView[];
  notices?: Notice[];
  audit?: AuditEntry[];
  chain?: { intact: boolean; entries: number; brokenAt?: number };
  messages?: { id: string; kind: string; to: string; at: string; delivery: string; letter?: boolean }[];
  delivery?: {
    state: string;
    at: string;
    messageKind: string;
    to?: string;
    reachedAt?: string;
    reachedBy?: string;
    means?: string;
  };
  answered?: boolean;
  check?: { of: 'identity' | 'authority'; pending: boolean };
  representation?: { relation: string; checkedAt?: string; method?: string };
  answerBy?: string;
  letters?: { id: string; kind: string; at: string }[];
}

export interface Dashboard {
  at: string;
  open: Record<string, number>;
  dueThisWeek: number;
  overdue: number;
  daysToComplete: Record<string, { median: number; p95: number; completed: number }>;
  completions: { week: string; onTime: number; late: number; extended: number }[];
  failingSystems: { system: string; requests: number }[];
}

/** A page the API serves as HTML (a printable letter), fetched with the token: a link cannot carry it. */
async function getHtml(path: string, token: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(new URL(path, apiBase()), {
      headers: { Accept: 'text/html', Authorization: `Bearer ${token}` },
    });
  } catch {
    throw new ApiError({ status: 0, slug: 'network' });
  }
  if (res.ok) return res.text();
  const problem = (await res.json().catch(() => ({}))) as { type?: string };
  throw new ApiError({
    status: res.status,
    slug:
      String(problem.type ?? '')
        .split('/')
        .pop() || 'unknown',
  });
}

/** The staff API with one token. */
export function adminApi(token: string) {
  const get = <T>(path: string) => call<T>('GET', path, undefined, token, apiBase());
  const post = <T>(path: string, body: unknown = {}) => call<T>('POST', path, body, token, apiBase());
  const one = (id: string) => `admin/requests/${encodeURIComponent(id)}`;
  return {
    queue(q: QueueQuery) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) if (v) params.set(k, v);
      const query = params.toString();
      return get<{ items: QueueItem[]; cursor?: string }>(`admin/requests${query ? `?${query}` : ''}`);
    },
    request: (id: string) => get<RequestDetail>(one(id)),
    subject: (id: string) => get<Record<string, unknown>>(`${one(id)}/subject`),
    dashboard: () => get<Dashboard>('admin/dashboard'),
    approve: (id: string) => post(`${one(id)}/approve`),
    reject: (id: string, reason: string, explanation?: string) =>
      post(`${one(id)}/reject`, { reason, ...(explanation ? { explanation } : {}) }),
    extend: (id: string, reason: string, note: string) => post(`${one(id)}/extend`, { reason, note }),
    retry: (id: string) => post(`${one(id)}/retry`),
    resolve: (id: string, customerNumber: string) => post(`${one(id)}/resolve`, { customerNumber }),
    register: (body: Record<string, unknown>) =>
      post<{ id: string; status: string; dueAt: string }>('admin/requests', body),
    authority: (id: string, body: { method: string; note?: string; customerNumber?: string }) =>
      post(`${one(id)}/authority`, body),
    reached: (id: string, body: { means: string; note?: string }) => post(`${one(id)}/reached`, body),
    letter: (id: string, letterId: string) =>
      getHtml(`${one(id)}/letters/${encodeURIComponent(letterId)}`, token),
  };
}

export type AdminApi = ReturnType<typeof adminApi>;

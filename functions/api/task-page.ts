// GET /tasks/{token}: the page of a manual task for the owner of a system without an API (P16, P17). The signed
// link is the authority, no console login: it shows what to do, the subject's data needed to do it (a view of the
// subject's data, audited as subject.viewed, P15) and the answer form. A bad, forged or expired link is a 4xx page.
import { now } from '../core/clock.ts';
import { readTaskToken, type TaskClaims } from '../core/manual-task-token.ts';
import type { FoundTask } from '../core/manual-tasks.ts';
import { findTask, recordTaskViewed } from '../core/manual-tasks.ts';
import type { TaskSubject } from '../core/messages/manual-task.ts';
import { taskPage } from '../core/messages/manual-task.ts';
import { appSecret, manualTaskDeps } from '../wiring.ts';
import { type RouteResult, route } from './http.ts';
import { PAGE_HEADERS, pageLanguage } from './pages.ts';
import { ProblemError, type ProblemName } from './problems.ts';

type Found = Extract<FoundTask, { ok: true }>;

/** A refusal: for a browser (Accept: text/html) the page, for anyone else the problem; nothing changed either way. */
export function refuse(
  problem: ProblemName,
  headers: Record<string, string>,
  page: () => RouteResult,
): RouteResult {
  if (/\btext\/html\b/i.test(headers.accept ?? '')) return page();
  throw new ProblemError(problem);
}

/** The task a link stands for, or the 4xx page that says the link is no good (nothing said about why). */
export async function taskOfLink(
  token: string,
  query: Record<string, string>,
  headers: Record<string, string>,
): Promise<{ claims: TaskClaims; found: Found } | { page: RouteResult }> {
  const check = await readTaskToken(await appSecret(), token, now());
  const found = check.ok ? await findTask(await manualTaskDeps(), check.claims) : undefined;
  if (!check.ok || !found?.ok) {
    const lang = pageLanguage(query, undefined, headers['accept-language']);
    const expired = !check.ok && check.reason === 'expired';
    return {
      page: refuse(expired ? 'task-link-expired' : 'task-link-invalid', headers, () => ({
        status: expired ? 410 : 400,
        html: taskPage(lang, undefined, { kind: 'invalid' }),
        headers: PAGE_HEADERS,
      })),
    };
  }
  return { claims: check.claims, found };
}

/** What the owner needs to find the person and do the work: the address, the customer number, the changes. */
export function taskSubject(found: Found): TaskSubject {
  const r = found.request;
  const text = (v: unknown) =>
    typeof v === 'string' ? v : v && typeof v === 'object' ? Object.values(v).join(', ') : String(v);
  return {
    ...(r.email ? { email: r.email } : {}),
    ...(r.identity ? { customerNumber: r.identity.customerNumber } : {}),
    ...(found.task.operation === 'rectify' && r.changes
      ? {
          changes: Object.entries(r.changes)
            .filter(([, v]) => v !== undefined)
            .map(([field, v]) => ({ field, value: text(v) })),
        }
      : {}),
    ...(found.task.operation === 'object' && r.scope ? { scope: [...r.scope] } : {}),
  };
}

export const handler = route({ id: 'TaskPage' }, async ({ params, query, headers }) => {
  const link = await taskOfLink(params.token ?? '', query, headers);
  if ('page' in link) return link.page;
  const { claims, found } = link;
  const lang = pageLanguage(query, found.config.owner.language);
  if (found.task.state === 'done')
    return {
      status: 200,
      html: taskPage(lang, found.config, { kind: 'already_answered' }),
      headers: PAGE_HEADERS,
    };
  const subject = taskSubject(found);
  const fields = Object.keys(subject).filter((k) => subject[k as keyof TaskSubject] !== undefined);
  await recordTaskViewed(await manualTaskDeps(), claims, fields);
  const state = {
    kind: 'form' as const,
    requestId: found.request.id,
    operation: found.task.operation,
    dueAt: found.request.extension?.dueAt ?? found.request.dueAt,
    subject,
  };
  return { status: 200, html: taskPage(lang, found.config, state), headers: PAGE_HEADERS };
});

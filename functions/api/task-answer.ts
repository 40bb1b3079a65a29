// POST /tasks/{token}: the owner's answer to a manual task (P16, P17), a multipart form: done with counts per
// category, nothing held, or the uploaded extract of an access or portability request, stored under the request's
// prefix of the export bucket so the package includes it (P1, P7). Recorded once: a second answer changes nothing.
import { Readable } from 'node:stream';
import { extractName, type OwnerAnswer } from '../core/manual-answer.ts';
import { answerManualTask } from '../core/manual-tasks.ts';
import { taskPage } from '../core/messages/manual-task.ts';
import { exportFileKey } from '../core/package.ts';
import { exportObjects, manualTaskDeps } from '../wiring.ts';
import { readForm } from './form-body.ts';
import { route } from './http.ts';
import { PAGE_HEADERS, pageLanguage } from './pages.ts';
import { refuse, taskOfLink } from './task-page.ts';

type Upload = { filename?: string; mimetype?: string; content?: Buffer; truncated?: boolean };

/** The answer a form stands for; undefined when it names none the page offers. */
export function answerOfForm(form: Record<string, unknown>): OwnerAnswer | undefined {
  const chosen = form.answer;
  if (chosen === 'nothing_held') return { kind: 'nothing_held' };
  if (chosen === 'done') {
    const counts: Record<string, number> = {};
    for (const [name, value] of Object.entries(form)) {
      if (!name.startsWith('count.') || typeof value !== 'string') continue;
      counts[name.slice('count.'.length)] = /^\d{1,7}$/.test(value.trim()) ? Number(value.trim()) : -1;
    }
    return { kind: 'done', counts };
  }
  if (chosen === 'extract') {
    const file = form.extract as Upload | undefined;
    const name = (file?.filename ?? '').toLowerCase();
    const format = name.endsWith('.csv') ? 'csv' : name.endsWith('.json') ? 'json' : undefined;
    if (!file?.content || !format)
      return { kind: 'extract', extract: { format: 'json', body: Buffer.alloc(0) } };
    return { kind: 'extract', extract: { format, body: file.content } };
  }
  return undefined;
}

type BadReason = Extract<Parameters<typeof taskPage>[2], { kind: 'bad_answer' }>['reason'];

export const handler = route({ id: 'TaskAnswer' }, async ({ event, params, query, headers }) => {
  const link = await taskOfLink(params.token ?? '', query, headers);
  if ('page' in link) return link.page;
  const { claims, found } = link;
  const lang = pageLanguage(query, found.config.owner.language);
  const page = (status: number, state: Parameters<typeof taskPage>[2]) => ({
    status,
    html: taskPage(lang, found.config, state),
    headers: PAGE_HEADERS,
  });
  const answered = () => refuse('task-answered', headers, () => page(409, { kind: 'already_answered' }));
  const bad = (reason: BadReason) =>
    refuse('task-answer-invalid', headers, () => page(400, { kind: 'bad_answer', reason }));
  if (found.task.state === 'done') return answered();
  const form = await readForm(headers['content-type'] ?? '', event.body ?? '', event.isBase64Encoded);
  const answer = form ? answerOfForm(form) : undefined;
  if (!answer) return bad(claims.operation === 'export' ? 'file' : 'counts');
  const deps = await manualTaskDeps();
  const outcome = await answerManualTask(deps, claims, answer, async ({ extract }) => {
    const key = exportFileKey(claims.requestId, claims.attempt, claims.system, extractName(extract.format));
    const type = extract.format === 'csv' ? 'text/csv' : 'application/json';
    await exportObjects().put(key, Readable.from([extract.body]), type);
  });
  if (outcome.kind === 'already_answered') return answered();
  if (outcome.kind === 'invalid') return bad(outcome.problem);
  return page(200, { kind: 'answered' });
});

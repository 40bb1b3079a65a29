// The OpenAPI descriptions of the manual-task routes (P16, P17): the owner of a system without an API opens the
// signed link from the task's mail and answers there, without a console login.
import * as z from 'zod';
import { Language } from '../core/schemas.ts';
import { page, problem, type RouteSpec } from './openapi-common.ts';

const taskToken = z.object({
  token: z
    .string()
    .openapi({ description: 'The signed token of one manual task, from the mail to its owner' }),
});
const lang = z.object({ lang: Language.optional() });
const TaskAnswerForm = z
  .object({
    answer: z.enum(['done', 'nothing_held', 'extract']),
    'count.<category>': z
      .string()
      .regex(/^\d{1,7}$/)
      .optional()
      .openapi({
        description: 'done: the records handled in one of the system’s categories, one field each',
      }),
    extract: z.string().optional().openapi({
      format: 'binary',
      description: 'extract: the file, in a format and size the system allows',
    }),
  })
  .openapi('TaskAnswerForm');

export const taskSpecs: Record<string, RouteSpec> = {};
taskSpecs.TaskPage = {
  summary:
    'The page of a manual task: what to do, whom it concerns (audited as subject.viewed, P15) and the answer form',
  request: { params: taskToken, query: lang },
  responses: {
    200: page('The answer form, or that the task was already answered'),
    400: problem(
      'A malformed, forged or altered link, or one of a task that does not exist (`task-link-invalid`; a browser gets the same status as a page)',
    ),
    410: problem('An expired link (`task-link-expired`; a browser gets a page)'),
  },
};
taskSpecs.TaskAnswer = {
  summary:
    'The owner’s answer to a manual task: done with counts, nothing held, or the extract; recorded once, resumes the request',
  request: {
    params: taskToken,
    query: lang,
    body: { required: true, content: { 'multipart/form-data': { schema: TaskAnswerForm } } },
  },
  responses: {
    200: page('Recorded; the request carries on'),
    400: problem(
      'A bad link, or an answer that cannot be recorded (`task-answer-invalid`; a browser gets a page saying why); nothing changed',
    ),
    409: problem('Already answered (`task-answered`; a browser gets a page); nothing changed'),
    410: problem('An expired link (`task-link-expired`; a browser gets a page)'),
  },
};

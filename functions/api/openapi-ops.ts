// The OpenAPI descriptions of the operators' routes (functions/registry-ops.ts): sweeps on demand and a request's
// files for staff (P1, P7, P9, P11, P15). Counts only in every answer.
import * as z from 'zod';
import { VERDICTS } from '../core/inactivity.ts';
import { RunId, SweepRequest } from '../core/retention-sweep.ts';
import { RequestType, Status } from '../core/schemas.ts';
import { ExportQuery } from '../core/staff-export.ts';
import { idempotencyKey, json, problem, type RouteSpec } from './openapi-common.ts';

const count = z.number().int().min(0);
const byKey = z.record(z.string(), count);

const Started = z.object({ runId: RunId, dryRun: z.boolean() }).openapi('RetentionSweepStarted', {
  description: 'Follow the run with GET /admin/sweeps/retention/{runId}',
});

const Summary = z
  .object({
    dryRun: z.boolean(),
    batches: count,
    subjects: count,
    verdicts: z.record(z.enum(VERDICTS), count),
    erased: count.openapi({ description: 'Erased; 0 in a dry run (verdicts.inactive is who would be)' }),
    failed: count,
    retained: byKey.openapi({ description: 'Records the erasures kept, by system|category|ground' }),
    purged: count.openapi({
      description: 'Records purged at the end of their retention (would be, in a dry run)',
    }),
    deferred: count,
    purgedByGround: byKey,
  })
  .openapi('RetentionSweepSummary');

const Run = z
  .discriminatedUnion('state', [
    z.object({ runId: RunId, state: z.literal('running') }),
    z.object({ runId: RunId, state: z.literal('done'), summary: Summary }),
  ])
  .openapi('RetentionSweepRun');

const Counts = z.object({ open: count, dueWithin7Days: count, dueWithin2Days: count, overdue: count });
const DeadlineFigures = z
  .object({
    totals: Counts.extend({ partiallyCompletedOverADay: count, needingAction: count }),
    groups: z.array(z.object({ type: RequestType, status: Status, counts: Counts })),
    reminded: count.openapi({ description: 'Staff reminders sent by this run' }),
    interimAnswers: count.openapi({ description: 'Interim answers sent to subjects by this run' }),
  })
  .openapi('DeadlineSweepFigures');

const staff = [{ staff: [] }];
const denied = { 401: problem('Not logged in'), 403: problem('Role too low') };

export const opsSpecs: Record<string, RouteSpec> = {
  StartRetentionSweep: {
    summary:
      'Start a retention sweep run (admin, P11); a dry run counts who would be erased and what purged, and changes nothing',
    request: {
      headers: idempotencyKey,
      body: { content: { 'application/json': { schema: SweepRequest.openapi('RetentionSweepRequest') } } },
    },
    security: staff,
    responses: { 202: json(Started, 'Started'), 400: problem('Invalid'), ...denied },
  },
  GetRetentionSweep: {
    summary: 'A retention sweep run: running, or done with its counts (admin, P11)',
    request: { params: z.object({ runId: RunId }) },
    security: staff,
    responses: {
      200: json(Run, 'The run'),
      400: problem('Not a run id'),
      ...denied,
      404: problem('No such run'),
    },
  },
  RunDeadlineSweep: {
    summary: 'Run the deadline sweep now (admin, P9): reminders and interim answers due are sent once',
    request: { headers: idempotencyKey },
    security: staff,
    responses: { 200: json(DeadlineFigures, 'The open requests in counts'), ...denied },
  },
  ExportRequest: {
    summary:
      'A request’s package, or with file=report its access report (approver, P1, P7); every fetch is audited (P15)',
    request: {
      params: z.object({ id: z.string().openapi({ example: 'r_3kTMd9Qx1Lw7bZ0aPq2Yc4' }) }),
      query: ExportQuery,
    },
    security: staff,
    responses: {
      302: {
        description: 'To a presigned URL valid for minutes',
        headers: z.object({ Location: z.url().openapi({ description: 'The presigned URL' }) }),
      },
      400: problem('Not a request id'),
      ...denied,
      404: problem('No such request, or no files (yet)'),
      410: problem('The files have expired'),
    },
  },
};

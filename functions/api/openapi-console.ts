// The OpenAPI descriptions of the staff console's read routes (subject data, dashboard) and of the download links a
// subject's status view carries (P1, P7, P9, P15).
import * as z from 'zod';
import { WATCHED_STATUSES } from '../core/deadline-watch.ts';
import { REQUEST_TYPES, RequestId, SystemName } from '../core/schemas.ts';
import { json, problem, type RouteSpec } from './openapi-common.ts';

/** The links of the outcome mail, on the subject's status view once the files are ready (P1, P7). */
export const StatusDownload = z
  .object({
    url: z
      .url()
      .openapi({ description: 'The files (access: JSON and CSV per system; portability: the package)' }),
    reportUrl: z.url().optional().openapi({ description: 'Access only: the readable, printable overview' }),
    expiresAt: z.iso.datetime().openapi({ description: 'The links and the files end then' }),
  })
  .openapi('StatusDownload');

const Subject = z
  .object({
    id: RequestId,
    email: z.email().optional(),
    newEmail: z.email().optional().openapi({ description: 'The new address a rectification asks for' }),
    minimisedAt: z.iso.datetime().optional().openapi({ description: 'The personal part was removed then' }),
  })
  .openapi('RequestSubject');

const count = z.number().int().min(0);
const DashboardBody = z
  .object({
    at: z.iso.datetime(),
    open: z.partialRecord(z.enum(WATCHED_STATUSES as [string, ...string[]]), count),
    dueThisWeek: count.openapi({ description: 'Open, not overdue, due within 7 days (DueWithin7Days)' }),
    overdue: count,
    daysToComplete: z.partialRecord(
      z.enum(REQUEST_TYPES),
      z.object({ median: z.number().int().nullable(), p95: z.number().int().nullable(), completed: count }),
    ),
    completions: z.array(
      z.object({
        week: z.iso.date().openapi({ description: 'Monday of the ISO week (Brussels)' }),
        onTime: count,
        late: count,
        extended: count.openapi({ description: 'On time within an extended period' }),
      }),
    ),
    failingSystems: z.array(z.object({ system: SystemName, requests: count })),
  })
  .openapi('Dashboard');

const id = z.object({ id: z.string().openapi({ example: 'r_3kTMd9Qx1Lw7bZ0aPq2Yc4' }) });

export const consoleSpecs: Record<string, RouteSpec> = {
  GetSubject: {
    summary:
      'The personal data staff need to act on a request (approver); every call is audited as subject.viewed (P15)',
    request: { params: id },
    security: [{ staff: [] }],
    responses: {
      200: json(Subject, 'The address, and a rectification’s new address'),
      400: problem('Not a request id'),
      401: problem('Not logged in'),
      403: problem('Role too low'),
      404: problem('No such request'),
    },
  },
  GetDashboard: {
    summary:
      'Open requests by status, due this week, overdue (the deadline sweep’s figures), days to complete per type, completions per ISO week for 26 weeks, failing systems (viewer)',
    security: [{ staff: [] }],
    responses: {
      200: json(DashboardBody, 'Counts only'),
      401: problem('Not logged in'),
      403: problem('Role too low'),
    },
  },
};

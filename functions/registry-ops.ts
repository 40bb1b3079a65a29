// The operators' routes the `dsr` command needs beside the console's (sweeps on demand, a request's files), beside
// functions/registry.ts, which lists them among its API_ROUTES. Data only: nothing here imports a handler.
import type { ApiRoute } from './registry.ts';

export const OPS_ROUTES: ApiRoute[] = [
  // P11: a run of the retention sweep's state machine (locally the runtime's runner); a dry run changes no data.
  {
    id: 'StartRetentionSweep',
    method: 'POST',
    path: '/admin/sweeps/retention',
    entry: 'functions/api/start-retention-sweep.ts',
    access: 'admin',
    needs: ['audit:write', 'idempotency', 'sweep:start'],
  },
  // P11: a run's summary once written (counts only; the customer numbers stay in the run's files).
  {
    id: 'GetRetentionSweep',
    method: 'GET',
    path: '/admin/sweeps/retention/{runId}',
    entry: 'functions/api/get-retention-sweep.ts',
    access: 'admin',
    // audit:write for its Query: a run exists once its chain does.
    needs: ['sweep-files', 'audit:write'],
  },
  // P9: the hourly deadline sweep, now; its figures in the answer.
  {
    id: 'RunDeadlineSweep',
    method: 'POST',
    path: '/admin/sweeps/deadlines',
    entry: 'functions/api/run-deadline-sweep.ts',
    access: 'admin',
    needs: ['requests:write', 'audit:write', 'mail', 'idempotency'],
  },
  // P1, P7, P15: a request's package (or report) for staff, by a redirect to a presigned URL; audited.
  {
    id: 'ExportRequest',
    method: 'GET',
    path: '/admin/requests/{id}/export',
    entry: 'functions/api/export-request.ts',
    access: 'approver',
    needs: ['requests:read', 'audit:write', 'exports:read'],
  },
];

// The retention sweep's functions (P11), beside functions/registry.ts: the stack builds them and its own state
// machine from this, the local runtime runs them from local/timers.ts. Data only: nothing here imports a handler.
import type { WorkflowTask } from './registry.ts';

// Needs of the sweep (functions/registry.ts Need): `systems:sweep` every system store (`systems:list` to list its
// subjects only), `ledger:write` the erasure
// ledger (also Close, which records a request's erasure), `sweep-files` the run's files under retention/.

/**
 * The retention sweep (P11), daily: its own state machine (statemachines/retention-sweep.asl.json) lists the
 * subjects in batches to S3, erases the inactive ones batch by batch (a Distributed Map on AWS; locally
 * local/timers.ts calls the same handlers in turn), purges restricted records whose retention ended and tells
 * staff. `${id}Function` is the substitution variable in the definition.
 */
export const RETENTION_SWEEP = {
  /** EventBridge, every night at 02:30 UTC */
  schedule: 'cron(30 2 * * ? *)',
  definition: 'statemachines/retention-sweep.asl.json',
  tasks: [
    {
      id: 'ListSubjects',
      entry: 'functions/scheduled/retention-list.ts',
      needs: ['systems:list', 'sweep-files', 'audit:write'],
    },
    {
      id: 'SweepBatch',
      entry: 'functions/scheduled/retention-batch.ts',
      needs: ['systems:sweep', 'sweep-files', 'requests:read', 'audit:write', 'ledger:write', 'secret'],
    },
    {
      id: 'PurgeRestricted',
      entry: 'functions/scheduled/retention-purge.ts',
      needs: ['systems:sweep', 'sweep-files', 'audit:write'],
    },
    {
      id: 'SummariseSweep',
      entry: 'functions/scheduled/retention-summary.ts',
      needs: ['sweep-files', 'audit:write', 'mail', 'metrics'],
    },
  ] satisfies WorkflowTask[],
} as const;

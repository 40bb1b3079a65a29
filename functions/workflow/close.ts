import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { now } from '../core/clock.ts';
import { recordRequestErasure } from '../core/erasure-ledger.ts';
import { REQUEST_NEEDS_ACTION } from '../core/metric-names.ts';
import { close } from '../core/progress.ts';
import { appSecret, audit, auditChain, erasureLedger, metrics, store, writeAuditHead } from '../wiring.ts';
import { TaskInput, task } from './task.ts';

/** Close: final status, audit entry, the erasure ledger, chain head to write-once storage, and a metric. */
export const handler = task(TaskInput, async ({ requestId }) => {
  const result = await close({ store: store(), audit: audit(), now }, requestId);
  // Every erasure into the ledger, so it is made again after a table is restored from a backup (P3).
  await recordRequestErasure(
    { store: store(), ledger: erasureLedger(), secret: await appSecret(), now },
    requestId,
  );
  const chain = await auditChain(requestId);
  const head = chain.at(-1);
  if (head) await writeAuditHead(head);
  metrics.addDimension('status', result.status);
  metrics.addMetric('RequestsClosed', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
  // Not done: staff must act, and the alarm says so at once (Art. 12(3)–(4)).
  if (result.status === 'partially_completed')
    metrics.singleMetric().addMetric(REQUEST_NEEDS_ACTION, MetricUnit.Count, 1);
  return result;
});

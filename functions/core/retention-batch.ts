// One batch of the retention sweep (P11): every system reports each subject's last activity; the inactive are
// erased in every system that holds them through the connectors' own erase, so legal retention and open claims
// are kept exactly as for an erasure request (P3), with no approval. Each erasure goes into the erasure ledger
// first and then onto the subject's pseudonymous audit chain. A dry run erases nothing and writes no entry.
// The batch's result file (customer numbers, for staff) stays in S3; the step answers counts only.
import { RETENTION } from './config.ts';
import type { ActivityReport, OperationContext } from './connector.ts';
import { classify, VERDICTS, type Verdict } from './inactivity.ts';
import type { ErasureLedger, RequestStore } from './ports.ts';
import { type BatchFile, resultKeyOf, type SweepDeps, type SweepInput } from './retention-sweep.ts';
import type { RequestType, Status } from './schemas.ts';
import { customerRef, subjectRef } from './secrets.ts';

export interface BatchDeps extends SweepDeps {
  requests: RequestStore;
  ledger: ErasureLedger;
  secret: string;
  inactivityYears?: number;
}

/** What one batch found and did: counts by verdict, and what the erasures kept on which ground. */
export interface BatchCounts {
  subjects: number;
  verdicts: Record<Verdict, number>;
  erased: number;
  failed: number;
  /** records kept by the erasures, by `system|category|ground` */
  retained: Record<string, number>;
}

/** The batch's result file: the counts, and for staff the customer numbers behind them. */
export interface BatchResult extends BatchCounts {
  dryRun: boolean;
  /** erased, or in a dry run: would be erased */
  erasedCustomers: string[];
  /** inactive, kept until their access request is answered */
  heldCustomers: string[];
  failedCustomers: string[];
}

/** Statuses of a request that is not yet answered. */
const OPEN: readonly Status[] = [
  'awaiting_verification',
  'awaiting_identity_check',
  'awaiting_approval',
  'in_progress',
  'partially_completed',
];
/** Requests for a copy of the data; erasing before they are answered would defeat them (EDPB 01/2022). */
const COPIES: readonly RequestType[] = ['access', 'portability'];

/** Who has an open access or portability request: keyed hashes of addresses and picked customer numbers. */
export async function openAccessRequests(requests: RequestStore) {
  const refs = new Set<string>();
  const customers = new Set<string>();
  for (const status of OPEN) {
    for (const type of COPIES) {
      let cursor: string | undefined;
      do {
        const page = await requests.list({ status, type, limit: 100, ...(cursor ? { cursor } : {}) });
        for (const r of page.items) {
          refs.add(r.subjectRef);
          if (r.identity?.customerNumber) customers.add(r.identity.customerNumber);
        }
        cursor = page.cursor;
      } while (cursor);
    }
  }
  return { refs, customers };
}

type Open = Awaited<ReturnType<typeof openAccessRequests>>;
type Found = Extract<ActivityReport, { kind: 'found' }>;

/** Looks at one subject and erases them when inactive; answers the verdict and what was kept. */
async function sweepOne(deps: BatchDeps, ctx: OperationContext, n: string, open: Open, dryRun: boolean) {
  const subject = { email: '', customerNumber: n };
  const reports = await Promise.all(deps.connectors.map((c) => c.activity(subject, ctx)));
  const emails = [...new Set(reports.flatMap((r) => (r.kind === 'found' ? r.emails : [])))];
  const refs = emails.map((e) => subjectRef(deps.secret, e));
  const openAccessRequest = open.customers.has(n) || refs.some((r) => open.refs.has(r));
  const { verdict, lastActivityAt } = classify(
    { reports, openAccessRequest },
    ctx.now,
    deps.inactivityYears ?? RETENTION.inactivityYears,
  );
  if (verdict !== 'inactive' || dryRun) return { verdict, retained: [] };

  const cref = customerRef(deps.secret, n);
  const holding = deps.connectors.flatMap((c, i) =>
    reports[i]?.kind === 'found' ? [{ connector: c, report: reports[i] as Found }] : [],
  );
  // The ledger first: an erasure cut short is re-applied after a restore all the same (P3).
  await deps.ledger.record({
    customerRef: cref,
    by: 'sweep',
    id: ctx.requestId,
    erasedAt: ctx.now.toISOString(),
    systems: holding.map((h) => h.connector.system),
  });
  const retained: { system: string; category: string; ground: string; until: string; records: number }[] = [];
  const acted: Record<string, string[]> = {};
  for (const { connector, report } of holding) {
    // Kept records go under the keyed hash of the address this system holds, where an access request finds them.
    const email = report.emails[0];
    const ref = email ? subjectRef(deps.secret, email) : (refs[0] ?? cref);
    const outcomes = await connector.erase({ ...subject, subjectRef: ref }, ctx);
    const failed = outcomes.find((o) => o.kind === 'failed' || o.kind === 'ambiguous');
    if (failed) throw new Error(`${connector.system} erase answered ${failed.kind}`);
    acted[connector.system] = outcomes.map((o) => o.kind);
    for (const o of outcomes) {
      if (o.kind === 'retained')
        retained.push({ system: connector.system, ...pick(o, ['category', 'ground', 'until', 'records']) });
    }
  }
  await deps.audit.append(cref, {
    actor: 'system',
    action: 'retention.erased',
    details: {
      runId: ctx.requestId,
      lastActivityOn: lastActivityAt?.slice(0, 10),
      systems: acted,
      retained,
    },
  });
  return { verdict, retained };
}

const pick = <T extends object, K extends keyof T>(o: T, keys: K[]) =>
  Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;

/** Sweeps the batch at `key`; writes its result file and answers its counts. */
export async function sweepBatch(
  deps: BatchDeps,
  input: SweepInput & { key: string },
  concurrency = 8,
): Promise<BatchCounts> {
  const text = await deps.files.get(input.key);
  if (text === undefined) throw new Error('Batch file missing');
  const { customerNumbers } = JSON.parse(text) as BatchFile;
  const ctx: OperationContext = { requestId: input.runId, now: deps.now() };
  const open = await openAccessRequests(deps.requests);
  const result: BatchResult = {
    dryRun: input.dryRun,
    subjects: customerNumbers.length,
    verdicts: Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>,
    erased: 0,
    failed: 0,
    retained: {},
    erasedCustomers: [],
    heldCustomers: [],
    failedCustomers: [],
  };
  // A few subjects at a time: quick on a big batch, gentle on the stores.
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < customerNumbers.length; i = next++) {
      const n = customerNumbers[i] as string;
      try {
        const { verdict, retained } = await sweepOne(deps, ctx, n, open, input.dryRun);
        result.verdicts[verdict] += 1;
        if (verdict === 'inactive') {
          result.erasedCustomers.push(n);
          if (!input.dryRun) result.erased += 1;
        }
        if (verdict === 'open_access_request') result.heldCustomers.push(n);
        for (const r of retained) {
          const id = `${r.system}|${r.category}|${r.ground}`;
          result.retained[id] = (result.retained[id] ?? 0) + r.records;
        }
      } catch {
        // One subject's failure never stops the batch; the next run tries again (they are still inactive).
        result.failed += 1;
        result.failedCustomers.push(n);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  for (const list of [result.erasedCustomers, result.heldCustomers, result.failedCustomers]) list.sort();
  await deps.files.put(resultKeyOf(input.runId, input.key), JSON.stringify(result));
  const { erasedCustomers: _e, heldCustomers: _h, failedCustomers: _f, dryRun: _d, ...counts } = result;
  return counts;
}

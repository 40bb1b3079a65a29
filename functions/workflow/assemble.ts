import { now } from '../core/clock.ts';
import { DOWNLOAD_TTL_DAYS } from '../core/download-token.ts';
import { allSystemsDone } from '../core/lifecycle.ts';
import type { ExportObjects } from '../core/package.ts';
import { buildPackage } from '../core/package-zip.ts';
import type { AuditLog, RequestStore, SubjectHistoryStore } from '../core/ports.ts';
import { buildReport } from '../core/report.ts';
import { historyFiles } from '../core/report-history.ts';
import { subjectHistory } from '../core/subject-history.ts';
import { audit, exportObjects, store, subjectHistoryStore } from '../wiring.ts';
import { TaskInput, task } from './task.ts';

export interface AssembleDeps {
  store: RequestStore;
  audit: AuditLog;
  objects: ExportObjects;
  now: () => Date;
  /** the subject's earlier requests, notices and audit chains, for the access report (P1, P15) */
  historyStore: SubjectHistoryStore;
  /** rows per record kind in the report */
  maxRows?: number;
}

/** What the task answers to the workflow: ids and counts only. */
export interface AssembleResult {
  requestId: string;
  assembled: boolean;
  repeated?: boolean;
  reason?: 'not_an_export' | 'systems_not_done';
  files?: number;
  records?: number;
}

/**
 * Assemble (P1, P7): the access report and/or the package of an access or portability request, recorded on the
 * request with its hash, size and expiry. Other types pass through; a package already recorded is kept.
 */
export async function assemble(
  deps: AssembleDeps,
  requestId: string,
  attempt: number,
): Promise<AssembleResult> {
  const r = await deps.store.get(requestId);
  if (!r) throw new Error(`Request ${requestId} not found`);
  if (r.type !== 'access' && r.type !== 'portability') {
    return { requestId, assembled: false, reason: 'not_an_export' };
  }
  if (r.package) return { requestId, assembled: true, repeated: true };
  // A partial export would tell the subject less than we hold; a staff retry assembles once every system is done.
  if (!allSystemsDone(r)) return { requestId, assembled: false, reason: 'systems_not_done' };

  // Counted from before the upload, so the link never outlives the object (the bucket expires it after 7 days).
  const expiresAt = new Date(deps.now().getTime() + DOWNLOAD_TTL_DAYS * 86_400_000).toISOString();
  // An access answer also lists what the pipeline holds about the subject; portability carries none of it (Art. 20).
  const history = r.type === 'access' ? await subjectHistory(deps.historyStore, r) : undefined;
  const report = history ? await buildReport({ ...deps, history }, r, attempt) : undefined;
  const pipelineFiles = history ? await historyFiles(history) : undefined;
  const pkg = await buildPackage({ ...deps, pipelineFiles }, r, attempt);

  await deps.store.update(requestId, (cur) => {
    if (cur.package) return undefined;
    cur.package = {
      key: pkg.key,
      sha256: pkg.sha256,
      bytes: pkg.bytes,
      expiresAt,
      ...(report ? { reportKey: report.key } : {}),
    };
    return cur;
  });
  await deps.audit.append(requestId, {
    actor: 'system',
    action: 'export.assembled',
    details: {
      attempt,
      systems: pkg.systems,
      files: pkg.files,
      records: pkg.records,
      bytes: pkg.bytes,
      report: report !== undefined,
    },
  });
  return { requestId, assembled: true, files: pkg.files, records: pkg.records };
}

/** Assemble: builds the report and/or package of an access or portability request; other types pass. */
export const handler = task(TaskInput, ({ requestId, attempt }) =>
  assemble(
    { store: store(), audit: audit(), objects: exportObjects(), historyStore: subjectHistoryStore(), now },
    requestId,
    attempt,
  ),
);

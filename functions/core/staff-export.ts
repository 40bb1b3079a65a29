// A request's files fetched by staff (the `dsr export` command): the same files and presigned redirect as the
// subject's download link (core/download-token.ts), with the staff member as the authority instead of a token.
import * as z from 'zod';
import type { DownloadDeps, DownloadFile } from './download-token.ts';
import { RefusedError } from './errors.ts';

/** The query of GET /admin/requests/{id}/export: which file, the package by default; nothing else. */
export const ExportQuery = z.strictObject({ file: z.enum(['package', 'report']).default('package') });

export type StaffExportDeps = Omit<DownloadDeps, 'secret'>;

/** Answers a presigned URL of the request's package or report; the fetch is an audit entry (P15). */
export async function staffExport(
  deps: StaffExportDeps,
  requestId: string,
  staffId: string,
  file: DownloadFile,
): Promise<string> {
  const r = await deps.store.get(requestId);
  if (!r) throw new RefusedError({ reason: 'request_not_found' });
  const pkg = r.package;
  const key = file === 'package' ? pkg?.key : pkg?.reportKey;
  if (!pkg || !key) throw new RefusedError({ reason: 'download_not_found' });
  if (Date.parse(pkg.expiresAt) <= deps.now().getTime())
    throw new RefusedError({ reason: 'download_expired' });
  // Staff opening a subject's files is a view of their data: recorded before the link exists, names no content.
  await deps.audit.append(r.id, { actor: `staff:${staffId}`, action: 'export.fetched', details: { file } });
  return deps.presign({ key, file, requestId: r.id, type: r.type });
}

import { now } from '../core/clock.ts';
import { RequestId } from '../core/schemas.ts';
import { ExportQuery, staffExport } from '../core/staff-export.ts';
import { audit, presign, store } from '../wiring.ts';
import { route } from './http.ts';

/**
 * GET /admin/requests/{id}/export[?file=report] (approver, P1, P7): redirects to a presigned URL of the request's
 * package (or access report), valid for minutes; each fetch is an audit entry (P15). 404 while there is none.
 */
export const handler = route({ id: 'ExportRequest', role: 'approver' }, async ({ params, query, staff }) => {
  const { file } = ExportQuery.parse(query);
  const location = await staffExport(
    { store: store(), audit: audit(), now, presign },
    RequestId.parse(params.id),
    staff?.id ?? '',
    file,
  );
  return { status: 302, headers: { location, 'referrer-policy': 'no-referrer' } };
});

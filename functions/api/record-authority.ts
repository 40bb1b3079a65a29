import { AuthorityCheckBody, recordAuthorityCheck } from '../core/authority.ts';
import { RequestId } from '../core/schemas.ts';
import { customerRef } from '../core/secrets.ts';
import { appSecret, decisionDeps } from '../wiring.ts';
import { route } from './http.ts';

/**
 * POST /admin/requests/{id}/authority with `{"method", "note"?, "customerNumber"?}`: how staff checked a letter's
 * writer or a representative's authority (P4, P12); no copy of a document (GBA 17/2020). The workflow goes on.
 */
export const handler = route(
  { id: 'RecordAuthorityCheck', role: 'approver', body: AuthorityCheckBody, idempotent: true },
  async ({ params, staff, body }) => {
    const secret = await appSecret();
    const deps = { ...decisionDeps(), customerRef: (n: string) => customerRef(secret, n) };
    return {
      status: 200,
      body: await recordAuthorityCheck(deps, RequestId.parse(params.id), staff?.id ?? '', body),
    };
  },
);

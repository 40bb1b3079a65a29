import { resolveIdentity } from '../core/identity-check.ts';
import { RequestId, ResolveIdentityBody } from '../core/schemas.ts';
import { customerRef } from '../core/secrets.ts';
import { appSecret, decisionDeps } from '../wiring.ts';
import { route } from './http.ts';

/** POST /admin/requests/{id}/resolve with `{"customerNumber"}`: the parked workflow acts for that person only (P8). */
export const handler = route(
  { id: 'ResolveIdentity', role: 'approver', body: ResolveIdentityBody, idempotent: true },
  async ({ params, staff, body }) => {
    const secret = await appSecret();
    const deps = { ...decisionDeps(), customerRef: (n: string) => customerRef(secret, n) };
    return {
      status: 200,
      body: await resolveIdentity(deps, RequestId.parse(params.id), staff?.id ?? '', body.customerNumber),
    };
  },
);

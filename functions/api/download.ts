import { now } from '../core/clock.ts';
import { resolveDownload } from '../core/download-token.ts';
import { RefusedError } from '../core/errors.ts';
import { appSecret, audit, presign, store } from '../wiring.ts';
import { type RouteResult, route } from './http.ts';

/**
 * GET /downloads/{token} (P7): checks the signed, expiring, single-subject token and redirects to a presigned
 * URL valid for minutes. Altered or foreign → 403, nothing to fetch → 404, expired → 410 (`download-expired`).
 */
export const handler = route({ id: 'Download' }, async ({ params }): Promise<RouteResult> => {
  const answer = await resolveDownload(
    {
      store: store(),
      audit: audit(),
      secret: await appSecret(),
      now,
      presign,
    },
    params.token ?? '',
  );
  // A refusal becomes its problem (problems.ts) in the route builder, as every other route's does.
  if (answer.kind === 'refused') throw new RefusedError(answer.refusal);
  // No Referer: the page that follows must not learn the download link.
  return { status: 302, headers: { location: answer.location, 'referrer-policy': 'no-referrer' } };
});

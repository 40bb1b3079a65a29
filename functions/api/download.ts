import { appSecret } from '../aws/app-secret.ts';
import { presignDownload } from '../aws/export-store.ts';
import { now } from '../core/clock.ts';
import { ENV, env } from '../core/config.ts';
import { resolveDownload } from '../core/download-token.ts';
import { PROBLEM_BASE } from '../core/errors.ts';
import { audit, s3, store } from '../wiring.ts';
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
      presign: (target) => presignDownload(s3(), env(ENV.exportBucket), target),
    },
    params.token ?? '',
  );
  // No Referer: the page that follows must not learn the download link.
  if (answer.kind === 'redirect')
    return { status: 302, headers: { location: answer.location, 'referrer-policy': 'no-referrer' } };
  // 410 is not among ClientError's statuses, so the problem is answered here, in the same RFC 9457 shape.
  return {
    status: answer.status,
    headers: { 'content-type': 'application/problem+json' },
    body: { type: `${PROBLEM_BASE}${answer.type}`, title: answer.title, status: answer.status },
  };
});

// Following the download links of an outcome mail as a browser would (P1, P7): the route's 302, then the presigned URL.
import { expect } from 'vitest';
import type { InboxMail } from './api.ts';

/** The download links in a mail's text. */
export const linksIn = (m: InboxMail) =>
  [...(m.body.text ?? '').matchAll(/(https?:\/\/\S+\/downloads\/[A-Za-z0-9_.-]+)/g)].map(
    (x) => x[1] as string,
  );

/** Follows a download link as a browser would: the route's 302, then the presigned URL. */
export async function download(link: string) {
  const redirect = await fetch(link, { redirect: 'manual' });
  expect(redirect.status).toBe(302);
  const location = redirect.headers.get('location') as string;
  expect(location).toContain('X-Amz-Expires=300');
  const file = await fetch(location);
  expect(file.status).toBe(200);
  return { file, body: Buffer.from(await file.arrayBuffer()) };
}

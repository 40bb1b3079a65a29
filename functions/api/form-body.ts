// Reads a form body with middy's form parsers: form-encoded or multipart/form-data. The routes that take forms (the
// one-click opt-out, the owner's task answer) are not JSON routes, so they parse here.
import type { MiddlewareObj } from '@middy/core';
import httpMultipartBodyParser from '@middy/http-multipart-body-parser';
import httpUrlencodeBodyParser from '@middy/http-urlencode-body-parser';

type FormEvent = { headers: Record<string, string>; body: unknown; isBase64Encoded: boolean };
const parsers = [
  httpUrlencodeBodyParser({ disableContentTypeError: true }),
  httpMultipartBodyParser({ disableContentTypeError: true }),
] as unknown as MiddlewareObj<FormEvent>[];

/** The media type in lower case (it is case-insensitive) and a multipart boundary unquoted, as the parsers expect. */
function normalContentType(contentType: string): { type: string; multipart: boolean } {
  const media = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (media !== 'multipart/form-data')
    return { type: contentType.replace(/^[^;]*/, media), multipart: false };
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1] ?? '';
  return { type: `${media}; boundary=${boundary}`, multipart: true };
}

/** The fields of a form body; an empty form for one that does not parse; undefined when the body is no form. */
export async function readForm(
  contentType: string,
  body: string,
  isBase64Encoded = false,
): Promise<Record<string, unknown> | undefined> {
  const { type, multipart } = normalContentType(contentType);
  const event: FormEvent = { headers: { 'content-type': type }, body, isBase64Encoded };
  for (const parser of parsers) {
    try {
      await parser.before?.({ event } as never);
    } catch {
      return {};
    }
    if (typeof event.body === 'object' && event.body !== null) return event.body as Record<string, unknown>;
  }
  // A multipart type the parser would not take (an unusual boundary) is a form without the pair, as before.
  return multipart ? {} : undefined;
}

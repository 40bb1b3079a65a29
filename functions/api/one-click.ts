// Judges an RFC 8058 one-click body: form-encoded (browsers, most mail providers) or multipart/form-data (the RFC's
// own example), read by form-body.ts.
import { checkOneClick, type OneClickProblem } from '../core/unsubscribe.ts';
import { readForm } from './form-body.ts';

/** Judges a one-click POST body: undefined when it is `List-Unsubscribe=One-Click`, else what is wrong. */
export async function oneClickProblem(
  contentType: string,
  body: string,
  isBase64Encoded = false,
): Promise<OneClickProblem | undefined> {
  return checkOneClick(await readForm(contentType, body, isBase64Encoded));
}

import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A new request id: `r_` and 22 base62 characters (about 131 random bits), unguessable. */
export function newRequestId(): string {
  const bytes = randomBytes(22);
  let id = 'r_';
  for (const b of bytes) id += ALPHABET[b % 62];
  return id;
}

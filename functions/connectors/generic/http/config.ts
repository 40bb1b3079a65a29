// A system reached over its own HTTP API, driven by its configuration file alone (P17): where it lives, how we
// authenticate, and one request per operation with what its answer's fields are (category and origin, P7, P16).
// Imports the vocabulary only (functions/core/builtins.ts): functions/core/schemas.ts validates names with it.
import * as z from 'zod';
import { CATEGORIES, RECTIFIABLE_FIELDS } from '../../../core/builtins.ts';
import { SystemBase } from '../base.ts';

/** A secret's name in Secrets Manager: the system's own, never the application secret. */
const SecretName = z
  .string()
  .regex(/^[A-Za-z0-9/_+=.@-]{1,200}$/)
  .refine((n) => !n.endsWith('app-secret'), 'the application secret is no system secret');

const ApiKey = z.strictObject({
  type: z.literal('api_key'),
  /** the header that carries the key, e.g. X-Api-Key */
  header: z.string().regex(/^[A-Za-z0-9-]{1,60}$/),
  secret: SecretName,
});

/** OAuth2 client credentials (RFC 6749 §4.4): the secret holds `{"clientId": "...", "clientSecret": "..."}`. */
const OAuth2 = z.strictObject({
  type: z.literal('oauth2_client_credentials'),
  /** absolute, or a path under the base URL */
  tokenUrl: z.string().min(1),
  scope: z.string().optional(),
  secret: SecretName,
});

/** A dotted path into a JSON value: `data.items`, `meta.next`; no expressions. */
const JsonPath = z.string().regex(/^[A-Za-z0-9_$]+(\.[A-Za-z0-9_$]+)*$/);

/** One field of the system's records: where it is, what it is, and whether the subject gave it (P7). */
const Field = z.strictObject({
  path: JsonPath,
  category: z.enum(CATEGORIES),
  origin: z.enum(['provided', 'observed', 'derived']),
});

/** `{email}`, `{customerNumber}` and `{requestId}` are filled in url-encoded; nothing else may be. */
const PathTemplate = z
  .string()
  .regex(/^\/[^\s]*$/)
  .refine(
    (p) =>
      [...p.matchAll(/\{([^}]*)\}/g)].every((m) =>
        ['email', 'customerNumber', 'requestId'].includes(m[1] ?? ''),
      ),
    {
      message: 'only {email}, {customerNumber} and {requestId} may be filled in',
    },
  );

const Request = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: PathTemplate,
});

const Pagination = z.discriminatedUnion('type', [
  /** the answer names the next page's cursor; sent back as the query parameter `param` */
  z.strictObject({ type: z.literal('cursor'), param: z.string().min(1), next: JsonPath }),
  /** numbered pages from 1; `size` records per page, asked with `sizeParam` */
  z.strictObject({
    type: z.literal('page'),
    param: z.string().min(1),
    sizeParam: z.string().min(1),
    size: z.number().int().min(1).max(1000),
  }),
]);

/** Reading the subject's records: locate counts them, export writes them with their fields' categories and origins. */
const Records = Request.extend({
  /** where the list of records is in the answer */
  items: JsonPath,
  pagination: Pagination.optional(),
  /** the record kind, as the export's file names it (`applications.json`) */
  kind: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  fields: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,59}$/), Field)
    .refine((f) => Object.keys(f).length > 0),
});

const Erase = Request.extend({
  /** where the answer says how many records went; without it, the records located are counted */
  count: JsonPath.optional(),
});

const Rectify = Request.extend({
  /** our field → the system's field in the request body; only these fields are changed here */
  fields: z.partialRecord(z.enum(RECTIFIABLE_FIELDS), JsonPath),
  count: JsonPath.optional(),
});

const ObjectTo = Request.extend({
  scopes: z.array(z.enum(['direct_marketing', 'profiling', 'legitimate_interest'])).min(1),
});

export const HttpSystem = SystemBase.extend({
  kind: z.literal('http'),
  /** https:// on AWS; the local runtime points its own service at it with `<NAME>_BASE_URL` */
  baseUrl: z.string().url(),
  auth: z.discriminatedUnion('type', [ApiKey, OAuth2]),
  /** requests per second, for every call of one Lambda (a token bucket) */
  rateLimit: z.strictObject({
    perSecond: z.number().positive().max(1000),
    burst: z.number().int().min(1).max(100),
  }),
  /** statuses worth asking again (the workflow's Retry); any other failure is final */
  retryableStatuses: z.array(z.number().int().min(400).max(599)).default([429, 500, 502, 503, 504]),
  /** a request takes at most this long */
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
  /** the operations the system supports; one it lacks answers `skipped` */
  operations: z.strictObject({
    records: Records,
    erase: Erase.optional(),
    rectify: Rectify.optional(),
    object: ObjectTo.optional(),
  }),
});
export type HttpSystem = z.infer<typeof HttpSystem>;
export type HttpField = z.infer<typeof Field>;

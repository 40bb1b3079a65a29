// Which errors are a dependency's passing trouble (throttling, a timeout, a 5xx, a dropped connection) rather than a
// fault of ours: the API answers them 503 with Retry-After, so a client retries with the same Idempotency-Key.
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'ThrottlingException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalServerError',
]);
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

type Failure = {
  name?: string;
  code?: string;
  cause?: unknown;
  $retryable?: unknown;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
};

/** True for an AWS SDK error the SDK itself would retry, or one whose cause is (the idempotency layer wraps them). */
export function isTransient(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as Failure;
  if (e.$retryable || TRANSIENT_NAMES.has(e.name ?? '') || TRANSIENT_CODES.has(e.code ?? '')) return true;
  if (e.$fault === 'server' || (e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return isTransient(e.cause, depth + 1);
}

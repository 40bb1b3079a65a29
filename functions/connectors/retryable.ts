// A system's passing AWS or network trouble becomes ConnectorError, which every connector state of the workflow
// retries (ErrorEquals "ConnectorError"); any other error is a fault and fails the operation at once.
import { isTransient } from '../aws/transient.ts';
import { ConnectorError } from '../core/errors.ts';

// Worth another try inside a connector, though not for an API caller (a transaction lost to a concurrent one).
const CONNECTOR_RETRYABLE = new Set([
  'TransactionConflictException',
  'TransactionCanceledException',
  'BatchWriteUnprocessed',
  // a second delivery that waited its time out for the first one's record: the workflow's Retry asks again
  'IdempotencyAlreadyInProgressError',
]);

/** Powertools Idempotency wraps the store's own error; the cause is what happened. */
const rootOf = (error: unknown): unknown =>
  error instanceof Error && error.name === 'IdempotencyPersistenceLayerError' && error.cause
    ? rootOf(error.cause)
    : error;

/** Whether an error is a passing fault of AWS or the network, worth a retry by the workflow. */
export function isTransientAwsError(thrown: unknown): boolean {
  const error = rootOf(thrown);
  return error instanceof Error && (CONNECTOR_RETRYABLE.has(error.name) || isTransient(error));
}

/** Runs a connector's work, turning passing faults into ConnectorError; the message names no data. */
export async function retryable<T>(system: string, operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ConnectorError) throw error;
    if (isTransientAwsError(error)) {
      throw new ConnectorError(`${system} ${operation} failed: ${(rootOf(error) as Error).name}`, true);
    }
    throw error;
  }
}

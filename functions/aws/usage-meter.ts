// Meters what AWS bills per call, for the cost benchmark (bench/cost.ts): one JSON line per call with the service,
// the operation and, for DynamoDB, the capacity units it consumed (asked for with ReturnConsumedCapacity=TOTAL).
// Off unless AWS_USAGE_LOG names a file; then the only change to a call is that DynamoDB also reports capacity.
// Only service and operation names and numbers are written: no table content, no key, no address.
import { appendFileSync } from 'node:fs';

/** The environment variable naming the usage log; unset means the clients are left untouched. */
export const USAGE_LOG_ENV = 'AWS_USAGE_LOG';

/** One metered call; `capacity` is DynamoDB's consumed capacity units (reads or writes by operation). */
export interface UsageRecord {
  service: string;
  operation: string;
  capacity?: number;
  /** DynamoDB: the table (or tables) the call names; a name, never a key or an item */
  table?: string;
  failed?: boolean;
}

interface Stack {
  add(middleware: unknown, options: { step: 'initialize'; name: string; override?: boolean }): void;
}
type Consumed = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;

const units = (consumed: Consumed) =>
  (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce(
    (sum, c) => sum + (c.CapacityUnits ?? 0),
    0,
  );

const tablesOf = (input: Record<string, unknown>): string => {
  const items = (input.TransactItems ?? []) as Record<string, { TableName?: string }>[];
  const names = [
    input.TableName,
    ...Object.keys((input.RequestItems ?? {}) as object),
    ...items.map((t) => Object.values(t)[0]?.TableName),
  ].filter((n): n is string => typeof n === 'string');
  return [...new Set(names)].sort().join('+');
};

/** Adds the meter to a client's middleware stack when AWS_USAGE_LOG is set; otherwise leaves it untouched. */
export function meterUsage<T extends { middlewareStack: Stack }>(client: T): T {
  const file = process.env[USAGE_LOG_ENV];
  if (!file) return client;
  const middleware =
    (
      next: (args: unknown) => Promise<{ output?: Record<string, unknown> }>,
      context: Record<string, string>,
    ) =>
    async (args: { input?: Record<string, unknown> }) => {
      const service = (context.clientName ?? '').replace(/(Document)?Client$/, '');
      const record: UsageRecord = { service, operation: (context.commandName ?? '').replace(/Command$/, '') };
      if (service === 'DynamoDB' && args.input) {
        args.input.ReturnConsumedCapacity = 'TOTAL';
        record.table = tablesOf(args.input);
      }
      try {
        const result = await next(args);
        if (service === 'DynamoDB') record.capacity = units(result.output?.ConsumedCapacity as Consumed);
        return result;
      } catch (error) {
        record.failed = true;
        // A failed condition still consumes capacity; DynamoDB reports it on the error where it can.
        if (service === 'DynamoDB')
          record.capacity = units((error as { ConsumedCapacity?: Consumed }).ConsumedCapacity);
        throw error;
      } finally {
        appendFileSync(file, `${JSON.stringify(record)}\n`);
      }
    };
  client.middlewareStack.add(middleware, { step: 'initialize', name: 'awsUsageMeter', override: true });
  return client;
}

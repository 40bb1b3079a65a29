// The one way a connector Lambda is built. The workflow sends ids only; the handler reads the verified address
// from the request, runs the operation once per (request, system, operation, attempt) and answers counts,
// kinds and grounds. Nothing personal is logged or returned.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { now } from '../core/clock.ts';
import { ENV, env } from '../core/config.ts';
import type { ConnectorResult, LocateResult, OperationContext } from '../core/connector.ts';
import { ConnectorError } from '../core/errors.ts';
import { requestKey } from '../core/request.ts';
import { Operation, Outcome, RequestId, SystemName } from '../core/schemas.ts';
import { OPS_PREFIX } from './records.ts';
import type { StoreConnector, Subject } from './store.ts';

/** The workflow's payload (statemachines/request.asl.json): ids only. */
export const ConnectorEventSchema = z.object({
  requestId: RequestId,
  attempt: z.number().int().min(0),
  system: SystemName,
  operation: Operation,
});

const LocateResultSchema = z.object({
  found: z.boolean(),
  records: z.number().int(),
  categories: z.array(z.string()),
});

/** What a connector Lambda answers; also the shape of the recorded idempotency marker. */
export const ConnectorResultSchema = z.object({
  system: SystemName,
  operation: Operation,
  located: LocateResultSchema.optional(),
  outcomes: z.array(Outcome),
});

/** Key of the idempotency marker in the system's own table. */
export const opsKey = (requestId: string, operation: Operation, attempt: number) => ({
  pk: `${OPS_PREFIX}${requestId}`,
  sk: `${operation}#${attempt}`,
});

export interface ConnectorHandlerOptions {
  system: SystemName;
  doc: DynamoDBDocumentClient;
  /** builds the system's connector over its table */
  connector: (deps: { doc: DynamoDBDocumentClient; table: string }) => StoreConnector;
  logger?: Logger;
}

/** Runs one operation of one system for one request, at most once per attempt (DESIGN: Connector contract). */
export async function runConnectorOperation(
  options: ConnectorHandlerOptions,
  rawEvent: unknown,
  log: Logger,
): Promise<ConnectorResult> {
  const event = ConnectorEventSchema.parse(rawEvent);
  const { system, doc } = options;
  // A payload for another system is a wiring fault of the state machine: fail loudly, no retry.
  if (event.system !== system) throw new Error(`Event for ${event.system} reached the ${system} connector`);
  const table = env(ENV.systemTable(system));
  const requestsTable = env(ENV.requestsTable);
  const marker = opsKey(event.requestId, event.operation, event.attempt);

  return aws(system, event.operation, async () => {
    const recorded = await doc.send(new GetCommand({ TableName: table, Key: marker, ConsistentRead: true }));
    if (recorded.Item) {
      log.info('Operation already done; returning the recorded result', { repeated: true });
      return ConnectorResultSchema.parse(recorded.Item.result);
    }

    const request = await doc.send(
      new GetCommand({
        TableName: requestsTable,
        Key: requestKey(event.requestId),
        ProjectionExpression: 'email, subjectRef',
        ConsistentRead: true,
      }),
    );
    if (!request.Item) {
      log.error('Request not found');
      return result(event, [{ kind: 'failed', retryable: false, reason: 'request_not_found' }]);
    }
    const subject: Subject = {
      email: typeof request.Item.email === 'string' ? request.Item.email : '',
      subjectRef: typeof request.Item.subjectRef === 'string' ? request.Item.subjectRef : undefined,
    };
    const connector = options.connector({ doc, table });
    const ctx: OperationContext = { requestId: event.requestId, now: now() };

    let answer: ConnectorResult;
    switch (event.operation) {
      case 'locate': {
        const located: LocateResult = await connector.locate(subject, ctx);
        answer = result(event, located.found ? [] : [{ kind: 'not_found' }], located);
        break;
      }
      case 'erase':
        answer = result(event, await connector.erase(subject, ctx));
        break;
      default:
        // export, rectify and object arrive with [2/7]; until then the system says so instead of pretending.
        answer = result(event, [{ kind: 'skipped', reason: 'operation_not_supported' }]);
    }

    try {
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: { ...marker, result: answer, requestId: event.requestId, recordedAt: ctx.now.toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // A concurrent run of the same attempt recorded first: its answer is the answer.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const first = await doc.send(new GetCommand({ TableName: table, Key: marker, ConsistentRead: true }));
      if (first.Item) return ConnectorResultSchema.parse(first.Item.result);
    }
    log.info('Operation done', summary(answer));
    return answer;
  });
}

/** Builds the Lambda handler of one system's connector. */
export function createConnectorHandler(options: ConnectorHandlerOptions) {
  const log = options.logger ?? new Logger({ serviceName: `connector-${options.system}` });
  return middy(async (event: unknown, _context: Context): Promise<ConnectorResult> => {
    const ids = ConnectorEventSchema.safeParse(event);
    if (ids.success) {
      const { requestId, attempt, operation } = ids.data;
      log.appendKeys({ requestId, attempt, operation, system: options.system });
    }
    return runConnectorOperation(options, event, log);
  }).use(injectLambdaContext(log, { resetKeys: true }));
}

function result(
  event: z.infer<typeof ConnectorEventSchema>,
  outcomes: Outcome[],
  located?: LocateResult,
): ConnectorResult {
  return { system: event.system, operation: event.operation, ...(located ? { located } : {}), outcomes };
}

/** Counts and kinds only, for the log. */
function summary(answer: ConnectorResult) {
  return {
    found: answer.located?.found,
    records: answer.located?.records,
    outcomes: answer.outcomes.map((o) => ('category' in o ? `${o.kind}:${o.category}:${o.records}` : o.kind)),
  };
}

const RETRYABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TransactionCanceledException',
  'TimeoutError',
  'BatchWriteUnprocessed',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether an error is a passing fault of AWS or the network, worth a retry by the workflow. */
export function isTransientAwsError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { $fault?: string; $retryable?: unknown; code?: string; $metadata?: unknown };
  return (
    e.$fault === 'server' ||
    e.$retryable !== undefined ||
    RETRYABLE_NAMES.has(e.name) ||
    (e.code !== undefined && NETWORK_CODES.has(e.code))
  );
}

/** Turns passing AWS faults into ConnectorError (the state machine's Retry); the message names no data. */
async function aws<T>(system: SystemName, operation: Operation, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ConnectorError) throw error;
    if (isTransientAwsError(error)) {
      throw new ConnectorError(`${system} ${operation} failed: ${(error as Error).name}`, true);
    }
    throw error;
  }
}

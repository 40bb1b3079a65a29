// The one way a connector Lambda is built. The workflow sends ids only; the handler reads the verified address
// (and, per operation, the changes, the objection's scope or the export's purpose) from the request, runs the
// operation once per (request, system, operation, attempt) and answers counts, kinds, grounds and hashes.
// Nothing personal is logged or returned; exports stream to S3.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { s3Client } from '../aws/clients.ts';
import { now } from '../core/clock.ts';
import { ENV, env } from '../core/config.ts';
import {
  type Connector,
  type ConnectorResult,
  ExportPurpose,
  type ExportSink,
  type LocateResult,
  ObjectionScopes,
  type OperationContext,
  RectificationChanges,
} from '../core/connector.ts';
import { ConnectorError } from '../core/errors.ts';
import { requestKey } from '../core/request.ts';
import { Language, Operation, Outcome, RequestId, SystemName } from '../core/schemas.ts';
import { OPS_PREFIX } from './records.ts';
import { createS3ExportSink, exportPrefix } from './s3-export-sink.ts';
import type { Subject } from './store.ts';

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
  language: Language.optional(),
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
  connector: (deps: { doc: DynamoDBDocumentClient; table: string }) => Connector;
  /** where an export's files go, given `exports/<requestId>/<attempt>/<system>/`; S3 (EXPORT_BUCKET) by default */
  exportSink?: (prefix: string) => ExportSink;
  logger?: Logger;
}

/**
 * What the handler reads from the request item besides the address. `changes`, `scope`, `exportPurpose` and
 * `newSubjectRef` are written by intake (API) for rectification, objection and access/portability; they are
 * parsed here again, defensively, because the request record is not this module's.
 */
const RequestInputs = z.object({
  email: z.string().optional(),
  subjectRef: z.string().optional(),
  type: z.string().optional(),
  changes: z.unknown().optional(),
  scope: z.unknown().optional(),
  exportPurpose: z.unknown().optional(),
  newSubjectRef: z.string().optional(),
});
type RequestInputs = z.infer<typeof RequestInputs>;

/** The request fields every operation reads; names go through placeholders (`type` is a reserved word). */
const PROJECTION = ['email', 'subjectRef', 'type', 'changes', 'scope', 'exportPurpose', 'newSubjectRef'];

const defaultExportSink = (prefix: string): ExportSink =>
  createS3ExportSink({ client: s3Client(), bucket: env(ENV.exportBucket), prefix });

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
        ProjectionExpression: PROJECTION.map((_, i) => `#p${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(PROJECTION.map((name, i) => [`#p${i}`, name])),
        ConsistentRead: true,
      }),
    );
    if (!request.Item) {
      log.error('Request not found');
      return result(event, [{ kind: 'failed', retryable: false, reason: 'request_not_found' }]);
    }
    const inputs = RequestInputs.safeParse(request.Item);
    const fields: RequestInputs = inputs.success ? inputs.data : {};
    const subject: Subject = {
      email: typeof fields.email === 'string' ? fields.email : '',
      subjectRef: typeof fields.subjectRef === 'string' ? fields.subjectRef : undefined,
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
      case 'export': {
        const purpose = exportPurposeOf(fields);
        if (!purpose) return refuse(event, log, 'invalid_export_purpose');
        const sink = (options.exportSink ?? defaultExportSink)(
          exportPrefix(event.requestId, event.attempt, system),
        );
        answer = result(event, await connector.export(subject, ctx, { purpose, sink }));
        break;
      }
      case 'rectify': {
        if (fields.changes === undefined) return refuse(event, log, 'changes_missing');
        const changes = RectificationChanges.safeParse(fields.changes);
        if (!changes.success) return refuse(event, log, 'invalid_changes');
        const input = { changes: changes.data, newSubjectRef: fields.newSubjectRef };
        answer = result(event, await connector.rectify(subject, ctx, input));
        break;
      }
      case 'object': {
        if (fields.scope === undefined) return refuse(event, log, 'scope_missing');
        const scope = ObjectionScopes.safeParse(fields.scope);
        if (!scope.success) return refuse(event, log, 'invalid_scope');
        answer = result(event, await connector.object(subject, ctx, { scope: scope.data }));
        break;
      }
    }
    // Every answer is checked against the Outcome union before it is recorded or returned.
    answer = ConnectorResultSchema.parse(answer);

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

/** Access unless the request says portability: its own `exportPurpose`, else its type. */
function exportPurposeOf(fields: RequestInputs): ExportPurpose | undefined {
  if (fields.exportPurpose !== undefined) {
    const parsed = ExportPurpose.safeParse(fields.exportPurpose);
    return parsed.success ? parsed.data : undefined;
  }
  return fields.type === 'portability' ? 'portability' : 'access';
}

/** A request whose inputs cannot be read: nothing is done and nothing recorded, so a corrected request can run. */
function refuse(event: z.infer<typeof ConnectorEventSchema>, log: Logger, reason: string): ConnectorResult {
  log.error('Request inputs missing or invalid; nothing done', { reason });
  return result(event, [{ kind: 'failed', retryable: false, reason }]);
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
    outcomes: answer.outcomes.map((o) => {
      if (o.kind === 'exported') return `exported:${o.purpose}:${o.records}:${o.files.length} files`;
      if (o.kind === 'failed' || o.kind === 'skipped') return `${o.kind}:${o.reason}`;
      return 'category' in o ? `${o.kind}:${o.category}:${o.records}` : o.kind;
    }),
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

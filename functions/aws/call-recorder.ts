// Records every AWS call a function makes (service, operation, the resources it names), one JSON line per call,
// for the IAM check of the integration run (test/integration/iam.test.ts, P15, Art. 32). Off unless AWS_CALL_LOG
// names a file; the local runtime sets it per function, with AWS_LAMBDA_FUNCTION_NAME, only when asked to record.
// Only names are written (tables, indexes, buckets, keys, attribute names, the prefix of a partition key): no value.
import { appendFileSync } from 'node:fs';

/** The environment variable naming the call log; unset means no recording at all. */
export const CALL_LOG_ENV = 'AWS_CALL_LOG';

/** One recorded call: the client's service, the operation, and what it names (never an item or a message). */
export interface RecordedCall {
  fn: string;
  service: string;
  operation: string;
  resources: Record<string, unknown>;
}

interface Stack {
  add(middleware: unknown, options: { step: 'build'; name: string; override?: boolean }): void;
}

/** Adds the recorder to a client's middleware stack when AWS_CALL_LOG is set; otherwise leaves it untouched. */
export function recordCalls<T extends { middlewareStack: Stack }>(client: T): T {
  const file = process.env[CALL_LOG_ENV];
  if (!file) return client;
  const fn = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'unknown';
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { clientName?: string; commandName?: string }) =>
    async (args: { input?: Record<string, unknown> }) => {
      const call: RecordedCall = {
        fn,
        service: (context.clientName ?? '').replace(/Client$/, ''),
        operation: (context.commandName ?? '').replace(/Command$/, ''),
        resources: namesIn(args.input ?? {}),
      };
      appendFileSync(file, `${JSON.stringify(call)}\n`);
      return next(args);
    };
  client.middlewareStack.add(middleware, { step: 'build', name: 'awsCallRecorder', override: true });
  return client;
}

// The fields IAM authorises on; DynamoDB items are reduced to their attribute names and key prefix.
const NAMED = [
  'TableName',
  'IndexName',
  'Bucket',
  'Key',
  'SecretId',
  'stateMachineArn',
  'executionArn',
  'FromEmailAddress',
  'ConfigurationSetName',
  'Select',
  'ReturnValues',
  'ObjectLockMode',
  'Tagging',
  'ServerSideEncryption',
];

function namesIn(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of NAMED) if (input[name] !== undefined) out[name] = input[name];
  // An S3 object key is a name; a DynamoDB key is values, reduced below to their prefixes.
  if (typeof input.Key !== 'string') delete out.Key;
  const item = dynamoItem(input);
  if (item) out.item = item;
  if (input.TransactItems) {
    out.items = (input.TransactItems as Record<string, Record<string, unknown>>[]).map((t) => {
      const [kind, body] = Object.entries(t)[0] ?? ['', {}];
      return { kind, TableName: body.TableName, ...dynamoItem(body) };
    });
  }
  if (input.RequestItems) {
    out.tables = Object.fromEntries(
      Object.entries(input.RequestItems as Record<string, unknown>).map(([table, ops]) => [
        table,
        Array.isArray(ops) ? [...new Set(ops.map((op) => Object.keys(op as object)[0]))] : ['Get'],
      ]),
    );
  }
  return out;
}

/** The attribute names a DynamoDB request names, and the prefix of each key value (up to its first `#`). */
function dynamoItem(input: Record<string, unknown>): Record<string, unknown> | undefined {
  const record = (input.Key ?? input.Item) as Record<string, unknown> | undefined;
  const names = new Set<string>(
    Object.values((input.ExpressionAttributeNames ?? {}) as Record<string, string>),
  );
  for (const expression of ['UpdateExpression', 'ProjectionExpression', 'ConditionExpression'])
    for (const word of String(input[expression] ?? '').match(/(?<![#:\w])[A-Za-z_]\w*/g) ?? [])
      if (!EXPRESSION_WORDS.has(word.toUpperCase())) names.add(word);
  if (!record && names.size === 0 && !input.KeyConditionExpression) return undefined;
  const keys: Record<string, string> = {};
  for (const [name, value] of Object.entries(record ?? {})) {
    names.add(name);
    const text = typeof value === 'string' ? value : (value as { S?: string } | undefined)?.S;
    if (input.Key && typeof text === 'string')
      keys[name] = text.includes('#') ? `${text.split('#')[0]}#*` : '*';
  }
  if (input.Item) for (const name of Object.keys(input.Item as object)) names.add(name);
  return { attributes: [...names].sort(), keys };
}

const EXPRESSION_WORDS = new Set([
  'SET',
  'REMOVE',
  'ADD',
  'DELETE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'BETWEEN',
  'IF_NOT_EXISTS',
  'LIST_APPEND',
  'ATTRIBUTE_EXISTS',
  'ATTRIBUTE_NOT_EXISTS',
  'ATTRIBUTE_TYPE',
  'BEGINS_WITH',
  'CONTAINS',
  'SIZE',
]);

// The local endpoint for AWS JSON-protocol services: Step Functions (AWS_ENDPOINT_URL_SFN) and Secrets Manager
// (AWS_ENDPOINT_URL_SECRETS_MANAGER). The SDK posts `X-Amz-Target: <Service>.<Operation>` with a JSON body
// and reads errors from `__type`, so the real @aws-sdk clients work against it unchanged.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LocalSecret } from './secrets.ts';
import { type LocalStepFunctions, SfnError } from './stepfunctions.ts';

export interface AwsEndpointOptions {
  stepFunctions: () => LocalStepFunctions | undefined;
  secrets: LocalSecret[];
}

type Operation = (body: Record<string, unknown>) => Promise<unknown>;

const MAX_BODY = 1024 * 1024;

/** Creates (does not start) the HTTP server of the local AWS endpoint. */
export function createAwsEndpoint(options: AwsEndpointOptions): Server {
  const sfn = (): LocalStepFunctions => {
    const service = options.stepFunctions();
    if (!service) throw new SfnError('ServiceUnavailable', 'Step Functions is still starting');
    return service;
  };
  // Only what the handlers (functions/aws/sfn-workflow.ts) and the tests send.
  const operations: Record<string, Operation> = {
    'AWSStepFunctions.StartExecution': (b) => sfn().startExecution(b),
    'AWSStepFunctions.DescribeExecution': (b) => sfn().describeExecution(b),
    'AWSStepFunctions.GetExecutionHistory': (b) => sfn().getExecutionHistory(b),
    'AWSStepFunctions.SendTaskSuccess': (b) => sfn().sendTaskSuccess(b),
    'secretsmanager.GetSecretValue': async (b) => getSecretValue(options.secrets, b),
  };

  return createServer((req, res) => {
    void handle(req, res, operations);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, operations: Record<string, Operation>) {
  const target = String(req.headers['x-amz-target'] ?? '');
  const contentType = target.startsWith('secretsmanager.')
    ? 'application/x-amz-json-1.1'
    : 'application/x-amz-json-1.0';
  const send = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': contentType,
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': randomUUID(),
    });
    res.end(text);
  };
  try {
    const text = await readBody(req);
    const operation = req.method === 'POST' ? operations[target] : undefined;
    if (!operation) {
      send(400, { __type: 'UnknownOperationException', message: `Unknown operation ${target || '(none)'}` });
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      send(400, { __type: 'SerializationException', message: 'Body is not valid JSON' });
      return;
    }
    send(200, (await operation(body)) ?? {});
  } catch (error) {
    if (error instanceof SfnError) {
      send(error.name === 'ServiceUnavailable' ? 503 : 400, { __type: error.name, message: error.message });
    } else {
      process.stderr.write(`[aws-endpoint] ${target}: ${(error as Error).stack ?? String(error)}\n`);
      send(500, { __type: 'InternalFailure', message: 'Internal error of the local endpoint' });
    }
  }
}

function getSecretValue(secrets: LocalSecret[], body: Record<string, unknown>) {
  const id = String(body.SecretId ?? '');
  // Like Secrets Manager: the full ARN, the ARN without its random suffix, or the name.
  const secret = secrets.find((s) => id === s.arn || id === s.name || s.arn.startsWith(`${id}-`));
  const { VersionStage: stage = 'AWSCURRENT', VersionId: version = secret?.versionId } = body;
  if (!secret || stage !== 'AWSCURRENT' || version !== secret.versionId)
    throw new SfnError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: secret.versionId,
    SecretString: secret.value,
    VersionStages: ['AWSCURRENT'],
    CreatedDate: secret.createdDate / 1000,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new SfnError('ValidationException', 'Request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// The local endpoint for AWS JSON-protocol services: Step Functions (AWS_ENDPOINT_URL_SFN) and Secrets Manager
// (AWS_ENDPOINT_URL_SECRETS_MANAGER). The SDK posts `X-Amz-Target: <Service>.<Operation>` with a JSON body
// and reads errors from `__type`, so the real @aws-sdk clients work against it unchanged.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { text } from 'node:stream/consumers';
import type { LocalSecret } from './secrets.ts';
import { type LocalStepFunctions, SfnError } from './stepfunctions.ts';

export interface AwsEndpointOptions {
  stepFunctions: () => LocalStepFunctions | undefined;
  secrets: LocalSecret[];
  /**
   * The retention sweep's state machine (P11): its Distributed Map does not run in the local interpreter, so a
   * StartExecution on its ARN runs the runtime's own sweep runner (local/timers.ts) in the background instead.
   */
  retention?: () => { arn: string; run(runId: string, dryRun: boolean): void } | undefined;
}

type Operation = (body: Record<string, unknown>) => Promise<unknown>;

/** Creates (does not start) the HTTP server of the local AWS endpoint. */
export function createAwsEndpoint(options: AwsEndpointOptions): Server {
  const sfn = (): LocalStepFunctions => {
    const service = options.stepFunctions();
    if (!service) throw new SfnError('ServiceUnavailable', 'Step Functions is still starting');
    return service;
  };
  const startRetention = (b: Record<string, unknown>) => {
    const retention = options.retention?.();
    if (!retention || b.stateMachineArn !== retention.arn) return undefined;
    const name = String(b.name ?? '');
    const input = parseBody(String(b.input ?? '{}')) as { dryRun?: unknown };
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name) || typeof input.dryRun !== 'boolean')
      throw new SfnError('InvalidExecutionInput', 'A run id as the name and {"dryRun": true|false} as input');
    retention.run(name, input.dryRun);
    const executionArn = `${retention.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    return Promise.resolve({ executionArn, startDate: Date.now() / 1000 });
  };
  // Only what the handlers (functions/aws/sfn-workflow.ts, functions/aws/app-secret.ts) and the tests send.
  const operations = new Map<string, Operation>([
    ['AWSStepFunctions.StartExecution', (b) => startRetention(b) ?? sfn().startExecution(b)],
    ['AWSStepFunctions.DescribeExecution', (b) => sfn().describeExecution(b)],
    ['AWSStepFunctions.GetExecutionHistory', (b) => sfn().getExecutionHistory(b)],
    ['AWSStepFunctions.SendTaskSuccess', (b) => sfn().sendTaskSuccess(b)],
    ['AWSStepFunctions.SendTaskFailure', (b) => sfn().sendTaskFailure(b)],
    // an operator's stop, which the tests use to end a workflow ABORTED (the failure rule, P9)
    ['AWSStepFunctions.StopExecution', (b) => sfn().stopExecution(b)],
    ['secretsmanager.GetSecretValue', async (b) => getSecretValue(options.secrets, String(b.SecretId))],
  ]);

  return createServer(async (req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const send = (status: number, body: unknown) => {
      const json = JSON.stringify(body);
      res.writeHead(status, {
        'Content-Type': `application/x-amz-json-${target.startsWith('secretsmanager.') ? '1.1' : '1.0'}`,
        'Content-Length': Buffer.byteLength(json),
        'x-amzn-RequestId': randomUUID(),
      });
      res.end(json);
    };
    try {
      const body = await text(req);
      const operation = req.method === 'POST' ? operations.get(target) : undefined;
      if (!operation)
        throw new SfnError('UnknownOperationException', `Unknown operation ${target || '(none)'}`);
      send(200, (await operation(parseBody(body))) ?? {});
    } catch (error) {
      if (error instanceof SfnError) {
        send(error.name === 'ServiceUnavailable' ? 503 : 400, { __type: error.name, message: error.message });
      } else {
        process.stderr.write(`[aws-endpoint] ${target}: ${(error as Error).stack ?? String(error)}\n`);
        send(500, { __type: 'InternalFailure', message: 'Internal error of the local endpoint' });
      }
    }
  });
}

function parseBody(body: string): Record<string, unknown> {
  try {
    return JSON.parse(body || '{}');
  } catch {
    throw new SfnError('SerializationException', 'Body is not valid JSON');
  }
}

function getSecretValue(secrets: LocalSecret[], id: string) {
  // Like Secrets Manager: the full ARN, the ARN without its random suffix, or the name.
  const secret = secrets.find((s) => id === s.arn || id === s.name || s.arn.startsWith(`${id}-`));
  if (!secret)
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

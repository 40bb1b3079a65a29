import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiEvent, fakeAuditHeads, lambdaContext, setHandlerEnv } from '../../fixtures/lambda.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
fakeAuditHeads();
const ses = mockClient(SESv2Client);
const secrets = mockClient(SecretsManagerClient);

let handler: typeof import('../../../functions/api/create-request.ts').handler;

beforeAll(async () => {
  setHandlerEnv({
    STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:000000000000:stateMachine:x',
    MAIL_FROM: 'privacy@jsm.be',
  });
  ({ handler } = await import('../../../functions/api/create-request.ts'));
});

beforeEach(() => {
  dynamo.reset();
  ses.reset();
  secrets.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: 'z'.repeat(64) });
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(PutCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: 'm1' });
});

describe('Route: POST /requests (unit, AWS faked)', () => {
  it('stores the request and sends the code through SES with an idempotency header (P8)', async () => {
    // Prepare
    const event = apiEvent({ body: '{"type":"erasure","email":"an.devos@example.be"}' });
    // Act
    const res = await handler(event, lambdaContext());
    // Assess
    expect(res.statusCode).toBe(202);
    const puts = dynamo.commandCalls(PutCommand).map((c) => c.args[0].input.TableName);
    expect(puts).toContain('requests');
    const mail = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(mail?.Destination?.ToAddresses).toEqual(['an.devos@example.be']);
    expect(mail?.Content?.Simple?.Headers?.[0]?.Name).toBe('X-Idempotency-Key');
  });

  it('stores nothing and sends nothing for a rectification without changes (P2)', async () => {
    // Prepare
    const event = apiEvent({ body: '{"type":"rectification","email":"an.devos@example.be"}' });
    // Act
    const res = await handler(event, lambdaContext());
    // Assess
    expect(res.statusCode).toBe(400);
    expect(
      dynamo.commandCalls(PutCommand).filter((c) => c.args[0].input.TableName === 'requests'),
    ).toHaveLength(0);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });
});

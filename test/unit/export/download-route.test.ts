import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadToken } from '../../../functions/core/download-token.ts';
import { apiEvent, fakeAuditHeads, lambdaContext, setHandlerEnv } from '../../fixtures/lambda.ts';
import { REQUEST_ID, request } from './fixtures.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
fakeAuditHeads();
const secrets = mockClient(SecretsManagerClient);
const SECRET = 'z'.repeat(64);
const DAY = 86_400_000;

let handler: typeof import('../../../functions/api/download.ts').handler;

beforeAll(async () => {
  setHandlerEnv({
    EXPORT_BUCKET: 'exports',
  });
  ({ handler } = await import('../../../functions/api/download.ts'));
});

const expiresAt = () => new Date(Date.now() + 7 * DAY).toISOString();

beforeEach(() => {
  dynamo.reset();
  secrets.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
  dynamo.on(GetCommand).resolves({
    Item: request('portability', 'nl', {
      package: {
        key: `exports/${REQUEST_ID}/1/package.zip`,
        sha256: 'a'.repeat(64),
        bytes: 10,
        expiresAt: expiresAt(),
      },
    }),
  });
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(PutCommand).resolves({});
});

const get = (token: string) =>
  handler(
    apiEvent({ method: 'GET', path: `/downloads/${token}`, pathParameters: { token } }),
    lambdaContext('download'),
  );
const token = (over: Partial<Parameters<typeof downloadToken>[1]> = {}) =>
  downloadToken(SECRET, {
    requestId: REQUEST_ID,
    file: 'package',
    subjectRef: 's_an',
    audience: 'subject',
    expiresAt: expiresAt(),
    ...over,
  });

describe('Route: GET /downloads/{token} (P7)', () => {
  it('answers 302 to a presigned S3 URL valid for five minutes, with no body, and audits the fetch', async () => {
    // Prepare: a valid link for her package (the request and its package are faked above)
    // Act
    const res = await get(token());

    // Assess
    expect(res.statusCode).toBe(302);
    const location = new URL(res.headers?.location as string);
    expect(location.pathname).toBe(`/exports/exports/${REQUEST_ID}/1/package.zip`);
    expect(location.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(res.body).toBe('');
    expect(res.headers?.['cache-control']).toBe('no-store');
    const audit = dynamo.commandCalls(PutCommand).map((c) => c.args[0].input.Item);
    expect(audit).toEqual([expect.objectContaining({ action: 'download.fetched', requestId: REQUEST_ID })]);
  });

  it('answers a 410 download-expired problem for an expired link (P7)', async () => {
    // Prepare: a link that expired a second ago
    // Act
    const res = await get(token({ expiresAt: new Date(Date.now() - 1000).toISOString() }));

    // Assess
    expect(res.statusCode).toBe(410);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(res.body)).toMatchObject({
      type: 'https://privacy.jsm.be/problems/download-expired',
      status: 410,
    });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('answers a 403 problem for an altered link, and looks nothing up (P7)', async () => {
    // Prepare
    const good = token();
    // Act
    const res = await get(`${good.slice(0, -3)}abc`);

    // Assess
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({
      type: 'https://privacy.jsm.be/problems/download-token-invalid',
    });
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('answers a 403 problem for a correctly signed link of another subject', async () => {
    // Prepare: a correctly signed link naming another subject
    // Act
    const res = await get(token({ subjectRef: 's_someone_else' }));

    // Assess
    expect(res.statusCode).toBe(403);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });
});

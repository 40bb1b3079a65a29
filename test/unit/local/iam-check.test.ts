// The pieces of the IAM check (test/integration/iam.test.ts) on their own, so each can be seen to fail (P15, Art. 32).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { CALL_LOG_ENV, recordCalls } from '../../../functions/aws/call-recorder.ts';
import { bundlesProblem } from '../../../local/bundles.ts';
import { ACCOUNT, allowed, iamRequests, type PolicyDocument } from '../../helpers/iam.ts';

const TABLE = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/Requests`;
const policy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: [TABLE] }],
};
const role = `arn:aws:iam::${ACCOUNT}:role/test`;
const dirs: string[] = [];
afterEach(() => {
  delete process.env[CALL_LOG_ENV];
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('The IAM check of the integration run (P15, Art. 32)', () => {
  it('denies a call the role does not grant, and allows the one it does (P15)', async () => {
    // Act
    const get = await allowed([{ name: 'p', policy }], role, {
      action: 'dynamodb:GetItem',
      resource: TABLE,
      context: {},
    });
    const put = await allowed([{ name: 'p', policy }], role, {
      action: 'dynamodb:PutItem',
      resource: TABLE,
      context: {},
    });
    const other = await allowed([{ name: 'p', policy }], role, {
      action: 'dynamodb:GetItem',
      resource: `${TABLE}-Other`,
      context: {},
    });
    // Assess
    expect([get.allowed, put.allowed, other.allowed]).toEqual([true, false, false]);
  });

  it('authorises a transaction as each of its item actions, on the deployed table name (P15)', () => {
    // Act
    const requests = iamRequests(
      {
        fn: 'f',
        service: 'DynamoDB',
        operation: 'TransactWriteItems',
        resources: {
          items: [
            { kind: 'Put', TableName: 'local', attributes: ['pk'], keys: {} },
            { kind: 'Update', TableName: 'local', attributes: [], keys: {} },
          ],
        },
      },
      (local) => (local === 'local' ? 'Requests' : local),
    );
    // Assess
    expect(requests.map((r) => `${r.action} ${r.resource}`)).toEqual([
      `dynamodb:PutItem ${TABLE}`,
      `dynamodb:UpdateItem ${TABLE}`,
    ]);
  });

  it('records nothing and leaves the client untouched when AWS_CALL_LOG is unset (P15)', () => {
    // Prepare
    const client = new DynamoDBClient({ region: 'eu-west-1' });
    const before = client.middlewareStack.identify().length;
    // Act
    recordCalls(client);
    // Assess
    expect(client.middlewareStack.identify().length).toBe(before);
  });

  it('records the names a call carries, never a key value past its prefix (P15)', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'jsm-calls-'));
    dirs.push(dir);
    process.env[CALL_LOG_ENV] = join(dir, 'calls.jsonl');
    const client = recordCalls(
      new DynamoDBClient({
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:9',
        maxAttempts: 1,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
    );
    // Act
    await client
      .send(new GetItemCommand({ TableName: 'T', Key: { pk: { S: 'CUST#an.devos@example.be' } } }))
      .catch(() => undefined);
    // Assess
    const line = readFileSync(join(dir, 'calls.jsonl'), 'utf8');
    expect(JSON.parse(line)).toMatchObject({
      service: 'DynamoDB',
      operation: 'GetItem',
      resources: { TableName: 'T' },
    });
    expect(line).toContain('CUST#*');
    expect(line).not.toContain('devos');
  });

  it('says plainly that cdk.out is missing, and what to run (P15)', () => {
    // Prepare
    const root = mkdtempSync(join(tmpdir(), 'jsm-root-'));
    dirs.push(root);
    // Act
    const problem = bundlesProblem(root);
    // Assess
    expect(problem).toContain('cdk.out is missing');
    expect(existsSync(join(root, 'cdk.out'))).toBe(false);
  });
});

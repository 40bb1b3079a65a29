// The embedded runtime itself (npm start): health, API Gateway behaviour, the Step Functions and Secrets Manager
// endpoint through the real SDK clients, SES's mailbox simulator, S3, restart without loss, and a clean Ctrl-C.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { BUCKETS } from '../../local/runtime.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { call, codeIn, eventually, waitForMail } from '../helpers/api.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

const aws = { region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const sfn = () => new SFNClient({ ...aws, endpoint: rt.awsLocalUrl });
const doc = () => DynamoDBDocumentClient.from(new DynamoDBClient({ ...aws, endpoint: rt.dynamodbEndpoint }));

let rt: Runtime;

beforeAll(async () => {
  rt = await startRuntime({ clock: '2026-03-02T08:00:00Z' });
});

afterAll(async () => {
  await rt?.stop();
});

describe('Local runtime: start', () => {
  it('answers /health with 200 once everything is up, and prints its ports', async () => {
    // Act: GET /health
    const res = await call(rt.apiUrl, 'GET', '/health');
    // Assess: 200 ready, and the ready line with the ports was printed
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('ready');
    expect(rt.logs().some((l) => l.startsWith('LOCAL_RUNTIME_READY '))).toBe(true);
  });

  it('runs on the clock it was given', async () => {
    // Act: read the clock from the ready line
    const line = rt.logs().find((l) => l.startsWith('LOCAL_RUNTIME_READY ')) ?? '';
    const clock = Date.parse(JSON.parse(line.slice('LOCAL_RUNTIME_READY '.length)).clock);
    // Assess: within two minutes of the one it was started with
    expect(Math.abs(clock - Date.parse('2026-03-02T08:00:00Z'))).toBeLessThan(120_000);
  });
});

describe('Local runtime: API Gateway', () => {
  it('dispatches a route to its handler (GET /openapi.json)', async () => {
    // Act: GET /openapi.json
    const res = await call(rt.apiUrl, 'GET', '/openapi.json');
    // Assess: the handler's OpenAPI 3.1 document, with an API Gateway request id
    expect(res.status).toBe(200);
    expect(res.json.openapi).toMatch(/^3\.1/);
    expect(res.headers.get('x-amzn-requestid')).toBeTruthy();
  });

  it('answers 401 problem+json on a staff route without a token or with a bad one, like the Cognito authorizer', async () => {
    // Act: list requests as staff without a token, then with a bad one
    for (const token of [undefined, 'not.a.jwt']) {
      const res = await call(rt.apiUrl, 'GET', '/admin/requests', token ? { token } : {});
      // Assess: 401 problem+json with a type and a title, each time
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.json).toMatchObject({ type: 'https://privacy.jsm.be/problems/unauthorized', status: 401 });
      expect(res.json.title).toBeTruthy();
    }
  });

  it('accepts a token from npm run staff-token and hands its claims to the handler', async () => {
    // Act: list requests as staff with a viewer's token
    const res = await call(rt.apiUrl, 'GET', '/admin/requests', { token: await rt.staffToken('viewer') });
    // Assess: 200
    expect(res.status).toBe(200);
  });

  it('answers 404 for an unknown route and 405 for a wrong method, as problems', async () => {
    // Act: GET an unknown route
    const unknown = await call(rt.apiUrl, 'GET', '/nowhere');
    // Assess: 404 problem+json
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    // Act: DELETE /requests
    const wrong = await call(rt.apiUrl, 'DELETE', '/requests');
    // Assess: 405 problem, with the allowed method
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(wrong.json.status).toBe(405);
  });
});

describe('Local runtime: AWS endpoints', () => {
  it('answers ExecutionAlreadyExists for a reused execution name, through @aws-sdk/client-sfn', async () => {
    // Prepare: a Step Functions client and one execution name
    const client = sfn();
    const name = 'name-reuse-check';
    // Act: start an execution with that name
    const first = await client.send(
      new StartExecutionCommand({
        stateMachineArn: rt.stateMachineArn,
        name,
        input: '{"requestId":"r_0000000000000000000000"}',
      }),
    );
    // Assess: it started
    expect(first.executionArn).toContain(`:execution:`);
    // Act: start another with the same name
    const again = client.send(
      new StartExecutionCommand({ stateMachineArn: rt.stateMachineArn, name, input: '{"other":true}' }),
    );
    // Assess: refused with ExecutionAlreadyExists, HTTP 400
    await expect(again).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('names bad task tokens as Step Functions does', async () => {
    // Act: send success for a bogus task token
    const bogus = sfn().send(new SendTaskSuccessCommand({ taskToken: 'bogus', output: '{}' }));
    // Assess: refused with InvalidToken
    await expect(bogus).rejects.toMatchObject({ name: 'InvalidToken' });
  });

  it('serves the application secret through @aws-sdk/client-secrets-manager', async () => {
    // Prepare: a Secrets Manager client on the local endpoint
    const client = new SecretsManagerClient({ ...aws, endpoint: rt.awsLocalUrl });
    // Act: get the application secret
    const secret = await client.send(new GetSecretValueCommand({ SecretId: 'jsm-privacy/app-secret' }));
    // Assess: 32 characters or more, under an eu-west-1 ARN
    expect(secret.SecretString?.length).toBeGreaterThanOrEqual(32);
    expect(secret.ARN).toMatch(/^arn:aws:secretsmanager:eu-west-1:/);
  });

  it('lets SES mailbox-simulator addresses bounce and complain', async () => {
    // Prepare: an SES client on the local SES
    const ses = new SESv2Client({ ...aws, endpoint: rt.sesUrl });
    // Act: mail the simulator's bounce and complaint addresses, and read the events
    for (const to of ['bounce@simulator.amazonses.com', 'complaint@simulator.amazonses.com']) {
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'privacy@jsm.be',
          Destination: { ToAddresses: [to] },
          Content: { Simple: { Subject: { Data: 'simulator' }, Body: { Text: { Data: 'hello' } } } },
        }),
      );
    }
    const { events } = (await (await fetch(`${rt.sesUrl}/events`)).json()) as {
      events: { 'detail-type': string; detail: { eventType: string; bounce?: { bounceType: string } } }[];
    };
    // Assess: a permanent bounce and a complaint
    expect(events.map((e) => e.detail.eventType)).toEqual(expect.arrayContaining(['Bounce', 'Complaint']));
    expect(events.find((e) => e.detail.eventType === 'Bounce')?.detail.bounce?.bounceType).toBe('Permanent');
  });

  it('stores objects in s3rver, path-style, with working presigned URLs', async () => {
    // Prepare: a path-style S3 client on s3rver
    const s3 = new S3Client({
      ...aws,
      endpoint: rt.s3Url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    // Act: put an object and presign a GET of it
    await s3.send(new PutObjectCommand({ Bucket: BUCKETS.exports, Key: 'probe.txt', Body: 'probe' }));
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKETS.exports, Key: 'probe.txt' }), {
      expiresIn: 60,
    });
    // Assess: the URL serves the object
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('probe');
  });
});

describe('Local runtime: restart', () => {
  it('keeps every request and system record, and resumes an execution parked for approval', async () => {
    // Prepare: a verified request waiting for approval, and a record only this test wrote.
    const noor = DEMO_CUSTOMERS.noor;
    const filed = await call(rt.apiUrl, 'POST', '/requests', {
      body: { type: 'erasure', email: noor.email, language: 'en' },
    });
    const id = filed.json.id as string;
    const mail = await waitForMail(rt.sesUrl, noor.email, (m) => /\d{8}/.test(m.body.text ?? ''));
    const verified = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, {
      body: { code: codeIn(mail) },
    });
    expect(verified.status).toBe(200);
    const token = verified.json.statusToken as string;
    await eventually(
      async () => {
        const s = await call(rt.apiUrl, 'GET', `/requests/${id}`, { token });
        return s.json.status === 'awaiting_approval' ? true : undefined;
      },
      30_000,
      'the request to wait for approval',
    );
    const executionArn = `${rt.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}`;
    const parkedWaits = async () => {
      const history = await sfn().send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
      // the approval's own wait: a system without an API parks its Locate too (P17)
      return (history.events ?? []).filter(
        (e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'AwaitApproval',
      ).length;
    };
    await eventually(
      async () => ((await parkedWaits()) === 1 ? true : undefined),
      30_000,
      'the execution to park',
    );
    const probe = { pk: 'TEST#restart', sk: 'PROBE', note: 'kept' };
    await doc().send(new PutCommand({ TableName: TABLE_NAMES.system('marketing'), Item: probe }));

    // Act: restart the runtime
    await rt.restart();

    // Assess: the data and the status token survive; the execution still runs and parks again.
    const kept = await doc().send(
      new GetCommand({ TableName: TABLE_NAMES.system('marketing'), Key: { pk: probe.pk, sk: probe.sk } }),
    );
    expect(kept.Item).toMatchObject(probe);
    const status = await call(rt.apiUrl, 'GET', `/requests/${id}`, { token });
    expect(status.status).toBe(200);
    expect(status.json.status).toBe('awaiting_approval');
    expect((await sfn().send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    // One wait before the restart, one after: the resumed run asked again, with a new token.
    await eventually(
      async () => ((await parkedWaits()) === 2 ? true : undefined),
      30_000,
      'the resumed execution to park',
    );

    // Act: an approver approves
    const approved = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, {
      token: await rt.staffToken('approver'),
    });
    // Assess: accepted, and the resumed erasure completes
    expect(approved.status).toBe(200);
    const done = await eventually(
      async () => {
        const s = await call(rt.apiUrl, 'GET', `/requests/${id}`, { token });
        return ['completed', 'partially_completed'].includes(s.json.status as string) ? s : undefined;
      },
      60_000,
      'the resumed erasure to finish',
    );
    expect(done.json.status).toBe('completed');
  }, 240_000);
});

describe('Local runtime: stop', () => {
  it('stops everything on Ctrl-C, DynamoDB Local included', async () => {
    // Prepare: the runtime's and DynamoDB Local's processes
    const { pid, dynamodbPid } = rt;
    // Assess: DynamoDB Local runs
    expect(dynamodbPid).toBeGreaterThan(0);
    // Act: stop the runtime (Ctrl-C)
    await rt.stop();
    // Assess: both processes are gone
    expect(alive(pid)).toBe(false);
    expect(alive(dynamodbPid as number)).toBe(false);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

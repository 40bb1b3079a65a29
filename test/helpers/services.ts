// The AWS services a scheduled handler needs, in this process and on free ports: DynamoDB Local with every table,
// s3rver with the export bucket, the local SES and the local Secrets Manager with an application secret. The SDK's
// environment points at them, so handlers imported afterwards run exactly as in the embedded runtime.

import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENV } from '../../functions/core/config.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../local/asl.ts';
import { createAwsEndpoint } from '../../local/aws-endpoint.ts';
import { BUCKETS } from '../../local/runtime.ts';
import { startS3 } from '../../local/s3.ts';
import { loadAppSecret } from '../../local/secrets.ts';
import { startSes } from '../../local/ses.ts';
import { startTestDynamoDb, type TestDynamoDb } from './dynamodb.ts';

export interface LocalServices {
  db: TestDynamoDb;
  sesUrl: string;
  /** the application secret behind every keyed hash */
  secret: string;
  stop(): Promise<void>;
}

const listen = (server: Server) =>
  new Promise<number>((done) =>
    server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)),
  );

/** Starts the services and sets the environment (tables, bucket, endpoints, senders, the secret's ARN). */
export async function startLocalServices(): Promise<LocalServices> {
  const dir = mkdtempSync(join(tmpdir(), 'jsm-services-'));
  const db = await startTestDynamoDb();
  const s3 = await startS3({
    port: 0,
    host: '127.0.0.1',
    dir: join(dir, 's3'),
    buckets: Object.values(BUCKETS),
  });
  const ses = await startSes({ port: 0, host: '127.0.0.1', region: LOCAL_REGION, accountId: LOCAL_ACCOUNT });
  const secret = loadAppSecret(dir, LOCAL_REGION, LOCAL_ACCOUNT);
  const aws = createAwsEndpoint({ stepFunctions: () => undefined, secrets: [secret] });
  const awsPort = await listen(aws);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${s3.port}`,
    AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${ses.port}`,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${awsPort}`,
    [ENV.exportBucket]: BUCKETS.exports,
    [ENV.auditBucket]: BUCKETS.auditHeads,
    [ENV.appSecretArn]: secret.arn,
    [ENV.mailFrom]: 'privacy@jsm.be',
    [ENV.staffInbox]: 'privacy-team@jsm.be',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    POWERTOOLS_METRICS_NAMESPACE: 'PrivacyRights',
    POWERTOOLS_SERVICE_NAME: 'privacy-rights',
  });
  return {
    db,
    sesUrl: `http://127.0.0.1:${ses.port}`,
    secret: secret.value,
    async stop() {
      aws.closeAllConnections();
      await new Promise<void>((done) => aws.close(() => done()));
      await ses.close();
      await s3.close();
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

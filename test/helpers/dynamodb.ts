// DynamoDB Local for one test file: in memory, on a free port, with every table created and the SDK's
// environment pointing at it, so handlers imported afterwards talk to it exactly as on AWS.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { freePort, startDynamoDb } from '../../local/dynamodb.ts';
import { createTables, tableEnvironment } from '../../local/tables.ts';

export interface TestDynamoDb {
  endpoint: string;
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local, creates the tables and sets AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, dummy credentials
 * (s3rver's, so a test may add a local S3)
 * and the table names (REQUESTS_TABLE, BILLING_TABLE, ...). Import handlers after this resolves.
 */
export async function startTestDynamoDb(): Promise<TestDynamoDb> {
  const db = await startDynamoDb({ port: await freePort() });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_REGION: 'eu-west-1',
    // s3rver's built-in key pair: DynamoDB Local (sharedDb) takes any, s3rver only this one.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    ...tableEnvironment(),
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  const client = new DynamoDBClient({});
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  try {
    await createTables(client);
  } catch (error) {
    await db.stop();
    throw error;
  }
  return {
    endpoint: db.endpoint,
    client,
    doc,
    async stop() {
      client.destroy();
      await db.stop();
    },
  };
}

/** A document client of a running embedded runtime's DynamoDB Local (its port changes when the runtime restarts). */
export function runtimeDocumentClient(endpoint: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'eu-west-1',
      endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}

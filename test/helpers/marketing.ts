// The marketing processor's sync against a running embedded runtime: rows imported into its marketing store.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoSubscriberStore } from '../../functions/aws/subscriber-store.ts';
import { type ImportResult, importSubscribers } from '../../functions/connectors/marketing/import.ts';
import { subjectRef } from '../../functions/core/secrets.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../local/asl.ts';
import { loadAppSecret } from '../../local/secrets.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import type { Runtime } from './runtime.ts';

/** Imports `rows` into the runtime's marketing store as the processor's sync would, keying subjects with its app secret. */
export async function importAsSync(
  rt: Pick<Runtime, 'dataDir'>,
  doc: DynamoDBDocumentClient,
  rows: unknown[],
): Promise<ImportResult> {
  const secret = loadAppSecret(rt.dataDir, LOCAL_REGION, LOCAL_ACCOUNT).value;
  return importSubscribers(
    {
      subscribers: dynamoSubscriberStore(doc, TABLE_NAMES.system('marketing')),
      subjectRef: (email) => subjectRef(secret, email),
      now: new Date(),
    },
    rows,
  );
}

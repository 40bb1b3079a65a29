// SDK clients, made once per Lambda container. Endpoints come from the SDK's own configuration
// (AWS_ENDPOINT_URL_<SERVICE>), which is how the local runtime points them at local services. Every client goes
// through recordCalls, which does nothing unless the IAM check of the integration run asks for it (AWS_CALL_LOG),
// and meterUsage, which does nothing unless the cost benchmark asks for it (AWS_USAGE_LOG).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { recordCalls } from './call-recorder.ts';
import { meterUsage } from './usage-meter.ts';

let dynamoDb: DynamoDBClient | undefined;
let dynamo: DynamoDBDocumentClient | undefined;
let ses: SESv2Client | undefined;
let sfn: SFNClient | undefined;
let s3: S3Client | undefined;
let secrets: SecretsManagerClient | undefined;

/** The plain DynamoDB client (Powertools Idempotency takes one); the document client wraps the same one. */
export const dynamoClient = () => (dynamoDb ??= meterUsage(recordCalls(new DynamoDBClient({}))));
export const documentClient = () =>
  (dynamo ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  }));
export const sesClient = () => (ses ??= meterUsage(recordCalls(new SESv2Client({}))));
export const sfnClient = () => (sfn ??= meterUsage(recordCalls(new SFNClient({}))));
// Path-style keeps bucket names out of host names, which local S3 needs and AWS accepts.
export const s3Client = () => (s3 ??= meterUsage(recordCalls(new S3Client({ forcePathStyle: true }))));
export const secretsClient = () => (secrets ??= meterUsage(recordCalls(new SecretsManagerClient({}))));

// SDK clients, made once per Lambda container. Endpoints come from the SDK's own configuration
// (AWS_ENDPOINT_URL_<SERVICE>), which is how the local runtime points them at local services.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let dynamoDb: DynamoDBClient | undefined;
let dynamo: DynamoDBDocumentClient | undefined;
let ses: SESv2Client | undefined;
let sfn: SFNClient | undefined;
let s3: S3Client | undefined;

/** The plain DynamoDB client (Powertools Idempotency takes one); the document client wraps the same one. */
export const dynamoClient = () => (dynamoDb ??= new DynamoDBClient({}));
export const documentClient = () =>
  (dynamo ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  }));
export const sesClient = () => (ses ??= new SESv2Client({}));
export const sfnClient = () => (sfn ??= new SFNClient({}));
// Path-style keeps bucket names out of host names, which local S3 needs and AWS accepts.
export const s3Client = () => (s3 ??= new S3Client({ forcePathStyle: true }));

// Lambda of the marketing connector: reads the verified address from the request, acts on the marketing store only.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createConnectorHandler } from '../connector-handler.ts';
import { createMarketingConnector } from './connector.ts';

// Made once per container; the SDK finds its endpoint itself (AWS_ENDPOINT_URL_DYNAMODB locally).
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

/** Workflow task: `{ requestId, attempt, system: 'marketing', operation }` → ConnectorResult. */
export const handler = createConnectorHandler({
  system: 'marketing',
  doc,
  connector: createMarketingConnector,
});

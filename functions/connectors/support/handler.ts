// Lambda of the support connector: reads the verified address from the request, acts on the support store only.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createConnectorHandler } from '../connector-handler.ts';
import { createSupportConnector } from './connector.ts';

// Made once per container; the SDK finds its endpoint itself (AWS_ENDPOINT_URL_DYNAMODB locally).
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

/** Workflow task: `{ requestId, attempt, system: 'support', operation }` → ConnectorResult. */
export const handler = createConnectorHandler({ system: 'support', doc, connector: createSupportConnector });

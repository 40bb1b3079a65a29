// Lambda of the crm connector: reads the verified address from the request, acts on the crm store only.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createConnectorHandler } from '../connector-handler.ts';
import { createCrmConnector } from './connector.ts';

// Made once per container; the SDK finds its endpoint itself (AWS_ENDPOINT_URL_DYNAMODB locally).
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

/** Workflow task: `{ requestId, attempt, system: 'crm', operation }` → ConnectorResult. */
export const handler = createConnectorHandler({ system: 'crm', doc, connector: createCrmConnector });

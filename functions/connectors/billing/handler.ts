// Lambda of the billing connector: reads the verified address from the request, acts on the billing store only.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createConnectorHandler } from '../connector-handler.ts';
import { createBillingConnector } from './connector.ts';

// Made once per container; the SDK finds its endpoint itself (AWS_ENDPOINT_URL_DYNAMODB locally).
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

/** Workflow task: `{ requestId, attempt, system: 'billing', operation }` → ConnectorResult. */
export const handler = createConnectorHandler({ system: 'billing', doc, connector: createBillingConnector });

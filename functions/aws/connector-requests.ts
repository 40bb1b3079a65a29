// What a connector Lambda reads of a request (REQUESTS_TABLE): only the attributes it names, consistently.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ConnectorRequests } from '../core/ports.ts';
import { requestKey } from '../core/request.ts';

/** Builds the ConnectorRequests port over the requests table. */
export function dynamoConnectorRequests(doc: DynamoDBDocumentClient, table: string): ConnectorRequests {
  return {
    async inputs(requestId, attributes) {
      const request = await doc.send(
        new GetCommand({
          TableName: table,
          Key: requestKey(requestId),
          // Names go through placeholders: `type` is a reserved word.
          ProjectionExpression: attributes.map((_, i) => `#p${i}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#p${i}`, name])),
          ConsistentRead: true,
        }),
      );
      return request.Item;
    },
  };
}

// The marketing store (MARKETING_TABLE) as the one-click opt-out needs it: suppression entry and list entries.
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { MarketingOptOutStore } from '../core/ports.ts';
import { isSuppressed, type MarketingList, suppressionKey } from '../core/suppression.ts';
import { addressIndexPages } from './address-index.ts';
import { dynamoSuppressionStore } from './suppression-store.ts';

/** The DynamoDB MarketingOptOutStore over the marketing system's table. */
export function dynamoMarketingOptOut(doc: DynamoDBDocumentClient, table: string): MarketingOptOutStore {
  const suppressions = dynamoSuppressionStore(doc, table);
  return {
    async isSuppressed(ref: string, list: MarketingList) {
      const out = await doc.send(
        new GetCommand({ TableName: table, Key: suppressionKey(ref), ConsistentRead: true }),
      );
      return isSuppressed(out.Item, list);
    },
    async suppress(ref, list, at) {
      await suppressions.suppress({ subjectRef: ref, lists: [list], reason: 'opt_out', now: at });
    },
    async removeFromList(email, list) {
      let removed = 0;
      // The address index finds customers' and prospects' entries alike.
      for await (const items of addressIndexPages(doc, table, email, { sk: `LIST#${list}` })) {
        for (const item of items) {
          try {
            await doc.send(
              new DeleteCommand({
                TableName: table,
                Key: { pk: item.pk, sk: item.sk },
                ConditionExpression: 'email = :e',
                ExpressionAttributeValues: { ':e': email },
              }),
            );
            removed += 1;
          } catch (e) {
            // Already gone (a concurrent opt-out or erasure): the same end state.
            if (!(e instanceof Error && e.name === 'ConditionalCheckFailedException')) throw e;
          }
        }
      }
      return removed;
    },
  };
}

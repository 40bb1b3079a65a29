// The marketing store (MARKETING_TABLE) as the one-click opt-out needs it: suppression entry and list entries.
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { EMAIL_INDEX } from '../connectors/records.ts';
import type { MarketingOptOutStore } from '../core/ports.ts';
import { isSuppressed, type MarketingList, suppressionKey } from '../core/suppression.ts';
import { suppress } from './suppression-store.ts';

/** The DynamoDB MarketingOptOutStore over the marketing system's table. */
export function dynamoMarketingOptOut(doc: DynamoDBDocumentClient, table: string): MarketingOptOutStore {
  return {
    async isSuppressed(ref: string, list: MarketingList) {
      const out = await doc.send(
        new GetCommand({ TableName: table, Key: suppressionKey(ref), ConsistentRead: true }),
      );
      return isSuppressed(out.Item, list);
    },
    async suppress(ref, list, at) {
      await suppress({ doc, table }, { subjectRef: ref, lists: [list], reason: 'opt_out', now: at });
    },
    async removeFromList(email, list) {
      let removed = 0;
      let start: Record<string, unknown> | undefined;
      do {
        // The address index finds customers' and prospects' entries alike.
        const page = await doc.send(
          new QueryCommand({
            TableName: table,
            IndexName: EMAIL_INDEX,
            KeyConditionExpression: 'email = :e AND sk = :sk',
            ExpressionAttributeValues: { ':e': email, ':sk': `LIST#${list}` },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
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
        start = page.LastEvaluatedKey;
      } while (start);
      return removed;
    },
  };
}

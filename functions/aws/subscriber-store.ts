// List entries of the marketing store behind the SubscriberStore port: each written in one transaction with a
// check that no suppression entry for the subject's keyed hash names the list (P6), so an objection wins.
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { SubscriberStore } from '../core/ports.ts';
import { suppressionKey } from '../core/suppression.ts';

/** Builds the SubscriberStore over the marketing table. */
export function dynamoSubscriberStore(doc: DynamoDBDocumentClient, table: string): SubscriberStore {
  return {
    async add(entry, subjectRef, list) {
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: table,
                  Key: suppressionKey(subjectRef),
                  ConditionExpression: 'attribute_not_exists(pk) OR NOT contains(lists, :list)',
                  ExpressionAttributeValues: { ':list': list },
                },
              },
              { Put: { TableName: table, Item: entry, ConditionExpression: 'attribute_not_exists(pk)' } },
            ],
          }),
        );
        return 'added';
      } catch (error) {
        const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
        if ((error as Error).name !== 'TransactionCanceledException' || !reasons) throw error;
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'suppressed';
        if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'present';
        throw error;
      }
    },
  };
}

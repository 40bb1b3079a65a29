import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '../core/clock.ts';
import type { RateLimiter } from '../core/ports.ts';

/** Fixed-window counters in the requests table (pk `RATE#<key>`, sk window start), expiring by TTL. */
export function dynamoRateLimiter(doc: DynamoDBDocumentClient, table: string): RateLimiter {
  return {
    async hit(key, limit, windowSeconds) {
      const t = Math.floor(now().getTime() / 1000);
      const window = t - (t % windowSeconds);
      try {
        await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: { pk: `RATE#${key}`, sk: String(window) },
            UpdateExpression: 'ADD hits :one SET expiresAt = :exp',
            ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
            ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':exp': window + windowSeconds * 2 },
          }),
        );
        return true;
      } catch (e) {
        if (e instanceof Error && e.name === 'ConditionalCheckFailedException') return false;
        throw e;
      }
    },
  };
}

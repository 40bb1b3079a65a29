// Printable letters (P4) in the requests table, beside the request they answer: pk `REQ#<requestId>`, sk
// `LETTER#<letterId>`; encrypted at rest with the table's key and point-in-time recovered with it. Letters carry no
// `kind`, `status`, `subjectRef` or `minimise`, so none of the table's indexes sees them. Minimising the request
// removes their HTML (which holds the address) and keeps the kind and date as evidence of what was sent.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { LetterKind } from '../core/authority.ts';
import type { Letter, LetterStore } from '../core/ports.ts';
import { requestKey } from '../core/request.ts';
import type { Language } from '../core/schemas.ts';

const LETTER_PREFIX = 'LETTER#';
const letterKey = (requestId: string, letterId: string) => ({
  pk: requestKey(requestId).pk,
  sk: `${LETTER_PREFIX}${letterId}`,
});

const isConditionFailure = (e: unknown) => e instanceof Error && e.name === 'ConditionalCheckFailedException';

/** The letter store in the requests table. */
export function dynamoLetterStore(doc: DynamoDBDocumentClient, table: string): LetterStore {
  return {
    async put(letter) {
      const { requestId, id, kind, at, language, html } = letter;
      try {
        await doc.send(
          new PutCommand({
            TableName: table,
            Item: { ...letterKey(requestId, id), letterId: id, letterKind: kind, at, language, html },
            ConditionExpression: 'attribute_not_exists(sk)',
          }),
        );
      } catch (e) {
        // The same answer sent again (at least once) is the same letter: the first one stands.
        if (!isConditionFailure(e)) throw e;
      }
    },

    async get(requestId, letterId) {
      const out = await doc.send(
        new GetCommand({ TableName: table, Key: letterKey(requestId, letterId), ConsistentRead: true }),
      );
      const item = out.Item;
      if (!item || typeof item.html !== 'string') return undefined;
      return {
        requestId,
        id: letterId,
        kind: item.letterKind as LetterKind,
        at: String(item.at),
        language: item.language as Language,
        html: item.html,
      } satisfies Letter;
    },

    async scrub(requestId) {
      let start: Record<string, unknown> | undefined;
      let count = 0;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': requestKey(requestId).pk, ':prefix': LETTER_PREFIX },
            ProjectionExpression: 'pk, sk',
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) {
          await doc.send(
            new UpdateCommand({
              TableName: table,
              Key: { pk: item.pk, sk: item.sk },
              UpdateExpression: 'REMOVE html',
            }),
          );
          count += 1;
        }
        start = out.LastEvaluatedKey;
      } while (start);
      return count;
    },
  };
}

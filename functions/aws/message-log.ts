// The sent-messages log (core/sent-messages.ts) in the requests table, beside the request it belongs to:
// - the entry: pk `REQ#<requestId>`, sk `MSG#<idempotency key>`: kind, role, first send time, SES message id, delivery;
// - the pointer: pk `SESMSG#<messageId>`, sk `SESMSG`: the request and key, so a bounce finds its mail in one read.
// Neither carries `kind`, `status` or a due date, so no listing or sweep index of the table ever sees them; neither
// holds an address. The pointer expires (TTL) once no event for the mail can still come.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type LoggedMail, type MessageLog, requestOfKey, type SentMessage } from '../core/sent-messages.ts';

export const MESSAGE_PREFIX = 'MSG#';
const POINTER_PREFIX = 'SESMSG#';
/** SES reports complaints up to weeks later; a year is ample. */
const POINTER_DAYS = 365;

const entryKey = (requestId: string, key: string) => ({
  pk: `REQ#${requestId}`,
  sk: `${MESSAGE_PREFIX}${key}`,
});
const pointerKey = (messageId: string) => ({ pk: `${POINTER_PREFIX}${messageId}`, sk: 'SESMSG' });

const isConditionFailure = (e: unknown) => e instanceof Error && e.name === 'ConditionalCheckFailedException';

function logged(item: Record<string, unknown>, requestId: string): LoggedMail {
  return {
    requestId,
    key: String(item.sk).slice(MESSAGE_PREFIX.length),
    kind: item.messageKind as LoggedMail['kind'],
    to: item.to as LoggedMail['to'],
  };
}

export function dynamoMessageLog(doc: DynamoDBDocumentClient, table: string, now: () => Date): MessageLog {
  const entry = async (requestId: string, key: string) =>
    (
      await doc.send(
        new GetCommand({ TableName: table, Key: entryKey(requestId, key), ConsistentRead: true }),
      )
    ).Item;

  return {
    async begin(key, about, at) {
      try {
        await doc.send(
          new PutCommand({
            TableName: table,
            Item: {
              ...entryKey(about.requestId, key),
              messageKind: about.kind,
              to: about.to,
              sentAt: at,
              delivery: 'sent',
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (e) {
        // A mail sent again (at least once) keeps its first entry, and how it fared.
        if (!isConditionFailure(e)) throw e;
      }
    },

    async sent(key, requestId, messageId) {
      await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: entryKey(requestId, key),
          UpdateExpression: 'SET messageId = :m',
          ExpressionAttributeValues: { ':m': messageId },
        }),
      );
      const expiresAt = Math.floor(now().getTime() / 1000) + POINTER_DAYS * 86_400;
      await doc.send(
        new PutCommand({ TableName: table, Item: { ...pointerKey(messageId), requestId, key, expiresAt } }),
      );
    },

    async find(messageId, key) {
      const pointer = (await doc.send(new GetCommand({ TableName: table, Key: pointerKey(messageId) }))).Item;
      const requestId = pointer ? String(pointer.requestId) : key && requestOfKey(key);
      const entryKeyOf = pointer ? String(pointer.key) : key;
      if (!requestId || !entryKeyOf) return undefined;
      const item = await entry(requestId, entryKeyOf);
      return item ? logged(item, requestId) : undefined;
    },

    async mark(mail, delivery) {
      await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: entryKey(mail.requestId, mail.key),
          UpdateExpression: 'SET delivery = :d',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':d': delivery },
        }),
      );
    },

    async list(requestId) {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': `REQ#${requestId}`, ':prefix': MESSAGE_PREFIX },
            ExclusiveStartKey: start,
          }),
        );
        items.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start);
      return items
        .filter((i) => typeof i.messageId === 'string')
        .map(
          (i): SentMessage => ({
            id: String(i.messageId),
            kind: i.messageKind as SentMessage['kind'],
            to: i.to as SentMessage['to'],
            at: String(i.sentAt),
            delivery: i.delivery as SentMessage['delivery'],
          }),
        )
        .sort((a, b) => a.at.localeCompare(b.at));
    },
  };
}

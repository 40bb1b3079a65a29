// Notices to recipients (P13) in the requests table, beside the request they belong to:
// pk `REQ#<requestId>` (or `OPTOUT#<optOutId>` for a one-click opt-out), sk `NOTICE#<recipientId>`.
//
// An unacknowledged notice carries `status: 'sent'` and `receivedAt` (= when it was first sent), which puts it in
// the table's existing `byStatus` index (status, receivedAt): the hourly sweep finds overdue notices with one
// query instead of a scan, without a new index. No request has the status `sent` or `acknowledged`, and notices
// carry no `kind`, so the staff lists (byStatus with a request status, byReceived) never see them.
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { NoticeOwner, NoticeRecord, NoticeStatus, NoticeStore } from '../core/notifications.ts';
import { loadRecipients } from '../core/registers/index.ts';

export const NOTICE_PREFIX = 'NOTICE#';
const OWNER_PREFIX: Record<NoticeOwner['kind'], string> = { request: 'REQ#', optout: 'OPTOUT#' };

const ownerPk = (owner: NoticeOwner) => `${OWNER_PREFIX[owner.kind]}${owner.id}`;
const noticeItemKey = (owner: NoticeOwner, recipientId: string) => ({
  pk: ownerPk(owner),
  sk: `${NOTICE_PREFIX}${recipientId}`,
});

function ownerOf(pk: string): NoticeOwner {
  for (const [kind, prefix] of Object.entries(OWNER_PREFIX) as [NoticeOwner['kind'], string][])
    if (pk.startsWith(prefix)) return { kind, id: pk.slice(prefix.length) };
  throw new Error('Not a notice owner key');
}

function toRecord(item: Record<string, unknown>): NoticeRecord {
  return {
    owner: ownerOf(String(item.pk)),
    recipientId: String(item.recipientId),
    event: item.event as NoticeRecord['event'],
    idempotencyKey: String(item.idempotencyKey),
    status: item.status as NoticeStatus,
    attempts: Number(item.attempts ?? 0),
    firstSentAt: String(item.firstSentAt),
    lastAttemptAt: String(item.lastAttemptAt),
    ...(item.acknowledgedAt ? { acknowledgedAt: String(item.acknowledgedAt) } : {}),
    ...(item.lastError ? { lastError: String(item.lastError) } : {}),
    ...(item.payload ? { payload: item.payload as NoticeRecord['payload'] } : {}),
  };
}

const isConditionFailure = (e: unknown) => e instanceof Error && e.name === 'ConditionalCheckFailedException';

async function queryAll(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  limit = Number.POSITIVE_INFINITY,
) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start && items.length < limit);
  return items.slice(0, limit);
}

/** The notice store over the requests table. */
export function dynamoNoticeStore(doc: DynamoDBDocumentClient, table: string): NoticeStore {
  return {
    async recordAttempt(owner, plan, at) {
      const now = at.toISOString();
      try {
        const out = await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: noticeItemKey(owner, plan.recipientId),
            // Never back from acknowledged; the first body stays, so every re-send is the same notice.
            ConditionExpression: 'attribute_not_exists(pk) OR #s = :sent',
            UpdateExpression: [
              'SET #s = :sent, recipientId = :rid, #e = if_not_exists(#e, :event)',
              'idempotencyKey = :key, firstSentAt = if_not_exists(firstSentAt, :now)',
              'receivedAt = if_not_exists(receivedAt, :now), lastAttemptAt = :now',
              ...(plan.body ? ['payload = if_not_exists(payload, :payload)'] : []),
            ]
              .join(', ')
              .concat(' ADD attempts :one'),
            ExpressionAttributeNames: { '#s': 'status', '#e': 'event' },
            ExpressionAttributeValues: {
              ':sent': 'sent',
              ':rid': plan.recipientId,
              ':event': plan.event,
              ':key': `${owner.id}:${plan.recipientId}`,
              ':now': now,
              ':one': 1,
              ...(plan.body ? { ':payload': plan.body } : {}),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return toRecord(out.Attributes ?? {});
      } catch (e) {
        if (isConditionFailure(e)) return undefined;
        throw e;
      }
    },

    async acknowledge(owner, recipientId, at) {
      await doc.send(
        new UpdateCommand({
          TableName: table,
          Key: noticeItemKey(owner, recipientId),
          ConditionExpression: 'attribute_exists(pk)',
          // Out of the byStatus partition of pending notices, and no personal data left behind.
          UpdateExpression: 'SET #s = :ack, acknowledgedAt = :at REMOVE payload, lastError',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':ack': 'acknowledged', ':at': at.toISOString() },
        }),
      );
    },

    async failed(owner, recipientId, error) {
      try {
        await doc.send(
          new UpdateCommand({
            TableName: table,
            Key: noticeItemKey(owner, recipientId),
            ConditionExpression: '#s = :sent',
            UpdateExpression: 'SET lastError = :error',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':sent': 'sent', ':error': error.slice(0, 60) },
          }),
        );
      } catch (e) {
        // Acknowledged meanwhile (a concurrent re-send got through): nothing to record.
        if (!isConditionFailure(e)) throw e;
      }
    },

    async list(owner) {
      const items = await queryAll(doc, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': ownerPk(owner), ':prefix': NOTICE_PREFIX },
        ConsistentRead: true,
      });
      return items.map(toRecord);
    },

    async unacknowledged(before, limit) {
      const items = await queryAll(
        doc,
        {
          TableName: table,
          IndexName: 'byStatus',
          KeyConditionExpression: '#s = :sent AND receivedAt <= :before',
          FilterExpression: 'begins_with(sk, :prefix)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':sent': 'sent',
            ':before': before.toISOString(),
            ':prefix': NOTICE_PREFIX,
          },
        },
        limit,
      );
      return items.map(toRecord);
    },
  };
}

/** A notice as staff see it: who, what, where it stands; never the body (it holds personal data). */
export type NoticeView = Pick<
  NoticeRecord,
  | 'recipientId'
  | 'event'
  | 'status'
  | 'attempts'
  | 'firstSentAt'
  | 'lastAttemptAt'
  | 'acknowledgedAt'
  | 'lastError'
> & {
  recipient: string;
  kind: 'processor' | 'recipient' | 'unknown';
};

/**
 * The notices of a request for the staff console (GET /admin/requests/{id}): an unanswered one shows as `sent`
 * with its attempts and last error.
 */
export async function listNotices(
  doc: DynamoDBDocumentClient,
  table: string,
  requestId: string,
): Promise<NoticeView[]> {
  const records = await dynamoNoticeStore(doc, table).list({ kind: 'request', id: requestId });
  const register = loadRecipients().recipients;
  return records.map((n) => {
    const recipient = register.find((r) => r.id === n.recipientId);
    return {
      recipientId: n.recipientId,
      recipient: recipient?.name ?? n.recipientId,
      kind: recipient?.kind ?? 'unknown',
      event: n.event,
      status: n.status,
      attempts: n.attempts,
      firstSentAt: n.firstSentAt,
      lastAttemptAt: n.lastAttemptAt,
      ...(n.acknowledgedAt ? { acknowledgedAt: n.acknowledgedAt } : {}),
      ...(n.lastError ? { lastError: n.lastError } : {}),
    };
  });
}

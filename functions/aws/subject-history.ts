// What the pipeline keeps about a subject (P1, P15), behind the SubjectHistoryStore port: the requests filed from
// their address through the requests table's bySubject index (keyed hash, never a scan), and each request's or
// opt-out's audit chain and notices by their own keys.
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { HistoryRequest, SubjectHistoryStore } from '../core/ports.ts';
import { readAuditChain } from './audit-log.ts';
import { dynamoNoticeStore } from './notice-store.ts';

// Only what the report lists: no address, no codes, no changes, and of a staff pick only the customer number.
const PROJECTION = [
  'id',
  '#type',
  '#status',
  'channel',
  'receivedAt',
  'closedAt',
  'subjectRef',
  'newSubjectRef',
  '#identity.customerNumber',
].join(', ');

/** Builds the SubjectHistoryStore over the requests and audit tables. */
export function dynamoSubjectHistory(
  doc: DynamoDBDocumentClient,
  requestsTable: string,
  auditTable: string,
): SubjectHistoryStore {
  const notices = dynamoNoticeStore(doc, requestsTable);
  return {
    async requestsOf(subjectRef) {
      const items: HistoryRequest[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: requestsTable,
            IndexName: 'bySubject',
            KeyConditionExpression: 'subjectRef = :ref',
            ProjectionExpression: PROJECTION,
            ExpressionAttributeNames: { '#type': 'type', '#status': 'status', '#identity': 'identity' },
            ExpressionAttributeValues: { ':ref': subjectRef },
            ExclusiveStartKey: start,
          }),
        );
        items.push(...((out.Items ?? []) as HistoryRequest[]));
        start = out.LastEvaluatedKey;
      } while (start);
      return items;
    },
    chain: (id) => readAuditChain(doc, auditTable, id),
    notices: (owner) => notices.list(owner),
  };
}

// The address index (EMAIL_INDEX) of a system's table, read page by page. The opt-out adapters read it under
// narrow grants, so each says which list entry it wants (`sk`) and which attributes it may read (`only`).
import { type DynamoDBDocumentClient, type NativeAttributeValue, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { EMAIL_INDEX } from '../connectors/records.ts';

export interface AddressQuery {
  /** only the entries with this sort key */
  sk?: string;
  /** a projection: the attributes a grant allows, nothing else */
  only?: string;
}

/** The items the address leads to, one page at a time (a caller may write between pages). */
export async function* addressIndexPages(
  doc: DynamoDBDocumentClient,
  table: string,
  email: string,
  { sk, only }: AddressQuery = {},
): AsyncGenerator<Record<string, NativeAttributeValue>[]> {
  let start: Record<string, NativeAttributeValue> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: EMAIL_INDEX,
        KeyConditionExpression: sk ? 'email = :e AND sk = :sk' : 'email = :e',
        ExpressionAttributeValues: { ':e': email, ...(sk ? { ':sk': sk } : {}) },
        ...(only ? { Select: 'SPECIFIC_ATTRIBUTES', ProjectionExpression: only } : {}),
        ExclusiveStartKey: start,
      }),
    );
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

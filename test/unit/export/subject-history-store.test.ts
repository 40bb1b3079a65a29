// The DynamoDB side of the pipeline's history of a subject (P1): one query of the bySubject index by keyed hash,
// page by page, reading no address; audit chains and notices by their own keys.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { dynamoSubjectHistory } from '../../../functions/aws/subject-history.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(doc);

describe('Adapter: subject history (P1, P15)', () => {
  afterEach(() => dynamo.reset());

  it('finds her requests through the bySubject index by keyed hash, every page, without reading her address (P1)', async () => {
    // Prepare: two pages of the index
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ id: 'r_1', type: 'objection' }], LastEvaluatedKey: { pk: 'REQ#r_1' } })
      .resolvesOnce({ Items: [{ id: 'r_2', type: 'access' }] });

    // Act
    const found = await dynamoSubjectHistory(doc, 'requests', 'audit').requestsOf('s_an');

    // Assess: both pages, from the index, by her keyed hash, projecting no address; never a scan
    expect(found.map((r) => r.id)).toEqual(['r_1', 'r_2']);
    const queries = dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries).toHaveLength(2);
    for (const q of queries) {
      expect(q).toMatchObject({
        TableName: 'requests',
        IndexName: 'bySubject',
        KeyConditionExpression: 'subjectRef = :ref',
        ExpressionAttributeValues: { ':ref': 's_an' },
      });
      expect(q.ProjectionExpression).not.toMatch(/email|changes|verification/);
    }
    expect(queries[1]?.ExclusiveStartKey).toEqual({ pk: 'REQ#r_1' });
    expect(dynamo.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('reads a chain from the audit table and notices from the owner’s partition, by key (P15)', async () => {
    // Prepare
    dynamo.on(QueryCommand).resolves({ Items: [] });
    const store = dynamoSubjectHistory(doc, 'requests', 'audit');

    // Act
    await store.chain('r_1');
    await store.notices({ kind: 'optout', id: 'o_1' });

    // Assess
    const [chain, notices] = dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(chain).toMatchObject({ TableName: 'audit', ExpressionAttributeValues: { ':r': 'r_1' } });
    expect(notices).toMatchObject({
      TableName: 'requests',
      ExpressionAttributeValues: { ':pk': 'OPTOUT#o_1' },
    });
  });
});

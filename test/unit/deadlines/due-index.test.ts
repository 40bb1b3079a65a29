// The sparse due-date index of the requests table (P9): the request store keeps its attributes on watched requests
// only, and the sweep reads open requests through it, page by page, never by a scan.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DUE_INDEX, dynamoOpenRequests } from '../../../functions/aws/due-index.ts';
import { dynamoRequestStore } from '../../../functions/aws/request-store.ts';
import { TABLES } from '../../../functions/tables.ts';
import { requestRecord } from '../../fixtures/requests.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const DUE = '2026-07-15T21:59:59.999Z';

beforeEach(() => {
  dynamo.reset();
  dynamo.on(PutCommand).resolves({});
});

/** The item of the last PutCommand sent. */
const lastPut = () => dynamo.commandCalls(PutCommand).at(-1)?.args[0].input.Item as Record<string, unknown>;

describe('Adapter: due-date index of the requests table (P9)', () => {
  it('is declared in the registry, so the stack and the local runtime both create it', () => {
    // Assess
    expect(TABLES.requests.indexes).toContainEqual({
      name: DUE_INDEX.name,
      partitionKey: DUE_INDEX.partitionKey,
      sortKey: DUE_INDEX.sortKey,
    });
  });

  it.each([
    ['in_progress', undefined, DUE],
    ['awaiting_approval', '2026-09-15T21:59:59.999Z', '2026-09-15T21:59:59.999Z'],
    ['partially_completed', undefined, DUE],
    ['awaiting_verification', undefined, undefined],
    ['completed', undefined, undefined],
  ] as const)(
    'keys a %s request (extended to %s) in the due index on %s, or leaves it out',
    async (status, extendedTo, indexed) => {
      // Prepare
      const store = dynamoRequestStore(doc, 'requests');
      const record = requestRecord({ status, dueAt: DUE });
      if (extendedTo)
        record.extension = { reason: 'complexity', dueAt: extendedTo, at: DUE, by: 'staff:approver' };
      // Act
      await store.create(record);
      // Assess: the index attributes exist only on a watched request, keyed on the due date in force
      expect(lastPut()[DUE_INDEX.sortKey]).toBe(indexed);
      expect(lastPut()[DUE_INDEX.partitionKey]).toBe(indexed ? 'open' : undefined);
    },
  );

  it('drops the request from the index when a change closes it, and hides the attributes from the domain', async () => {
    // Prepare: a stored request in progress, with its index attributes
    const store = dynamoRequestStore(doc, 'requests');
    const stored = {
      ...requestRecord({ status: 'in_progress', dueAt: DUE }),
      openShard: 'open',
      openDueAt: DUE,
    };
    dynamo.on(GetCommand).resolves({ Item: stored });
    // Act: read it, then complete it
    const read = await store.get(stored.id);
    const updated = await store.update(stored.id, (r) => ({ ...r, status: 'completed' }));
    // Assess
    expect(read).not.toHaveProperty('openShard');
    expect(lastPut()).not.toHaveProperty('openShard');
    expect(lastPut()).not.toHaveProperty('openDueAt');
    expect(lastPut().status).toBe('completed');
    expect(updated).not.toHaveProperty('openDueAt');
  });

  it('reads open requests by due date through the index, page by page, and never scans', async () => {
    // Prepare: two pages
    const item = (id: string) => ({
      ...requestRecord({ id, dueAt: DUE }),
      openShard: 'open',
      openDueAt: DUE,
    });
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [item('r_1'), item('r_2')], LastEvaluatedKey: { pk: 'REQ#r_2' } })
      .resolvesOnce({ Items: [item('r_3')] });
    // Act
    const pages: string[][] = [];
    for await (const page of dynamoOpenRequests(doc, 'requests', 2).byDue())
      pages.push(page.map((r) => r.id));
    // Assess
    expect(pages).toEqual([['r_1', 'r_2'], ['r_3']]);
    const queries = dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries.map((q) => [q.IndexName, q.ExpressionAttributeValues?.[':p'], q.Limit])).toEqual([
      ['byDue', 'open', 2],
      ['byDue', 'open', 2],
    ]);
    expect(queries[1]?.ExclusiveStartKey).toEqual({ pk: 'REQ#r_2' });
    expect(dynamo.commandCalls(ScanCommand)).toHaveLength(0);
  });
});

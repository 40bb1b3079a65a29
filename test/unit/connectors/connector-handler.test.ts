import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { dynamoConnectorRequests } from '../../../functions/aws/connector-requests.ts';
import { dynamoOperationLedger } from '../../../functions/aws/operation-ledger.ts';
import { dynamoConnectorStores } from '../../../functions/aws/system-store.ts';
import {
  type ConnectorDeps,
  type ConnectorHandlerOptions,
  createConnectorHandler,
} from '../../../functions/connectors/connector-handler.ts';
import { isTransientAwsError } from '../../../functions/connectors/retryable.ts';
import type { Connector, ExportSink } from '../../../functions/core/connector.ts';
import { ConnectorError } from '../../../functions/core/errors.ts';
import type { Outcome } from '../../../functions/core/schemas.ts';
import { memoryWorkflow } from '../../fixtures/fakes.ts';

// The request is read through the document client; the idempotency records go through Powertools, which
// sends plain DynamoDB commands: both are faked.
const ddb = mockClient(DynamoDBDocumentClient);
const records = mockClient(DynamoDBClient);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const requestId = 'r_UnitTest00000000000001';
const event = { requestId, attempt: 1, system: 'support', operation: 'erase' };
const context = {} as Context;

const exported: Outcome = {
  kind: 'exported',
  purpose: 'access',
  records: 1,
  files: [
    {
      name: 'notes.json',
      format: 'json',
      records: 1,
      bytes: 10,
      sha256: 'a'.repeat(64),
      categories: ['support'],
    },
  ],
  omitted: [],
  redacted: 0,
  masked: 0,
};

const fake = () => ({
  system: 'support' as const,
  locate: vi.fn(async () => ({ found: true, records: 2, categories: ['support'] })),
  erase: vi.fn(async (): Promise<Outcome[]> => [{ kind: 'erased', records: 2, category: 'support' }]),
  export: vi.fn(async (): Promise<Outcome[]> => [exported]),
  rectify: vi.fn(
    async (): Promise<Outcome[]> => [
      { kind: 'rectified', records: 1, category: 'support', fields: ['phone'] },
    ],
  ),
  object: vi.fn(async (): Promise<Outcome[]> => [{ kind: 'skipped', reason: 'not_applicable' }]),
  // The retention sweep's operations: the Lambda never runs them (functions/scheduled/ does).
  activity: vi.fn(async () => ({ kind: 'not_found' as const })),
  subjects: vi.fn(async function* () {}),
  addresses: vi.fn(async function* () {}),
  purge: vi.fn(async () => ({ purged: [], deferred: 0, more: false })),
});

/** The handler over the AWS adapters, on the faked clients; `exportSink` may be replaced. */
const handlerOf = (
  connector: () => Connector,
  exportSink: ConnectorDeps['exportSink'] = () => ({ file: vi.fn() }),
  workflow = memoryWorkflow(),
) => {
  const deps: ConnectorDeps = {
    stores: dynamoConnectorStores(doc, 'system-support'),
    requests: dynamoConnectorRequests(doc, 'requests'),
    ledger: dynamoOperationLedger(new DynamoDBClient({}), 'system-support', { pollMs: 1 }),
    workflow: () => workflow,
    exportSink,
  };
  const options: ConnectorHandlerOptions = { system: 'support', connector, deps: () => deps };
  return createConnectorHandler(options);
};

/** An idempotency record as Powertools keeps it in the system table. */
const recordItem = (status: 'COMPLETED' | 'INPROGRESS', result?: unknown) =>
  marshall(
    {
      pk: `OPS#${requestId}`,
      sk: 'erase#1',
      status,
      expiration: Math.floor(Date.now() / 1000) + 3600,
      in_progress_expiration: Date.now() + 60_000,
      ...(result ? { result } : {}),
    },
    { removeUndefinedValues: true },
  );

const taken = (Item: ReturnType<typeof recordItem>) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item });

/** Nothing recorded: the lock taken for the run is released, and no result is ever written. */
const expectNothingRecorded = () => {
  expect(records.commandCalls(UpdateItemCommand)).toHaveLength(0);
  expect(records.commandCalls(DeleteItemCommand).length).toBe(records.commandCalls(PutItemCommand).length);
};

beforeEach(() => {
  ddb.reset();
  records.reset();
  records.on(PutItemCommand).resolves({});
  records.on(UpdateItemCommand).resolves({});
  records.on(DeleteItemCommand).resolves({});
  process.env.REQUESTS_TABLE = 'requests';
  process.env.SUPPORT_TABLE = 'system-support';
});

const request = { email: 'noor.elamrani@example.be', subjectRef: 's_noor' };

describe('Connector handler', () => {
  it('returns the recorded result of an operation already done, without acting again', async () => {
    // Prepare: the record of this request, operation and attempt is there, completed.
    const connector = fake();
    const recorded = {
      system: 'support',
      operation: 'erase',
      outcomes: [{ kind: 'erased', records: 2, category: 'support' }],
    };
    records.on(PutItemCommand).rejects(taken(recordItem('COMPLETED', recorded)));
    const handler = handlerOf(() => connector);

    // Act: the same delivery again.
    const result = await handler(event, context);

    // Assess: the recorded answer, no action, the request not even read.
    expect(result).toEqual(recorded);
    expect(connector.erase).not.toHaveBeenCalled();
    expect(ddb.commandCalls(GetCommand, { TableName: 'requests' })).toHaveLength(0);
  });

  it('reads the address from the request, acts, and records the result under OPS#<request> <operation>#<attempt>', async () => {
    // Prepare: no record yet; the request holds the address.
    const connector = fake();
    ddb.on(GetCommand, { TableName: 'requests' }).resolves({ Item: request });
    const handler = handlerOf(() => connector);

    // Act
    const result = await handler(event, context);

    // Assess: acted with the request's address; the record is locked only where none exists, then completed.
    expect(connector.erase).toHaveBeenCalledWith(request, expect.objectContaining({ requestId }));
    expect(result).toEqual({
      system: 'support',
      operation: 'erase',
      outcomes: [{ kind: 'erased', records: 2, category: 'support' }],
    });
    const put = records.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(put?.Item).toMatchObject(
      marshall({ pk: `OPS#${requestId}`, sk: 'erase#1', status: 'INPROGRESS' }),
    );
    expect(put?.ConditionExpression).toMatch(/^attribute_not_exists\(#id\)/);
    expect(put?.ExpressionAttributeNames?.['#id']).toBe('pk');
    const update = records.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(update?.Key).toEqual(marshall({ pk: `OPS#${requestId}`, sk: 'erase#1' }));
    expect(update?.ExpressionAttributeNames?.['#response_data']).toBe('result');
    expect(update?.ExpressionAttributeValues?.[':response_data']).toEqual(marshall({ v: result }).v);
    expect(JSON.stringify([put?.Item, update])).not.toContain(request.email);
  });

  it('waits for a delivery in progress and answers its recorded result, acting not at all itself', async () => {
    // Prepare: another delivery holds the lock; at the next look its record is complete.
    const connector = fake();
    const recorded = { system: 'support', operation: 'erase', outcomes: [{ kind: 'not_found' }] };
    records
      .on(PutItemCommand)
      .rejectsOnce(taken(recordItem('INPROGRESS')))
      .rejects(taken(recordItem('COMPLETED', recorded)));
    const handler = handlerOf(() => connector);

    // Act
    const result = await handler(event, context);

    // Assess: the first delivery's answer, without reading the request or acting.
    expect(result).toEqual(recorded);
    expect(records.commandCalls(PutItemCommand)).toHaveLength(2);
    expect(connector.erase).not.toHaveBeenCalled();
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('turns a throttled or unreachable store into a retryable ConnectorError that names no data', async () => {
    // Prepare: the store throttles, with a message that names someone.
    const throttled = Object.assign(new Error('Rate exceeded for noor.elamrani@example.be'), {
      name: 'ProvisionedThroughputExceededException',
      $fault: 'client',
      $metadata: {},
    });
    records.on(PutItemCommand).rejects(throttled);
    ddb.on(GetCommand).rejects(throttled);
    const handler = handlerOf(fake);

    // Act
    const error = await handler(event, context).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).name).toBe('ConnectorError');
    expect((error as ConnectorError).message).not.toContain('noor');
    expect(isTransientAwsError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(
      isTransientAwsError(Object.assign(new Error('x'), { name: 'ValidationException', $fault: 'client' })),
    ).toBe(false);
  });

  it('answers the task it runs for through its token: the result, or a passing fault as ConnectorError (P3)', async () => {
    // Prepare: one delivery whose operation is recorded, one whose store throttles.
    const recorded = { system: 'support', operation: 'erase', outcomes: [{ kind: 'not_found' }] };
    const workflow = memoryWorkflow();
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $fault: 'client',
    });
    records
      .on(PutItemCommand)
      .rejectsOnce(taken(recordItem('COMPLETED', recorded)))
      .rejects(throttled);
    const handler = handlerOf(fake, undefined, workflow);

    // Act
    const done = await handler({ ...event, taskToken: 'token-1' }, context);
    const failed = await handler({ ...event, taskToken: 'token-2' }, context);

    // Assess: each task answered once, the failure by the name its state retries; the invocations succeed.
    expect(workflow.resumed).toEqual([{ token: 'token-1', output: recorded }]);
    expect(workflow.failed).toEqual([{ token: 'token-2', error: 'ConnectorError' }]);
    expect(done).toEqual(recorded);
    expect(failed).toBeNull();
  });

  it('answers a failed, non-retryable outcome for a request that does not exist', async () => {
    // Prepare: no request by that id.
    ddb.on(GetCommand).resolves({});
    const handler = handlerOf(fake);

    // Act
    const result = await handler(event, context);

    // Assess: failed, and nothing recorded, so the request can still run once it exists.
    expect(result.outcomes).toEqual([{ kind: 'failed', retryable: false, reason: 'request_not_found' }]);
    expectNothingRecorded();
  });

  const withRequest = (item: Record<string, unknown>) => {
    ddb.on(GetCommand, { TableName: 'requests' }).resolves({ Item: { ...request, ...item } });
  };

  it('answers the recheck after an erasure with a fresh look, recorded under its own key even for a picked person (P3)', async () => {
    // Prepare: no recheck recorded yet; staff picked the person behind a shared address; the look finds kept records
    const connector = fake();
    const kept = [{ category: 'support', ground: 'open_claim', until: '2031-02-16', records: 1 }];
    connector.locate.mockResolvedValueOnce({
      found: true,
      records: 1,
      categories: ['support'],
      kept,
    } as never);
    withRequest({ identity: { customerNumber: 'C-100457' } });
    const handler = handlerOf(() => connector);

    // Act
    const result = await handler({ ...event, operation: 'recheck' }, context);

    // Assess: the connector located afresh; its kept records reach the workflow; recorded under recheck#1
    expect(connector.locate).toHaveBeenCalledTimes(1);
    expect(result).toEqual({
      system: 'support',
      operation: 'recheck',
      located: { found: true, records: 1, categories: ['support'], kept },
      outcomes: [],
    });
    const put = records.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(put?.Item).toMatchObject(marshall({ pk: `OPS#${requestId}`, sk: 'recheck#1' }));
    expect(records.commandCalls(UpdateItemCommand)).toHaveLength(1);
  });

  it('hands the connector the changes read from the request, parsed, for a rectification (P2)', async () => {
    // Prepare: a rectification request with a new number and address, written loosely.
    const connector = fake();
    withRequest({
      changes: { phone: '+32 470 99 88 77', email: 'Noor.New@Example.be' },
      newSubjectRef: 's_new',
    });
    const handler = handlerOf(() => connector);

    // Act
    const result = await handler({ ...event, operation: 'rectify' }, context);

    // Assess: normalised changes reach the connector; the request's fields are read by name.
    expect(connector.rectify).toHaveBeenCalledWith(request, expect.objectContaining({ requestId }), {
      changes: { phone: '+32470998877', email: 'noor.new@example.be' },
      newSubjectRef: 's_new',
    });
    expect(result.outcomes).toEqual([
      { kind: 'rectified', records: 1, category: 'support', fields: ['phone'] },
    ]);
    const names = ddb.commandCalls(GetCommand, { TableName: 'requests' })[0]?.args[0].input
      .ExpressionAttributeNames;
    expect(Object.values(names ?? {})).toEqual(
      expect.arrayContaining(['changes', 'scope', 'exportPurpose', 'type']),
    );
  });

  it.each([
    ['rectify', {}, 'changes_missing'],
    ['rectify', { changes: { nickname: 'x' } }, 'invalid_changes'],
    ['rectify', { changes: { phone: 'call me' } }, 'invalid_changes'],
    ['rectify', { changes: {} }, 'invalid_changes'],
    ['object', {}, 'scope_missing'],
    ['object', { scope: ['everything'] }, 'invalid_scope'],
    ['export', { exportPurpose: 'gossip' }, 'invalid_export_purpose'],
  ])(
    'does nothing and records nothing when a %s request carries %j (%s)',
    async (operation, item, reason) => {
      // Prepare: a request whose inputs for this operation are missing or wrong.
      const connector = fake();
      withRequest(item);
      const handler = handlerOf(() => connector);

      // Act
      const result = await handler({ ...event, operation }, context);

      // Assess: refused, nothing done, nothing recorded.
      expect(result.outcomes).toEqual([{ kind: 'failed', retryable: false, reason }]);
      expect(connector.rectify).not.toHaveBeenCalled();
      expect(connector.object).not.toHaveBeenCalled();
      expect(connector.export).not.toHaveBeenCalled();
      expectNothingRecorded();
    },
  );

  it('normalises an objection scope given as one string or a list (P6)', async () => {
    // Prepare: the scope as one string.
    const connector = fake();
    withRequest({ scope: 'direct_marketing' });
    const handler = handlerOf(() => connector);

    // Act
    await handler({ ...event, operation: 'object' }, context);

    // Assess: the connector gets a list.
    expect(connector.object).toHaveBeenCalledWith(request, expect.anything(), {
      scope: ['direct_marketing'],
    });
  });

  it.each([
    [{ type: 'portability' }, 'portability'],
    [{ type: 'access' }, 'access'],
    [{ type: 'access', exportPurpose: 'portability' }, 'portability'],
  ])('exports for %j as %s, into exports/<request>/<attempt>/<system>/ (P1, P7)', async (item, purpose) => {
    // Prepare: a request of this type, and a sink that notes the prefix it is opened for.
    const connector = fake();
    withRequest(item);
    const sink: ExportSink = { file: vi.fn() };
    const prefixes: string[] = [];
    const handler = handlerOf(
      () => connector,
      (prefix) => {
        prefixes.push(prefix);
        return sink;
      },
    );

    // Act
    const result = await handler({ ...event, attempt: 3, operation: 'export' }, context);

    // Assess
    expect(connector.export).toHaveBeenCalledWith(request, expect.anything(), { purpose, sink });
    expect(prefixes).toEqual([`exports/${requestId}/3/support/`]);
    expect(result.outcomes).toEqual([exported]);
  });

  it('refuses to record an outcome outside the Outcome union', async () => {
    // Prepare: a connector that answers a kind the contract does not know.
    const connector = fake();
    connector.object.mockResolvedValueOnce([{ kind: 'objected' } as unknown as Outcome]);
    withRequest({ scope: ['profiling'] });
    const handler = handlerOf(() => connector);

    // Act
    const answer = handler({ ...event, operation: 'object' }, context);

    // Assess
    await expect(answer).rejects.toThrow();
    expectNothingRecorded();
  });

  it('rejects a payload that is not a connector event', async () => {
    // Prepare
    const handler = handlerOf(fake);

    // Act
    const missingAttempt = handler({ requestId, system: 'support', operation: 'erase' }, context);
    const badId = handler({ ...event, email: 'x@example.be', requestId: 'nope' }, context);

    // Assess: refused before any call to a store.
    await expect(missingAttempt).rejects.toThrow();
    await expect(badId).rejects.toThrow();
    expect(ddb.calls()).toHaveLength(0);
    expect(records.calls()).toHaveLength(0);
  });
});

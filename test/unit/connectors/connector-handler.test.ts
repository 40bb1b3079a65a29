import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createConnectorHandler,
  isTransientAwsError,
} from '../../../functions/connectors/connector-handler.ts';
import type { ExportSink } from '../../../functions/core/connector.ts';
import { ConnectorError } from '../../../functions/core/errors.ts';
import type { Outcome } from '../../../functions/core/schemas.ts';

const ddb = mockClient(DynamoDBDocumentClient);
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
});

beforeEach(() => {
  ddb.reset();
  process.env.REQUESTS_TABLE = 'requests';
  process.env.SUPPORT_TABLE = 'system-support';
});

const request = { email: 'noor.elamrani@example.be', subjectRef: 's_noor' };

describe('Connector handler', () => {
  it('returns the recorded result of an operation already done, without acting again', async () => {
    const connector = fake();
    const recorded = {
      system: 'support',
      operation: 'erase',
      outcomes: [{ kind: 'erased', records: 2, category: 'support' }],
    };
    ddb.on(GetCommand, { TableName: 'system-support' }).resolves({ Item: { result: recorded } });
    const handler = createConnectorHandler({ system: 'support', doc, connector: () => connector });

    const result = await handler(event, context);

    expect(result).toEqual(recorded);
    expect(connector.erase).not.toHaveBeenCalled();
    expect(ddb.commandCalls(GetCommand, { TableName: 'requests' })).toHaveLength(0);
  });

  it('reads the address from the request, acts, and records the result under OPS#<request> <operation>#<attempt>', async () => {
    const connector = fake();
    ddb.on(GetCommand, { TableName: 'system-support' }).resolves({});
    ddb.on(GetCommand, { TableName: 'requests' }).resolves({ Item: request });
    ddb.on(PutCommand).resolves({});
    const handler = createConnectorHandler({ system: 'support', doc, connector: () => connector });

    const result = await handler(event, context);

    expect(connector.erase).toHaveBeenCalledWith(request, expect.objectContaining({ requestId }));
    expect(result).toEqual({
      system: 'support',
      operation: 'erase',
      outcomes: [{ kind: 'erased', records: 2, category: 'support' }],
    });
    const put = ddb.commandCalls(PutCommand)[0]?.args[0].input;
    expect(put?.Item).toMatchObject({ pk: `OPS#${requestId}`, sk: 'erase#1', result });
    expect(put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(JSON.stringify(put?.Item)).not.toContain(request.email);
  });

  it('turns a throttled or unreachable store into a retryable ConnectorError that names no data', async () => {
    const throttled = Object.assign(new Error('Rate exceeded for noor.elamrani@example.be'), {
      name: 'ProvisionedThroughputExceededException',
      $fault: 'client',
      $metadata: {},
    });
    ddb.on(GetCommand).rejects(throttled);
    const handler = createConnectorHandler({ system: 'support', doc, connector: fake });

    const error = await handler(event, context).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).name).toBe('ConnectorError');
    expect((error as ConnectorError).message).not.toContain('noor');
    expect(isTransientAwsError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(
      isTransientAwsError(Object.assign(new Error('x'), { name: 'ValidationException', $fault: 'client' })),
    ).toBe(false);
  });

  it('answers a failed, non-retryable outcome for a request that does not exist', async () => {
    ddb.on(GetCommand).resolves({});
    const handler = createConnectorHandler({ system: 'support', doc, connector: fake });

    const result = await handler(event, context);

    expect(result.outcomes).toEqual([{ kind: 'failed', retryable: false, reason: 'request_not_found' }]);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  const withRequest = (item: Record<string, unknown>) => {
    ddb.on(GetCommand, { TableName: 'system-support' }).resolves({});
    ddb.on(GetCommand, { TableName: 'requests' }).resolves({ Item: { ...request, ...item } });
    ddb.on(PutCommand).resolves({});
  };

  it('hands the connector the changes read from the request, parsed, for a rectification (P2)', async () => {
    const connector = fake();
    withRequest({
      changes: { phone: '+32 470 99 88 77', email: 'Noor.New@Example.be' },
      newSubjectRef: 's_new',
    });
    const handler = createConnectorHandler({ system: 'support', doc, connector: () => connector });

    const result = await handler({ ...event, operation: 'rectify' }, context);

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
      const connector = fake();
      withRequest(item);
      const handler = createConnectorHandler({ system: 'support', doc, connector: () => connector });

      const result = await handler({ ...event, operation }, context);

      expect(result.outcomes).toEqual([{ kind: 'failed', retryable: false, reason }]);
      expect(connector.rectify).not.toHaveBeenCalled();
      expect(connector.object).not.toHaveBeenCalled();
      expect(connector.export).not.toHaveBeenCalled();
      expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    },
  );

  it('normalises an objection scope given as one string or a list (P6)', async () => {
    const connector = fake();
    withRequest({ scope: 'direct_marketing' });
    const handler = createConnectorHandler({ system: 'support', doc, connector: () => connector });

    await handler({ ...event, operation: 'object' }, context);

    expect(connector.object).toHaveBeenCalledWith(request, expect.anything(), {
      scope: ['direct_marketing'],
    });
  });

  it.each([
    [{ type: 'portability' }, 'portability'],
    [{ type: 'access' }, 'access'],
    [{ type: 'access', exportPurpose: 'portability' }, 'portability'],
  ])('exports for %j as %s, into exports/<request>/<attempt>/<system>/ (P1, P7)', async (item, purpose) => {
    const connector = fake();
    withRequest(item);
    const sink: ExportSink = { file: vi.fn() };
    const prefixes: string[] = [];
    const handler = createConnectorHandler({
      system: 'support',
      doc,
      connector: () => connector,
      exportSink: (prefix) => {
        prefixes.push(prefix);
        return sink;
      },
    });

    const result = await handler({ ...event, attempt: 3, operation: 'export' }, context);

    expect(connector.export).toHaveBeenCalledWith(request, expect.anything(), { purpose, sink });
    expect(prefixes).toEqual([`exports/${requestId}/3/support/`]);
    expect(result.outcomes).toEqual([exported]);
  });

  it('refuses to record an outcome outside the Outcome union', async () => {
    const connector = fake();
    connector.object.mockResolvedValueOnce([{ kind: 'objected' } as unknown as Outcome]);
    withRequest({ scope: ['profiling'] });
    const handler = createConnectorHandler({ system: 'support', doc, connector: () => connector });

    await expect(handler({ ...event, operation: 'object' }, context)).rejects.toThrow();
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('rejects a payload that is not a connector event', async () => {
    const handler = createConnectorHandler({ system: 'support', doc, connector: fake });

    await expect(handler({ requestId, system: 'support', operation: 'erase' }, context)).rejects.toThrow();
    await expect(handler({ ...event, email: 'x@example.be', requestId: 'nope' }, context)).rejects.toThrow();
    expect(ddb.calls()).toHaveLength(0);
  });
});

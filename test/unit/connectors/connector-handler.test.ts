import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createConnectorHandler,
  isTransientAwsError,
} from '../../../functions/connectors/connector-handler.ts';
import type { StoreConnector } from '../../../functions/connectors/store.ts';
import { ConnectorError } from '../../../functions/core/errors.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const requestId = 'r_UnitTest00000000000001';
const event = { requestId, attempt: 1, system: 'support', operation: 'erase' };
const context = {} as Context;

const fake = (): StoreConnector => ({
  system: 'support',
  locate: vi.fn(async () => ({ found: true, records: 2, categories: ['support'] })),
  erase: vi.fn(async () => [{ kind: 'erased' as const, records: 2, category: 'support' }]),
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

  it('says an operation is not supported yet instead of pretending it ran', async () => {
    ddb.on(GetCommand, { TableName: 'system-support' }).resolves({});
    ddb.on(GetCommand, { TableName: 'requests' }).resolves({ Item: request });
    ddb.on(PutCommand).resolves({});
    const handler = createConnectorHandler({ system: 'support', doc, connector: fake });

    const result = await handler({ ...event, operation: 'rectify' }, context);

    expect(result.outcomes).toEqual([{ kind: 'skipped', reason: 'operation_not_supported' }]);
  });

  it('rejects a payload that is not a connector event', async () => {
    const handler = createConnectorHandler({ system: 'support', doc, connector: fake });

    await expect(handler({ requestId, system: 'support', operation: 'erase' }, context)).rejects.toThrow();
    await expect(handler({ ...event, email: 'x@example.be', requestId: 'nope' }, context)).rejects.toThrow();
    expect(ddb.calls()).toHaveLength(0);
  });
});

// Throttled and failing AWS services (issue 10, P3): the real SDK clients and adapters, over a request handler that
// answers ThrottlingException / ProvisionedThroughputExceededException, TooManyRequestsException or a 5xx a few
// times before it serves the call. The SDK's retries absorb them: nothing is lost, nothing is done twice.
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamoAuditLog, readAuditChain } from '../../../functions/aws/audit-log.ts';
import { dynamoRequestStore } from '../../../functions/aws/request-store.ts';
import { sesMailer } from '../../../functions/aws/ses-mailer.ts';
import { dynamoSystemStore } from '../../../functions/aws/system-store.ts';
import { verifyChain } from '../../../functions/core/audit.ts';
import { requestRecord } from '../../fixtures/requests.ts';

type Av = Record<string, unknown>;
type Item = Record<string, Av>;
interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}
interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** A request handler as the SDK takes it (`requestHandler`): each call answered by `serve`. */
function handler(serve: (req: WireRequest) => Answer) {
  return {
    async handle(req: WireRequest) {
      const { status, headers = {}, body } = serve(req);
      const response = {
        statusCode: status,
        headers: { 'content-type': 'application/json', ...headers },
        body: Readable.from([Buffer.from(body)]),
      };
      return { response };
    },
  };
}

/** Fails the first `n` calls of each kind `kindOf` tells apart with `fault`, then lets `serve` answer. */
function flaky(
  n: number,
  fault: Answer,
  kindOf: (req: WireRequest) => string,
  serve: (req: WireRequest) => Answer,
) {
  const failed = new Map<string, number>();
  let faults = 0;
  return {
    get faults() {
      return faults;
    },
    serve(req: WireRequest): Answer {
      const kind = kindOf(req);
      const done = failed.get(kind) ?? 0;
      if (done < n) {
        failed.set(kind, done + 1);
        faults += 1;
        return fault;
      }
      return serve(req);
    },
  };
}

/**
 * DynamoDB in memory, as much as the adapters use: GetItem, PutItem, DeleteItem and Query on the partition key, with
 * the conditions they send (attribute_not_exists, attribute_exists, version = :v). Every served write is counted.
 */
function memoryDynamo(keys: Record<string, [string, string]>) {
  const tables = new Map<string, Map<string, Item>>();
  const writes: { op: string; table: string }[] = [];
  const table = (name: string) => tables.get(name) ?? tables.set(name, new Map()).get(name)!;
  const keyOf = (name: string, item: Item) =>
    JSON.stringify((keys[name] ?? ['pk', 'sk']).map((k) => item[k]));
  const value = (av: Av | undefined) => (av ? (Object.values(av)[0] as string) : undefined);
  const conditionFails = (cond: string | undefined, current: Item | undefined, values: Item = {}) => {
    if (!cond) return false;
    if (cond.startsWith('attribute_not_exists')) return current !== undefined;
    if (cond.startsWith('attribute_exists')) return current === undefined;
    const m = /^(\w+) = (:\w+)$/.exec(cond);
    return m ? value(current?.[m[1] as string]) !== value(values[m[2] as string]) : false;
  };
  const failed = {
    status: 400,
    body: JSON.stringify({
      __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
      message: 'The conditional request failed',
    }),
  };
  const ok = (body: object): Answer => ({ status: 200, body: JSON.stringify(body) });
  return {
    tables,
    writes,
    serve(req: WireRequest): Answer {
      const op = String(req.headers['x-amz-target']).split('.').pop();
      const input = JSON.parse(req.body ?? '{}');
      const t = table(input.TableName);
      switch (op) {
        case 'GetItem':
          return ok(
            t.has(keyOf(input.TableName, input.Key))
              ? { Item: t.get(keyOf(input.TableName, input.Key)) }
              : {},
          );
        case 'PutItem': {
          const k = keyOf(input.TableName, input.Item);
          if (conditionFails(input.ConditionExpression, t.get(k), input.ExpressionAttributeValues))
            return failed;
          t.set(k, input.Item);
          writes.push({ op, table: input.TableName });
          return ok({});
        }
        case 'DeleteItem': {
          const k = keyOf(input.TableName, input.Key);
          if (conditionFails(input.ConditionExpression, t.get(k), input.ExpressionAttributeValues))
            return failed;
          t.delete(k);
          writes.push({ op, table: input.TableName });
          return ok({});
        }
        case 'Query': {
          const [hash, range] = keys[input.TableName] ?? ['pk', 'sk'];
          const wanted = value(Object.values(input.ExpressionAttributeValues as Item)[0]);
          let items = [...t.values()]
            .filter((i) => value(i[hash]) === wanted)
            .sort((a, b) => String(value(a[range])).localeCompare(String(value(b[range]))));
          if (input.ScanIndexForward === false) items.reverse();
          if (input.Limit) items = items.slice(0, input.Limit);
          return ok({ Items: items, Count: items.length });
        }
        default:
          throw new Error(`memoryDynamo: ${op} is not served`);
      }
    },
  };
}

const THROTTLED: Answer = {
  status: 400,
  body: JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
    message: 'Rate exceeded',
  }),
};
const THROUGHPUT: Answer = {
  status: 400,
  body: JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded',
  }),
};
const opOf = (req: WireRequest) => String(req.headers['x-amz-target']);

function throttledDynamo(fault: Answer, times: number) {
  const db = memoryDynamo({ Requests: ['pk', 'sk'], Audit: ['requestId', 'seq'], Billing: ['pk', 'sk'] });
  const flake = flaky(times, fault, opOf, (req) => db.serve(req));
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    credentials,
    endpoint: 'http://dynamodb.test',
    requestHandler: handler((req) => flake.serve(req)),
  });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { db, flake, doc };
}

describe('DynamoDB throttling (P3)', () => {
  it('retries a throttled request store update and keeps the change, once (P3)', async () => {
    // Prepare: a stored request; every operation throttled twice (ThrottlingException) before it is served
    const { db, flake, doc } = throttledDynamo(THROTTLED, 2);
    const store = dynamoRequestStore(doc, 'Requests');
    const record = requestRecord({ version: 1 });
    await store.create(record);
    // Act: one update of its status
    const updated = await store.update(record.id, (r) => ({ ...r, status: 'completed' }));
    // Assess: the change is stored, written once by the update (and once by the create), after the faults
    const stored = await store.get(record.id);
    process.stdout.write(
      `[faults] dynamo throttling: ${flake.faults} ThrottlingException answered, retried\n`,
    );
    expect(flake.faults).toBe(4);
    expect(updated?.status).toBe('completed');
    expect(stored?.status).toBe('completed');
    expect(stored?.version).toBe(2);
    expect(db.writes.filter((w) => w.table === 'Requests')).toHaveLength(2);
  });

  it('retries throttled audit appends: the chain holds every entry once and verifies (P3, Art. 5(2))', async () => {
    // Prepare: the audit table answers ProvisionedThroughputExceededException twice per operation
    const { flake, doc } = throttledDynamo(THROUGHPUT, 2);
    const audit = dynamoAuditLog(doc, 'Audit');
    const id = 'r_0000000000000000000001';
    // Act: three appends in turn
    for (const action of ['workflow.started', 'systems.located', 'request.closed'])
      await audit.append(id, { actor: 'system', action, details: {} });
    // Assess: three entries, in order, chained
    const chain = await readAuditChain(doc, 'Audit', id);
    expect(flake.faults).toBe(4);
    expect(chain.map((e) => e.action)).toEqual(['workflow.started', 'systems.located', 'request.closed']);
    expect(verifyChain(chain).intact).toBe(true);
  });

  it('retries throttled deletes of an erasure: every record gone, each counted once (P3, Art. 17)', async () => {
    // Prepare: three records of a subject in a system's table; DeleteItem throttled twice
    const { db, flake, doc } = throttledDynamo(THROUGHPUT, 2);
    const system = dynamoSystemStore(doc, 'Billing');
    const keys = ['CONTACT', 'INVOICE#1', 'INVOICE#2'].map((sk) => ({ pk: 'CUST#1', sk }));
    const table = new Map<string, Item>();
    db.tables.set('Billing', table);
    for (const k of keys)
      table.set(JSON.stringify([{ S: k.pk }, { S: k.sk }]), { pk: { S: k.pk }, sk: { S: k.sk } });
    // Act: the erasure's delete of all three
    const deleted = await system.deleteAll(keys);
    // Assess: all three removed and counted, the table empty
    expect(flake.faults).toBe(2);
    expect(deleted.map((k) => k.sk).sort()).toEqual(['CONTACT', 'INVOICE#1', 'INVOICE#2']);
    expect(table.size).toBe(0);
  });
});

describe('SES throttling and outages (P3, Art. 12(3))', () => {
  function throttledSes(fault: Answer, times: number) {
    const sent: string[] = [];
    const flake = flaky(
      times,
      fault,
      () => 'send',
      (req) => {
        const body = JSON.parse(req.body ?? '{}');
        sent.push(String(body.Content?.Simple?.Headers?.[0]?.Value));
        return { status: 200, body: JSON.stringify({ MessageId: `m-${sent.length}` }) };
      },
    );
    const ses = new SESv2Client({
      region: 'eu-west-1',
      credentials,
      endpoint: 'http://ses.test',
      requestHandler: handler((req) => flake.serve(req)),
    });
    return { sent, flake, mailer: sesMailer(ses, 'privacy@jsm.example') };
  }
  const mail = {
    to: 'subject@example.test',
    subject: 'Uw verzoek',
    text: 'Klaar',
    html: '<p>Klaar</p>',
    idempotencyKey: 'r_1:told:1',
    about: 'staff' as const,
  };

  it.each([
    [
      'TooManyRequestsException (429)',
      {
        status: 429,
        headers: { 'x-amzn-errortype': 'TooManyRequestsException' },
        body: '{"message":"Maximum sending rate exceeded."}',
      },
    ],
    ['a 503', { status: 503, body: '{"message":"Service unavailable"}' }],
    [
      'a 500',
      {
        status: 500,
        headers: { 'x-amzn-errortype': 'InternalFailure' },
        body: '{"message":"Internal failure"}',
      },
    ],
  ])('retries a send answered with %s and sends it once (P3)', async (_name, fault) => {
    // Prepare: SES answers the fault twice, then accepts
    const { sent, flake, mailer } = throttledSes(fault as Answer, 2);
    // Act: one outcome mail
    const messageId = await mailer.send(mail);
    // Assess: sent once, with its idempotency key, after two faults
    process.stdout.write(`[faults] ses: ${flake.faults} × ${_name} answered, retried\n`);
    expect(flake.faults).toBe(2);
    expect(messageId).toBe('m-1');
    expect(sent).toEqual(['r_1:told:1']);
  });

  it('surfaces SES throttling that outlasts the retries, so the workflow retries the step (P3)', async () => {
    // Prepare: SES throttles every call
    const { sent, mailer } = throttledSes(
      {
        status: 429,
        headers: { 'x-amzn-errortype': 'TooManyRequestsException' },
        body: '{"message":"slow down"}',
      },
      100,
    );
    // Act + Assess: the send fails with the error's name, nothing was accepted
    await expect(mailer.send(mail)).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    expect(sent).toEqual([]);
  });
});

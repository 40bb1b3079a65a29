// The connector ledger's lease (functions/aws/operation-ledger.ts, issue 10, P3): a run holds its operation's key
// for a short lease it renews while it acts. A lapsed lease (its holder crashed) is taken over by the next
// delivery; a run whose lease was taken over neither renews, records nor frees what is now the other's; and a
// finished operation is never run again. DynamoDB is an in-memory table behind aws-sdk-client-mock that keeps
// Powertools' conditions and the ledger's fence.
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dynamoOperationLedger } from '../../../functions/aws/operation-ledger.ts';
import { ConnectorError } from '../../../functions/core/errors.ts';

type Item = Record<string, AttributeValue>;
interface Input {
  Key: Item;
  Item: Item;
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}

const TABLE = 'system-billing';
const key = {
  requestId: 'r_LeaseTest0000000000001',
  system: 'billing' as const,
  operation: 'erase' as const,
  attempt: 1,
};
const PK = { pk: `OPS#${key.requestId}`, sk: 'erase#1' };
const ERASED = { system: 'billing', outcomes: [{ kind: 'erased', records: 3, category: 'invoices' }] };
const ddb = mockClient(DynamoDBClient);
let items: Map<string, Item>;
const idOf = (k: Item) => `${k.pk?.S}|${k.sk?.S}`;
const stored = () => {
  const item = items.get(`${PK.pk}|${PK.sk}`);
  return item ? unmarshall(item) : undefined;
};
/** Another delivery's record, as its own put would leave it: in progress, its lease until `lease`. */
const holdBy = (lease: number) =>
  items.set(
    `${PK.pk}|${PK.sk}`,
    marshall({
      ...PK,
      status: 'INPROGRESS',
      expiration: Date.now() / 1000 + 3600,
      in_progress_expiration: lease,
    }),
  );

/** The condition a call carries, evaluated as DynamoDB would for the shapes Powertools and the ledger send. */
function holds(input: Input, item: Item | undefined): boolean {
  const c = input.ConditionExpression;
  if (!c) return true;
  const v = input.ExpressionAttributeValues ?? {};
  const now = Date.now();
  if (c.includes('attribute_not_exists')) {
    // Powertools' put: a new key, an expired record, or an in-progress one whose lease lapsed
    if (!item) return true;
    const r = unmarshall(item);
    return r.expiration < now / 1000 || (r.status === 'INPROGRESS' && r.in_progress_expiration < now);
  }
  // the ledger's fence: still in progress, and still under this run's lease
  const r = item ? unmarshall(item) : {};
  return r.status === 'INPROGRESS' && String(r.in_progress_expiration) === v[':mine']?.N;
}

function refuse(item: Item | undefined): never {
  throw new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    Item: item,
  });
}

beforeEach(() => {
  items = new Map();
  ddb.reset();
  ddb.on(PutItemCommand).callsFake((input: Input) => {
    const existing = items.get(idOf(input.Item));
    if (!holds(input, existing)) refuse(existing);
    items.set(idOf(input.Item), { ...input.Item });
    return {};
  });
  ddb.on(UpdateItemCommand).callsFake((input: Input) => {
    const existing = items.get(idOf(input.Key));
    if (!holds(input, existing)) refuse(existing);
    const item = { ...(existing ?? input.Key) };
    for (const assignment of input.UpdateExpression.replace(/^SET\s+/, '').split(',')) {
      const [name = '', value = ''] = assignment.split('=').map((s) => s.trim());
      const attribute = input.ExpressionAttributeNames?.[name] ?? name;
      const av = input.ExpressionAttributeValues?.[value];
      if (av) item[attribute] = av;
    }
    items.set(idOf(input.Key), item);
    return {};
  });
  ddb.on(GetItemCommand).callsFake((input: Input) => ({ Item: items.get(idOf(input.Key)) }));
  ddb.on(DeleteItemCommand).callsFake((input: Input) => {
    const existing = items.get(idOf(input.Key));
    if (!holds(input, existing)) refuse(existing);
    items.delete(idOf(input.Key));
    return {};
  });
});

afterEach(() => {
  vi.useRealTimers();
});

const ledger = (leaseMs = 30_000) =>
  dynamoOperationLedger(new DynamoDBClient({}), TABLE, { pollMs: 1, leaseMs });

describe('The connector ledger lease', () => {
  it('lets the next delivery take over an operation whose holder crashed and let its lease lapse (P3, Art. 17(1))', async () => {
    // Prepare: a run that crashed mid-operation left its record in progress, its lease lapsed a moment ago
    holdBy(Date.now() - 1);
    const act = vi.fn(async () => ({ record: true as const, result: ERASED }));

    // Act
    const answer = await ledger().once(key, 60_000, act);

    // Assess: this delivery acted, once, and its outcome is the record
    expect(act).toHaveBeenCalledTimes(1);
    expect(answer).toEqual(ERASED);
    expect(stored()).toMatchObject({ status: 'COMPLETED', result: ERASED });
  });

  it('does not act while another holder’s lease is live (P3)', async () => {
    // Prepare: another delivery holds the key for another minute
    holdBy(Date.now() + 60_000);
    const act = vi.fn(async () => ({ record: true as const, result: ERASED }));

    // Act: this delivery has only a little time of its own, less than the wait margin
    const attempt = ledger().once(key, 5_000, act);

    // Assess: it gives up busy, without acting
    await expect(attempt).rejects.toMatchObject({ name: 'IdempotencyAlreadyInProgressError' });
    expect(act).not.toHaveBeenCalled();
  });

  it('stops a holder whose lease was taken over from renewing or recording its outcome (P3)', async () => {
    // Prepare: while the first run acts, its lease lapses and a second delivery takes the key over
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const leaseMs = 30_000;
    const theirs = Date.now() + 10 * leaseMs;
    const act = vi.fn(async () => {
      holdBy(theirs);
      await vi.advanceTimersByTimeAsync(leaseMs);
      return { record: true as const, result: ERASED };
    });

    // Act
    const attempt = ledger(leaseMs).once(key, 60_000, act);

    // Assess: the first run's answer is refused as a retryable connector error; the record is still the second's,
    // its lease not extended by the first run's renewals, no outcome recorded over it, and not deleted
    await expect(attempt).rejects.toBeInstanceOf(ConnectorError);
    await expect(attempt).rejects.toMatchObject({ retryable: true });
    expect(stored()).toEqual({
      ...PK,
      status: 'INPROGRESS',
      expiration: expect.any(Number),
      in_progress_expiration: theirs,
    });
  });

  it('never frees the key of the holder that took it over when its own act fails (P3)', async () => {
    // Prepare: the first run's lease is taken over, then its act fails
    const theirs = Date.now() + 300_000;
    const act = vi.fn(async () => {
      holdBy(theirs);
      throw new ConnectorError('billing is unavailable');
    });

    // Act
    const attempt = ledger().once(key, 60_000, act);

    // Assess: the failure is the first run's own; the second run's record stays
    await expect(attempt).rejects.toThrow('billing is unavailable');
    expect(stored()).toMatchObject({ status: 'INPROGRESS', in_progress_expiration: theirs });
  });

  it('answers a finished operation from its record and never runs it again (P3, Art. 17(1))', async () => {
    // Prepare: the operation ran and was recorded
    const first = vi.fn(async () => ({ record: true as const, result: ERASED }));
    await ledger().once(key, 60_000, first);
    const again = vi.fn(async () => ({ record: true as const, result: { system: 'billing', outcomes: [] } }));

    // Act: two later deliveries of the same key, one of them long after any lease would have lapsed
    const second = await ledger().once(key, 60_000, again);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3_600_000 });
    const third = await ledger().once(key, 60_000, again);

    // Assess
    expect(first).toHaveBeenCalledTimes(1);
    expect(again).not.toHaveBeenCalled();
    expect(second).toEqual(ERASED);
    expect(third).toEqual(ERASED);
  });
});

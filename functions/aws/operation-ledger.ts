// Connector idempotency (DESIGN: Connector contract) with Powertools Idempotency: one record per request,
// operation and attempt in the system's own table, at `pk = OPS#<requestId>`, `sk = <operation>#<attempt>`,
// holding the ConnectorResult (counts, kinds, grounds, hashes; no personal data). The record is put IN_PROGRESS
// under a condition before the operation acts, so of two deliveries at the same moment only one acts; the other
// waits for the first's record and answers the same result.

import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { opsKey } from '../connectors/records.ts';
import { ConnectorError } from '../core/errors.ts';
import type { LedgerAnswer, OperationKey, OperationLedger } from '../core/ports.ts';

// Outlives any execution (Standard: at most a year), so a restarted execution still finds its records.
const KEEP_SECONDS = 400 * 24 * 3600;
// What a waiting delivery leaves itself to answer the workflow before its own time runs out.
const WAIT_MARGIN_MS = 10_000;
const SEPARATOR = '\u0000';
// A run holds its key for a short lease it renews while it acts: a run that died (a crash, a SIGKILL, a Lambda
// killed mid-operation) frees its key within one lease, not after the Lambda's whole timeout.
const LEASE_MS = 30_000;
// Powertools' attribute names on the run's record.
const STATUS = 'status';
const LEASE = 'in_progress_expiration';
const RUNNING = 'INPROGRESS';

/**
 * Powertools' DynamoDB layer over a system table: readable keys (the ids are validated, so no hash is needed)
 * that put each request's records in their own partition, as the connectors' own records are.
 * One per run: the lease's expiry this run last wrote is its fence. A run whose lease lapsed and was taken over
 * (the other run's put wrote another expiry) no longer renews, records or deletes what is now the other's.
 */
class SystemTableLayer extends DynamoDBPersistenceLayer {
  /** the lease this run holds (its in_progress_expiration), once its put succeeded */
  lease: number | undefined;
  /** set once this run saw that another run holds its key */
  lost = false;

  constructor(
    private readonly db: DynamoDBClient,
    private readonly table: string,
  ) {
    super({ tableName: table, awsSdkV3Client: db, keyAttr: 'pk', sortKeyAttr: 'sk', dataAttr: 'result' });
  }

  protected override async _putRecord(record: IdempotencyRecord): Promise<void> {
    await super._putRecord(record);
    this.lease = record.inProgressExpiryTimestamp;
  }

  /** Extends this run's lease to `until`; false once another run holds the key. */
  async renew(key: OperationKey, until: number): Promise<boolean> {
    if (this.lost || this.lease === undefined) return !this.lost;
    const { pk, sk } = opsKey(key.requestId, key.operation, key.attempt);
    const ok = await this.fenced(
      { pk: { S: pk }, sk: { S: sk } },
      {
        UpdateExpression: 'SET #lease = :until',
        ExpressionAttributeValues: { ':until': { N: String(until) } },
      },
    );
    if (ok) this.lease = until;
    return ok;
  }

  /** The outcome, recorded only while this run holds the lease (Powertools' own update is unconditional). */
  protected override async _updateRecord(record: IdempotencyRecord): Promise<void> {
    const ok = await this.fenced(this.getKey(record.idempotencyKey), {
      // Powertools' own names, so the record reads as it would have written it
      UpdateExpression: 'SET #expiry = :expiry, #status = :status, #response_data = :response_data',
      ExpressionAttributeNames: { '#expiry': 'expiration', '#response_data': 'result' },
      ExpressionAttributeValues: marshall({
        ':status': record.getStatus(),
        ':expiry': record.expiryTimestamp,
        ':response_data': record.responseData,
      }),
    });
    // Another run holds the key now: its record stands; this run's delivery is retried and answers that one.
    if (!ok) throw new ConnectorError('The operation was taken over by another run; not recorded', true);
  }

  /** A failed run frees its key, but never the key another run took over. */
  protected override async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    if (this.lost) return;
    try {
      await this.db.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: this.getKey(record.idempotencyKey),
          ...this.fence(),
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      this.lost = true;
    }
  }

  private fence() {
    return {
      ConditionExpression: '#status = :running AND #lease = :mine',
      ExpressionAttributeNames: { '#status': STATUS, '#lease': LEASE },
      ExpressionAttributeValues: { ':running': { S: RUNNING }, ':mine': { N: String(this.lease) } },
    };
  }

  private async fenced(
    Key: Record<string, AttributeValue>,
    update: {
      UpdateExpression: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues: Record<string, AttributeValue>;
    },
  ): Promise<boolean> {
    if (this.lost) return false;
    const fence = this.fence();
    try {
      await this.db.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key,
          UpdateExpression: update.UpdateExpression,
          ConditionExpression: fence.ConditionExpression,
          ExpressionAttributeNames: { ...fence.ExpressionAttributeNames, ...update.ExpressionAttributeNames },
          ExpressionAttributeValues: {
            ...fence.ExpressionAttributeValues,
            ...update.ExpressionAttributeValues,
          },
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      this.lost = true;
      return false;
    }
  }

  protected override getHashedIdempotencyKey(data: unknown): string {
    const { requestId, operation, attempt } = data as OperationKey;
    const key = opsKey(requestId, operation, attempt);
    return `${key.pk}${SEPARATOR}${key.sk}`;
  }

  protected override getKey(idempotencyKey: string) {
    const [pk = '', sk = ''] = idempotencyKey.split(SEPARATOR);
    return { pk: { S: pk }, sk: { S: sk } };
  }
}

/** An answer that must not be recorded leaves the run as an error: Powertools then deletes the lock. */
class Unrecorded<T> extends Error {
  constructor(readonly result: T) {
    super('Not recorded');
    this.name = 'Unrecorded';
  }
}

export interface LedgerOptions {
  /** pause between looks at a run in progress; grows to 1 s */
  pollMs?: number;
  /** how long a run's key stays held without a renewal */
  leaseMs?: number;
}

/** Builds the OperationLedger over one system's table. */
export function dynamoOperationLedger(
  client: DynamoDBClient,
  table: string,
  { pollMs = 100, leaseMs = LEASE_MS }: LedgerOptions = {},
): OperationLedger {
  return {
    async once<T>(key: OperationKey, lockMs: number, act: () => Promise<LedgerAnswer<T>>): Promise<T> {
      const lock = { getRemainingTimeInMillis: () => Math.min(lockMs, leaseMs) };
      // One layer per delivery: it holds this delivery's lease.
      const layer = new SystemTableLayer(client, table);
      const run = makeIdempotent(
        async (_key: OperationKey, _lock: typeof lock): Promise<T> => {
          // Renewed while acting; a renewal that fails on the network only shortens the lease, the next one tries
          // again; one refused because another delivery took the key over ends the renewals (layer.lost).
          const heartbeat = setInterval(
            () => void layer.renew(key, Date.now() + leaseMs).catch(() => undefined),
            leaseMs / 3,
          );
          try {
            const answer = await act();
            if (!answer.record) throw new Unrecorded(answer.result);
            return answer.result;
          } finally {
            clearInterval(heartbeat);
          }
        },
        {
          persistenceStore: layer,
          config: new IdempotencyConfig({ throwOnNoIdempotencyKey: true, expiresAfterSeconds: KEEP_SECONDS }),
        },
      );
      const deadline = Date.now() + Math.max(0, lockMs - WAIT_MARGIN_MS);
      for (let pause = pollMs; ; pause = Math.min(1000, pause * 2)) {
        try {
          return await run(key, lock);
        } catch (error) {
          if (error instanceof Unrecorded) return error.result as T;
          // Powertools wraps the layer's errors: a lease lost to another delivery is the connector's own
          const cause = (error as { cause?: unknown }).cause;
          if (cause instanceof ConnectorError) throw cause;
          // Another delivery is acting on this key: wait for its record, then answer what it answered.
          const busy = (error as Error).name === 'IdempotencyAlreadyInProgressError';
          if (!busy || Date.now() + pause > deadline) throw error;
          await new Promise((done) => setTimeout(done, pause * (0.5 + Math.random() / 2)));
        }
      }
    },
  };
}

// Connector idempotency (DESIGN: Connector contract) with Powertools Idempotency: one record per request,
// operation and attempt in the system's own table, at `pk = OPS#<requestId>`, `sk = <operation>#<attempt>`,
// holding the ConnectorResult (counts, kinds, grounds, hashes; no personal data). The record is put IN_PROGRESS
// under a condition before the operation acts, so of two deliveries at the same moment only one acts; the other
// waits for the first's record and answers the same result.

import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { opsKey } from '../connectors/records.ts';
import type { LedgerAnswer, OperationKey, OperationLedger } from '../core/ports.ts';

// Outlives any execution (Standard: at most a year), so a restarted execution still finds its records.
const KEEP_SECONDS = 400 * 24 * 3600;
// What a waiting delivery leaves itself to answer the workflow before its own time runs out.
const WAIT_MARGIN_MS = 10_000;
const SEPARATOR = '\u0000';
// A run holds its key for a short lease it renews while it acts: a run that died (a crash, a SIGKILL, a Lambda
// killed mid-operation) frees its key within one lease, not after the Lambda's whole timeout.
const LEASE_MS = 30_000;

/**
 * Powertools' DynamoDB layer over a system table: readable keys (the ids are validated, so no hash is needed)
 * that put each request's records in their own partition, as the connectors' own records are.
 */
class SystemTableLayer extends DynamoDBPersistenceLayer {
  constructor(client: DynamoDBClient, table: string) {
    super({ tableName: table, awsSdkV3Client: client, keyAttr: 'pk', sortKeyAttr: 'sk', dataAttr: 'result' });
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
  const layer = new SystemTableLayer(client, table);
  // Powertools' own attribute names (status, in_progress_expiration in epoch ms) on the run's record.
  const renew = (key: OperationKey) => {
    const { pk, sk } = opsKey(key.requestId, key.operation, key.attempt);
    return client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: pk }, sk: { S: sk } },
        UpdateExpression: 'SET in_progress_expiration = :until',
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':until': { N: String(Date.now() + leaseMs) },
          ':running': { S: 'INPROGRESS' },
        },
      }),
    );
  };

  return {
    async once<T>(key: OperationKey, lockMs: number, act: () => Promise<LedgerAnswer<T>>): Promise<T> {
      const lock = { getRemainingTimeInMillis: () => Math.min(lockMs, leaseMs) };
      const run = makeIdempotent(
        async (_key: OperationKey, _lock: typeof lock): Promise<T> => {
          // Renewed while acting; a failed renewal only shortens the lease, the next one tries again.
          const heartbeat = setInterval(() => void renew(key).catch(() => undefined), leaseMs / 3);
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
          // Another delivery is acting on this key: wait for its record, then answer what it answered.
          const busy = (error as Error).name === 'IdempotencyAlreadyInProgressError';
          if (!busy || Date.now() + pause > deadline) throw error;
          await new Promise((done) => setTimeout(done, pause * (0.5 + Math.random() / 2)));
        }
      }
    },
  };
}

// The audit trail's writes on DynamoDB Local: a change and its entry as one transaction, a fact written once.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoAuditLog, readAuditChain } from '../../functions/aws/audit-log.ts';
import { dynamoRequestStore } from '../../functions/aws/request-store.ts';
import { firstBrokenLink } from '../../functions/core/audit.ts';
import { close, prepare } from '../../functions/core/progress.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { requestRecord } from '../fixtures/requests.ts';
import { startTestDynamoDb, type TestDynamoDb } from '../helpers/dynamodb.ts';

let db: TestDynamoDb;

beforeAll(async () => {
  db = await startTestDynamoDb();
});

afterAll(async () => {
  await db?.stop();
});

/** A client that dies, once, at its first write touching the audit table: the process killed at that point. */
function killedAtAuditWrite(doc: DynamoDBDocumentClient): DynamoDBDocumentClient {
  let armed = true;
  const send = (async (command: { input: unknown }) => {
    if (armed && JSON.stringify(command.input).includes(`"TableName":"${TABLE_NAMES.audit}"`)) {
      const name = command.constructor.name;
      if (name === 'PutCommand' || name === 'TransactWriteCommand') {
        armed = false;
        throw new Error('SIGKILL');
      }
    }
    return doc.send(command as never);
  }) as DynamoDBDocumentClient['send'];
  return { send } as DynamoDBDocumentClient;
}

const deps = (doc: DynamoDBDocumentClient) => ({
  store: dynamoRequestStore(doc, TABLE_NAMES.requests, { table: TABLE_NAMES.audit }),
  audit: dynamoAuditLog(doc, TABLE_NAMES.audit),
  now: () => new Date('2026-11-25T10:00:00Z'),
});

const actions = async (id: string) =>
  (await readAuditChain(db.doc, TABLE_NAMES.audit, id)).map((e) => e.action);

describe('A state change and its audit entry are one fact (Art. 5(2), P15)', () => {
  it('closes a request killed while closing with its request.closed entry once, when the run resumes', async () => {
    // Prepare: a request whose systems are done and whose subject was told
    const id = 'r_closekill000000000000001';
    await deps(db.doc).store.create(
      requestRecord({ id, status: 'in_progress', toldAt: '2026-11-25T09:00:00Z', systems: {} }),
    );
    // Act: Close dies at its audit write, then the resumed run closes again
    await expect(close(deps(killedAtAuditWrite(db.doc)), id)).rejects.toThrow('SIGKILL');
    const resumed = await close(deps(db.doc), id);
    // Assess: closed, and the trail says so exactly once
    expect(resumed.status).not.toBe('in_progress');
    expect((await actions(id)).filter((a) => a === 'request.closed')).toHaveLength(1);
  });
});

describe('Audit entries are written once per fact (Art. 5(2), P15)', () => {
  it('logs workflow.started once for an execution restarted from the top', async () => {
    // Prepare
    const id = 'r_restart00000000000000001';
    await deps(db.doc).store.create(requestRecord({ id, status: 'in_progress' }));
    // Act: the first step runs three times for attempt 1
    for (let i = 0; i < 3; i++) await prepare(deps(db.doc), id, 1);
    // Assess
    expect((await actions(id)).filter((a) => a === 'workflow.started')).toHaveLength(1);
  });

  it('writes one entry for ten concurrent appends of one fact, and the chain holds', async () => {
    // Prepare
    const id = 'optout_concurrent0000000001';
    const log = dynamoAuditLog(db.doc, TABLE_NAMES.audit);
    const entry = { actor: 'system' as const, action: 'recipients.notified', fact: 'notice:1' };
    // Act
    const written = await Promise.all(Array.from({ length: 10 }, () => log.append(id, entry)));
    // Assess
    console.log(`10 concurrent appends of one fact: ${written.filter(Boolean).length} written`);
    expect(written.filter(Boolean)).toHaveLength(1);
    const chain = await readAuditChain(db.doc, TABLE_NAMES.audit, id);
    expect(chain.map((e) => e.action)).toEqual(['recipients.notified']);
    expect(firstBrokenLink(chain)).toBe(-1);
  });
});

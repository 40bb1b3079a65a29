// An erasure of a subject with a very large billing partition streams (P3, issue 12): calls are read page by page
// after the other records, deleted a page at a time with conditional deletes whose results make the counts, and
// never handed to the erasure rules as related records.
import { DeleteCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { createBillingConnector } from '../../../functions/connectors/billing/connector.ts';
import { restrictBilling } from '../../../functions/connectors/billing/restriction.ts';
import type { StoredItem } from '../../../functions/connectors/records.ts';
import { createStoreConnector } from '../../../functions/connectors/store/index.ts';
import { datedCall } from '../../fixtures/calls.ts';
import { ddb, serveQueries, stores } from './fake-store.ts';

const NOW = new Date('2026-02-16T09:30:00Z');
const ctx = { requestId: 'r_unit', now: NOW };
const customer = { customerNumber: 'C-7', phone: '+32470000007' };
const pk = 'CUST#C-7';
const profile = {
  pk,
  sk: 'PROFILE',
  customerNumber: 'C-7',
  category: 'identification',
  email: 'c7@example.be',
};
const PAGE = 50;
const CALLS = 500;
// calls of 2019: past their traffic-data period, so erased
const calls = Array.from({ length: CALLS }, (_, i) => datedCall(pk, customer, i));

beforeEach(() => {
  ddb.reset();
});

describe('Streamed erasure of a large partition (P3)', () => {
  it('deletes calls a page at a time as it reads them, counting only the deletes that removed a record (P3, Art. 17)', async () => {
    // Prepare: her profile and 500 calls served 50 a time; two calls already gone (a concurrent erasure).
    const stats = serveQueries([profile, ...calls]);
    const pagesAtCallDelete: number[] = [];
    ddb.on(DeleteCommand).callsFake(async (input: { Key: { sk: string } }) => {
      if (input.Key.sk.startsWith('CALL#')) pagesAtCallDelete.push(stats.pages);
      if (input.Key.sk === calls[3]?.sk || input.Key.sk === calls[CALLS - 1]?.sk)
        throw Object.assign(new Error('gone'), { name: 'ConditionalCheckFailedException' });
      return {};
    });

    // Act
    const outcomes = await createBillingConnector(stores('billing', PAGE)).erase(
      { email: 'c7@example.be', subjectRef: 's_7' },
      ctx,
    );

    // Assess: exact counts; the calls' deletes fall in ten rounds, each after its own page was read.
    expect(outcomes).toEqual([
      { kind: 'erased', records: 1, category: 'identification' },
      { kind: 'erased', records: CALLS - 2, category: 'usage' },
    ]);
    expect(pagesAtCallDelete).toHaveLength(CALLS);
    expect(new Set(pagesAtCallDelete).size).toBe(CALLS / PAGE);
  });

  it('decides calls against her other records, never against other calls, and keeps what the rule keeps (P3)', async () => {
    // Prepare: one recent call (traffic data, kept), the rest too old to keep; the rule watched.
    const recent = datedCall(pk, customer, 0, Date.parse('2026-02-01T10:00:00Z'));
    serveQueries([profile, ...calls, recent]);
    ddb.on(DeleteCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
    const relatedCalls: StoredItem[] = [];
    const restrict: typeof restrictBilling = (item, now, related) => {
      relatedCalls.push(...related.filter((r) => r.sk.startsWith('CALL#')));
      return restrictBilling(item, now, related);
    };

    // Act
    const outcomes = await createStoreConnector({
      system: 'billing',
      stores: stores('billing', PAGE),
      restrict,
      bulk: ['CALL'],
    }).erase({ email: 'c7@example.be', subjectRef: 's_7' }, ctx);

    // Assess
    expect(relatedCalls).toEqual([]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(outcomes).toEqual([
      { kind: 'erased', records: 1, category: 'identification' },
      { kind: 'erased', records: CALLS, category: 'usage' },
      expect.objectContaining({ kind: 'retained', records: 1, category: 'usage', ground: 'traffic_data' }),
    ]);
  });
});

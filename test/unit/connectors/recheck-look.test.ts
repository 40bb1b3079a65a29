// The connector side of the proof of erasure (P3): a locate tells live records from restricted ones, and gives
// the restricted ones by category, ground and purge date, so the workflow can check them against the outcomes.
import { beforeEach, describe, expect, it } from 'vitest';
import { createSupportConnector } from '../../../functions/connectors/support/connector.ts';
import { ddb, serveQueries, stores } from './fake-store.ts';

const ctx = { requestId: 'r_unit', now: new Date('2026-02-16T09:30:00Z') };
const subject = { email: 'noor.elamrani@example.be', subjectRef: 's_noor' };
const retention = { ground: 'open_claim', grounds: ['open_claim'], until: '2031-02-16' };

beforeEach(() => {
  ddb.reset();
});

describe('Connector: the fresh look after an erasure (P3)', () => {
  it('counts restricted records apart, by ground and date, and one kept without a ground apart again (P3, Art. 18)', async () => {
    // Prepare: a live ticket with her address, a restricted ticket on an open claim, one restricted without ground
    serveQueries([
      { pk: 'CUST#C-9', sk: 'TICKET#1', customerNumber: 'C-9', category: 'support', email: subject.email },
      { pk: 'RESTRICTED#s_noor', sk: 'TICKET#2', category: 'support', restricted: true, retention },
      { pk: 'RESTRICTED#s_noor', sk: 'TICKET#3', category: 'support', restricted: true },
    ]);
    // Act
    const located = await createSupportConnector(stores('support')).locate(subject, ctx);
    // Assess: three records, two of them restricted, grouped with and without their ground
    expect(located).toMatchObject({ found: true, records: 3 });
    expect(located.kept).toEqual([
      { category: 'support', records: 1 },
      { category: 'support', ground: 'open_claim', until: '2031-02-16', records: 1 },
    ]);
  });

  it('says nothing of kept records where none are restricted (P3)', async () => {
    // Prepare: one live record only
    serveQueries([{ pk: 'CUST#C-9', sk: 'PROFILE', customerNumber: 'C-9', email: subject.email }]);
    // Act
    const located = await createSupportConnector(stores('support')).locate(subject, ctx);
    // Assess
    expect(located).toMatchObject({ found: true, records: 1 });
    expect(located.kept).toBeUndefined();
  });
});

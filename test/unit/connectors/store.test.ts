import {
  DeleteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { dynamoConnectorStores } from '../../../functions/aws/system-store.ts';
import { createBillingConnector, restrictInvoice } from '../../../functions/connectors/billing/connector.ts';
import {
  CONTACT_AND_FINANCIAL_FIELDS,
  findFields,
  subjectListEntry,
} from '../../../functions/connectors/records.ts';
import {
  createStoreConnector,
  erasedOutcomes,
  retainedOutcomes,
} from '../../../functions/connectors/store/index.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const doc = DynamoDBDocumentClient.from(new (await import('@aws-sdk/client-dynamodb')).DynamoDBClient({}));
const stores = (table: string) => dynamoConnectorStores(doc, table);
const ctx = { requestId: 'r_unit', now: new Date('2026-02-16T09:30:00Z') };

const invoice = {
  pk: 'CUST#C-1',
  sk: 'INVOICE#2025-1201',
  customerNumber: 'C-1',
  category: 'contract',
  invoiceNumber: '2025-1201',
  invoiceDate: '2025-12-01',
  name: 'Test Person',
  email: 'test@example.be',
  phone: '+32470000000',
  total: 12.1,
  status: 'paid',
  payment: {
    paidAt: '2025-12-13T06:00:00Z',
    amount: 12.1,
    iban: 'BE68539007547034',
    mandateId: 'M-1',
    method: 'direct_debit',
  },
};
const profile = {
  pk: 'CUST#C-1',
  sk: 'PROFILE',
  customerNumber: 'C-1',
  category: 'identification',
  email: 'test@example.be',
};
const calls = [1, 2, 3].map((n) => ({
  pk: 'CUST#C-1',
  sk: `CALL#${n}`,
  customerNumber: 'C-1',
  category: 'usage',
}));

beforeEach(() => {
  ddb.reset();
});

describe('Store connector (P1, P3)', () => {
  it('strips an invoice to what the law requires: no e-mail, phone, IBAN or mandate (P3)', () => {
    // Prepare: a paid invoice with contact and bank data (above). Act:
    const restriction = restrictInvoice(invoice);

    // Assess: its purge date, nothing of contact or bank, the invoice's own content kept.
    expect(restriction?.retention).toEqual({
      ground: 'fiscal_retention',
      grounds: ['fiscal_retention'],
      until: '2035-12-31',
      periods: [{ ground: 'fiscal_retention', until: '2035-12-31' }],
    });
    expect(findFields(restriction?.keep, CONTACT_AND_FINANCIAL_FIELDS)).toEqual([]);
    expect(restriction?.keep).toMatchObject({
      name: 'Test Person',
      payment: { paidAt: '2025-12-13T06:00:00Z', amount: 12.1 },
    });
    expect(restrictInvoice(profile)).toBeUndefined();
  });

  it('counts erased records per category and groups kept ones by ground and purge date (P3)', () => {
    // Prepare: erased and kept records. Act: their outcomes. Assess: counts per category; kept ones by ground and date.
    expect(erasedOutcomes([profile, ...calls])).toEqual([
      { kind: 'erased', records: 1, category: 'identification' },
      { kind: 'erased', records: 3, category: 'usage' },
    ]);
    const kept = (until: string, sk: string) => ({
      pk: 'RESTRICTED#s_1',
      sk,
      category: 'contract',
      name: 'x',
      restricted: true,
      retention: { ground: 'fiscal_retention', grounds: ['fiscal_retention'], until },
    });
    expect(
      retainedOutcomes([kept('2036-12-31', 'A'), kept('2035-12-31', 'B'), kept('2035-12-31', 'C')]),
    ).toEqual([
      {
        kind: 'retained',
        records: 2,
        category: 'contract',
        ground: 'fiscal_retention',
        until: '2035-12-31',
        kept: ['name'],
      },
      {
        kind: 'retained',
        records: 1,
        category: 'contract',
        ground: 'fiscal_retention',
        until: '2036-12-31',
        kept: ['name'],
      },
    ]);
  });

  it('reports each ground of records kept on several with its own date, apart from those kept on one (P3)', () => {
    // Prepare: a disputed invoice (claim, then fiscal) and a paid one (fiscal) with the same purge date.
    const periods = [
      { ground: 'open_claim', until: '2031-10-01' },
      { ground: 'fiscal_retention', until: '2036-12-31' },
    ];
    const disputed = {
      pk: 'RESTRICTED#s_1',
      sk: 'INVOICE#2026-0908',
      category: 'contract',
      name: 'x',
      retention: {
        ground: 'open_claim',
        grounds: ['open_claim', 'fiscal_retention'],
        until: '2036-12-31',
        periods,
      },
    };
    const paid = {
      ...disputed,
      sk: 'INVOICE#2026-0808',
      retention: { ground: 'fiscal_retention', grounds: ['fiscal_retention'], until: '2036-12-31' },
    };

    // Act
    const outcomes = retainedOutcomes([disputed, paid]);

    // Assess: two outcomes; only the one on several grounds carries them with their dates
    expect(outcomes).toEqual([
      {
        kind: 'retained',
        records: 1,
        category: 'contract',
        ground: 'fiscal_retention',
        until: '2036-12-31',
        kept: ['name'],
      },
      {
        kind: 'retained',
        records: 1,
        category: 'contract',
        ground: 'open_claim',
        until: '2036-12-31',
        periods,
        kept: ['name'],
      },
    ]);
  });

  it('erases in one transaction per kept invoice and counts only the deletes that removed a record (P3)', async () => {
    // Prepare: a customer with a profile, an invoice and calls; one call already deleted by a concurrent erasure.
    ddb
      .on(QueryCommand, { IndexName: 'byEmail' })
      .resolves({ Items: [profile] })
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'CUST#C-1' } })
      .resolves({ Items: [profile, invoice, ...calls] })
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'RESTRICTED#s_1' } })
      .resolves({ Items: [] })
      // her entry on the subject list (P11): none here
      .on(QueryCommand, {
        ExpressionAttributeValues: { ':pk': subjectListEntry('C-1').pk, ':prefix': 'CUST#C-1' },
      })
      .resolves({ Items: [] });
    ddb
      .on(DeleteCommand)
      .resolves({})
      .on(DeleteCommand, { Key: { pk: 'CUST#C-1', sk: 'CALL#3' } })
      .rejects(Object.assign(new Error('gone'), { name: 'ConditionalCheckFailedException' }));
    ddb.on(TransactWriteCommand).resolves({});

    // Act: erase, the address as typed.
    const outcomes = await createBillingConnector(stores('billing')).erase(
      { email: 'Test@Example.be ', subjectRef: 's_1' },
      ctx,
    );

    // Assess: the address looked up in lower case, the invoice moved in one transaction, every delete conditional.
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input.ExpressionAttributeValues).toEqual({
      ':email': 'test@example.be',
    });
    const transaction = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems;
    expect(transaction?.[0]?.Put?.Item).toMatchObject({
      pk: 'RESTRICTED#s_1',
      sk: invoice.sk,
      restricted: true,
    });
    expect(transaction?.[1]?.Delete?.Key).toEqual({ pk: 'CUST#C-1', sk: invoice.sk });
    const deletes = ddb.commandCalls(DeleteCommand).map((c) => c.args[0].input);
    expect(deletes.every((d) => d.ConditionExpression === 'attribute_exists(pk)')).toBe(true);
    expect(outcomes).toEqual([
      { kind: 'erased', records: 1, category: 'identification' },
      { kind: 'erased', records: calls.length - 1, category: 'usage' },
      expect.objectContaining({
        kind: 'retained',
        records: 1,
        ground: 'fiscal_retention',
        until: '2035-12-31',
      }),
    ]);
  });

  it('refuses to keep a record it could never find again: a restriction needs the subject reference (P3)', async () => {
    // Prepare: an invoice to keep, and no subject reference (the profile is what finds the customer).
    ddb.on(QueryCommand, { IndexName: 'byEmail' }).resolves({ Items: [profile, invoice] });
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'CUST#C-1' } }).resolves({
      Items: [profile, invoice],
    });

    // Act and Assess: refused before anything is written.
    await expect(
      createBillingConnector(stores('billing')).erase({ email: 'test@example.be' }, ctx),
    ).rejects.toThrow(/subjectRef/);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('follows pagination of the store and never looks at another partition than the customer found (P1)', async () => {
    // Prepare: a customer partition served in two pages.
    ddb
      .on(QueryCommand, { IndexName: 'byEmail' })
      .resolves({ Items: [profile] })
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'CUST#C-1' } })
      .resolvesOnce({ Items: [profile], LastEvaluatedKey: { pk: 'CUST#C-1', sk: 'PROFILE' } })
      .resolves({ Items: calls });

    // Act
    const located = await createStoreConnector({ system: 'crm', stores: stores('crm') }).locate(
      { email: 'test@example.be' },
      ctx,
    );

    // Assess: every page counted, with the record types found (what decides its recipients, P13); no other partition read.
    expect(located).toEqual({
      found: true,
      records: 4,
      categories: ['identification', 'usage'],
      recordTypes: ['CALL', 'PROFILE'],
    });
    const partitions = ddb
      .commandCalls(QueryCommand)
      .map((c) => c.args[0].input.ExpressionAttributeValues?.[':pk'])
      .filter(Boolean);
    expect(new Set(partitions)).toEqual(new Set(['CUST#C-1']));
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { createBillingConnector } from '../../../functions/connectors/billing/connector.ts';
import { createCrmConnector } from '../../../functions/connectors/crm/connector.ts';
import { createMemorySink, parseCsv } from '../../../functions/connectors/export-files.ts';
import { REDACTED } from '../../../functions/connectors/redaction.ts';
import { createSupportConnector } from '../../../functions/connectors/support/connector.ts';
import type { ExportSink } from '../../../functions/core/connector.ts';
import { Outcome } from '../../../functions/core/schemas.ts';
import { DEMO_CUSTOMERS, demoData } from '../../../local/demo-data.ts';
import { callRecord, discardingSink } from '../../fixtures/calls.ts';
import { ddb, serveQueries, stores } from './fake-store.ts';

const NOW = new Date('2026-02-16T09:30:00Z');
const ctx = { requestId: 'r_unit', now: NOW };
const an = DEMO_CUSTOMERS.an;
const data = demoData(NOW) as Record<string, (Record<string, unknown> & { pk: string; sk: string })[]>;
const subject = { email: an.email, subjectRef: 's_an' };

const exportedOf = (outcomes: Outcome[]) => {
  const o = outcomes[0];
  if (o?.kind !== 'exported') throw new Error(`not exported: ${JSON.stringify(outcomes)}`);
  return o;
};
const CONNECTORS = {
  billing: createBillingConnector,
  crm: createCrmConnector,
  support: createSupportConnector,
};
/** Exports her from `system`'s store (read `pageSize` items at a time) into `sink`; answers the `exported` outcome. */
const exportHer = async (
  system: keyof typeof CONNECTORS,
  purpose: 'access' | 'portability',
  sink: ExportSink,
  pageSize?: number,
) => exportedOf(await CONNECTORS[system](stores(system, pageSize)).export(subject, ctx, { purpose, sink }));
const json = (sink: ReturnType<typeof createMemorySink>, name: string) =>
  JSON.parse(sink.files.get(name)?.text ?? 'null') as Record<string, unknown>[];

beforeEach(() => {
  ddb.reset();
});

describe('Connector export (P1, P7, P16)', () => {
  it('never exports a password hash, only that one exists (P16)', async () => {
    // Prepare: the CRM demo store.
    serveQueries(data.crm ?? []);
    const sink = createMemorySink();

    // Act
    await createCrmConnector(stores('crm')).export(subject, ctx, { purpose: 'access', sink });

    // Assess
    const [account] = json(sink, 'account.json');
    expect(account).toMatchObject({ category: 'contract', password: 'an account password exists' });
    expect(account).not.toHaveProperty('passwordHash');
    for (const file of sink.files.values()) expect(file.text).not.toContain('$argon2id$');
  });

  it('labels every exported record with its category and origin, one JSON and one CSV file per record type (P16)', async () => {
    // Prepare: the billing demo store.
    serveQueries(data.billing ?? []);
    const sink = createMemorySink();

    // Act
    const exported = await exportHer('billing', 'access', sink);

    // Assess
    expect(Outcome.parse(exported)).toEqual(exported);
    const hers = (data.billing ?? []).filter((i) => i.customerNumber === an.customerNumber);
    expect(exported.records).toBe(hers.length);
    expect(exported.files.map((f) => f.name).sort()).toEqual(
      ['bank-accounts', 'calls', 'credit-scores', 'invoices', 'profile']
        .flatMap((n) => [`${n}.csv`, `${n}.json`])
        .sort(),
    );
    for (const file of exported.files.filter((f) => f.format === 'json')) {
      for (const record of json(sink, file.name)) {
        expect(file.categories).toContain(record.category);
        expect(['provided', 'observed', 'inferred']).toContain(record.origin);
        expect(record).not.toHaveProperty('pk');
      }
    }
    const calls = parseCsv(sink.files.get('calls.csv')?.text ?? '');
    expect(calls[0]?.slice(0, 3)).toEqual(['category', 'origin', 'customerNumber']);
    expect(calls).toHaveLength(1 + hers.filter((i) => i.sk.startsWith('CALL#')).length);
    // The access copy shows the numbers called; only portability masks them.
    expect(exported.masked).toBe(0);
  });

  it('leaves inferred data out of a portability file and says how much, by category (P7)', async () => {
    // Prepare: the billing and CRM demo stores, one after the other.
    const billingSink = createMemorySink();
    const crmSink = createMemorySink();

    serveQueries(data.billing ?? []);
    // Act: portability exports of both.
    const billing = await exportHer('billing', 'portability', billingSink);
    ddb.reset();
    serveQueries(data.crm ?? []);
    const crm = await exportHer('crm', 'portability', crmSink);

    // Assess
    expect(billing.omitted).toEqual([{ category: 'financial', records: 1, reason: 'inferred' }]);
    expect(crm.omitted).toEqual([{ category: 'profiling', records: 3, reason: 'inferred' }]);
    expect(billingSink.files.has('credit-scores.json')).toBe(false);
    expect(crmSink.files.has('interest-profiles.json')).toBe(false);
    for (const file of [...billingSink.files.values(), ...crmSink.files.values()]) {
      expect(file.text).not.toContain('"inferred"');
    }
  });

  it('leaves staff notes out of a portability file and keeps the tickets she wrote (P7, Art. 20(1))', async () => {
    // Prepare: the support demo store, her tickets and the notes agents wrote on them
    serveQueries(data.support ?? []);
    const sink = createMemorySink();
    const notes = (data.support ?? []).filter(
      (i) => i.customerNumber === an.customerNumber && i.sk.startsWith('NOTE#'),
    );

    // Act
    const exported = await exportHer('support', 'portability', sink);

    // Assess: the notes counted as staff's, by category, and in no file; her tickets exported
    expect(notes.length).toBeGreaterThan(0);
    expect(exported.omitted).toEqual([{ category: 'support', records: notes.length, reason: 'staff_note' }]);
    expect([...sink.files.keys()].sort()).toEqual(['tickets.csv', 'tickets.json']);
    const text = [...sink.files.values()].map((f) => f.text).join('\n');
    for (const note of notes) expect(text).not.toContain(String(note.agent));
  });

  it("masks other people's numbers in call records for portability, keeping the last two digits (P7, Art. 20(4))", async () => {
    // Prepare: the billing demo store.
    serveQueries(data.billing ?? []);
    const sink = createMemorySink();

    // Act
    const exported = await exportHer('billing', 'portability', sink);

    // Assess
    const calls = json(sink, 'calls.json');
    expect(calls.length).toBe(8);
    expect(exported.masked).toBe(8);
    for (const call of calls) {
      expect(call.calledNumber).toMatch(/^\*+\d\d$/);
      expect(call.callingNumber).toBe(an.phone);
    }
    expect(sink.files.get('calls.csv')?.text).not.toContain('+32479880011');
  });

  it("redacts other people's names, numbers and addresses from support notes, keeping her own (P1, Art. 15(4))", async () => {
    // Prepare: the support demo store, whose notes name other people.
    serveQueries(data.support ?? []);
    const sink = createMemorySink();

    // Act
    const exported = await exportHer('support', 'access', sink);

    // Assess
    const notes = json(sink, 'notes.json').map((n) => String(n.text));
    const all = notes.join('\n');
    for (const other of ['Tom Claes', 'Els Vandamme', 'els.vandamme@example.be', '0478 11 22 33']) {
      expect(all).not.toContain(other);
    }
    expect(all).toContain(REDACTED.name);
    expect(all).toContain('Mevr. Devos');
    expect(all).toContain(an.phone);
    expect(exported.redacted).toBe(4);
  });

  it('is idempotent: the same store exports to the same bytes and hashes (P1)', async () => {
    // Prepare: the CRM demo store.
    serveQueries(data.crm ?? []);
    const connector = createCrmConnector(stores('crm'));

    // Act: export twice.
    const first = await connector.export(subject, ctx, { purpose: 'access', sink: createMemorySink() });
    const second = await connector.export(subject, ctx, { purpose: 'access', sink: createMemorySink() });

    // Assess
    expect(second).toEqual(first);
  });

  it('answers not_found and writes no file for someone the system never knew (P1, P8)', async () => {
    // Prepare: the CRM demo store.
    serveQueries(data.crm ?? []);
    const sink = createMemorySink();

    // Act: export someone it never knew.
    const outcomes = await createCrmConnector(stores('crm')).export({ email: 'nobody@example.be' }, ctx, {
      purpose: 'access',
      sink,
    });

    // Assess
    expect(outcomes).toEqual([{ kind: 'not_found' }]);
    expect(sink.files.size).toBe(0);
  });

  // A million records is a benchmark (bench/export-calls.ts, `npm run bench`); here the bound is checked on 20 pages.
  it('streams call records page by page: never more than one page held at a time (P7)', async () => {
    // Prepare: 20 pages of calls, generated as asked for, and a sink that counts what reached it.
    const TOTAL = 20_000;
    const PAGE = 1000;
    const profile = (data.billing ?? []).find(
      (i) => i.sk === 'PROFILE' && i.customerNumber === an.customerNumber,
    );
    const stats = serveQueries(
      [profile as Record<string, unknown> & { pk: string; sk: string }],
      (pk, from, limit) => {
        if (pk !== `CUST#${an.customerNumber}`) return undefined;
        const n = Math.min(limit, TOTAL - from);
        const items = Array.from({ length: n }, (_, i) => callRecord(pk, an, from + i));
        return { items, more: from + n < TOTAL };
      },
    );
    const { sink: counting, counts } = discardingSink(() => stats.fetched);

    // Act
    const exported = await exportHer('billing', 'portability', counting, PAGE);

    // Assess: every record written, read page by page, never more than a page ahead.
    expect(exported.records).toBe(TOTAL);
    expect(exported.files.find((f) => f.name === 'calls.csv')?.records).toBe(TOTAL);
    expect(stats.pages).toBeGreaterThanOrEqual(TOTAL / PAGE);
    expect(counts.mostInFlight).toBeLessThanOrEqual(PAGE);
  });
});

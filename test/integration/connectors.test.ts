// The shared connector contract suite (DESIGN: Connector contract), run against every system's connector on
// DynamoDB Local seeded with the demo data (and, at the end, the contract every connector keeps, the systems added by
// configuration included, P17), plus the Lambda handler's idempotency (Powertools records in the
// system table, two deliveries at the same moment acting once).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createS3ExportSink } from '../../functions/aws/s3-export-sink.ts';
import { dynamoSubscriberStore } from '../../functions/aws/subscriber-store.ts';
import { dynamoSuppressionStore } from '../../functions/aws/suppression-store.ts';
import { dynamoConnectorStores } from '../../functions/aws/system-store.ts';
import { createBillingConnector } from '../../functions/connectors/billing/connector.ts';
import {
  ConnectorResultSchema,
  createConnectorHandler,
  opsKey,
} from '../../functions/connectors/connector-handler.ts';
import { createCrmConnector } from '../../functions/connectors/crm/connector.ts';
import { createMemorySink, type MemorySink, parseCsv } from '../../functions/connectors/export-files.ts';
import { HttpSystemClient } from '../../functions/connectors/generic/http/client.ts';
import type { HttpSystem } from '../../functions/connectors/generic/http/config.ts';
import { createHttpConnector } from '../../functions/connectors/generic/http/connector.ts';
import { createMarketingConnector } from '../../functions/connectors/marketing/connector.ts';
import { importSubscribers } from '../../functions/connectors/marketing/import.ts';
import {
  CATEGORIES,
  CONTACT_AND_FINANCIAL_FIELDS,
  findFields,
  recordType,
} from '../../functions/connectors/records.ts';
import type { ConnectorStores, StoreConnector } from '../../functions/connectors/store/index.ts';
import { createSupportConnector } from '../../functions/connectors/support/connector.ts';
import { connectorDeps } from '../../functions/connectors/wiring.ts';
import type { Connector, ConnectorResult } from '../../functions/core/connector.ts';
import { legalBasesOf, PORTABLE_BASES } from '../../functions/core/portability-scope.ts';
import type { SystemStore } from '../../functions/core/ports.ts';
import { legitimateInterestPurposes } from '../../functions/core/registers/index.ts';
import { requestKey } from '../../functions/core/request.ts';
import { type BuiltInSystem, Outcome } from '../../functions/core/schemas.ts';
import { subjectRef } from '../../functions/core/secrets.ts';
import { configuredSystems } from '../../functions/core/systems.ts';
import {
  DEMO_CUSTOMERS,
  type DemoCustomer,
  demoData,
  SEED_MARKER,
  seedDemoData,
} from '../../local/demo-data.ts';
import { freePort, startDynamoDb } from '../../local/dynamodb.ts';
import { createRestSystem, DEMO_SYSTEMS_DIR, type RestSeed } from '../../local/rest-system.ts';
import { type LocalS3, startS3 } from '../../local/s3.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { prospectRow, subscriberRow } from '../fixtures/subscribers.ts';
import { startTestDynamoDb, type TestDynamoDb } from '../helpers/dynamodb.ts';

// The clock sits in February, so An's monthly invoices straddle a year end and their purge dates differ.
const NOW = new Date('2026-02-16T09:30:00.000Z');
const an: DemoCustomer = DEMO_CUSTOMERS.an;
// A keyed hash names no one: the stand-in must not carry her name either (the erase tests look for it).
const AN_REF = 's_anTestSubjectRef00000000000000';
const ctx = (requestId = 'r_contract0000000000000000') => ({ requestId, now: NOW });

type Item = Record<string, unknown> & { pk: string; sk: string };
type Factory = (stores: ConnectorStores) => StoreConnector;
/** A system's stores on DynamoDB Local, as the connector Lambda builds them (functions/connectors/wiring.ts). */
const stores = (table: string) => dynamoConnectorStores(db.doc, table);

const CASES: { system: BuiltInSystem; create: Factory; stranger: string }[] = [
  { system: 'billing', create: createBillingConnector, stranger: DEMO_CUSTOMERS.luc.email },
  { system: 'crm', create: createCrmConnector, stranger: 'nobody.known@example.be' },
  { system: 'support', create: createSupportConnector, stranger: DEMO_CUSTOMERS.luc.email },
  { system: 'marketing', create: createMarketingConnector, stranger: DEMO_CUSTOMERS.noor.email },
];

let db: TestDynamoDb;

/** Her request in the requests table, as intake records it, for the connector Lambda to read. */
const putHerRequest = (id: string, extra: Record<string, unknown> = {}) =>
  db.doc.send(
    new PutCommand({
      TableName: TABLE_NAMES.requests,
      Item: { ...requestKey(id), kind: 'request', id, email: an.email, subjectRef: AN_REF, ...extra },
    }),
  );

beforeAll(async () => {
  db = await startTestDynamoDb();
  process.env.CLOCK_START = NOW.toISOString();
});

afterAll(async () => {
  await db?.stop();
});

async function scan(system: BuiltInSystem): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new ScanCommand({ TableName: TABLE_NAMES.system(system), ExclusiveStartKey: start }),
    );
    items.push(...((page.Items ?? []) as Item[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Puts one system's store back to the demo data alone. */
async function reseed(system: BuiltInSystem) {
  const table = TABLE_NAMES.system(system);
  // Idempotency markers stay: they belong to requests, not to the demo data.
  for (const item of (await scan(system)).filter((i) => !i.pk.startsWith('OPS#'))) {
    await db.doc.send(new DeleteCommand({ TableName: table, Key: { pk: item.pk, sk: item.sk } }));
  }
  for (const Item of demoData(NOW)[system]) await db.doc.send(new PutCommand({ TableName: table, Item }));
}

const hers = (system: BuiltInSystem, c: DemoCustomer = an) =>
  demoData(NOW)[system].filter((i) => i.customerNumber === c.customerNumber);

/** Strings that identify An; none may survive outside a restricted invoice. */
const AN_TRACES = [an.email, an.phone, 'Devos', an.customerNumber, an.iban as string];

const expectValidOutcomes = (outcomes: unknown[]) => {
  for (const o of outcomes) expect(Outcome.safeParse(o).success, JSON.stringify(o)).toBe(true);
};

type Exported = Extract<Outcome, { kind: 'exported' }>;
const exportedOf = (outcomes: Outcome[]): Exported => {
  expect(outcomes).toHaveLength(1);
  expect(outcomes[0]?.kind).toBe('exported');
  return outcomes[0] as Exported;
};

/** Every file the outcome names is in the sink, closed, with the size and SHA-256 the outcome reports. */
const expectFilesMatchTheirHashes = (sink: MemorySink, exported: Exported) => {
  expect(exported.files.map((f) => f.name).sort()).toEqual([...sink.files.keys()].sort());
  for (const file of exported.files) {
    const text = sink.files.get(file.name)?.text ?? '';
    expect(sink.files.get(file.name)?.closed).toBe(true);
    expect(file.bytes).toBe(Buffer.byteLength(text));
    expect(file.sha256).toBe(createHash('sha256').update(text).digest('hex'));
  }
};

const jsonRecords = (sink: MemorySink) =>
  [...sink.files.entries()]
    .filter(([name]) => name.endsWith('.json'))
    .flatMap(([, f]) => JSON.parse(f.text) as Record<string, unknown>[]);

/** Every field a rectification may change, changed at once (P2). */
const CHANGES = {
  firstName: 'Anna',
  lastName: 'Devos-Claes',
  email: 'anna.devosclaes@example.be',
  phone: '+32470999888',
  address: { street: 'Grote Markt 1', postalCode: '8500', city: 'Kortrijk', country: 'BE' },
  language: 'fr' as const,
  gender: 'X' as const,
  jobTitle: 'Programmamanager',
};

describe.each(CASES)('Connector: $system', ({ system, create, stranger }) => {
  const connector = () => create(stores(TABLE_NAMES.system(system)));
  const holdsAn = (an.systems as string[]).includes(system);

  it('locates the subject with a record count, the categories and record types it holds, her lists and her language on file (P1, P13, P16, P18)', async () => {
    // Prepare: the demo data, and what of it is hers.
    await reseed(system);
    const expected = hers(system);

    // Act
    const located = await connector().locate({ email: an.email, subjectRef: AN_REF }, ctx());

    // Assess: the record types and lists decide which recipients had her data (CJEU C-154/21)
    expect(holdsAn).toBe(true);
    const keepsLanguage = expected.some((i) => typeof i.language === 'string');
    const lists = expected.flatMap((i) => (String(i.sk).startsWith('LIST#') ? [String(i.list)] : []));
    expect(located).toEqual({
      found: true,
      records: expected.length,
      categories: [...new Set(expected.map((i) => String(i.category)))].sort(),
      ...(keepsLanguage ? { language: an.language } : {}),
      recordTypes: [...new Set(expected.map((i) => String(i.sk).split('#')[0]))].sort(),
      ...(lists.length > 0 ? { lists: lists.sort() } : {}),
    });
    if (system === 'marketing') expect(located.lists).toEqual(['direct_mailing', 'newsletter']);
  });

  it('answers not_found for someone it never knew, and changes nothing but what keeps an erasure honoured (P1, P3, Art. 17)', async () => {
    // Prepare: the demo data, and a stranger to this system.
    await reseed(system);
    const before = await scan(system);

    // Act
    const located = await connector().locate({ email: stranger }, ctx());
    const outcomes = await connector().erase({ email: stranger, subjectRef: 's_stranger' }, ctx());

    // Assess: nothing found; marketing alone keeps a keyed-hash suppression entry (no address), since an old list
    // may still hold the erased person (P3)
    expect(located).toEqual({ found: false, records: 0, categories: [] });
    const after = await scan(system);
    if (system === 'marketing') {
      expect(outcomes).toEqual([{ kind: 'suppressed', lists: ['direct_mailing', 'newsletter'] }]);
      const added = after.filter((i) => !before.some((b) => b.pk === i.pk && b.sk === i.sk));
      expect(added.map((i) => i.pk)).toEqual(['SUPPRESSED#s_stranger']);
      expect(JSON.stringify(added, (_k, v) => (v instanceof Set ? [...v] : v))).not.toContain(stranger);
    } else {
      expect(outcomes).toEqual([{ kind: 'not_found' }]);
      expect(after).toHaveLength(before.length);
    }
  });

  it('erases the subject: nothing outside restricted invoices mentions her e-mail, phone, name, number or IBAN (P3)', async () => {
    // Prepare: the demo data, and her records in it.
    await reseed(system);
    const expected = hers(system);

    // Act
    const outcomes = await connector().erase({ email: an.email, subjectRef: AN_REF }, ctx());

    // Assess
    expectValidOutcomes(outcomes);
    const counted = outcomes.reduce((n, o) => n + ('records' in o ? o.records : 0), 0);
    expect(counted).toBe(expected.length);
    const after = await scan(system);
    for (const item of after.filter((i) => i.restricted !== true)) {
      const text = JSON.stringify(item);
      for (const trace of AN_TRACES) expect(text, `${item.pk} ${item.sk}`).not.toContain(trace);
    }
    const restricted = after.filter((i) => i.restricted === true);
    expect(restricted.length > 0).toBe(system === 'billing');
  });

  it('is idempotent: a repeat erase changes nothing and reports only what is still kept (P3)', async () => {
    // Prepare: her records, erased once.
    await reseed(system);
    const first = await connector().erase({ email: an.email, subjectRef: AN_REF }, ctx());
    const between = await scan(system);

    // Act
    const second = await connector().erase({ email: an.email, subjectRef: AN_REF }, ctx());

    // Assess: what is kept (restricted invoices; marketing's suppression entry) is reported again, nothing else
    expectValidOutcomes(second);
    const kept = first.filter((o) => o.kind === 'retained' || o.kind === 'suppressed');
    expect(second).toEqual(kept.length > 0 ? kept : [{ kind: 'not_found' }]);
    expect(await scan(system)).toEqual(between);
  });

  it('counts what each of two concurrent erasures removed: together they report every record erased once (P3)', async () => {
    // Prepare: her records, and two erasures of her at the same moment (two requests, or a duplicate delivery).
    await reseed(system);
    const expected = hers(system);

    // Act
    const [a, b] = await Promise.all([
      connector().erase({ email: an.email, subjectRef: AN_REF }, ctx()),
      connector().erase({ email: an.email, subjectRef: AN_REF }, ctx()),
    ]);

    // Assess: erased counts come from what was deleted, so the two add up to her records, never twice as many
    const erased = (outcomes: Outcome[]) =>
      outcomes.reduce((n, o) => n + (o.kind === 'erased' ? o.records : 0), 0);
    const kept = (outcomes: Outcome[]) =>
      outcomes.reduce((n, o) => n + (o.kind === 'retained' ? o.records : 0), 0);
    expectValidOutcomes(a);
    expectValidOutcomes(b);
    expect(erased(a) + erased(b)).toBe(expected.length - Math.max(kept(a), kept(b)));
  });

  it('leaves every other customer untouched (P3)', async () => {
    // Prepare: the demo data, and everyone else's records in it.
    await reseed(system);
    const others = (items: Item[]) =>
      items
        .filter(
          (i) =>
            i.customerNumber !== an.customerNumber &&
            !i.pk.startsWith('RESTRICTED#') &&
            i.pk !== `SUPPRESSED#${AN_REF}`,
        )
        .sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
    const before = others(await scan(system));

    // Act
    await connector().erase({ email: an.email, subjectRef: AN_REF }, ctx());

    // Assess
    expect(others(await scan(system))).toEqual(before);
    expect(before.length).toBeGreaterThan(0);
  });

  // ---- export (P1, P7, P16) ----

  it('exports everything it holds on her for access, every record labelled with its category (P1, P16)', async () => {
    // Prepare: the demo data, what a locate counts, and a sink.
    await reseed(system);
    const located = await connector().locate({ email: an.email, subjectRef: AN_REF }, ctx());
    const sink = createMemorySink();

    // Act
    const outcomes = await connector().export({ email: an.email, subjectRef: AN_REF }, ctx(), {
      purpose: 'access',
      sink,
    });

    // Assess
    expectValidOutcomes(outcomes);
    const exported = exportedOf(outcomes);
    expect(exported.records).toBe(located.records);
    expectFilesMatchTheirHashes(sink, exported);
    const records = jsonRecords(sink);
    expect(records).toHaveLength(located.records);
    expect(new Set(records.map((r) => r.category))).toEqual(new Set(located.categories));
    for (const record of records) expect(CATEGORIES).toContain(record.category);
    const text = [...sink.files.values()].map((f) => f.text).join('\n');
    expect(text).not.toContain('passwordHash');
    expect(text).not.toContain('$argon2id$');
    for (const other of ['Tom Claes', 'Els Vandamme', 'els.vandamme@example.be'])
      expect(text).not.toContain(other);
  });

  it('exports for portability only what she provided or was observed, on consent or contract, no staff notes, masking numbers she called (P7, Art. 20)', async () => {
    // Prepare: the demo data, her records portability leaves out (inferred, staff notes, neither consent nor
    // contract in the register), and a sink.
    await reseed(system);
    const leftOut = hers(system).filter(
      (i) =>
        i.origin === 'inferred' ||
        String(i.sk).startsWith('NOTE#') ||
        !legalBasesOf(system, recordType(String(i.sk))).some((b) => PORTABLE_BASES.includes(b)),
    );
    const sink = createMemorySink();

    // Act
    const outcomes = await connector().export({ email: an.email, subjectRef: AN_REF }, ctx(), {
      purpose: 'portability',
      sink,
    });

    // Assess
    const exported = exportedOf(outcomes);
    expect(exported.records).toBe(hers(system).length - leftOut.length);
    expect(exported.omitted.reduce((n, o) => n + o.records, 0)).toBe(leftOut.length);
    expectFilesMatchTheirHashes(sink, exported);
    for (const record of jsonRecords(sink)) expect(['provided', 'observed']).toContain(record.origin);
    for (const file of exported.files.filter((f) => f.format === 'csv')) {
      const rows = parseCsv(sink.files.get(file.name)?.text ?? '');
      expect(rows.length - 1, file.name).toBe(file.records);
    }
    const called = hers(system).flatMap((i) => (typeof i.calledNumber === 'string' ? [i.calledNumber] : []));
    const text = [...sink.files.values()].map((f) => f.text).join('\n');
    for (const number of called) expect(text).not.toContain(number);
  });

  it('exports nothing for someone it never knew, and the same files again on repeat (P1)', async () => {
    // Prepare: the demo data and a sink for a stranger.
    await reseed(system);
    const sink = createMemorySink();

    // Act
    const none = await connector().export({ email: stranger, subjectRef: 's_stranger' }, ctx(), {
      purpose: 'access',
      sink,
    });
    const first = await connector().export({ email: an.email }, ctx(), {
      purpose: 'access',
      sink: createMemorySink(),
    });
    const second = await connector().export({ email: an.email }, ctx(), {
      purpose: 'access',
      sink: createMemorySink(),
    });

    // Assess
    expect(none).toEqual([{ kind: 'not_found' }]);
    expect(sink.files.size).toBe(0);
    expect(second).toEqual(first);
  });

  // ---- rectify (P2) ----

  it('rectifies every field wherever it lives, never an issued invoice; the old values are gone from the fields (P2)', async () => {
    // Prepare: the demo data as it was.
    await reseed(system);
    const before = await scan(system);

    // Act
    const outcomes = await connector().rectify({ email: an.email, subjectRef: AN_REF }, ctx(), {
      changes: CHANGES,
    });

    // Assess
    expectValidOutcomes(outcomes);
    const after = await scan(system);
    const mine = after.filter((i) => i.customerNumber === an.customerNumber);
    const invoices = mine.filter((i) => i.sk.startsWith('INVOICE#'));
    for (const item of mine.filter((i) => !i.sk.startsWith('INVOICE#'))) {
      const where = `${item.pk} ${item.sk}`;
      for (const [field, value] of Object.entries(CHANGES)) {
        if (field in item && field !== 'email') expect(item[field], where).toEqual(value);
      }
      for (const attr of ['email', 'username'])
        if (attr in item) expect(item[attr], where).toBe(CHANGES.email);
      for (const attr of ['name', 'holder']) {
        if (attr in item) expect(item[attr], where).toBe(`${CHANGES.firstName} ${CHANGES.lastName}`);
      }
      // Unique values: nowhere outside issued invoices; call records keep the line the call was made from.
      const text = JSON.stringify(item);
      expect(text, where).not.toContain(an.email);
      expect(text, where).not.toContain(an.address.street);
      if (!item.sk.startsWith('CALL#')) expect(text, where).not.toContain(an.phone);
    }
    for (const invoice of invoices)
      expect(invoice).toEqual(before.find((b) => b.pk === invoice.pk && b.sk === invoice.sk));
    const rectified = outcomes.filter((o) => o.kind === 'rectified');
    expect(rectified.length).toBeGreaterThan(0);
    expect(JSON.stringify(outcomes)).not.toContain(CHANGES.email);
    if (system === 'billing') {
      expect(outcomes).toContainEqual(
        expect.objectContaining({ kind: 'retained', ground: 'issued_invoice', category: 'contract' }),
      );
    }
    // Found by the new address now; her issued invoices still carry the old one as printed.
    const located = await connector().locate({ email: CHANGES.email }, ctx());
    expect(located.records).toBe(hers(system).length);
    if (system === 'billing') expect(invoices.every((i) => i.email === an.email)).toBe(invoices.length > 0);
  });

  it('no longer finds her by her old address after an e-mail rectification: the old address answers as a stranger does (P2, P8, Art. 5(1)(d), Art. 12(6))', async () => {
    // Prepare: her address rectified; billing's issued invoices still print the old one.
    await reseed(system);
    await connector().rectify({ email: an.email, subjectRef: AN_REF }, ctx(), {
      changes: { email: CHANGES.email },
    });
    const before = await scan(system);
    const oldRef = 's_anDevosOldAddressRef0000000000';

    // Act: every operation asked with the old address, as a holder of the recycled mailbox would.
    const located = await connector().locate({ email: an.email, subjectRef: oldRef }, ctx());
    const sink = createMemorySink();
    const exported = await connector().export({ email: an.email, subjectRef: oldRef }, ctx(), {
      purpose: 'access',
      sink,
    });
    const erased = await connector().erase({ email: an.email, subjectRef: oldRef }, ctx());
    const rectified = await connector().rectify({ email: an.email, subjectRef: oldRef }, ctx(), {
      changes: { language: 'en' },
    });

    // Assess: exactly a stranger's answers, nothing written to the sink, nothing of hers changed in the store;
    // marketing, as for any erased address, keeps a keyed-hash suppression entry of the old address (P3)
    expect(located).toEqual(await connector().locate({ email: stranger, subjectRef: 's_stranger' }, ctx()));
    expect(located).toEqual({ found: false, records: 0, categories: [] });
    expect(exported).toEqual([{ kind: 'not_found' }]);
    expect(sink.files.size).toBe(0);
    expect(erased).toEqual(
      system === 'marketing'
        ? [{ kind: 'suppressed', lists: ['direct_mailing', 'newsletter'] }]
        : [{ kind: 'not_found' }],
    );
    expect(rectified).toEqual([{ kind: 'not_found' }]);
    const after = await scan(system);
    const keptForErasure = system === 'marketing' ? [`SUPPRESSED#${oldRef}`] : [];
    expect(after.filter((i) => !keptForErasure.includes(i.pk))).toEqual(before);
    expect(after.filter((i) => keptForErasure.includes(i.pk))).toHaveLength(keptForErasure.length);
    const byNew = await connector().locate({ email: CHANGES.email, subjectRef: AN_REF }, ctx());
    expect(byNew.records).toBe(hers(system).length);
  });

  it('is idempotent: a repeat rectification changes nothing more and reports the same (P2)', async () => {
    // Prepare: her records, rectified once.
    await reseed(system);
    const first = await connector().rectify({ email: an.email, subjectRef: AN_REF }, ctx(), {
      changes: CHANGES,
    });
    const between = await scan(system);

    // Act
    const second = await connector().rectify({ email: an.email, subjectRef: AN_REF }, ctx(), {
      changes: CHANGES,
    });

    // Assess
    expect(second).toEqual(first);
    expect(await scan(system)).toEqual(between);
  });

  it('rectifies nothing for someone it never knew (P2)', async () => {
    // Prepare: the demo data as it was.
    await reseed(system);
    const before = await scan(system);

    // Act
    const outcomes = await connector().rectify({ email: stranger }, ctx(), { changes: { language: 'en' } });

    // Assess
    expect(outcomes).toEqual([{ kind: 'not_found' }]);
    expect(await scan(system)).toEqual(before);
  });

  // ---- object (P6) ----

  it('after an objection holds no marketing, no interest profile and no marketing consent of hers (P6)', async () => {
    // Prepare: the demo data, her consents granted.
    await reseed(system);

    // Act
    const outcomes = await connector().object({ email: an.email, subjectRef: AN_REF }, ctx(), {
      scope: ['direct_marketing', 'profiling'],
    });

    // Assess
    expectValidOutcomes(outcomes);
    const mine = (await scan(system)).filter((i) => i.customerNumber === an.customerNumber);
    expect(mine.filter((i) => i.category === 'marketing' || i.category === 'profiling')).toEqual([]);
    expect(mine.filter((i) => i.sk.startsWith('CONSENT#') && i.granted === true)).toEqual([]);
    if (system === 'billing' || system === 'support') {
      expect(outcomes).toEqual([{ kind: 'skipped', reason: 'not_applicable' }]);
    }
  });

  it('is idempotent: a repeat objection changes nothing and reports what still holds (P6)', async () => {
    // Prepare: her records after one objection.
    await reseed(system);
    const first = await connector().object({ email: an.email, subjectRef: AN_REF }, ctx(), {
      scope: ['direct_marketing', 'profiling'],
    });
    const between = await scan(system);

    // Act
    const second = await connector().object({ email: an.email, subjectRef: AN_REF }, ctx(), {
      scope: ['direct_marketing', 'profiling'],
    });

    // Assess
    expect(second).toEqual(first.filter((o) => o.kind !== 'erased'));
    expect(await scan(system)).toEqual(between);
  });

  it("after an objection on legitimate interest flags only the records of the register's purposes on it, and a repeat changes nothing (P6, Art. 21(1))", async () => {
    // Prepare: the demo data; the purposes on legitimate interest this system holds (processing register).
    await reseed(system);
    const lines = legitimateInterestPurposes(system);
    const before = await scan(system);

    // Act
    const first = await connector().object({ email: an.email, subjectRef: AN_REF }, ctx(), {
      scope: ['legitimate_interest'],
    });
    const between = await scan(system);
    const second = await connector().object({ email: an.email, subjectRef: AN_REF }, ctx(), {
      scope: ['legitimate_interest'],
    });

    // Assess: each of her records of those types carries the purposes; nothing else changed; the repeat answers the same
    expectValidOutcomes(first);
    const ofType = (sk: string, type: string) => sk === type || sk.startsWith(`${type}#`);
    const purposesFor = (i: { pk: string; sk: string; customerNumber?: unknown }) =>
      i.customerNumber === an.customerNumber
        ? lines.filter((l) => l.records.some((t) => ofType(i.sk, t))).map((l) => l.purpose)
        : [];
    for (const item of between) {
      const expected = purposesFor(item);
      const old = before.find((b) => b.pk === item.pk && b.sk === item.sk);
      if (expected.length === 0) expect(item, `${item.pk}/${item.sk}`).toEqual(old);
      else expect(item, `${item.pk}/${item.sk}`).toMatchObject({ ...old, objectedPurposes: expected.sort() });
    }
    expect(between.length).toBe(before.length);
    if (lines.length === 0) expect(first).toEqual([{ kind: 'skipped', reason: 'not_applicable' }]);
    else {
      expect(first.length).toBeGreaterThan(0);
      expect(first.every((o) => o.kind === 'objected')).toBe(true);
    }
    expect(second).toEqual(first);
    expect(await scan(system)).toEqual(between);
  });
});

describe('Connector: billing retention (P3)', () => {
  const billing = () => createBillingConnector(stores(TABLE_NAMES.system('billing')));

  it('keeps invoices under legal retention, stripped of contact data and IBAN, until 31-12 of invoice year + 10 (P3)', async () => {
    // Prepare: her paid invoices in the billing store.
    await reseed('billing');
    const invoices = hers('billing').filter((i) => String(i.sk).startsWith('INVOICE#'));

    // Act
    const outcomes = await billing().erase({ email: an.email, subjectRef: AN_REF }, ctx());

    // Assess
    const kept = (await scan('billing')).filter((i) => i.restricted === true && i.sk.startsWith('INVOICE#'));
    expect(kept).toHaveLength(invoices.length);
    expect(invoices.length).toBeGreaterThanOrEqual(3);
    for (const item of kept) {
      const original = invoices.find((i) => i.sk === item.sk) as Item;
      const year = Number(String(original.invoiceDate).slice(0, 4));
      expect(findFields(item, CONTACT_AND_FINANCIAL_FIELDS)).toEqual([]);
      for (const trace of [an.email, an.phone, an.iban as string])
        expect(JSON.stringify(item)).not.toContain(trace);
      expect(item.retention).toMatchObject({ ground: 'fiscal_retention', until: `${year + 10}-12-31` });
      expect(item).toMatchObject({
        invoiceNumber: original.invoiceNumber,
        total: original.total,
        lines: original.lines,
      });
      expect((item.payment as Record<string, unknown>).paidAt).toBeDefined();
    }
    const retained = outcomes.filter(
      (o): o is Extract<Outcome, { kind: 'retained' }> => o.kind === 'retained' && o.category === 'contract',
    );
    expect(new Set(retained.map((o) => o.until))).toEqual(new Set(['2035-12-31', '2036-12-31']));
    for (const o of retained) {
      expect(o).toMatchObject({ category: 'contract', ground: 'fiscal_retention' });
      expect(o.kind === 'retained' && o.kept).toEqual(
        expect.arrayContaining(['invoiceNumber', 'name', 'payment']),
      );
      expect(o.kind === 'retained' && o.kept).not.toContain('email');
    }
    // Profile, bank account and credit score go; her calls are traffic data (below).
    expect(outcomes.filter((o) => o.kind === 'erased').map((o) => 'category' in o && o.category)).toEqual([
      'financial',
      'identification',
    ]);
  });

  it('keeps her calls as traffic data until 12 months after the month of each call, without her own number (P3, ECA art. 122)', async () => {
    // Prepare: her calls of this February (the clock is 16 February 2026) in the billing store.
    await reseed('billing');
    const calls = hers('billing').filter((i) => String(i.sk).startsWith('CALL#'));

    // Act
    const outcomes = await billing().erase({ email: an.email, subjectRef: AN_REF }, ctx());

    // Assess: every call kept, restricted, on traffic_data until the end of February 2027 (register: 12 months),
    // holding who she called and when but not the line she called from
    const kept = (await scan('billing')).filter((i) => i.restricted === true && i.sk.startsWith('CALL#'));
    expect(kept).toHaveLength(calls.length);
    for (const call of kept) {
      expect(call.pk).toBe(`RESTRICTED#${AN_REF}`);
      expect(call.retention).toMatchObject({ ground: 'traffic_data', until: '2027-02-28' });
      expect(call).not.toHaveProperty('callingNumber');
      expect(JSON.stringify(call)).not.toContain(an.phone);
    }
    expect(outcomes).toContainEqual(
      expect.objectContaining({
        kind: 'retained',
        category: 'usage',
        records: calls.length,
        ground: 'traffic_data',
        until: '2027-02-28',
      }),
    );
  });

  it('keeps an unpaid invoice on the open-claim ground (P3)', async () => {
    // Prepare: Jan's unpaid invoice in the billing store.
    await reseed('billing');
    const jan = DEMO_CUSTOMERS.jan;

    // Act
    const outcomes = await billing().erase({ email: jan.email, subjectRef: 's_janPeetersTestRef' }, ctx());

    // Assess
    expect(outcomes).toContainEqual(
      expect.objectContaining({ kind: 'retained', ground: 'open_claim', records: 1 }),
    );
    expect(outcomes).toContainEqual(
      expect.objectContaining({ kind: 'retained', ground: 'fiscal_retention', records: 1 }),
    );
  });

  it('finds the kept invoices again by the pseudonymous subject id, never by the erased address (P3)', async () => {
    // Prepare: her invoices, kept after an erasure.
    await reseed('billing');
    await billing().erase({ email: an.email, subjectRef: AN_REF }, ctx());

    // Act
    const withRef = await billing().locate({ email: an.email, subjectRef: AN_REF }, ctx());
    const withoutRef = await billing().locate({ email: an.email }, ctx());

    // Assess: the kept invoices and calls
    expect(withRef).toMatchObject({ found: true, categories: ['contract', 'usage'] });
    expect(withoutRef).toEqual({ found: false, records: 0, categories: [] });
  });
  it('shows the kept invoices in a later access export with their ground and date, and leaves them out of portability (P1, P7)', async () => {
    // Prepare: her invoices, kept after an erasure.
    await reseed('billing');
    await billing().erase({ email: an.email, subjectRef: AN_REF }, ctx());
    const access = createMemorySink();
    const portability = createMemorySink();

    // Act
    const forAccess = exportedOf(
      await billing().export({ email: an.email, subjectRef: AN_REF }, ctx(), {
        purpose: 'access',
        sink: access,
      }),
    );
    const forPortability = exportedOf(
      await billing().export({ email: an.email, subjectRef: AN_REF }, ctx(), {
        purpose: 'portability',
        sink: portability,
      }),
    );

    // Assess
    const kept = JSON.parse(access.files.get('restricted-invoices.json')?.text ?? '[]') as Record<
      string,
      unknown
    >[];
    const calls = JSON.parse(access.files.get('restricted-calls.json')?.text ?? '[]') as Record<
      string,
      unknown
    >[];
    expect(kept).toHaveLength(4);
    for (const invoice of kept) {
      expect(invoice).toMatchObject({
        category: 'contract',
        restricted: true,
        retention: { ground: 'fiscal_retention' },
      });
    }
    expect(calls).toHaveLength(8);
    for (const call of calls) {
      expect(call).toMatchObject({
        category: 'usage',
        restricted: true,
        retention: { ground: 'traffic_data' },
      });
    }
    expect(forAccess.records).toBe(12);
    expect(forPortability).toMatchObject({
      records: 0,
      files: [],
      omitted: expect.arrayContaining([
        { category: 'contract', records: 4, reason: 'restricted' },
        { category: 'usage', records: 8, reason: 'restricted' },
      ]),
    });
  });
});

describe('Connector handler', () => {
  const requestId = 'r_HandlerTest00000000001';
  let billingHandler: (event: unknown, context: Context) => Promise<ConnectorResult>;
  const context = {} as Context;

  beforeAll(async () => {
    // Imported only now: the module makes its client once, with the environment the helper set.
    ({ handler: billingHandler } = await import('../../functions/connectors/billing/handler.ts'));
    await putHerRequest(requestId);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  const marker = (operation: 'locate' | 'erase', attempt: number) =>
    db.doc.send(
      new GetCommand({
        TableName: TABLE_NAMES.system('billing'),
        Key: opsKey(requestId, operation, attempt),
      }),
    );

  it('runs an erase once per request, system, operation and attempt, and answers the recorded result again (P3)', async () => {
    // Prepare: her billing records, and one delivery of an erase.
    await reseed('billing');
    const event = { requestId, attempt: 1, system: 'billing', operation: 'erase' };

    // Act
    const first = await billingHandler(event, context);
    await reseed('billing'); // her records are back: a second run would erase them again
    const second = await billingHandler(event, context);

    // Assess
    expect(ConnectorResultSchema.parse(first)).toEqual(first);
    expect(first.outcomes.some((o) => o.kind === 'erased')).toBe(true);
    expect(second).toEqual(first);
    expect((await marker('erase', 1)).Item?.result).toEqual(first);
    expect(
      (await scan('billing')).filter((i) => i.customerNumber === an.customerNumber && !i.restricted),
    ).not.toHaveLength(0);
  });

  it('acts again for a new attempt (a staff retry) and keeps its own marker (P3)', async () => {
    // Prepare: an erase done under an earlier attempt.
    await reseed('billing');
    await billingHandler({ requestId, attempt: 2, system: 'billing', operation: 'erase' }, context);

    // Act
    const third = await billingHandler(
      { requestId, attempt: 3, system: 'billing', operation: 'erase' },
      context,
    );

    // Assess
    expect(third.outcomes.every((o) => o.kind === 'retained')).toBe(true);
    expect((await marker('erase', 3)).Item).toBeDefined();
  });

  it('locates through the handler and logs ids and counts, never her address, name or IBAN (P15)', async () => {
    // Prepare: her billing records, and the log captured.
    await reseed('billing');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });

    // Act
    const result = await billingHandler(
      { requestId, attempt: 4, system: 'billing', operation: 'locate' },
      context,
    );

    // Assess
    vi.restoreAllMocks();
    expect(result.located).toMatchObject({ found: true });
    expect(result.outcomes).toEqual([]);
    const logged = lines.join('');
    expect(logged).toContain(requestId);
    for (const trace of [an.email, 'Devos', an.iban as string, an.phone]) expect(logged).not.toContain(trace);
  });

  /** The billing Lambda as wiring builds it, counting the erasures it starts and the writes they make. */
  const countingBilling = (delayMs: number) => {
    const counts = { erasures: 0, moves: 0, deletes: 0 };
    const handler = createConnectorHandler({
      system: 'billing',
      deps: connectorDeps('billing'),
      connector: (stores) => {
        const records: SystemStore = {
          ...stores.records,
          move: (from, to) => {
            counts.moves += 1;
            return stores.records.move(from, to);
          },
          deleteAll: (keys) => {
            counts.deletes += keys.length;
            return stores.records.deleteAll(keys);
          },
        };
        const connector = createBillingConnector({ ...stores, records });
        return {
          ...connector,
          async erase(subject, ctx) {
            counts.erasures += 1;
            // Slow enough that the other delivery surely arrives while this one holds the lock.
            await new Promise((done) => setTimeout(done, delayMs));
            return connector.erase(subject, ctx);
          },
        };
      },
    });
    return { handler, counts };
  };

  it('acts once for two deliveries of the same erase at the same moment, and gives both the same answer (P3)', async () => {
    // Prepare: her billing records are back; two deliveries of one attempt (a retry racing the original).
    await reseed('billing');
    const { handler, counts } = countingBilling(300);
    const event = { requestId, attempt: 7, system: 'billing', operation: 'erase' };

    // Act: both at once.
    const [first, second] = await Promise.all([handler(event, context), handler(event, context)]);

    // Assess: one erasure changed the store (4 invoices and 8 calls moved, the rest deleted once); one recorded answer.
    const kept = hers('billing').filter((i) => /^(INVOICE|CALL)#/.test(String(i.sk))).length;
    expect(kept).toBe(12);
    expect(counts.erasures).toBe(1);
    expect(counts.moves).toBe(kept);
    expect(counts.deletes).toBe(hers('billing').length - kept);
    expect(second).toEqual(first);
    expect(first.outcomes.some((o) => o.kind === 'erased')).toBe(true);
    expect((await marker('erase', 7)).Item?.result).toEqual(first);
  });

  it('acts once for five deliveries of the same rectification at the same moment, all with the same answer (P2)', async () => {
    // Prepare: a rectification request of a new number; five deliveries of one attempt.
    await reseed('billing');
    const rectifyId = 'r_HandlerTest00000000002';
    await putHerRequest(rectifyId, { changes: { phone: '+32470111222' } });
    const updates: string[] = [];
    const handler = createConnectorHandler({
      system: 'billing',
      deps: connectorDeps('billing'),
      connector: (stores) =>
        createBillingConnector({
          ...stores,
          records: {
            ...stores.records,
            update: (key, set) => {
              updates.push(`${key.pk}|${key.sk}`);
              return stores.records.update(key, set);
            },
          },
        }),
    });
    const event = { requestId: rectifyId, attempt: 1, system: 'billing', operation: 'rectify' };

    // Act
    const answers = await Promise.all(Array.from({ length: 5 }, () => handler(event, context)));

    // Assess: each record written once, by one run; every delivery answers alike.
    expect(updates.length).toBeGreaterThan(0);
    expect(new Set(updates).size).toBe(updates.length);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]?.outcomes.some((o) => o.kind === 'rectified')).toBe(true);
  });

  it('refuses an event meant for another system (P15)', async () => {
    // Prepare: a delivery for the CRM reaching billing. Act and Assess: refused.
    await expect(
      billingHandler({ requestId, attempt: 1, system: 'crm', operation: 'erase' }, context),
    ).rejects.toThrow(/crm/);
  });
});

describe('Demo data seeding', () => {
  it('seeds once: a restart does not bring back what an erasure removed (P3)', async () => {
    // Prepare: a seeded CRM store, then an erasure.
    await reseed('crm');
    await db.doc.send(new PutCommand({ TableName: TABLE_NAMES.system('crm'), Item: { ...SEED_MARKER } }));
    await createCrmConnector(stores(TABLE_NAMES.system('crm'))).erase({ email: an.email }, ctx());

    // Act
    const wrote = await seedDemoData(db.doc, NOW);

    // Assess
    expect(wrote).toBe(true); // the other, unmarked stores were seeded
    const crm = await scan('crm');
    expect(crm.some((i) => i.customerNumber === an.customerNumber)).toBe(false);
    expect(await seedDemoData(db.doc, NOW)).toBe(false);
  });
});

describe('DynamoDB Local for the embedded runtime', () => {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    // An orphan that was killed may linger as a zombie until its new parent reaps it.
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  };

  it('ends the Java process a SIGKILLed runtime left holding the port, and starts again on the same data', async () => {
    // Prepare: DynamoDB Local started by a runtime that is then SIGKILLed, leaving Java on the port.
    const dir = mkdtempSync(join(tmpdir(), 'jsm-ddb-'));
    const dbPath = join(dir, 'db');
    const port = await freePort();
    const script = join(dir, 'hold.mts');
    const module = pathToFileURL(resolve('local/dynamodb.ts')).href;
    writeFileSync(
      script,
      `import { startDynamoDb } from ${JSON.stringify(module)};\n` +
        `await startDynamoDb({ port: ${port}, dbPath: ${JSON.stringify(dbPath)} });\n` +
        `console.log('READY');\nsetInterval(() => {}, 1000);\n`,
    );
    const runtime = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await new Promise<void>((ready, fail) => {
      runtime.stdout.on('data', (chunk) => String(chunk).includes('READY') && ready());
      runtime.once('exit', () => fail(new Error('the runtime exited before DynamoDB Local was up')));
    });
    const stale = (JSON.parse(readFileSync(`${dbPath}.pid`, 'utf8')) as { pid: number }).pid;
    runtime.kill('SIGKILL');
    await new Promise((gone) => runtime.once('exit', gone));
    expect(alive(stale)).toBe(true);

    // Act
    const again = await startDynamoDb({ port, dbPath });

    // Assess
    expect(alive(stale)).toBe(false);
    const fresh = (JSON.parse(readFileSync(`${dbPath}.pid`, 'utf8')) as { pid: number }).pid;
    await again.stop();
    expect(alive(fresh)).toBe(false);
    expect(existsSync(`${dbPath}.pid`)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses, naming the holder, a port held by a program that is not ours', async () => {
    // Prepare: a port held by a program that is not DynamoDB Local.
    const server = createServer();
    const port = await freePort();
    await new Promise<void>((listening) => server.listen(port, listening));

    // Act
    await expect(startDynamoDb({ port })).rejects.toThrow(/held by process \d+|in use/);

    // Assess
    await new Promise((closed) => server.close(closed));
  });
});

describe('Connector: marketing objection and re-import (P6)', () => {
  const SECRET = 'contract-suite-secret';
  const ref = (email: string) => subjectRef(SECRET, email);
  const table = TABLE_NAMES.system('marketing');
  const marketing = () => createMarketingConnector(stores(table));
  const importer = () => ({ subscribers: dynamoSubscriberStore(db.doc, table), subjectRef: ref, now: NOW });
  const row = subscriberRow;
  /** An old list with her on both lists and a prospect on the newsletter. */
  const herAnd = (prospect: string, firstName: string) => [
    row(an, 'newsletter'),
    row(an, 'direct_mailing'),
    prospectRow(prospect, firstName),
  ];
  /** Her two entries erased and both lists suppressed for her. */
  const OFF_HER_LISTS = [
    { kind: 'erased', records: 2, category: 'marketing' },
    { kind: 'suppressed', lists: ['direct_mailing', 'newsletter'] },
  ];
  /** What importing `herAnd(prospect)` must do once she is suppressed: skip both her rows, list the prospect. */
  const expectOnlyProspectImported = async (imported: unknown, prospect: string) => {
    expect(imported).toEqual({ added: 1, present: 0, suppressed: 2, invalid: 0 });
    expect(await onLists(an.email, an.customerNumber)).toEqual([]);
    expect(await onLists(prospect)).toHaveLength(1);
  };
  const suppressions = async () => (await scan('marketing')).filter((i) => i.pk.startsWith('SUPPRESSED#'));
  const withSets = (v: unknown) => JSON.stringify(v, (_, x) => (x instanceof Set ? [...x] : x));
  const onLists = async (email: string, customerNumber?: string) =>
    (await scan('marketing')).filter(
      (i) =>
        i.sk.startsWith('LIST#') &&
        (i.email === email || (customerNumber && i.customerNumber === customerNumber)),
    );

  it('takes her off every list, and a re-import does not bring her back (P6)', async () => {
    // Prepare: her list entries, and a prospect in the next import.
    await reseed('marketing');
    const prospect = 'new.prospect@example.be';

    // Act
    const outcomes = await marketing().object({ email: an.email, subjectRef: ref(an.email) }, ctx(), {
      scope: ['direct_marketing'],
    });
    const imported = await importSubscribers(importer(), herAnd(prospect, 'Nieuw'));

    // Assess
    expect(outcomes).toEqual(OFF_HER_LISTS);
    await expectOnlyProspectImported(imported, prospect);
    const suppression = await suppressions();
    expect(suppression).toHaveLength(1);
    expect(withSets(suppression)).not.toMatch(/@|Devos/);
  });

  it('keeps an erased person off every list: a re-import of an old list does not bring her back (P3, Art. 17)', async () => {
    // Prepare: her list entries, and a prospect in the old list.
    await reseed('marketing');
    const prospect = 'old.prospect@example.be';

    // Act: erase her, then import an old list with her and the prospect on it
    const outcomes = await marketing().erase({ email: an.email, subjectRef: ref(an.email) }, ctx());
    const imported = await importSubscribers(importer(), herAnd(prospect, 'Oud'));

    // Assess: her entries erased and every list suppressed for the reason erasure; the import skips her only
    expect(outcomes).toEqual(OFF_HER_LISTS);
    await expectOnlyProspectImported(imported, prospect);
    const suppression = await suppressions();
    expect(suppression).toHaveLength(1);
    expect([...((suppression[0]?.reasons ?? []) as Set<string>)]).toEqual(['erasure']);
    expect(withSets(suppression)).not.toMatch(/@|Devos/);
  });

  it('keeps someone who was on no list off every list after their objection (P6, Art. 21(3))', async () => {
    // Prepare: someone on no list.
    await reseed('marketing');
    const noor = DEMO_CUSTOMERS.noor;

    // Act
    const outcomes = await marketing().object({ email: noor.email, subjectRef: ref(noor.email) }, ctx(), {
      scope: ['direct_marketing'],
    });
    const imported = await importSubscribers(importer(), [row(noor, 'newsletter')]);

    // Assess
    expect(outcomes).toEqual([{ kind: 'suppressed', lists: ['direct_mailing', 'newsletter'] }]);
    expect(imported.suppressed).toBe(1);
    expect(await onLists(noor.email, noor.customerNumber)).toEqual([]);
  });

  it('lets the suppression follow her to a new e-mail address (P2, P6)', async () => {
    // Prepare: her suppression entry, and her new address and its keyed hash.
    await reseed('marketing');
    const newEmail = 'an.nieuw@example.be';
    await marketing().object({ email: an.email, subjectRef: ref(an.email) }, ctx(), {
      scope: ['direct_marketing'],
    });

    // Act
    const outcomes = await marketing().rectify({ email: an.email, subjectRef: ref(an.email) }, ctx(), {
      changes: { email: newEmail },
      newSubjectRef: ref(newEmail),
    });
    const imported = await importSubscribers(importer(), [{ ...row(an, 'newsletter'), email: newEmail }]);

    // Assess
    expect(outcomes).toEqual([{ kind: 'suppressed', lists: ['direct_mailing', 'newsletter'] }]);
    expect(imported.suppressed).toBe(1);
    expect(await onLists(newEmail, an.customerNumber)).toEqual([]);
  });

  it('imports idempotently, refuses bad rows, and honours an opt-out of one list only (P5)', async () => {
    // Prepare: rows for the lists, some twice, some bad.
    await reseed('marketing');
    const noor = DEMO_CUSTOMERS.noor;
    await dynamoSuppressionStore(db.doc, table).suppress({
      subjectRef: ref(noor.email),
      lists: ['newsletter'],
      reason: 'opt_out',
      now: NOW,
    });

    // Act
    const first = await importSubscribers(importer(), [row(noor, 'newsletter'), row(noor, 'direct_mailing')]);
    const again = await importSubscribers(importer(), [
      row(noor, 'direct_mailing'),
      { list: 'newsletter', email: 'x' },
    ]);

    // Assess
    expect(first).toEqual({ added: 1, present: 0, suppressed: 1, invalid: 0 });
    expect(again).toEqual({ added: 0, present: 1, suppressed: 0, invalid: 1 });
    expect((await onLists(noor.email)).map((i) => i.list)).toEqual(['direct_mailing']);
  });
});

describe('Connector: CRM objection (P6)', () => {
  const crm = () => createCrmConnector(stores(TABLE_NAMES.system('crm')));
  const consents = async () =>
    Object.fromEntries(
      (await scan('crm'))
        .filter((i) => i.customerNumber === an.customerNumber && i.sk.startsWith('CONSENT#'))
        .map((i) => [i.purpose, i]),
    );

  it('deletes her interest profile and withdraws only the profiling consent when she withdraws it (P6, Art. 7(3))', async () => {
    // Prepare: her consents and interest profile in the CRM.
    await reseed('crm');

    // Act
    const outcomes = await crm().object({ email: an.email }, ctx(), { scope: ['profiling'] });

    // Assess
    expect(outcomes).toEqual([
      { kind: 'withdrawn', records: 1, category: 'preferences', purposes: ['profiling'] },
      { kind: 'erased', records: 3, category: 'profiling' },
    ]);
    const after = await consents();
    expect(after.profiling).toMatchObject({ granted: false, withdrawnAt: NOW.toISOString() });
    expect(after.newsletter).toMatchObject({ granted: true });
    expect(
      (await scan('crm')).filter(
        (i) => i.sk.startsWith('INTEREST#') && i.customerNumber === an.customerNumber,
      ),
    ).toEqual([]);
  });

  it('withdraws the profiling consent and deletes her interest profile for an objection to direct marketing, keeping the withdrawn consents as evidence (P6, Art. 21(2))', async () => {
    // Prepare: her marketing and profiling consents and her interest profile in the CRM.
    await reseed('crm');

    // Act: she objects to direct marketing only
    const outcomes = await crm().object({ email: an.email }, ctx(), { scope: ['direct_marketing'] });

    // Assess: the profiling for direct marketing ends with it
    expect(outcomes).toEqual([
      {
        kind: 'withdrawn',
        records: 3,
        category: 'preferences',
        purposes: ['direct_mailing', 'newsletter', 'profiling'],
      },
      { kind: 'erased', records: 3, category: 'profiling' },
    ]);
    const after = await consents();
    expect(after.newsletter).toMatchObject({
      granted: false,
      withdrawnAt: NOW.toISOString(),
      policyVersion: '2024-03',
    });
    expect(after.direct_mailing).toMatchObject({ granted: false });
    expect(after.profiling).toMatchObject({ granted: false, withdrawnAt: NOW.toISOString() });
    expect(
      (await scan('crm')).filter(
        (i) => i.sk.startsWith('INTEREST#') && i.customerNumber === an.customerNumber,
      ),
    ).toEqual([]);
  });
});

describe('Connector: rectification safeguards (P2)', () => {
  it('refuses to move her to an address another customer holds, and changes nothing (P2)', async () => {
    // Prepare: another customer already holding the new address.
    await reseed('crm');
    const before = await scan('crm');

    // Act
    const outcomes = await createCrmConnector(stores(TABLE_NAMES.system('crm'))).rectify(
      { email: an.email, subjectRef: AN_REF },
      ctx(),
      { changes: { email: DEMO_CUSTOMERS.luc.email, lastName: 'Martens' } },
    );

    // Assess
    expect(outcomes).toEqual([{ kind: 'failed', retryable: false, reason: 'email_in_use' }]);
    expect(await scan('crm')).toEqual(before);
  });

  it('gives a recycled old address to a new customer without her invoices: only his own records answer (P8, Art. 5(1)(f))', async () => {
    // Prepare: her address rectified, then the old mailbox handed to a new customer.
    await reseed('billing');
    const table = TABLE_NAMES.system('billing');
    const billing = createBillingConnector(stores(table));
    await billing.rectify({ email: an.email, subjectRef: AN_REF }, ctx(), {
      changes: { email: CHANGES.email },
    });
    await db.doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          pk: 'CUST#C-199001',
          sk: 'PROFILE',
          customerNumber: 'C-199001',
          category: 'identification',
          origin: 'provided',
          firstName: 'Bram',
          lastName: 'Nieuw',
          email: an.email,
        },
      }),
    );

    // Act
    const located = await billing.locate({ email: an.email }, ctx());
    const sink = createMemorySink();
    await billing.export({ email: an.email }, ctx(), { purpose: 'access', sink });

    // Assess: one record, his; none of her invoices reach him.
    expect(located).toMatchObject({ found: true, records: 1, categories: ['identification'] });
    expect(jsonRecords(sink)).toHaveLength(1);
    expect(JSON.stringify(jsonRecords(sink))).not.toContain(an.customerNumber);
  });

  it("leaves an account holder's name alone when the account is someone else's (P2)", async () => {
    // Prepare: a bank account in a partner's name.
    await reseed('billing');
    const table = TABLE_NAMES.system('billing');
    await db.doc.send(
      new PutCommand({
        TableName: table,
        Item: { ...(hers('billing').find((i) => i.sk === 'BANK_ACCOUNT') as Item), holder: 'Tom Claes' },
      }),
    );

    // Act
    await createBillingConnector(stores(table)).rectify({ email: an.email }, ctx(), {
      changes: { lastName: 'Claes' },
    });

    // Assess
    const items = (await scan('billing')).filter((i) => i.customerNumber === an.customerNumber);
    expect(items.find((i) => i.sk === 'BANK_ACCOUNT')?.holder).toBe('Tom Claes');
    expect(items.find((i) => i.sk === 'PROFILE')?.lastName).toBe('Claes');
  });
});

describe('Connector: an address several people share (P8)', () => {
  const { koen, sarah } = DEMO_CUSTOMERS;
  const household = { email: koen.email, subjectRef: 's_householdVerstraeteRef000000000' };
  const SHARED: { system: BuiltInSystem; create: Factory }[] = [
    { system: 'billing', create: createBillingConnector },
    { system: 'crm', create: createCrmConnector },
  ];

  it.each(SHARED)(
    '$system answers ambiguous with counts only, and discloses, exports, changes or erases nothing for anyone (P8, Art. 12(6))',
    async ({ system, create }) => {
      // Prepare: the demo data: Koen and Sarah Verstraete share one mailbox.
      await reseed(system);
      const before = await scan(system);
      const connector = create(stores(TABLE_NAMES.system(system)));

      // Act: every operation, with the shared address and nobody picked.
      const located = await connector.locate(household, ctx());
      const sink = createMemorySink();
      const ops = [
        await connector.export(household, ctx(), { purpose: 'access', sink }),
        await connector.erase(household, ctx()),
        await connector.rectify(household, ctx(), { changes: { language: 'fr' } }),
        await connector.object(household, ctx(), { scope: ['direct_marketing', 'profiling'] }),
      ];

      // Assess: counts, no categories, no language; every act answers ambiguous; no file; the store unchanged.
      expect(located).toEqual({ found: true, records: expect.any(Number), categories: [], customers: 2 });
      for (const outcomes of ops) {
        expect(outcomes).toEqual([{ kind: 'ambiguous', customers: 2, records: located.records }]);
        expectValidOutcomes(outcomes);
      }
      expect(sink.files.size).toBe(0);
      expect(await scan(system)).toEqual(before);
    },
  );

  it.each(SHARED)(
    '$system acts for the customer staff picked only: the other one sharing the address is untouched (P8)',
    async ({ system, create }) => {
      // Prepare: the demo data, and Koen picked by staff.
      await reseed(system);
      const connector = create(stores(TABLE_NAMES.system(system)));
      const picked = { ...household, customerNumber: koen.customerNumber };

      // Act
      const located = await connector.locate(picked, ctx());
      const sink = createMemorySink();
      await connector.export(picked, ctx(), { purpose: 'access', sink });
      const outcomes = await connector.erase(picked, ctx());

      // Assess: his records only, in the count, the export and the erasure; Sarah's exactly as seeded.
      expect(located).toMatchObject({ found: true, records: hers(system, koen).length });
      expect(located.customers).toBeUndefined();
      expect(new Set(jsonRecords(sink).map((r) => r.customerNumber))).toEqual(new Set([koen.customerNumber]));
      expectValidOutcomes(outcomes);
      const after = await scan(system);
      expect(after.filter((i) => i.pk === `CUST#${koen.customerNumber}`)).toEqual([]);
      const bySk = (items: Record<string, unknown>[]) =>
        [...items].sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
      expect(bySk(after.filter((i) => i.customerNumber === sarah.customerNumber))).toEqual(
        bySk(hers(system, sarah)),
      );
    },
  );
});

describe('Export to S3 (P1, P7)', () => {
  const BUCKET = 'jsm-exports-test';
  let s3: LocalS3;
  let client: S3Client;
  let dir: string;
  const requestId = 'r_ExportTest000000000001';
  const context = {} as Context;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jsm-s3-'));
    s3 = await startS3({ port: 0, host: '127.0.0.1', dir, buckets: [BUCKET] });
    // The handler's own client (functions/aws/clients.ts) finds s3rver the way it would on AWS: by env.
    Object.assign(process.env, { AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${s3.port}`, EXPORT_BUCKET: BUCKET });
    client = new S3Client({ forcePathStyle: true, endpoint: `http://127.0.0.1:${s3.port}` });
  });

  afterAll(async () => {
    client?.destroy();
    await s3?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const object = async (key: string) => {
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return Buffer.from(
      await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
  };

  it('streams a file larger than one part to S3 and stores exactly the bytes whose hash it reports (P7)', async () => {
    // Prepare: an S3 sink and one CSV file.
    const sink = createS3ExportSink({ client, bucket: BUCKET, prefix: 'exports/big/' });
    const file = sink.file('calls.csv', 'csv');

    // Act
    for (let n = 0; n < 60_000; n++) {
      await file.write({
        category: 'usage',
        origin: 'observed',
        startedAt: new Date(n * 1000).toISOString(),
        n,
        note: 'x'.repeat(80),
      });
    }
    const info = await file.close();

    // Assess
    const body = await object('exports/big/calls.csv');
    expect(info.bytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(body.length).toBe(info.bytes);
    expect(createHash('sha256').update(body).digest('hex')).toBe(info.sha256);
    expect(parseCsv(body.toString('utf8'))).toHaveLength(60_001);
  });

  it('leaves no object behind when an export is aborted half-way (P7)', async () => {
    // Prepare: an S3 sink with a file written half-way.
    const sink = createS3ExportSink({ client, bucket: BUCKET, prefix: 'exports/aborted/' });
    const file = sink.file('notes.json', 'json');
    await file.write({ category: 'support', text: 'half' });

    // Act
    await file.abort();

    // Assess
    const listed = await client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'exports/aborted/' }),
    );
    expect(listed.KeyCount ?? 0).toBe(0);
  });

  it('exports through the connector Lambda into exports/<request>/<attempt>/<system>/, answering counts and hashes only (P7)', async () => {
    // Prepare: her billing records, and a portability request.
    await reseed('billing');
    await putHerRequest(requestId, { type: 'portability' });
    const { handler } = await import('../../functions/connectors/billing/handler.ts');

    // Act
    const result = await handler({ requestId, attempt: 1, system: 'billing', operation: 'export' }, context);

    // Assess
    const exported = exportedOf(result.outcomes);
    expect(exported.purpose).toBe('portability');
    const prefix = `exports/${requestId}/1/billing/`;
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(
      exported.files.map((f) => `${prefix}${f.name}`).sort(),
    );
    for (const file of exported.files) {
      const body = await object(`${prefix}${file.name}`);
      expect(createHash('sha256').update(body).digest('hex'), file.name).toBe(file.sha256);
    }
    const answer = JSON.stringify(result);
    for (const trace of [an.email, an.phone, an.iban as string, 'Devos']) expect(answer).not.toContain(trace);
    expect(exported.files.some((f) => f.name.startsWith('credit-scores'))).toBe(false);
  });
});

// ---- The contract every connector keeps, built-in or added by configuration (P17) ----

/** A configured HTTP system's connector against its own local REST service, seeded with its demo records. */
async function startConfiguredSystem(config: HttpSystem) {
  const dir = mkdtempSync(join(tmpdir(), 'jsm-system-'));
  const file = join(dir, 'store.json');
  const secret = 'contract-suite-key';
  const seed = JSON.parse(readFileSync(join(DEMO_SYSTEMS_DIR, `${config.name}.json`), 'utf8')) as RestSeed;
  const rest = createRestSystem({ config, seed, file, secret });
  await new Promise<void>((r) => rest.server.listen(0, '127.0.0.1', r));
  const port = (rest.server.address() as { port: number }).port;
  const client = new HttpSystemClient(config, {
    fetch,
    secret: async () => secret,
    baseUrl: `http://127.0.0.1:${port}${rest.prefix}`,
  });
  return {
    connector: () => createHttpConnector(config, client),
    reset: async () => rmSync(file, { force: true }),
    stop: async () => {
      await new Promise((r) => rest.server.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const CONFIGURED = configuredSystems().filter((c): c is HttpSystem => c.kind === 'http');
const CONTRACT: { system: string; kind: 'built-in' | 'configured' }[] = [
  ...CASES.map((c) => ({ system: c.system, kind: 'built-in' as const })),
  ...CONFIGURED.map((c) => ({ system: c.name, kind: 'configured' as const })),
];

describe.each(CONTRACT)('Connector contract: $system ($kind)', ({ system, kind }) => {
  let target: { connector: () => Connector; reset: () => Promise<void>; stop?: () => Promise<void> };
  const her = { email: an.email, subjectRef: AN_REF };
  const stranger = { email: 'nobody.known@example.be', subjectRef: 's_strangerContract000000000000' };
  const sophie = { email: DEMO_CUSTOMERS.sophie.email };

  beforeAll(async () => {
    const builtIn = CASES.find((c) => c.system === system);
    const config = CONFIGURED.find((c) => c.name === system);
    target = builtIn
      ? {
          connector: () => builtIn.create(stores(TABLE_NAMES.system(builtIn.system))),
          reset: () => reseed(builtIn.system),
        }
      : await startConfiguredSystem(config as HttpSystem);
  });
  afterAll(async () => {
    await target?.stop?.();
  });

  it('finds her with a count and the categories she is held under, and no one it never knew (P1, P16, P17)', async () => {
    // Prepare
    await target.reset();
    // Act
    const found = await target.connector().locate(her, ctx());
    const none = await target.connector().locate(stranger, ctx());
    // Assess
    expect(found.found).toBe(true);
    expect(found.records).toBeGreaterThan(0);
    expect(found.categories.length).toBeGreaterThan(0);
    for (const c of found.categories) expect(CATEGORIES).toContain(c);
    expect(none).toEqual({ found: false, records: 0, categories: [] });
  });

  it('erases her, once: a fresh look finds only what is kept on a ground, a repeat erases nothing more, and others stay (P3, P17)', async () => {
    // Prepare
    await target.reset();
    const othersBefore = await target.connector().locate(sophie, ctx());
    // Act
    const first = await target.connector().erase(her, ctx());
    const again = await target.connector().erase(her, ctx());
    const after = await target.connector().locate(her, ctx());
    // Assess: every outcome one of the contract's; nothing live remains; the repeat erases nothing
    expectValidOutcomes([...first, ...again]);
    expect(first.some((o) => o.kind === 'erased' || o.kind === 'retained')).toBe(true);
    expect(again.filter((o) => o.kind === 'erased' && o.records > 0)).toEqual([]);
    const kept = (after.kept ?? []).reduce((n, k) => n + k.records, 0);
    expect(after.records).toBe(kept);
    expect(await target.connector().locate(sophie, ctx())).toEqual(othersBefore);
  });

  it('exports what it holds on her, every record with its category and origin; portability holds nothing inferred (P1, P7, P17)', async () => {
    // Prepare
    await target.reset();
    const access = createMemorySink();
    const portability = createMemorySink();
    // Act
    const forAccess = await target.connector().export(her, ctx(), { purpose: 'access', sink: access });
    const forPortability = await target
      .connector()
      .export(her, ctx(), { purpose: 'portability', sink: portability });
    const forStranger = await target
      .connector()
      .export(stranger, ctx(), { purpose: 'access', sink: createMemorySink() });
    // Assess
    expectValidOutcomes([...forAccess, ...forPortability]);
    expect(forAccess.map((o) => o.kind)).toEqual(['exported']);
    for (const [name, file] of access.files) {
      if (file.format !== 'json') continue;
      for (const row of JSON.parse(file.text) as Record<string, unknown>[]) {
        expect(CATEGORIES, name).toContain(row.category);
        expect(['provided', 'observed', 'inferred', 'staff'], name).toContain(row.origin);
      }
    }
    for (const file of portability.files.values()) expect(file.text).not.toContain('"inferred"');
    expect(forStranger).toEqual([{ kind: 'not_found' }]);
  });

  it('rectifies her phone number where it holds one, and no one it never knew (P2, P17)', async () => {
    // Prepare
    await target.reset();
    const changes = { phone: '+32470999000' };
    // Act
    const outcomes = await target.connector().rectify(her, ctx(), { changes });
    const strangers = await target.connector().rectify(stranger, ctx(), { changes });
    // Assess
    expectValidOutcomes([...outcomes, ...strangers]);
    expect(strangers.some((o) => o.kind === 'rectified')).toBe(false);
    if (kind === 'configured') expect(outcomes.map((o) => o.kind)).toEqual(['rectified']);
  });

  it('answers an objection with the contract’s outcomes only (P6, P17)', async () => {
    // Prepare
    await target.reset();
    // Act
    const outcomes = await target.connector().object(her, ctx(), { scope: ['direct_marketing'] });
    // Assess
    expectValidOutcomes(outcomes);
    expect(outcomes.length).toBeGreaterThan(0);
  });
});

// The retention sweep (P11), the legal retention purge (P3) and the re-apply of erasures after a restore (P3),
// run through the very handlers the state machine invokes (local/timers.ts runs them in turn, as the local
// runtime does) against DynamoDB Local, s3rver, the local SES and the local Secrets Manager, on the demo data.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchWriteCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoErasureLedger } from '../../functions/aws/erasure-ledger.ts';
import { dynamoRequestStore } from '../../functions/aws/request-store.ts';
import { dynamoConnectorStores } from '../../functions/aws/system-store.ts';
import { CONNECTOR_FACTORIES } from '../../functions/connectors/wiring.ts';
import { now } from '../../functions/core/clock.ts';
import { recordRequestErasure } from '../../functions/core/erasure-ledger.ts';
import type { Retention } from '../../functions/core/retention.ts';
import { resultPrefix } from '../../functions/core/retention-sweep.ts';
import { SYSTEMS, type SystemName } from '../../functions/core/schemas.ts';
import { customerRef, subjectRef } from '../../functions/core/secrets.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../local/asl.ts';
import {
  DEMO_CUSTOMERS,
  type DemoCustomer,
  INACTIVE_CUSTOMERS,
  LONG_ERASED_REF,
  seedDemoData,
} from '../../local/demo-data.ts';
import { createInvoker } from '../../local/lambda.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { runRetentionSweep } from '../../local/timers.ts';
import { requestRecord } from '../fixtures/requests.ts';
import { inbox } from '../helpers/api.ts';
import { type LocalServices, startLocalServices } from '../helpers/services.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CLOCK = '2026-11-25T09:00:00.000Z';
const { griet, bart, hilde, wim, lotte } = INACTIVE_CUSTOMERS;
const STAYING: DemoCustomer[] = [hilde, wim, lotte, ...Object.values(DEMO_CUSTOMERS)];

type Item = Record<string, unknown> & { pk: string; sk: string };
let services: LocalServices;
let before: Record<SystemName, Item[]>;
/** When `before` was copied: the point a restore from that copy goes back to. */
let restorePoint: Date;

const invoker = createInvoker({ root: ROOT, region: LOCAL_REGION, accountId: LOCAL_ACCOUNT, functions: [] });
const sweep = (dryRun: boolean) =>
  runRetentionSweep((entry, event) => invoker.invoke(entry, event), { dryRun, now });

async function scan(table: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await services.db.doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as Item[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function everySystem(): Promise<Record<SystemName, Item[]>> {
  const entries = await Promise.all(
    SYSTEMS.map(async (s) => [s, await scan(TABLE_NAMES.system(s))] as const),
  );
  return Object.fromEntries(entries) as Record<SystemName, Item[]>;
}

const byKey = (items: Item[]) => [...items].sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
/** A customer's live records, and their entries on the subject lists. */
const liveOf = (items: Item[], c: DemoCustomer) =>
  items.filter(
    (i) =>
      (i.pk.startsWith('CUST#') && i.customerNumber === c.customerNumber) ||
      i.sk === `CUST#${c.customerNumber}`,
  );
const keptFor = (items: Item[], c: DemoCustomer) =>
  items.filter((i) => i.pk === `RESTRICTED#${subjectRef(services.secret, c.email)}`);
const withoutOps = (items: Item[]) => items.filter((i) => !i.pk.startsWith('OPS#'));

beforeAll(async () => {
  process.env.CLOCK_START = CLOCK;
  services = await startLocalServices();
  await seedDemoData(services.db.doc, now());
  // Hilde, inactive for five years, asked for a copy of her data; the request waits for approval.
  await services.db.doc.send(
    new PutCommand({
      TableName: TABLE_NAMES.requests,
      Item: requestRecord({
        id: 'r_RetentionAccess000000001',
        type: 'access',
        status: 'awaiting_approval',
        email: hilde.email,
        subjectRef: subjectRef(services.secret, hilde.email),
        exportPurpose: 'access',
        systems: {},
      }),
    }),
  );
  before = await everySystem();
  restorePoint = now();
}, 180_000);

afterAll(async () => {
  await services?.stop();
});

describe('Retention sweep (P11)', () => {
  it('lists in a dry run exactly who would go, for staff, and changes nothing in any store (P11)', async () => {
    // Act: a dry run
    const summary = (await sweep(true)) as { subjects: number; erased: number };

    // Assess: every store as it was, no ledger entry, no subject's audit chain
    for (const system of SYSTEMS)
      expect(byKey(withoutOps((await everySystem())[system]))).toEqual(byKey(before[system]));
    expect(await scan(TABLE_NAMES.erasures)).toEqual([]);
    const audit = await scan(TABLE_NAMES.audit);
    expect(audit.filter((e) => e.action === 'retention.erased' || e.action === 'retention.purged')).toEqual(
      [],
    );
    // Assess: the run's results name Griet and Bart as would go and Hilde as held, for staff
    const results = await resultsOfLastRun();
    expect(results.flatMap((r) => r.erasedCustomers).sort()).toEqual(
      [griet.customerNumber, bart.customerNumber].sort(),
    );
    expect(results.flatMap((r) => r.heldCustomers)).toEqual([hilde.customerNumber]);
    expect(summary.erased).toBe(0);
    // Assess: staff were told, in counts only
    const mail = (await inbox(services.sesUrl)).find((m) => m.subject.includes('dry run'));
    expect(mail?.subject).toContain('2 subjects would be erased');
    expect(mail?.body.text).not.toMatch(/C-\d{6}|@example\.be/);
  });

  it('erases exactly the inactive subjects and nobody else, keeping the open claim and the open access request (P11, P3)', async () => {
    // Act: the real run
    const summary = (await sweep(false)) as { subjects: number; erased: number; failed: number };
    const after = await everySystem();

    // Assess: Griet and Bart hold no live record and are on no subject list in any system
    expect(summary).toMatchObject({ erased: 2, failed: 0 });
    for (const system of SYSTEMS) {
      expect(liveOf(after[system], griet), `${system} griet`).toEqual([]);
      expect(liveOf(after[system], bart), `${system} bart`).toEqual([]);
      const text = JSON.stringify(after[system]);
      for (const trace of [griet.email, griet.phone, bart.email, bart.phone, griet.iban, bart.iban])
        expect(text, `${system} ${trace}`).not.toContain(trace);
    }
    // Assess: Bart's unpaid invoice kept, restricted on the open claim; his paid one on the fiscal ground alone
    const barts = keptFor(after.billing, bart);
    const unpaid = barts.find((i) => i.status === 'unpaid');
    expect(unpaid?.restricted).toBe(true);
    expect(unpaid?.retention).toMatchObject({
      ground: 'open_claim',
      grounds: expect.arrayContaining(['fiscal_retention']),
    });
    expect(barts.filter((i) => i.status === 'paid').map((i) => (i.retention as Retention).ground)).toEqual([
      'fiscal_retention',
    ]);
    // Assess: Griet's two invoices within their ten years are kept; the twelve-year-old one is gone
    expect(
      keptFor(after.billing, griet)
        .map((i) => Number(String(i.invoiceDate).slice(0, 4)))
        .sort(),
    ).toEqual([2022, 2022]);
    // Assess: Hilde (open access request), Wim (running contract), Lotte (2 years 11 months) and every
    // customer of the demo keep every record
    for (const system of SYSTEMS)
      for (const c of STAYING)
        expect(byKey(liveOf(after[system], c)), `${system} ${c.customerNumber}`).toEqual(
          byKey(liveOf(before[system], c)),
        );
  });

  it('records each erasure in the ledger and on the subject’s pseudonymous audit chain, never a number or an address (P3, P15)', async () => {
    // Act: read the ledger and the audit trail
    const ledger = await scan(TABLE_NAMES.erasures);
    const audit = await scan(TABLE_NAMES.audit);

    // Assess: one sweep entry per erased subject, under the keyed hash of the customer number
    expect(
      ledger
        .filter((e) => e.by === 'sweep')
        .map((e) => e.customerRef)
        .sort(),
    ).toEqual(
      [
        customerRef(services.secret, griet.customerNumber),
        customerRef(services.secret, bart.customerNumber),
      ].sort(),
    );
    const erased = audit.filter((e) => e.action === 'retention.erased');
    expect(erased.map((e) => e.requestId).sort()).toEqual(
      [
        customerRef(services.secret, griet.customerNumber),
        customerRef(services.secret, bart.customerNumber),
      ].sort(),
    );
    const text = JSON.stringify([...ledger, ...audit]);
    for (const c of [griet, bart, hilde]) {
      expect(text).not.toContain(c.customerNumber);
      expect(text).not.toContain(c.email);
    }
    // Assess: staff got the day's figures, without numbers or addresses
    const mail = (await inbox(services.sesUrl)).find((m) => /2 subjects erased/.test(m.subject));
    expect(mail?.body.text).toContain(
      'kept until their open access request is answered (EDPB Guidelines 01/2022): 1',
    );
    expect(mail?.body.text).not.toMatch(/C-\d{6}|@example\.be/);
  });

  it('purges only the restricted records whose retention ended, re-checking an open claim, with an audit entry (P3)', async () => {
    // Prepare: the long-erased customer's kept invoices as seeded: two past their ten years, one disputed past
    // them, one within them
    const seeded = before.billing.filter((i) => i.pk === `RESTRICTED#${LONG_ERASED_REF}`);
    expect(seeded).toHaveLength(4);

    // Act: read what the run's purge left
    const left = (await everySystem()).billing.filter((i) => i.pk === `RESTRICTED#${LONG_ERASED_REF}`);
    const audit = await scan(TABLE_NAMES.audit);

    // Assess: the disputed one (open claim, looked at again tomorrow) and the one within its period remain
    expect(left.map((i) => i.status).sort()).toEqual(['disputed', 'paid']);
    expect(left.find((i) => i.status === 'paid')?.purgeOn).toBe('2027-12-31');
    expect(left.find((i) => i.status === 'disputed')?.purgeOn).toBe('2026-11-25');
    // Assess: the purge is on the subject's pseudonymous chain, with counts and the ground
    const purged = audit.filter((e) => e.action === 'retention.purged' && e.requestId === LONG_ERASED_REF);
    expect(purged.map((e) => e.details)).toEqual([
      expect.objectContaining({
        system: 'billing',
        category: 'contract',
        ground: 'fiscal_retention',
        records: 2,
      }),
    ]);
    expect(
      audit.some(
        (e) => e.action === 'retention.purged' && e.requestId === subjectRef(services.secret, griet.email),
      ),
    ).toBe(true);
  });

  it('changes nothing more when it runs again the next moment (P11)', async () => {
    // Prepare: the stores after the first run
    const first = await everySystem();
    // Act: run again
    const summary = (await sweep(false)) as { erased: number };
    // Assess: nobody else erased, nothing else changed
    expect(summary.erased).toBe(0);
    for (const system of SYSTEMS)
      expect(byKey(withoutOps((await everySystem())[system]))).toEqual(byKey(withoutOps(first[system])));
  });

  it('makes every erasure again after the tables are restored from a copy taken before them (P3)', async () => {
    // Prepare: An erased by a request, as the workflow does, and recorded in the ledger by Close
    const anRef = subjectRef(services.secret, DEMO_CUSTOMERS.an.email);
    for (const system of SYSTEMS) {
      const connector = CONNECTOR_FACTORIES[system](
        dynamoConnectorStores(services.db.doc, TABLE_NAMES.system(system)),
      );
      await connector.erase(
        { email: DEMO_CUSTOMERS.an.email, subjectRef: anRef },
        { requestId: 'r_RetentionErasure00000001', now: now() },
      );
    }
    const requests = dynamoRequestStore(services.db.doc, TABLE_NAMES.requests);
    await requests.create(
      requestRecord({ id: 'r_RetentionErasure00000001', subjectRef: anRef, status: 'completed' }),
    );
    await recordRequestErasure(
      {
        store: requests,
        ledger: dynamoErasureLedger(services.db.doc, TABLE_NAMES.erasures),
        secret: services.secret,
        now,
      },
      'r_RetentionErasure00000001',
    );
    const erased = await everySystem();
    // Prepare: restore every system table to the copy taken before any erasure
    for (const system of SYSTEMS) await restore(TABLE_NAMES.system(system), erased[system], before[system]);
    expect(liveOf((await everySystem()).crm, griet).length).toBeGreaterThan(0);

    // Act: the runbook command
    const output = await run('local/reapply-erasures.ts', ['--since', restorePoint.toISOString(), '--aws']);

    // Assess: Griet, Bart and An are gone again, keeping what the law keeps; everyone else is as restored
    const after = await everySystem();
    for (const system of SYSTEMS) {
      for (const c of [griet, bart, DEMO_CUSTOMERS.an])
        expect(liveOf(after[system], c), `${system} ${c.customerNumber}`).toEqual([]);
      for (const c of STAYING.filter((x) => x !== DEMO_CUSTOMERS.an))
        expect(byKey(liveOf(after[system], c)), `${system} ${c.customerNumber}`).toEqual(
          byKey(liveOf(before[system], c)),
        );
    }
    expect(keptFor(after.billing, bart).find((i) => i.status === 'unpaid')?.restricted).toBe(true);
    expect(keptFor(after.billing, DEMO_CUSTOMERS.an).length).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(output)).toMatchObject({ entries: 3 });
    expect(output).not.toMatch(/C-\d{6}|@example\.be/);
  });
});

/** The result files of the newest run: the customer numbers staff read. */
async function resultsOfLastRun() {
  const { s3SweepFiles } = await import('../../functions/aws/sweep-files.ts');
  const { s3Client } = await import('../../functions/aws/clients.ts');
  const files = s3SweepFiles(s3Client(), String(process.env.EXPORT_BUCKET));
  const runs = new Set<string>();
  for await (const keys of files.list('retention/'))
    for (const k of keys) runs.add(k.split('/')[1] as string);
  const latest = [...runs].sort().at(-1) as string;
  const out: { erasedCustomers: string[]; heldCustomers: string[] }[] = [];
  for await (const keys of files.list(resultPrefix(latest)))
    for (const key of keys) out.push(JSON.parse((await files.get(key)) as string));
  return out;
}

/** Puts a table back to `copy`: what is not in it goes, what is comes back (a point-in-time restore). */
async function restore(table: string, current: Item[], copy: Item[]) {
  const keep = new Set(copy.map((i) => `${i.pk}\u0000${i.sk}`));
  const deletes = current.filter((i) => !keep.has(`${i.pk}\u0000${i.sk}`) && !i.pk.startsWith('OPS#'));
  const requests = [
    ...deletes.map((i) => ({ DeleteRequest: { Key: { pk: i.pk, sk: i.sk } } })),
    ...copy.map((Item) => ({ PutRequest: { Item } })),
  ];
  for (let i = 0; i < requests.length; i += 25)
    await services.db.doc.send(
      new BatchWriteCommand({ RequestItems: { [table]: requests.slice(i, i + 25) } }),
    );
}

/** Runs a script of the project with this process's environment (the services' endpoints); resolves to stdout. */
function run(script: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env: { ...process.env, CLOCK_START: now().toISOString() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) =>
      code === 0 ? done(out.trim().split('\n').at(-1) ?? '') : fail(new Error(err)),
    );
  });
}

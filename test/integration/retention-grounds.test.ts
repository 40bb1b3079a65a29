import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordType } from '../../functions/connectors/records.ts';
import { formatDate, label, t } from '../../functions/core/messages/index.ts';
import { loadProcessingRegister } from '../../functions/core/registers/index.ts';
import { type BuiltInSystem, SYSTEMS } from '../../functions/core/schemas.ts';
import { subjectRef } from '../../functions/core/secrets.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../local/asl.ts';
import { celinesDisputedInvoice, DEMO_CUSTOMERS, demoData } from '../../local/demo-data.ts';
import { loadAppSecret } from '../../local/secrets.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { waitForMail } from '../helpers/api.ts';
import { runtimeDocumentClient } from '../helpers/dynamodb.ts';
import { approveAndFinish, fileAndVerify } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

const CLOCK = '2026-11-25T09:00:00Z';
const celine = DEMO_CUSTOMERS.celine;
// Everything that identifies her beyond the customer number a kept record is tied to the account by.
const HER = [
  celine.email,
  celine.phone,
  celine.iban,
  celine.lastName,
  celine.address.street,
  celine.birthDate,
];
const rules = loadProcessingRegister().retentionRules;

type Item = Record<string, unknown> & { pk: string; sk: string };
const sk = (i: Item) => i.sk;
const kindOf = (i: Item) => `${recordType(i.sk)} ${String(i.ticketId)}`;

/** The date `years` after an ISO date (her claim is not due on 29 February). */
const yearsAfter = (date: string, years: number) => `${Number(date.slice(0, 4)) + years}${date.slice(4, 10)}`;
/** The last day of the month `months` after the month of an instant (her calls are far from a month's edge). */
const monthEndAfter = (instant: string, months: number) => {
  const d = new Date(instant);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months + 1, 0)).toISOString().slice(0, 10);
};

// What the demo data gave her before the erasure, and the dates the register sets for the claim.
const before = demoData(new Date(CLOCK));
const disputed = celinesDisputedInvoice(new Date(CLOCK));
const claimEnd = yearsAfter(disputed.dueDate, rules.claims.years ?? 0);
const hers = (system: BuiltInSystem) =>
  before[system].filter((i) => i.customerNumber === celine.customerNumber);
const callsOn = (invoiceNumber: string) =>
  hers('billing').filter((i) => String(i.sk).startsWith('CALL#') && i.invoiceNumber === invoiceNumber);
const invoices = hers('billing').filter((i) => String(i.sk).startsWith('INVOICE#'));

let rt: Runtime;
let doc: DynamoDBDocumentClient;
let ref: string;
let after: Record<BuiltInSystem, Item[]>;
let mail: string;

beforeAll(async () => {
  rt = await startRuntime({ clock: CLOCK });
  doc = runtimeDocumentClient(rt.dynamodbEndpoint);
  ref = subjectRef(loadAppSecret(rt.dataDir, LOCAL_REGION, LOCAL_ACCOUNT).value, celine.email);
});

afterAll(async () => {
  await rt?.stop();
});

describe('Erasure of a customer with a disputed invoice (P3, Art. 17(3)(e))', () => {
  it('completes the erasure she filed in French once an approver approves (P3, P18)', async () => {
    // Act: Céline files and verifies an erasure; an approver approves it
    const { id, token } = await fileAndVerify(rt, { type: 'erasure', email: celine.email, language: 'fr' }, [
      celine.email,
    ]);
    const { done } = await approveAndFinish(rt, id, token);

    // Assess: done in every system; read back what each system now stores, and the mail she got
    expect(done.status).toBe('completed');
    const scans = await Promise.all(
      SYSTEMS.map(async (s) => {
        const items = (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system(s) }))).Items ?? [];
        return [s, (items as Item[]).filter((i) => !i.pk.startsWith('OPS#'))] as const;
      }),
    );
    after = Object.fromEntries(scans) as Record<BuiltInSystem, Item[]>;
    mail = (await waitForMail(rt.sesUrl, celine.email, (m) => (m.body.text ?? '').includes('Facturation')))
      .body.text as string;
    expect(mail.length).toBeGreaterThan(0);
    // A whole request end to end: more than the 30 s a single check gets when the machine is busy.
  }, 180_000);

  it('keeps the disputed invoice restricted on open_claim until the limitation ends, then on the VAT Code (P3, old Civil Code art. 2277)', () => {
    // Act: the invoice as billing now keeps it
    const kept = after.billing.find((i) => i.sk === `INVOICE#${disputed.invoiceNumber}`);

    // Assess: in her restricted partition, stripped, with both grounds and their dates, naming the claim for the purge
    expect(claimEnd).toBe(`${Number(disputed.dueDate.slice(0, 4)) + 5}${disputed.dueDate.slice(4)}`);
    expect(kept).toMatchObject({ pk: `RESTRICTED#${ref}`, restricted: true, status: 'disputed' });
    expect(kept?.retention).toEqual({
      ground: 'open_claim',
      grounds: ['open_claim', 'fiscal_retention'],
      until: `${Number(disputed.invoiceDate.slice(0, 4)) + 10}-12-31`,
      periods: [
        { ground: 'open_claim', until: claimEnd },
        { ground: 'fiscal_retention', until: `${Number(disputed.invoiceDate.slice(0, 4)) + 10}-12-31` },
      ],
      claim: { invoiceNumber: disputed.invoiceNumber },
    });
    for (const trace of [celine.email, celine.phone, celine.iban])
      expect(JSON.stringify(kept)).not.toContain(trace);
  });

  it('keeps the calls billed on the disputed invoice with the claim, restricted, without her number (P3, Art. 17(3)(e))', () => {
    // Prepare: the calls the demo data billed on that invoice
    const billed = callsOn(disputed.invoiceNumber);

    // Act: the calls billing now keeps on that invoice
    const kept = after.billing.filter(
      (i) =>
        i.pk === `RESTRICTED#${ref}` &&
        i.sk.startsWith('CALL#') &&
        i.invoiceNumber === disputed.invoiceNumber,
    );

    // Assess: every one, restricted, on open_claim until the claim's limitation ends
    expect(billed).toHaveLength(3);
    expect(kept.map(sk).sort()).toEqual(billed.map((i) => String(i.sk)).sort());
    for (const call of kept) {
      expect(call).toMatchObject({ pk: `RESTRICTED#${ref}`, restricted: true });
      expect(call.retention).toEqual({
        ground: 'open_claim',
        grounds: ['open_claim'],
        until: claimEnd,
        periods: [{ ground: 'open_claim', until: claimEnd }],
        claim: { invoiceNumber: disputed.invoiceNumber },
      });
      expect(call).not.toHaveProperty('callingNumber');
    }
  });

  it("keeps her other calls as traffic data for the register's period, and erases those whose period is over (P3, ECA art. 122)", () => {
    // Prepare: her calls on the paid invoices, and the register's traffic-data period
    const months = rules.traffic_data.months ?? 12 * (rules.traffic_data.years ?? 0);
    const others = hers('billing').filter(
      (i) => String(i.sk).startsWith('CALL#') && i.invoiceNumber !== disputed.invoiceNumber,
    );
    const inPeriod = others.filter((i) => monthEndAfter(String(i.startedAt), months) >= CLOCK.slice(0, 10));

    // Act: the other calls billing still holds
    const kept = after.billing.filter(
      (i) =>
        i.pk === `RESTRICTED#${ref}` &&
        i.sk.startsWith('CALL#') &&
        i.invoiceNumber !== disputed.invoiceNumber,
    );

    // Assess: those within the period are kept on traffic_data until its end; the one of fifteen months ago is gone
    expect(others).toHaveLength(3);
    expect(inPeriod).toHaveLength(2);
    expect(kept.map(sk).sort()).toEqual(inPeriod.map((i) => String(i.sk)).sort());
    for (const call of kept) {
      const until = monthEndAfter(String(call.startedAt), months);
      expect(call).toMatchObject({ pk: `RESTRICTED#${ref}`, restricted: true });
      expect(call.retention).toEqual({
        ground: 'traffic_data',
        grounds: ['traffic_data'],
        until,
        periods: [{ ground: 'traffic_data', until }],
      });
    }
  });

  it('keeps the open dispute ticket and its note with the claim, stripped of her name and contact data (P3, Art. 17(3)(e))', () => {
    // Prepare: the dispute ticket and its note in the demo data
    const dispute = hers('support').filter((i) => i.ticketId === 'T-25311');

    // Act: what support now keeps
    const kept = after.support.filter((i) => i.pk === `RESTRICTED#${ref}`);

    // Assess: exactly those two, on open_claim until the claim's limitation ends, naming the claim; no trace of her
    expect(dispute).toHaveLength(2);
    // (a note's key holds the instant it was written, which follows the runtime's clock: compare by type and ticket)
    expect(kept.map(kindOf).sort()).toEqual(dispute.map((i) => kindOf(i as Item)).sort());
    for (const item of kept) {
      expect(item).toMatchObject({ restricted: true, ticketId: 'T-25311' });
      expect(item.retention).toEqual({
        ground: 'open_claim',
        grounds: ['open_claim'],
        until: claimEnd,
        periods: [{ ground: 'open_claim', until: claimEnd }],
        claim: { invoiceNumber: disputed.invoiceNumber },
      });
      for (const trace of [...HER, celine.firstName, '0478 90 12 34'])
        expect(JSON.stringify(item)).not.toContain(trace);
    }
  });

  it('keeps nothing else of hers in any system: no profile, account, contract, other ticket or old call (P3)', () => {
    // Prepare: what the erasure may keep: her invoices, the calls above, the dispute ticket and note
    const allowed = new Set([
      ...invoices.map((i) => `billing ${i.sk}`),
      ...hers('billing').flatMap((i) => (String(i.sk).startsWith('CALL#') ? [`billing ${i.sk}`] : [])),
    ]);
    const isAllowed = (system: BuiltInSystem, item: Item) =>
      allowed.has(`${system} ${item.sk}`) || (system === 'support' && item.ticketId === 'T-25311');

    // Act: every record in every system that is tied to her or mentions her
    const found = SYSTEMS.flatMap((system) =>
      after[system]
        .filter(
          (i) => i.customerNumber === celine.customerNumber || HER.some((h) => JSON.stringify(i).includes(h)),
        )
        .map((i) => ({ system, item: i })),
    );

    // Assess: her 3 invoices, 5 calls (3 on the claim, 2 traffic data) and the ticket with its note, no more; each
    // restricted in her partition; CRM and marketing keep nothing
    expect(found.length).toBe(invoices.length + 5 + 2);
    for (const { system, item } of found) {
      expect(isAllowed(system, item), `${system} ${item.sk}`).toBe(true);
      expect(item).toMatchObject({ pk: `RESTRICTED#${ref}`, restricted: true });
    }
    expect(found.filter((f) => f.system === 'crm' || f.system === 'marketing')).toEqual([]);
    expect(after.billing.filter((i) => i.pk === `CUST#${celine.customerNumber}`)).toEqual([]);
  });

  it('tells her in French each ground and its date: the claim, the VAT Code and traffic data (P3, P18)', () => {
    // Prepare: the grounds with their dates as she must read them
    const claim = t('fr', 'mail.claimUntil', {
      ground: label('ground', 'open_claim', 'fr'),
      until: formatDate(claimEnd, 'fr'),
    });
    const fiscal = t('fr', 'mail.groundUntil', {
      ground: label('ground', 'fiscal_retention', 'fr'),
      until: formatDate(`${Number(disputed.invoiceDate.slice(0, 4)) + 10}-12-31`, 'fr'),
    });
    const traffic = after.billing
      .filter((i) => (i.retention as { ground?: string } | undefined)?.ground === 'traffic_data')
      .map((i) => String((i.retention as { until: string }).until));

    // Act: the lines of the mail that say what was kept
    const lines = mail.split('\n');

    // Assess: the calls, the invoice (both grounds), the ticket with the claim, and the traffic data with its date
    expect(lines).toContainEqual(
      expect.stringContaining(
        `Facturation\u00a0: 3 données conservées (données d'utilisation) sur la base de ${claim}.`,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringContaining(
        `1 donnée conservée (données contractuelles) sur la base de ${claim}\u202f; ${fiscal}.`,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringContaining(
        `Service clientèle\u00a0: 2 données conservées (données du service clientèle) sur la base de ${claim}.`,
      ),
    );
    expect(new Set(traffic).size).toBe(1);
    expect(lines).toContainEqual(
      expect.stringContaining(
        `2 données conservées (données d'utilisation) sur la base de ${t('fr', 'mail.groundUntil', {
          ground: label('ground', 'traffic_data', 'fr'),
          until: formatDate(traffic[0] ?? '', 'fr'),
        })}.`,
      ),
    );
    expect(mail).toContain("jusqu'au 1er octobre 2031");
  });
});

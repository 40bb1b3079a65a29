import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemName } from '../../functions/core/schemas.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { call, eventually, waitForMail } from '../helpers/api.ts';
import { runtimeDocumentClient } from '../helpers/dynamodb.ts';
import { importAsSync } from '../helpers/marketing.ts';
import { approveAndFinish, expectComplaintRoutes, fileAndVerify, reject } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

let rt: Runtime;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  rt = await startRuntime({ clock: '2026-11-25T09:00:00Z', env: { RATE_LIMIT_PER_SOURCE: '200' } });
  doc = runtimeDocumentClient(rt.dynamodbEndpoint);
});

afterAll(async () => {
  await rt?.stop();
});

const scan = async (system: SystemName) =>
  (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system(system) }))).Items ?? [];

/**
 * Files a request, verifies it with the mailed code(s), approves it if it waits (after `beforeDecision`, staff's
 * attempts first), and waits for the end.
 */
async function carryOut(
  body: Record<string, unknown>,
  codeTo: string[],
  beforeDecision?: (id: string, approver: string) => Promise<void>,
) {
  const { id, token } = await fileAndVerify(rt, body, codeTo);
  const { first, done } = await approveAndFinish(rt, id, token, async (approver) => {
    await beforeDecision?.(id, approver);
  });
  return { id, first, done };
}

describe('Rectification end to end (P2)', () => {
  it('puts the new phone and last name wherever they live, except issued invoices, and the old ones nowhere else', async () => {
    const an = DEMO_CUSTOMERS.an;
    // Act: An asks to correct her phone and last name; verified, approved, carried out
    const { done } = await carryOut(
      {
        type: 'rectification',
        email: an.email,
        language: 'nl',
        changes: { phone: '+32 470 99 88 77', lastName: 'Devos-Peeters' },
      },
      [an.email],
    );
    // Assess: completed; her old phone is nowhere outside the issued invoices
    expect(done.status).toBe('completed');
    for (const system of ['billing', 'crm', 'support', 'marketing'] as const) {
      for (const item of await scan(system)) {
        const text = JSON.stringify(item);
        const issuedInvoice = system === 'billing' && String(item.sk).startsWith('INVOICE#');
        if (issuedInvoice) continue; // never rewritten: a correction is a credit note
        expect(text, `${system} ${item.pk}/${item.sk}`).not.toContain(an.phone);
      }
    }
    // Assess: CRM has the new phone, normalized, and the new name; her mail names the phone and the credit note
    const crm = JSON.stringify(await scan('crm'));
    expect(crm).toContain('+32470998877');
    expect(crm).toContain('Devos-Peeters');
    const mail = await waitForMail(rt.sesUrl, an.email, (m) => m.subject.includes('correctie'));
    expect(mail.body.text).toContain('telefoonnummer');
    expect(mail.body.text).toContain('creditnota');
  });

  it('changes the address only after the new address confirmed its own code (P2, P8)', async () => {
    // Prepare: Noor and her new address
    const noor = DEMO_CUSTOMERS.noor;
    const newEmail = 'noor.new@example.be';
    // Act: Noor asks to change her address; both the old and the new address confirm a code
    const { done } = await carryOut(
      { type: 'rectification', email: noor.email, language: 'en', changes: { email: newEmail } },
      [noor.email, newEmail],
    );
    // Assess: completed; CRM has the new address and not the old one
    expect(done.status).toBe('completed');
    const crm = JSON.stringify(await scan('crm'));
    expect(crm).toContain(newEmail);
    expect(crm).not.toContain(noor.email);
    // Assess: the answer goes to the confirmed new address.
    await waitForMail(rt.sesUrl, newEmail, (m) => m.subject.includes('rectification'));
  });
});

describe('Objection end to end (P6)', () => {
  it('stops direct marketing without waiting for approval, answers in the language on file, and a later import does not bring the subject back (P6, P18)', async () => {
    // Prepare: Luc, on the marketing lists
    const luc = DEMO_CUSTOMERS.luc;
    // Assess: he is listed to begin with
    expect(JSON.stringify(await scan('marketing'))).toContain(luc.email);
    // Act: Luc objects to direct marketing; no language on the form
    const { first, done } = await carryOut(
      // No language on the form: the answer comes in French, the language on file (P18).
      { type: 'objection', email: luc.email, scope: ['direct_marketing'] },
      [luc.email],
    );
    // Assess: carried out without approval; off every marketing list
    expect(first.status).not.toBe('awaiting_approval');
    expect(done.status).toBe('completed');
    const listed = (await scan('marketing')).filter((i) => String(i.sk).startsWith('LIST#'));
    expect(JSON.stringify(listed)).not.toContain(luc.email);

    // Prepare: the processor's next sync offers Luc again.
    // Act: import
    const result = await importAsSync(rt, doc, [
      {
        list: 'newsletter',
        email: luc.email,
        firstName: luc.firstName,
        lastName: luc.lastName,
        language: 'fr',
        gender: 'M',
      },
    ]);
    // Assess: suppressed, not added; the answer in French names the suppression list
    expect(result).toMatchObject({ added: 0, suppressed: 1 });
    const after = (await scan('marketing')).filter((i) => String(i.sk).startsWith('LIST#'));
    expect(JSON.stringify(after)).not.toContain(luc.email);
    const mail = await waitForMail(rt.sesUrl, luc.email, (m) => m.subject.includes('votre opposition'));
    expect(mail.body.text).toContain("liste d'exclusion");
  });

  it('withdraws the profiling consent without approval and deletes the interest profiles (P6, Art. 7(3))', async () => {
    const an = DEMO_CUSTOMERS.an;
    // Act: An withdraws her consent to profiling (profiling rests on consent, processing register)
    const { first, done } = await carryOut(
      { type: 'objection', email: an.email, language: 'nl', scope: ['profiling'] },
      [an.email],
    );
    // Assess: carried out without waiting for staff; no interest profile of hers is left, the consent reads withdrawn
    expect(first.status).not.toBe('awaiting_approval');
    expect(done.status).toBe('completed');
    const hers = (await scan('crm')).filter((i) => i.customerNumber === an.customerNumber);
    expect(hers.filter((i) => String(i.sk).startsWith('INTEREST#'))).toEqual([]);
    expect(hers.find((i) => i.sk === 'CONSENT#profiling')).toMatchObject({ granted: false });
  });

  it('stops profiling for direct marketing too: an objection to direct marketing leaves no interest profile and no granted marketing or profiling consent, and cannot be refused (P6, Art. 21(2)–(3))', async () => {
    // Prepare: Sophie, on the newsletter, with an interest profile and every consent granted
    const sophie = DEMO_CUSTOMERS.sophie;
    const crmOf = async () => (await scan('crm')).filter((i) => i.customerNumber === sophie.customerNumber);
    expect((await crmOf()).filter((i) => String(i.sk).startsWith('INTEREST#')).length).toBeGreaterThan(0);
    expect((await crmOf()).find((i) => i.sk === 'CONSENT#profiling')).toMatchObject({ granted: true });
    // Act: she objects to direct marketing only
    const { id, first, done } = await carryOut(
      { type: 'objection', email: sophie.email, scope: ['direct_marketing'] },
      [sophie.email],
    );
    // Assess: no approval; no interest profile, no consent granted in CRM; off every list, suppressed, in marketing
    expect(first.status).not.toBe('awaiting_approval');
    expect(done.status).toBe('completed');
    const crm = await crmOf();
    expect(crm.filter((i) => String(i.sk).startsWith('INTEREST#'))).toEqual([]);
    const consents = crm.filter((i) => String(i.sk).startsWith('CONSENT#'));
    expect(consents.map((c) => c.purpose).sort()).toEqual(['direct_mailing', 'newsletter', 'profiling']);
    expect(consents.filter((c) => c.granted !== false)).toEqual([]);
    const marketing = await scan('marketing');
    expect(
      marketing.filter((i) => String(i.sk).startsWith('LIST#') && JSON.stringify(i).includes(sophie.email)),
    ).toEqual([]);
    // Act: staff try to reject it afterwards
    const rejected = await reject(rt, id, 'manifestly_unfounded');
    // Assess: a clear 409 naming why; the request stays completed
    expect(rejected.status).toBe(409);
    expect(rejected.json.type).toMatch(/not-refusable$/);
    const detail = await call(rt.apiUrl, 'GET', `/admin/requests/${id}`, {
      token: await rt.staffToken('approver'),
    });
    expect(detail.json.status).toBe('completed');
  });

  it('asks staff to weigh an objection to processing on legitimate interest, refuses any reason but compelling grounds, and once approved flags that processing in CRM and support (P6, Art. 21(1))', async () => {
    // Prepare: Jan, in billing, CRM and support
    const jan = DEMO_CUSTOMERS.jan;
    let refusedReason: Awaited<ReturnType<typeof call>> | undefined;
    // Act: he objects to processing on legitimate interest; staff first try to refuse it as excessive, then approve
    const { first, done } = await carryOut(
      { type: 'objection', email: jan.email, language: 'nl', scope: ['legitimate_interest'] },
      [jan.email],
      async (id, approver) => {
        refusedReason = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/reject`, {
          token: approver,
          body: { reason: 'excessive' },
        });
      },
    );
    // Assess: it waited for staff; "excessive" was a 422 that changed nothing, so the approval went through
    expect(first.status).toBe('awaiting_approval');
    expect(refusedReason?.status).toBe(422);
    expect(refusedReason?.json.type).toMatch(/rejection-reason-not-allowed$/);
    expect(done.status).toBe('completed');
    // Assess: the register's purposes on legitimate interest are flagged on his records, which stay for the contract
    const account = (await scan('crm')).find(
      (i) => i.customerNumber === jan.customerNumber && i.sk === 'ACCOUNT',
    );
    expect(account).toMatchObject({ objectedPurposes: ['service_access'] });
    const support = (await scan('support')).filter((i) => i.customerNumber === jan.customerNumber);
    expect(support.length).toBeGreaterThan(0);
    for (const item of support) expect(item.objectedPurposes, String(item.sk)).toEqual(['enquiries']);
    // Assess: his answer in Dutch names what stopped
    const mail = await waitForMail(rt.sesUrl, jan.email, (m) =>
      (m.body.text ?? '').includes('niet meer verwerkt'),
    );
    expect(mail.body.text).toContain('correcte toegang tot en gebruik van de website en diensten');
    expect(mail.body.text).toContain('antwoorden op uw vragen');
  });

  it('refuses an objection on legitimate interest for compelling legitimate grounds and tells the subject why, with the court and the authority (P6, P10, Art. 21(1))', async () => {
    // Prepare: Pieter objects to processing on legitimate interest, in English
    const pieter = DEMO_CUSTOMERS.pieter;
    const { id, token } = await fileAndVerify(
      rt,
      { type: 'objection', email: pieter.email, language: 'en', scope: 'legitimate_interest' },
      [pieter.email],
    );
    await eventually(async () => {
      const s = (await call(rt.apiUrl, 'GET', `/requests/${id}`, { token })).json;
      return s.status === 'awaiting_approval' ? s : undefined;
    });
    // Act: staff weigh it and refuse it for compelling legitimate grounds
    const rejected = await reject(rt, id, 'compelling_legitimate_grounds');
    // Assess: rejected; the mail gives the ground, the right to complain and to go to court; nothing flagged
    expect(rejected.status).toBe(200);
    const mail = await waitForMail(rt.sesUrl, pieter.email, (m) => m.subject.includes('not carried out'));
    expect(mail.body.text).toContain('compelling legitimate grounds');
    expect(mail.body.text).toContain('Article 21(1)');
    expectComplaintRoutes(mail.body.text, 'en');
    const account = (await scan('crm')).find(
      (i) => i.customerNumber === pieter.customerNumber && i.sk === 'ACCOUNT',
    );
    expect(account?.objectedPurposes).toBeUndefined();
  });

  it('refuses, with a 400 that stores nothing, an objection on legitimate interest filed with direct marketing (P6, Art. 21(3))', async () => {
    // Prepare: the requests the API lists now
    const admin = await rt.staffToken('admin');
    const before = (await call(rt.apiUrl, 'GET', '/admin/requests', { token: admin })).json;
    // Act
    const filed = await call(rt.apiUrl, 'POST', '/requests', {
      body: {
        type: 'objection',
        email: DEMO_CUSTOMERS.pieter.email,
        scope: ['direct_marketing', 'legitimate_interest'],
      },
    });
    // Assess
    expect(filed.status).toBe(400);
    const after = (await call(rt.apiUrl, 'GET', '/admin/requests', { token: admin })).json;
    expect(JSON.stringify(after.items)).toBe(JSON.stringify(before.items));
  });
});

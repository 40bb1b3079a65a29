// Rectification (P2) and objection (P6) end to end on the embedded runtime, checked in the system stores themselves.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoSubscriberStore } from '../../functions/aws/subscriber-store.ts';
import { importSubscribers } from '../../functions/connectors/marketing/import.ts';
import type { SystemName } from '../../functions/core/schemas.ts';
import { subjectRef } from '../../functions/core/secrets.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { loadAppSecret } from '../../local/secrets.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { call, codeIn, eventually, inbox, waitForMail } from '../helpers/api.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

let rt: Runtime;
let doc: DynamoDBDocumentClient;

beforeAll(async () => {
  rt = await startRuntime({ clock: '2026-11-25T09:00:00Z', env: { RATE_LIMIT_PER_SOURCE: '200' } });
  doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'eu-west-1',
      endpoint: rt.dynamodbEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
});

afterAll(async () => {
  await rt?.stop();
});

const scan = async (system: SystemName) =>
  (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system(system) }))).Items ?? [];

/** Files a request, verifies it with the mailed code(s), approves it if it waits, and waits for the end. */
async function carryOut(body: Record<string, unknown>, codeTo: string[]) {
  const seen = new Set((await inbox(rt.sesUrl)).map((m) => m.messageId));
  const filed = await call(rt.apiUrl, 'POST', '/requests', { body });
  expect(filed.status).toBe(202);
  const id = filed.json.id as string;
  let verified: Awaited<ReturnType<typeof call>> | undefined;
  for (const to of codeTo) {
    const mail = await waitForMail(
      rt.sesUrl,
      to,
      (m) => /\d{8}/.test(m.body.text ?? '') && !seen.has(m.messageId),
    );
    verified = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, { body: { code: codeIn(mail) } });
    expect(verified.status).toBe(200);
  }
  const token = verified?.json.statusToken as string;
  const status = async () => (await call(rt.apiUrl, 'GET', `/requests/${id}`, { token })).json;
  const first = await eventually(async () => {
    const s = await status();
    return ['awaiting_approval', 'completed', 'partially_completed'].includes(s.status as string)
      ? s
      : undefined;
  });
  if (first.status === 'awaiting_approval') {
    const approver = await rt.staffToken('approver');
    expect((await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, { token: approver })).status).toBe(
      200,
    );
  }
  const done = await eventually(
    async () => {
      const s = await status();
      return ['completed', 'partially_completed'].includes(s.status as string) ? s : undefined;
    },
    60_000,
    'the request to finish',
  );
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
    const secret = loadAppSecret(rt.dataDir, 'eu-west-1', '000000000000').value;
    // Act: import
    const result = await importSubscribers(
      {
        subscribers: dynamoSubscriberStore(doc, TABLE_NAMES.system('marketing')),
        subjectRef: (e) => subjectRef(secret, e),
        now: new Date(),
      },
      [
        {
          list: 'newsletter',
          email: luc.email,
          firstName: luc.firstName,
          lastName: luc.lastName,
          language: 'fr',
          gender: 'M',
        },
      ],
    );
    // Assess: suppressed, not added; the answer in French names the suppression list
    expect(result).toMatchObject({ added: 0, suppressed: 1 });
    const after = (await scan('marketing')).filter((i) => String(i.sk).startsWith('LIST#'));
    expect(JSON.stringify(after)).not.toContain(luc.email);
    const mail = await waitForMail(rt.sesUrl, luc.email, (m) => m.subject.includes('votre opposition'));
    expect(mail.body.text).toContain("liste d'exclusion");
  });

  it('asks staff before stopping profiling, and then deletes the interest profiles', async () => {
    const an = DEMO_CUSTOMERS.an;
    // Act: An objects to profiling; approved by staff, carried out
    const { first, done } = await carryOut(
      { type: 'objection', email: an.email, language: 'nl', scope: ['profiling'] },
      [an.email],
    );
    // Assess: it waited for approval, completed, and no interest profile of hers is left
    expect(first.status).toBe('awaiting_approval');
    expect(done.status).toBe('completed');
    const profiles = (await scan('crm')).filter(
      (i) => String(i.sk).startsWith('INTEREST#') && i.customerNumber === an.customerNumber,
    );
    expect(profiles).toEqual([]);
  });
});

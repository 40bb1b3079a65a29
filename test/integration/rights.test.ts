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
    const { done } = await carryOut(
      {
        type: 'rectification',
        email: an.email,
        language: 'nl',
        changes: { phone: '+32 470 99 88 77', lastName: 'Devos-Peeters' },
      },
      [an.email],
    );
    expect(done.status).toBe('completed');
    for (const system of ['billing', 'crm', 'support', 'marketing'] as const) {
      for (const item of await scan(system)) {
        const text = JSON.stringify(item);
        const issuedInvoice = system === 'billing' && String(item.sk).startsWith('INVOICE#');
        if (issuedInvoice) continue; // never rewritten: a correction is a credit note
        expect(text, `${system} ${item.pk}/${item.sk}`).not.toContain(an.phone);
      }
    }
    const crm = JSON.stringify(await scan('crm'));
    expect(crm).toContain('+32470998877');
    expect(crm).toContain('Devos-Peeters');
    const mail = await waitForMail(rt.sesUrl, an.email, (m) => m.subject.includes('correctie'));
    expect(mail.body.text).toContain('telefoonnummer');
    expect(mail.body.text).toContain('creditnota');
  });

  it('changes the address only after the new address confirmed its own code (P2, P8)', async () => {
    const noor = DEMO_CUSTOMERS.noor;
    const newEmail = 'noor.new@example.be';
    const { done } = await carryOut(
      { type: 'rectification', email: noor.email, language: 'en', changes: { email: newEmail } },
      [noor.email, newEmail],
    );
    expect(done.status).toBe('completed');
    const crm = JSON.stringify(await scan('crm'));
    expect(crm).toContain(newEmail);
    expect(crm).not.toContain(noor.email);
    // The answer goes to the confirmed new address.
    await waitForMail(rt.sesUrl, newEmail, (m) => m.subject.includes('rectification'));
  });
});

describe('Objection end to end (P6)', () => {
  it('stops direct marketing without waiting for approval, answers in the language on file, and a later import does not bring the subject back', async () => {
    const luc = DEMO_CUSTOMERS.luc;
    expect(JSON.stringify(await scan('marketing'))).toContain(luc.email);
    const { first, done } = await carryOut(
      // No language on the form: the answer comes in French, the language on file (P18).
      { type: 'objection', email: luc.email, scope: ['direct_marketing'] },
      [luc.email],
    );
    expect(first.status).not.toBe('awaiting_approval');
    expect(done.status).toBe('completed');
    const listed = (await scan('marketing')).filter((i) => String(i.sk).startsWith('LIST#'));
    expect(JSON.stringify(listed)).not.toContain(luc.email);

    // Prepare: the processor's next sync offers Luc again. Act: import. Assess: suppressed, not added.
    const secret = loadAppSecret(rt.dataDir, 'eu-west-1', '000000000000').value;
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
    expect(result).toMatchObject({ added: 0, suppressed: 1 });
    const after = (await scan('marketing')).filter((i) => String(i.sk).startsWith('LIST#'));
    expect(JSON.stringify(after)).not.toContain(luc.email);
    const mail = await waitForMail(rt.sesUrl, luc.email, (m) => m.subject.includes("d'opposition"));
    expect(mail.body.text).toContain("liste d'exclusion");
  });

  it('asks staff before stopping profiling, and then deletes the interest profiles', async () => {
    const an = DEMO_CUSTOMERS.an;
    const { first, done } = await carryOut(
      { type: 'objection', email: an.email, language: 'nl', scope: ['profiling'] },
      [an.email],
    );
    expect(first.status).toBe('awaiting_approval');
    expect(done.status).toBe('completed');
    const profiles = (await scan('crm')).filter(
      (i) => String(i.sk).startsWith('INTEREST#') && i.customerNumber === an.customerNumber,
    );
    expect(profiles).toEqual([]);
  });
});

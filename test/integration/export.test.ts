import { type DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../functions/connectors/export-files.ts';
import { escapeHtml, t } from '../../functions/core/messages/index.ts';
import type { Manifest } from '../../functions/core/package-zip.ts';
import { loadProcessingRegister, loadRecipients } from '../../functions/core/registers/index.ts';
import { requestKey } from '../../functions/core/request.ts';
import { SYSTEMS } from '../../functions/core/schemas.ts';
import { allSystems } from '../../functions/core/systems.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { call, codeIn, type InboxMail, inbox, waitForMail } from '../helpers/api.ts';
import { download, linksIn } from '../helpers/downloads.ts';
import { runtimeDocumentClient } from '../helpers/dynamodb.ts';
import { reachStatus } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';
import { readZip, sha256 } from '../unit/export/zip.ts';

const an = DEMO_CUSTOMERS.an;
const ORG = { organisation: 'Nieuwe Telecom NV', email: 'dpo@nieuwetelecom.example' };
let rt: Runtime;
let doc: DynamoDBDocumentClient;

/** The request item as DynamoDB holds it. */
const stored = async (id: string) =>
  (await doc.send(new GetCommand({ TableName: TABLE_NAMES.requests, Key: requestKey(id) }))).Item;

async function fileApproveAndWait(body: Record<string, unknown>, verify: Record<string, unknown> = {}) {
  const before = (await inbox(rt.sesUrl)).length;
  const filed = await call(rt.apiUrl, 'POST', '/requests', { body });
  expect(filed.status).toBe(202);
  const id = filed.json.id as string;
  const codeMail = await waitForMail(
    rt.sesUrl,
    an.email,
    (m) => /\b\d{8}\b/.test(m.body.text ?? '') && !m.body.text?.includes('/downloads/'),
  );
  const verified = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, {
    body: { code: codeIn(codeMail), ...verify },
  });
  expect(verified.status).toBe(200);
  const token = verified.json.statusToken as string;
  await reachStatus(rt, id, token, ['awaiting_approval']);
  const staff = await rt.staffToken('approver');
  expect((await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, { token: staff })).status).toBe(200);
  await reachStatus(rt, id, token, ['completed'], 90_000);
  const mails = (await inbox(rt.sesUrl)).slice(before);
  return { id, mails };
}

describe('Access and portability end to end (P1, P7)', () => {
  beforeAll(async () => {
    rt = await startRuntime({ clock: '2026-11-25T09:00:00Z', env: { RATE_LIMIT_PER_SOURCE: '200' } });
    doc = runtimeDocumentClient(rt.dynamodbEndpoint);
  });

  afterAll(async () => {
    await rt?.stop();
  });

  it('names the organisation in the code mail; a verify without confirming the transfer is a 422 and changes nothing (P7, Art. 20(2))', async () => {
    // Prepare: An files, in French, a portability request to an organisation she names
    const filed = await call(rt.apiUrl, 'POST', '/requests', {
      body: { type: 'portability', email: an.email, language: 'fr', recipient: ORG },
    });
    expect(filed.status).toBe(202);
    const id = filed.json.id as string;
    const codeMail = await waitForMail(rt.sesUrl, an.email, (m) => m.body.text?.includes(ORG.email) ?? false);
    const before = await stored(id);

    // Act: verify with the right code, without confirming the transfer
    const unconfirmed = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, {
      body: { code: codeIn(codeMail) },
    });

    // Assess: the code mail named the organisation and its address, in French; the verify is a 422 problem,
    // the stored request is exactly as it was, and no workflow runs for it
    expect(codeMail.body.text).toContain(`${ORG.organisation} (${ORG.email})`);
    expect(codeMail.body.text).toContain("Vérifiez qu'il s'agit bien de l'organisation que vous visez.");
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.headers.get('content-type')).toContain('application/problem+json');
    expect(unconfirmed.json.type).toBe('https://privacy.jsm.be/problems/transfer-not-confirmed');
    const after = await stored(id);
    expect(after).toEqual(before);
    expect(after?.status).toBe('awaiting_verification');
    expect(after?.recipient).not.toHaveProperty('confirmedAt');

    // Act: verify again, confirming the transfer
    const confirmed = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, {
      body: { code: codeIn(codeMail), confirmTransfer: true },
    });

    // Assess: verified and on to staff, the confirmation stored with its date
    expect(confirmed.status).toBe(200);
    await reachStatus(rt, id, confirmed.json.statusToken as string, ['awaiting_approval']);
    const recipient = (await stored(id))?.recipient;
    expect(recipient).toMatchObject(ORG);
    expect(Date.parse(recipient?.confirmedAt)).toBeGreaterThanOrEqual(Date.parse(String(before?.receivedAt)));
  });

  it('delivers a portability zip to her and the organisation she confirmed: hashes match, CSVs parse, no credit score, interest profile or staff note, and the manifest says what stayed out and why (P7, Art. 20)', async () => {
    // Prepare: her staff-written support notes, as the support store holds them
    const support =
      (await doc.send(new ScanCommand({ TableName: TABLE_NAMES.system('support') }))).Items ?? [];
    const notes = support.filter(
      (i) => i.customerNumber === an.customerNumber && String(i.sk).startsWith('NOTE#'),
    );
    expect(notes.length).toBeGreaterThan(0);

    // Act: An files a portability request to an organisation, confirms it when verifying, staff approve, it completes
    const { id, mails } = await fileApproveAndWait(
      { type: 'portability', email: an.email, language: 'nl', recipient: ORG },
      { confirmTransfer: true },
    );

    // Assess: the subject's mail, in Dutch, with a link and no attachment, saying what stayed out; the organisation's, with its own.
    const toHer = mails.find((m) => m.destination.to.includes(an.email) && linksIn(m).length > 0);
    const toOrg = mails.find((m) => m.destination.to.includes(ORG.email));
    expect(toHer?.subject).toBe('Uw verzoek tot overdracht van gegevens is uitgevoerd');
    expect(toHer?.body.text).toContain('Gegevensbeschermingsautoriteit');
    expect(toHer?.body.text).toContain(ORG.organisation);
    expect(toHer?.body.text).toContain(t('nl', 'leftOut.staff_note'));
    expect(toOrg?.body.text).toContain(id);
    expect(toOrg?.body.text).not.toContain(an.email);
    // Act: follow her link, as a browser would, and open the zip
    const [link] = linksIn(toHer as InboxMail);
    const { body } = await download(link as string);
    const entries = await readZip(body);
    const manifest = JSON.parse(entries.get('manifest.json')?.toString() ?? 'null') as Manifest;
    // Assess: the manifest lists every system; each file matches its hash, parses to its records, holds nothing inferred
    expect(manifest.requestId).toBe(id);
    expect(manifest.systems.map((s) => s.system)).toEqual(allSystems());
    for (const file of manifest.systems.flatMap((s) => s.files)) {
      const bytes = entries.get(file.path) as Buffer;
      expect(sha256(bytes), file.path).toBe(file.sha256);
      if (file.format === 'csv') expect(parseCsv(bytes.toString()).length).toBe(file.records + 1);
      else expect(JSON.parse(bytes.toString())).toHaveLength(file.records);
      expect(bytes.toString()).not.toContain('"inferred"');
    }
    // Assess: no credit score, interest profile or staff note in the zip, not even a note's agent or text
    const paths = [...entries.keys()];
    for (const out of ['billing/credit-scores', 'crm/interest-profiles', 'support/notes']) {
      expect(paths.some((p) => p.startsWith(out))).toBe(false);
    }
    expect(paths).toContain('support/tickets.json');
    const zipped = [...entries.values()].map((b) => b.toString()).join('\n');
    for (const note of notes) expect(zipped).not.toContain(String(note.agent));
    // Assess: per system and category, what stayed out, how many, why: as many notes as the store holds
    const omitted = Object.fromEntries(manifest.systems.map((s) => [s.system, s.omitted]));
    expect(omitted.billing).toEqual([
      { category: 'financial', records: 1, reason: 'inferred', why: t('nl', 'leftOut.inferred') },
    ]);
    expect(omitted.crm).toEqual([
      { category: 'profiling', records: 3, reason: 'inferred', why: t('nl', 'leftOut.inferred') },
    ]);
    expect(omitted.support).toEqual([
      {
        category: 'support',
        records: notes.length,
        reason: 'staff_note',
        why: t('nl', 'leftOut.staff_note'),
      },
    ]);
    // Act: follow the organisation's link
    const [orgLink] = linksIn(toOrg as InboxMail);
    // Assess: it opens the same package
    expect(sha256((await download(orgLink as string)).body)).toBe(sha256(body));
  });

  it('refuses an altered link with a 403 problem (P7)', async () => {
    // Prepare: a download link from an outcome mail, with its signature altered
    const mail = (await inbox(rt.sesUrl)).find((m) => linksIn(m).length > 0) as InboxMail;
    const link = linksIn(mail)[0] as string;
    const altered = `${link.slice(0, -2)}${link.endsWith('AA') ? 'BB' : 'AA'}`;

    // Act: follow the altered link
    const res = await call(
      altered.replace(/\/downloads\/.*/, ''),
      'GET',
      altered.replace(/^.*(\/downloads\/)/, '$1'),
    );

    // Assess: 403 problem+json
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('delivers the access report for an.devos: every system, category, purpose, recipient and retention period (P1, P17)', async () => {
    // Act: An files an access request in Dutch, verifies, staff approve, it completes
    const { mails } = await fileApproveAndWait({ type: 'access', email: an.email, language: 'nl' });

    // Act: find the links in her outcome mail
    const toHer = mails.find(
      (m) => m.destination.to.includes(an.email) && linksIn(m).length > 0,
    ) as InboxMail;
    const links = linksIn(toHer);
    // Assess: two links
    expect(links).toHaveLength(2);
    // Act: follow both, as a browser would, and read the HTML report
    const pages = await Promise.all(links.map(download));
    const report = pages.find((p) => p.file.headers.get('content-type')?.startsWith('text/html'));
    const html = report?.body.toString('utf8') ?? '';
    // Assess: the report gives the retention of every processing line, every recipient, every system and her customer number
    const register = loadProcessingRegister();
    for (const system of SYSTEMS) {
      for (const line of register.systems[system].processing) {
        expect(html).toContain(escapeHtml(register.retentionRules[line.retention.rule].text.nl));
      }
    }
    for (const recipient of loadRecipients().recipients) expect(html).toContain(recipient.name);
    for (const label of ['Facturatie', 'Klantenbestand', 'Klantendienst', 'Marketing', 'contractgegevens']) {
      expect(html).toContain(label);
    }
    expect(html).toContain(an.customerNumber);
    // Assess: what portability leaves out stays in her access files: credit score, interest profiles, staff notes
    const zip = pages.find((p) => p !== report) as (typeof pages)[number];
    const paths = [...(await readZip(zip.body)).keys()];
    for (const kept of ['billing/credit-scores.json', 'crm/interest-profiles.json', 'support/notes.json']) {
      expect(paths).toContain(kept);
    }
  });

  it('puts no personal data in any log line of these runs (P15)', () => {
    // Act: read the runtime's logs of these runs
    const logs = rt.logs().join('\n');
    // Assess: no address, IBAN, name or phone number of hers
    for (const personal of [an.email, an.iban ?? '', `${an.firstName} ${an.lastName}`, an.phone]) {
      expect(logs).not.toContain(personal);
    }
  });
});

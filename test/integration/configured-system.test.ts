// A system added by configuration alone (P17): the fifth demo system of config/systems/ is a real local REST
// service of the embedded runtime, and every right reaches it end to end through the HTTP API, like the four.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../functions/connectors/export-files.ts';
import type { HttpSystem } from '../../functions/connectors/generic/http/config.ts';
import { configuredSystems } from '../../functions/core/systems.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { call, eventually, type InboxMail, inbox } from '../helpers/api.ts';
import { download, linksIn } from '../helpers/downloads.ts';
import { approveAndFinish, fileAndVerify } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';
import { readZip } from '../unit/export/zip.ts';

const { an, sophie, noor, jan } = DEMO_CUSTOMERS;
// The first configured HTTP system with demo records: the test names no system itself, as the code does not.
const system = configuredSystems().find((c): c is HttpSystem => c.kind === 'http') as HttpSystem;
const seeded = JSON.parse(
  readFileSync(new URL(`../../local/demo-systems/${system.name}.json`, import.meta.url), 'utf8'),
) as { records: Record<string, unknown>[] };

let rt: Runtime;

/** The system's own store, read over its own API with its own secret, as the connector reads it. */
async function recordsOf(email: string): Promise<Record<string, unknown>[]> {
  const secrets = JSON.parse(readFileSync(join(rt.dataDir, 'system-secrets.json'), 'utf8'));
  const auth = system.auth as Extract<HttpSystem['auth'], { type: 'api_key' }>;
  const out: Record<string, unknown>[] = [];
  let cursor = '';
  do {
    const url = `${rt.systems[system.name]}/applicants/${encodeURIComponent(email)}/applications?cursor=${cursor}`;
    const answer = await fetch(url, { headers: { [auth.header]: secrets[auth.secret].value } });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { data: Record<string, unknown>[]; next: string | null };
    out.push(...body.data);
    cursor = body.next ?? '';
  } while (cursor);
  return out;
}

/** Files, verifies, approves if asked and waits for the end of one request; answers its id and mails. */
async function carryOut(body: Record<string, unknown>) {
  const email = body.email as string;
  const { id, token, seen } = await fileAndVerify(rt, body, [email]);
  const { done } = await approveAndFinish(rt, id, token);
  // The answer: the mail with the download links, or for the other rights the one that carries no code.
  const answer = (m: InboxMail) =>
    ['access', 'portability'].includes(body.type as string)
      ? linksIn(m).length > 0
      : !/\b\d{8}\b/.test(m.body.text ?? '');
  const mail = await eventually(
    async () =>
      (await inbox(rt.sesUrl)).find(
        (m) => !seen.has(m.messageId) && m.destination.to.includes(email) && answer(m),
      ),
    20_000,
    'the answer mail',
  );
  return { id, done, mail };
}

describe('A system added by configuration (P17)', () => {
  beforeAll(async () => {
    rt = await startRuntime({ clock: '2026-11-25T09:00:00Z', env: { RATE_LIMIT_PER_SOURCE: '200' } });
  }, 180_000);

  afterAll(async () => {
    await rt?.stop();
  });

  it('serves the system on its own port with its seeded records, behind its API key (P17)', async () => {
    // Act: ask without the key, then with it
    const url = `${rt.systems[system.name]}/applicants/${encodeURIComponent(an.email)}/applications`;
    const refused = await fetch(url);
    const records = await recordsOf(an.email);
    // Assess: no key, no data; with it, her seeded records, page after page
    expect(refused.status).toBe(401);
    expect(records.map((r) => r.id)).toEqual(
      seeded.records.filter((r) => r.email === an.email).map((r) => r.id),
    );
    expect(rt.logs().join('\n')).toContain(`System ${system.name}`);
  });

  it('erases her applications there, and the answer names the system by its label (P3, P17, P18)', async () => {
    // Prepare: she has applications there
    expect((await recordsOf(an.email)).length).toBeGreaterThan(0);
    // Act
    const { id, done, mail } = await carryOut({ type: 'erasure', email: an.email, language: 'en' });
    // Assess: completed, her records gone from the service, the mail names it in English, the status shows it done
    expect(done.status).toBe('completed');
    expect(await recordsOf(an.email)).toEqual([]);
    expect(mail.body.text).toContain(system.label.en);
    const staff = await call(rt.apiUrl, 'GET', `/admin/requests/${id}`, {
      token: await rt.staffToken('viewer'),
    });
    const progress = (
      staff.json.systems as { system: string; state: string; outcomes?: { kind: string }[] }[]
    ).find((s) => s.system === system.name);
    expect(progress?.state).toBe('done');
    expect(progress?.outcomes?.map((o) => o.kind)).toContain('erased');
    // Assess: the other subjects' records stay
    expect((await recordsOf(sophie.email)).length).toBe(1);
  });

  it("exports her applications for portability with each field group's category and origin, nothing derived (P7, P17)", async () => {
    // Act
    const { done, mail } = await carryOut({ type: 'portability', email: sophie.email, language: 'fr' });
    // Assess: the zip holds the system's files, labelled, with no derived field (the assessment, the status)
    expect(done.status).toBe('completed');
    const [link] = linksIn(mail);
    const entries = await readZip((await download(link as string)).body);
    const rows = JSON.parse(entries.get(`${system.name}/applications.json`)?.toString() ?? '[]') as Record<
      string,
      unknown
    >[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(system.categories).toContain(row.category);
      expect(['provided', 'observed']).toContain(row.origin);
      expect(row).not.toHaveProperty('assessment');
      expect(row).not.toHaveProperty('status');
    }
    expect(rows.some((r) => r.motivation === "J'aime aider les clients dans leur langue.")).toBe(true);
    const csv = parseCsv(entries.get(`${system.name}/applications.csv`)?.toString() ?? '');
    expect(csv.length).toBe(rows.length + 1);
  });

  it("shows his applications in the access report under the system's label, derived fields included (P1, P17)", async () => {
    // Act
    const { done, mail } = await carryOut({ type: 'access', email: jan.email, language: 'nl' });
    // Assess: the report names the system in Dutch and shows what the system derived, labelled as inferred
    expect(done.status).toBe('completed');
    const pages = await Promise.all(linksIn(mail).map(download));
    const html =
      pages.find((p) => p.file.headers.get('content-type')?.startsWith('text/html'))?.body.toString('utf8') ??
      '';
    expect(html).toContain(system.label.nl);
    const his = seeded.records.find((r) => r.email === jan.email) as { vacancy: string };
    expect(html).toContain(his.vacancy);
  });

  it('rectifies her phone number in the service itself (P2, P17)', async () => {
    // Act
    const { done } = await carryOut({
      type: 'rectification',
      email: noor.email,
      language: 'en',
      changes: { phone: '+32 470 99 88 77' },
    });
    // Assess: completed, and the service holds the new number on each of her records
    expect(done.status).toBe('completed');
    const records = await recordsOf(noor.email);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(r.phone).toBe('+32470998877');
  });
});

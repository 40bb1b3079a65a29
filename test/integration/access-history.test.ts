// The access report's account of the pipeline's own data (P1, P15) end to end on the embedded runtime: An objects
// to direct marketing, a staff member views that request, then she asks for access; her report and package list
// the objection, the notices sent about it and when and why staff consulted her data, and name no staff member.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { call, type InboxMail, inbox } from '../helpers/api.ts';
import { download, linksIn } from '../helpers/downloads.ts';
import { unescapeHtml } from '../helpers/html.ts';
import { fileAndVerify, reachStatus } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';
import { readZip } from '../unit/export/zip.ts';

const an = DEMO_CUSTOMERS.an;
const VIEWER = 'marie.peeters';
const APPROVER = 'jan.janssens';
let rt: Runtime;

const visible = (html: string) =>
  unescapeHtml(html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ')).replace(
    /[ \t\r\n]+/g,
    ' ',
  );

describe('Access report: what the pipeline holds about her, end to end (P1, P15)', () => {
  beforeAll(async () => {
    rt = await startRuntime({ clock: '2026-11-25T09:00:00Z', env: { RATE_LIMIT_PER_SOURCE: '200' } });
  });

  afterAll(async () => {
    await rt?.stop();
  });

  it('lists her earlier objection, the notices about it and the dates and purposes of staff views and decisions, with no staff identifier (P1, P15, CJEU C-579/21)', async () => {
    // Prepare: An objects to direct marketing (absolute: no approval); it completes and the processors are told
    const objection = await fileAndVerify(
      rt,
      { type: 'objection', email: an.email, language: 'nl', scope: ['direct_marketing'] },
      [an.email],
    );
    await reachStatus(rt, objection.id, objection.token, ['completed'], 90_000);
    // Prepare: a staff member views the objection; the view is audited under her id, with the notices it shows
    const viewer = await rt.staffToken('viewer', VIEWER);
    const viewed = await call(rt.apiUrl, 'GET', `/admin/requests/${objection.id}`, { token: viewer });
    expect(viewed.status).toBe(200);
    const trail = viewed.json.audit as { actor: string; action: string }[];
    expect(trail).toContainEqual(
      expect.objectContaining({ actor: `staff:${VIEWER}`, action: 'request.viewed' }),
    );
    const notices = viewed.json.notices as { recipient: string; event: string }[];
    expect(notices.length).toBeGreaterThan(0);

    // Act: she asks for access; a staff member views it and another approves it; it completes
    const before = (await inbox(rt.sesUrl)).length;
    const access = await fileAndVerify(rt, { type: 'access', email: an.email, language: 'nl' }, [an.email]);
    await reachStatus(rt, access.id, access.token, ['awaiting_approval']);
    expect((await call(rt.apiUrl, 'GET', `/admin/requests/${access.id}`, { token: viewer })).status).toBe(
      200,
    );
    const approver = await rt.staffToken('approver', APPROVER);
    const approved = await call(rt.apiUrl, 'POST', `/admin/requests/${access.id}/approve`, {
      token: approver,
    });
    expect(approved.status).toBe(200);
    await reachStatus(rt, access.id, access.token, ['completed'], 90_000);
    // Act: follow both links of her outcome mail
    const mail = (await inbox(rt.sesUrl))
      .slice(before)
      .find((m) => m.destination.to.includes(an.email) && linksIn(m).length > 0) as InboxMail;
    const pages = await Promise.all(linksIn(mail).map(download));
    const html = pages
      .find((p) => p.file.headers.get('content-type')?.startsWith('text/html'))
      ?.body.toString();
    const zip = await readZip(
      pages.find((p) => p.file.headers.get('content-type') === 'application/zip')?.body as Buffer,
    );
    const text = visible(html ?? '');

    // Assess: the earlier objection, carried out
    expect(text).toContain('Uw eerdere verzoeken');
    expect(text).toMatch(/Bezwaar [^|]*? uitgevoerd/);
    // Assess: every notice staff saw on the objection, with its recipient and event, about that objection
    for (const n of notices) expect(text).toContain(n.recipient);
    expect(text).toContain('uw bezwaar: opdracht om de verwerking te stoppen');
    expect(text).toContain('uw verzoek tot bezwaar van 25 november 2026');
    // Assess: the consultations by purpose: the view of the objection, the view and the approval of this request
    expect(text).toContain('uw verzoek bekijken om het te behandelen');
    expect(text).toContain('uw verzoek beoordelen en goedkeuren');
    expect(text).toContain('uw verzoek tot inzage van 25 november 2026');
    expect(text).toContain('met de hand zoeken in een van onze systemen zonder koppeling');
    // Assess: her suppression entry, in the marketing system's part
    expect(text).toContain('Uitschrijving of bezwaar');
    // Assess: the machine-readable twin, in the zip
    const consultations = JSON.parse(zip.get('pipeline/consultations.json')?.toString() ?? '[]') as {
      purpose: string;
    }[];
    // (and the paper archive's owner, who searched it by hand for each request: P17)
    expect(consultations.map((c) => c.purpose)).toEqual([
      'manual_search',
      'review',
      'review',
      'approval',
      'manual_search',
    ]);
    const requests = JSON.parse(zip.get('pipeline/requests.json')?.toString() ?? '[]');
    expect(requests).toEqual([expect.objectContaining({ type: 'objection', status: 'completed' })]);
    // Assess: no staff identifier anywhere, in the report or the package
    const everything = [html ?? '', ...[...zip.values()].map((b) => b.toString())].join('\n');
    for (const id of [VIEWER, APPROVER, 'staff:', `${VIEWER}@jsm.be`]) expect(everything).not.toContain(id);
  });
});

// The access report's account of what the pipeline itself holds about the subject (P1, P15): earlier requests,
// notices, staff consultations (dates and purposes, never who: CJEU C-579/21), in nl, fr and en, and in the package.
import { describe, expect, it } from 'vitest';
import { knownLabel, LANGUAGES, type LabelSection } from '../../../functions/core/messages/index.ts';
import type { NoticeRecord } from '../../../functions/core/notifications.ts';
import type { Manifest } from '../../../functions/core/package-zip.ts';
import type { Actor } from '../../../functions/core/ports.ts';
import { NOTIFICATION_EVENTS } from '../../../functions/core/registers/index.ts';
import { renderReport } from '../../../functions/core/report.ts';
import { historyFiles } from '../../../functions/core/report-history.ts';
import type { RequestRecord } from '../../../functions/core/request.ts';
import { type Language, REQUEST_TYPES, STATUSES } from '../../../functions/core/schemas.ts';
import { CONSULTATION_PURPOSES, subjectHistory } from '../../../functions/core/subject-history.ts';
import { optOutId } from '../../../functions/core/unsubscribe.ts';
import { assemble } from '../../../functions/workflow/assemble.ts';
import { memoryAudit, memoryHistory, memoryStore } from '../../fixtures/fakes.ts';
import { unescapeHtml } from '../../helpers/html.ts';
import { exportedRequest, NOW, request } from './fixtures.ts';
import { readZip, sha256 } from './zip.ts';

const STAFF = 'staff:marie.peeters';
const EARLIER = 'r_EarlierObjection000001';

/** The report's text without tags, entities decoded: what a reader sees. */
const visible = (html: string) =>
  unescapeHtml(html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ')).replace(
    /[ \t\r\n]+/g,
    ' ',
  );

const earlier = (id: string, extra: Partial<RequestRecord> = {}): RequestRecord =>
  request('objection', 'nl', {
    pk: `REQ#${id}`,
    id,
    status: 'completed',
    receivedAt: '2026-01-12T09:00:00.000Z',
    closedAt: '2026-01-12T09:20:00.000Z',
    scope: ['direct_marketing'],
    ...extra,
  });

const notice = (owner: NoticeRecord['owner'], acknowledgedAt?: string): NoticeRecord => ({
  owner,
  recipientId: 'email-marketing',
  event: owner.kind === 'optout' ? 'opt_out' : 'objection',
  idempotencyKey: `${owner.id}:email-marketing`,
  status: acknowledgedAt ? 'acknowledged' : 'sent',
  attempts: 1,
  firstSentAt: '2026-01-12T09:15:00.000Z',
  lastAttemptAt: '2026-01-12T09:15:00.000Z',
  ...(acknowledgedAt ? { acknowledgedAt } : {}),
  // The body of an unacknowledged notice holds her address: it must never reach the history.
  payload: { email: 'an.devos@example.be' } as unknown as NoticeRecord['payload'],
});

/**
 * An (subjectRef s_an) objected on 12 January, staff viewed that request, the processor acknowledged its notice;
 * she opted out of the newsletter by one click after staff issued the mailing's link; now she asks for access,
 * which staff viewed and approved.
 */
async function anWithHistory(access: RequestRecord = request('access')) {
  const store = memoryStore();
  let at = new Date('2026-01-12T09:00:00.000Z');
  const audit = memoryAudit(() => at);
  const step = async (id: string, iso: string, actor: Actor, action: string) => {
    at = new Date(iso);
    await audit.append(id, { actor, action });
  };
  await store.create(earlier(EARLIER));
  await store.create(access);
  await step(EARLIER, '2026-01-12T09:00:00.000Z', 'subject', 'request.received');
  await step(EARLIER, '2026-01-12T09:10:00.000Z', STAFF, 'request.viewed');
  const optOut = optOutId(access.subjectRef, 'newsletter');
  await step(optOut, '2026-01-20T08:00:00.000Z', 'staff:admin-7', 'unsubscribe_link.issued');
  await step(optOut, '2026-01-21T18:30:00.000Z', 'subject', 'optout.received');
  await step(access.id, '2026-02-10T08:00:00.000Z', 'subject', 'request.received');
  await step(access.id, '2026-02-10T10:00:00.000Z', STAFF, 'request.viewed');
  await step(access.id, '2026-02-10T10:05:00.000Z', STAFF, 'request.approved');
  const notices = [
    notice({ kind: 'request', id: EARLIER }, '2026-01-12T09:16:00.000Z'),
    { ...notice({ kind: 'optout', id: optOut }), firstSentAt: '2026-01-21T18:30:01.000Z' },
  ];
  return { store, audit, history: memoryHistory(store, audit, notices), access };
}

describe('Access report: what the pipeline holds about her (P1, P15)', () => {
  it('lists her earlier requests and opt-outs, the notices about them and when and why staff consulted her data, never who (P1, P15, CJEU C-579/21)', async () => {
    // Prepare
    const { history: store, access } = await anWithHistory();

    // Act
    const history = await subjectHistory(store, access);

    // Assess: the earlier objection and the opt-out, oldest first; not the access request itself
    expect(history.requests).toEqual([
      {
        type: 'objection',
        receivedAt: '2026-01-12T09:00:00.000Z',
        status: 'completed',
        closedAt: '2026-01-12T09:20:00.000Z',
      },
      {
        type: 'opt_out',
        list: 'newsletter',
        receivedAt: '2026-01-21T18:30:00.000Z',
        status: 'completed',
        closedAt: '2026-01-21T18:30:00.000Z',
      },
    ]);
    // Assess: each notice with its recipient, event, date and acknowledgement, never its body
    expect(history.notices).toEqual([
      {
        recipient: 'Voorbeeld E-mailmarketing BV',
        role: 'processor',
        event: 'objection',
        about: { request: 'objection', receivedAt: '2026-01-12T09:00:00.000Z' },
        sentAt: '2026-01-12T09:15:00.000Z',
        acknowledgedAt: '2026-01-12T09:16:00.000Z',
      },
      {
        recipient: 'Voorbeeld E-mailmarketing BV',
        role: 'processor',
        event: 'opt_out',
        about: { list: 'newsletter' },
        sentAt: '2026-01-21T18:30:01.000Z',
      },
    ]);
    // Assess: every staff entry as a date and a purpose; the subject's own steps are no consultation
    expect(history.consultations.map((c) => [c.at, c.purpose])).toEqual([
      ['2026-01-12T09:10:00.000Z', 'review'],
      ['2026-01-20T08:00:00.000Z', 'unsubscribe_link'],
      ['2026-02-10T10:00:00.000Z', 'review'],
      ['2026-02-10T10:05:00.000Z', 'approval'],
    ]);
    expect(JSON.stringify(history)).not.toMatch(/staff:|marie|admin-7|@/);
  });

  it('reports each time staff opened her address as a consultation, dated, with its purpose and not who (P15)', async () => {
    // Prepare: her history, then an approver opens her address on the access request
    const { history: store, audit, access } = await anWithHistory();
    await audit.append(access.id, { actor: STAFF, action: 'subject.viewed', details: { fields: ['email'] } });
    // Act
    const history = await subjectHistory(store, access);
    // Assess: the opening is the last consultation, for contact details, with no staff id
    expect(history.consultations.at(-1)).toMatchObject({
      purpose: 'contact_details',
      about: { request: 'access' },
    });
    expect(history.consultations).toHaveLength(5);
    expect(JSON.stringify(history)).not.toMatch(/staff:/);
  });

  it('reads by keys only: one index query by her keyed hash, then each chain and its notices by id (P1)', async () => {
    // Prepare
    const { history: store, access } = await anWithHistory();

    // Act
    await subjectHistory(store, access);

    // Assess
    expect(store.reads.filter((r) => r.startsWith('requestsOf:'))).toEqual(['requestsOf:s_an']);
    expect(store.reads).toContain(`chain:${EARLIER}`);
    expect(store.reads).toContain(`notices:optout:${optOutId('s_an', 'direct_mailing')}`);
  });

  it('shows nothing from before an e-mail rectification moved the subject off this address: the old holder gets what a stranger gets (P2, P8)', async () => {
    // Prepare: the earlier objection, then a completed rectification of the address to a new one, then access
    const { store, audit, access } = await anWithHistory();
    await store.create(
      request('rectification', 'nl', {
        pk: 'REQ#r_MovedAway0000000000001',
        id: 'r_MovedAway0000000000001',
        status: 'completed',
        receivedAt: '2026-01-25T09:00:00.000Z',
        closedAt: '2026-01-25T09:30:00.000Z',
        newSubjectRef: 's_an_new',
      }),
    );

    // Act
    const history = await subjectHistory(memoryHistory(store, audit, []), access);

    // Assess: neither the objection, the opt-out, the rectification nor their consultations; only this request's
    expect(history.requests).toEqual([]);
    expect(history.consultations.map((c) => c.at)).toEqual([
      '2026-02-10T10:00:00.000Z',
      '2026-02-10T10:05:00.000Z',
    ]);
  });

  it('lists, behind an address several people share, only the requests for the person staff picked (P8)', async () => {
    // Prepare: the access request is for C-100234; an earlier one from the same address was for her partner
    const access = request('access', 'nl', { identity: { customerNumber: 'C-100234', by: 'x', at: 'y' } });
    const { store, audit } = await anWithHistory(access);
    await store.create(
      earlier('r_PartnerErasure000000001', {
        type: 'erasure',
        identity: { customerNumber: 'C-100999', by: 'x', at: 'y' },
      }),
    );
    await store.create(
      earlier('r_HerOwnErasure000000001', {
        type: 'erasure',
        receivedAt: '2026-02-01T09:00:00.000Z',
        identity: { customerNumber: 'C-100234', by: 'x', at: 'y' },
      }),
    );

    // Act
    const history = await subjectHistory(memoryHistory(store, audit, []), access);

    // Assess: her own erasure, not her partner's, nor the objection no one was picked for
    expect(history.requests.filter((r) => r.type !== 'opt_out')).toEqual([
      expect.objectContaining({ type: 'erasure', receivedAt: '2026-02-01T09:00:00.000Z' }),
    ]);
  });

  it.each([
    [
      'nl',
      ['Wat wij bijhouden over uw verzoeken', 'Bezwaar', 'uitgevoerd', 'Afmelding voor de nieuwsbrief'],
      [
        'uw bezwaar: opdracht om de verwerking te stoppen',
        'uw verzoek tot bezwaar van 12 januari 2026',
        'nog niet',
      ],
      ['uw verzoek bekijken om het te behandelen', 'uw verzoek beoordelen en goedkeuren', 'arrest C-579/21'],
    ],
    [
      'fr',
      ['Ce que nous conservons de vos demandes', 'Opposition', 'exécutée', 'Désinscription de la lettre'],
      [
        "votre opposition\u00a0: instruction d'arrêter le traitement",
        "votre demande d'opposition du 12 janvier 2026",
        'pas encore',
      ],
      ['consulter votre demande pour la traiter', 'examiner et approuver votre demande', 'arrêt C-579/21'],
    ],
    [
      'en',
      ['What we keep about your requests', 'Objection', 'carried out', 'Unsubscribe from the newsletter'],
      [
        'your objection: instruction to stop the processing',
        'your objection request of 12 January 2026',
        'not yet',
      ],
      ['viewing your request to handle it', 'reviewing and approving your request', 'judgment C-579/21'],
    ],
  ] as [Language, string[], string[], string[]][])(
    'renders the earlier requests, notices and consultations in %s, with no staff identifier (P1, P15, P18)',
    async (lang, requests, notices, consultations) => {
      // Prepare
      const { r, objects } = await exportedRequest('access', { language: lang });
      const { history: store, access } = await anWithHistory({ ...r, language: lang });

      // Act
      const history = await subjectHistory(store, access);
      const text = visible(await renderReport({ objects, now: () => NOW, history }, access, 1));

      // Assess
      for (const phrase of [...requests, ...notices, ...consultations]) expect(text).toContain(phrase);
      expect(text).toContain('pipeline/consultations.json');
      expect(text).not.toMatch(/staff:|marie|admin-7/);
    },
  );

  it.each([
    [
      'nl',
      'We ontvingen van dit e-mailadres geen eerdere verzoeken.',
      'heeft geen medewerker uw gegevens geraadpleegd',
    ],
    ['fr', "Nous n'avons reçu aucune demande antérieure", "aucun collaborateur n'a consulté vos données"],
    [
      'en',
      'We received no earlier requests from this e-mail address.',
      'No member of staff consulted your data',
    ],
  ] as [Language, string, string][])(
    'says so when there is nothing to list, in %s (P1, P18)',
    async (lang, noRequests, noConsultations) => {
      // Prepare
      const { r, objects } = await exportedRequest('access', { language: lang });

      // Act
      const text = visible(await renderReport({ objects, now: () => NOW }, r, 1));

      // Assess
      expect(text).toContain(noRequests);
      expect(text).toContain(noConsultations);
    },
  );

  it('puts the same history in the access package as JSON and CSV, listed with its hashes in the manifest (P1)', async () => {
    // Prepare: her exported access request, its earlier history, and the Assemble task's dependencies
    const { r, objects } = await exportedRequest('access', { language: 'en' });
    const { store, audit, history: historyStore } = await anWithHistory(r);

    // Act
    await assemble({ store, audit, objects, historyStore, now: () => NOW }, r.id, 1);

    // Assess: pipeline/ files in the zip, each matching the manifest and the history
    const zip = await readZip(objects.items.get((await store.get(r.id))?.package?.key ?? '')?.body as Buffer);
    const manifest = JSON.parse(zip.get('manifest.json')?.toString() ?? '{}') as Manifest;
    const expected = await historyFiles(await subjectHistory(historyStore, r));
    expect(manifest.pipeline?.map((f) => f.path).sort()).toEqual(expected.map((f) => f.path).sort());
    for (const file of manifest.pipeline ?? []) {
      expect(sha256(zip.get(file.path) as Buffer), file.path).toBe(file.sha256);
    }
    const consultations = JSON.parse(zip.get('pipeline/consultations.json')?.toString() ?? '[]');
    expect(consultations).toHaveLength(4);
    expect(consultations[0]).toEqual({
      about: { receivedAt: '2026-01-12T09:00:00.000Z', request: 'objection' },
      at: '2026-01-12T09:10:00.000Z',
      purpose: 'review',
    });
    expect(zip.get('pipeline/requests.csv')?.toString()).toMatch(
      /^type,list,receivedAt,status,closedAt,extra\r\n/,
    );
    expect([...zip.values()].map((b) => b.toString()).join('')).not.toMatch(/staff:|marie|admin-7/);
  });

  it('leaves the pipeline history out of a portability package (P7, Art. 20(1))', async () => {
    // Prepare
    const { r, objects } = await exportedRequest('portability', { language: 'en' });
    const { store, audit, history: historyStore } = await anWithHistory(r);

    // Act
    await assemble({ store, audit, objects, historyStore, now: () => NOW }, r.id, 1);

    // Assess
    const zip = await readZip(objects.items.get((await store.get(r.id))?.package?.key ?? '')?.body as Buffer);
    expect([...zip.keys()].filter((k) => k.startsWith('pipeline/'))).toEqual([]);
    expect(historyStore.reads).toEqual([]);
  });

  it('labels every request type, status, notice event, consultation purpose and origin in nl, fr and en (P18)', () => {
    // Prepare: the codes the history and the export carry, by catalog section
    const codes: [LabelSection, readonly string[]][] = [
      ['history.type', REQUEST_TYPES],
      ['history.status', STATUSES],
      ['history.event', NOTIFICATION_EVENTS],
      ['history.purpose', CONSULTATION_PURPOSES],
      ['report.origin', ['provided', 'observed', 'inferred', 'staff']],
    ];

    // Act
    const unlabelled = LANGUAGES.flatMap((lang) =>
      codes.flatMap(([section, list]) =>
        list.filter((c) => knownLabel(section, c, lang) === undefined).map((c) => `${lang} ${section}.${c}`),
      ),
    );

    // Assess
    expect(unlabelled).toEqual([]);
  });
});

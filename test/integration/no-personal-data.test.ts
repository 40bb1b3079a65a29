// No personal data where it does not belong (P15, Art. 5(1)(c), Art. 32), end to end on the embedded runtime: every
// request type is carried out (access, portability to another organisation, rectification to a new address, erasure,
// objection, a letter with a postal address and a representative, a one-click opt-out, a rejected and a bounced
// request, and bad input naming a subject), then every place that must hold no personal data is searched for every
// value the demo data and the test gave: zero hits. The places meant to hold it are named and left out, each with why.
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMERS, type DemoCustomer, INACTIVE_CUSTOMERS } from '../../local/demo-data.ts';
import { BUCKETS } from '../../local/runtime.ts';
import { type Answer, codeIn, eventually, inbox, call as rawCall, waitForMail } from '../helpers/api.ts';
import { approveAndFinish, fileAndVerify, reachStatus, reject } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';
import { snapshot } from '../helpers/snapshot.ts';

const { an, luc, noor, jan, sophie, pieter } = DEMO_CUSTOMERS;
const ORG = { organisation: 'Nieuwe Telecom NV', email: 'dpo@nieuwetelecom.example' };
const NEW_EMAIL = 'noor.nieuw@example.be';
const NEW_PHONE = '+32 478 55 66 77';
const REPRESENTATIVE = {
  relation: 'representative',
  name: 'Hendrik Vanderstraeten',
  postalAddress: 'Hendrik Vanderstraeten\nMeir 101\n2000 Antwerpen',
};
const SUBJECT_POSTAL = `${pieter.firstName} ${pieter.lastName}\n${pieter.address.street}\n${pieter.address.postalCode} ${pieter.address.city}`;
const BOUNCE = 'bounce@simulator.amazonses.com';
const EXPLANATION = `U vroeg dit voor ${pieter.firstName} ${pieter.lastName} al op dezelfde dag`;

/** Every personal value the runtime was given: the demo data's and the test's own, by what it is. */
function needles(): { what: string; value: string }[] {
  const out: { what: string; value: string }[] = [];
  for (const [key, c] of Object.entries<DemoCustomer>({ ...DEMO_CUSTOMERS, ...INACTIVE_CUSTOMERS })) {
    out.push({ what: `${key} e-mail`, value: c.email });
    out.push({ what: `${key} name`, value: `${c.firstName} ${c.lastName}` });
    out.push({ what: `${key} last name`, value: c.lastName });
    out.push({ what: `${key} phone`, value: c.phone });
    out.push({ what: `${key} phone (national)`, value: c.phone.replace('+32', '0') });
    out.push({ what: `${key} street`, value: c.address.street });
    if (c.iban) out.push({ what: `${key} IBAN`, value: c.iban });
  }
  out.push(
    { what: 'new e-mail', value: NEW_EMAIL },
    { what: 'new phone', value: NEW_PHONE },
    { what: 'new phone (normalised)', value: NEW_PHONE.replaceAll(' ', '') },
    { what: 'organisation e-mail', value: ORG.email },
    { what: 'representative', value: REPRESENTATIVE.name },
    { what: 'representative street', value: 'Meir 101' },
    { what: 'bounced address', value: BOUNCE },
    { what: "staff's explanation", value: EXPLANATION },
  );
  // Short last names would match ordinary words; four letters and more are distinctive in these stores.
  return out.filter((n) => n.value.length >= 4);
}

/** The needles found in `text`, case-insensitively. */
const hitsIn = (text: string, list: { what: string; value: string }[]) => {
  const lower = text.toLowerCase();
  return list.filter((n) => lower.includes(n.value.toLowerCase())).map((n) => n.what);
};

let rt: Runtime;
/** Every answer of 400 and above the API gave in this file. */
const problems: { route: string; answer: Answer }[] = [];
let keys = 0;
/** The API as a client calls it, each POST with its own Idempotency-Key, so idempotency records are made too. */
const call = async (...args: Parameters<typeof rawCall>) => {
  const [base, method, path, options = {}] = args;
  const headers =
    method === 'POST' ? { 'idempotency-key': `pii-${++keys}`, ...options.headers } : options.headers;
  const answer = await rawCall(base, method, path, { ...options, headers });
  if (answer.status >= 400) problems.push({ route: `${args[1]} ${args[2]}`, answer });
  return answer;
};
const ids: Record<string, string> = {};

/** Files with the mailed code and `extra` in the verify body (Art. 20(2): the transfer confirmed). */
async function fileVerifyConfirm(body: Record<string, unknown>, to: string) {
  const seen = new Set((await inbox(rt.sesUrl)).map((m) => m.messageId));
  const filed = await call(rt.apiUrl, 'POST', '/requests', { body });
  const id = filed.json.id as string;
  const mail = await waitForMail(rt.sesUrl, to, (m) => codeIn(m) !== '' && !seen.has(m.messageId));
  const verified = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, {
    body: { code: codeIn(mail), confirmTransfer: true },
  });
  expect(verified.status).toBe(200);
  return { id, token: verified.json.statusToken as string };
}

async function carryOut(name: string, body: Record<string, unknown>, codeTo: string[]) {
  const { id, token } = await fileAndVerify(rt, body, codeTo);
  ids[name] = id;
  const { done } = await approveAndFinish(rt, id, token);
  expect(done.status, name).toBe('completed');
}

const staff = async (role: 'viewer' | 'approver' | 'admin', method: string, path: string, body?: unknown) =>
  call(rt.apiUrl, method, path, {
    token: await rt.staffToken(role),
    ...(body === undefined ? {} : { body }),
  });

const staffView = async (id: string) => (await staff('viewer', 'GET', `/admin/requests/${id}`)).json;

beforeAll(async () => {
  rt = await startRuntime();
  const runs: Promise<unknown>[] = [
    carryOut('access', { type: 'access', email: luc.email, language: 'fr' }, [luc.email]),
    carryOut(
      'rectification',
      {
        type: 'rectification',
        email: noor.email,
        language: 'en',
        changes: { email: NEW_EMAIL, phone: NEW_PHONE },
      },
      [noor.email, NEW_EMAIL],
    ),
    carryOut('erasure', { type: 'erasure', email: jan.email, language: 'nl' }, [jan.email]),
    carryOut('objection', { type: 'objection', email: sophie.email, scope: ['direct_marketing'] }, [
      sophie.email,
    ]),
    (async () => {
      const { id, token } = await fileVerifyConfirm(
        { type: 'portability', email: an.email, language: 'nl', recipient: ORG },
        an.email,
      );
      ids.portability = id;
      expect((await approveAndFinish(rt, id, token)).done.status).toBe('completed');
    })(),
    (async () => {
      // A letter from a representative for Pieter, answered on paper to the representative.
      const filed = await staff('approver', 'POST', '/admin/requests', {
        type: 'access',
        channel: 'letter',
        receivedAt: new Date(Date.now() - 86_400_000).toISOString(),
        language: 'nl',
        postalAddress: SUBJECT_POSTAL,
        representative: REPRESENTATIVE,
      });
      expect(filed.status).toBe(201);
      const id = filed.json.id as string;
      ids.letter = id;
      await eventually(
        async () => ((await staffView(id)).status === 'awaiting_identity_check' ? true : undefined),
        90_000,
        'waiting for the check',
      );
      expect(
        (await staff('approver', 'POST', `/admin/requests/${id}/authority`, { method: 'id_document_seen' }))
          .status,
      ).toBe(200);
      await eventually(
        async () => ((await staffView(id)).status === 'awaiting_approval' ? true : undefined),
        90_000,
        'awaiting approval',
      );
      expect((await staff('approver', 'POST', `/admin/requests/${id}/approve`)).status).toBe(200);
      await eventually(
        async () => ((await staffView(id)).status === 'completed' ? true : undefined),
        90_000,
        'completed',
      );
    })(),
    (async () => {
      // Pieter's own e-mail request, refused with staff's explanation naming him (Art. 12(4)).
      const { id, token } = await fileAndVerify(
        rt,
        { type: 'erasure', email: pieter.email, language: 'en' },
        [pieter.email],
      );
      ids.rejected = id;
      await reachStatus(rt, id, token, ['awaiting_approval']);
      expect((await reject(rt, id, 'other', EXPLANATION)).status).toBe(200);
      await reachStatus(rt, id, token, ['rejected']);
    })(),
    (async () => {
      // A request from an address whose code mail bounces (SES mailbox simulator).
      const filed = await call(rt.apiUrl, 'POST', '/requests', { body: { type: 'access', email: BOUNCE } });
      const id = filed.json.id as string;
      ids.bounced = id;
      await eventually(
        async () =>
          ((await staffView(id)).delivery as { state?: string } | undefined)?.state === 'bounced' ||
          undefined,
        60_000,
        'the bounce recorded',
      );
    })(),
    (async () => {
      // A one-click opt-out of An's newsletter.
      const link = await staff('admin', 'POST', '/admin/unsubscribe-links', {
        email: an.email,
        list: 'newsletter',
      });
      const path = new URL(link.json.url as string).pathname;
      const res = await call(rt.apiUrl, 'POST', path, {
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBeLessThan(300);
    })(),
  ];
  await Promise.all(runs);

  // Bad input that carries personal data: each must be refused without echoing it.
  const bad: [string, string, Record<string, unknown>][] = [
    ['POST', '/requests', { type: 'access', email: an.email, [an.email]: an.iban }],
    ['POST', '/requests', { type: 'access', email: `${an.firstName} ${an.lastName}` }],
    [
      'POST',
      '/requests',
      { type: 'rectification', email: an.email, changes: { phone: an.iban, iban: an.phone } },
    ],
    ['POST', '/requests', { type: 'erasure', email: an.email, language: an.address.street }],
    ['POST', `/requests/${ids.access}/verify`, { code: an.phone }],
  ];
  for (const [method, path, body] of bad) {
    const res = await call(rt.apiUrl, method, path, { body });
    expect(res.status, path).toBeGreaterThanOrEqual(400);
  }
  expect(
    (await staff('viewer', 'GET', `/admin/requests?email=${encodeURIComponent(an.email)}&x=${an.iban}`))
      .status,
  ).toBeLessThan(500);
}, 600_000);

afterAll(async () => {
  await rt?.stop();
});

/** Where personal data belongs, and why; everything else the runtime keeps is searched. */
const EXCLUDED = {
  'requests REQUEST':
    "the request record itself: the subject's contact, to act on and answer (minimised at close)",
  'requests LETTER#.html':
    "a printable letter's body: addressed to the requester on paper, shown to staff only",
  'system-*': "the systems' own tables: the data the requests are about",
  [`s3 ${BUCKETS.exports}`]: 'the export files: the subject’s own data, delivered to them (P1, P7)',
  'ses inbox':
    "the mails' bodies and recipients: sent to the subject, the representative or the organisation",
} as const;

type Place = { place: string; items: string[] };

/** Every item of every table the runtime keeps, by place; what is excluded stays out, with its reason above. */
const requestRecords: string[] = [];

async function storedPlaces(): Promise<Place[]> {
  const snap = await snapshot(rt);
  requestRecords.length = 0;
  const places = new Map<string, string[]>();
  const add = (place: string, item: unknown) =>
    places.set(place, [...(places.get(place) ?? []), JSON.stringify(item)]);
  for (const [table, items] of snap.tables) {
    if (table.startsWith('system-')) continue; // EXCLUDED 'system-*'
    for (const text of items) {
      const item = JSON.parse(text) as Record<string, unknown>;
      const sk = String(item.sk ?? '');
      if (table === 'requests' && sk === 'REQUEST') {
        requestRecords.push(text); // EXCLUDED 'requests REQUEST'
        continue;
      }
      if (table === 'requests' && sk.startsWith('LETTER#')) {
        const { html: _body, ...metadata } = item; // EXCLUDED 'requests LETTER#.html'
        add('requests LETTER# (letter store metadata)', metadata);
        continue;
      }
      const prefix = (key: unknown) => /^[A-Z]+#?/.exec(String(key ?? ''))?.[0] ?? '';
      const kind = table === 'requests' ? `requests ${prefix(item.pk)}${prefix(sk)}` : table;
      add(kind, item);
    }
  }
  return [...places].map(([place, items]) => ({ place, items }));
}

/** The audit heads, as written once (Object Lock on AWS, a bucket here). */
async function auditHeads(): Promise<string[]> {
  const s3 = new S3Client({
    region: 'eu-west-1',
    endpoint: rt.s3Url,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const out: string[] = [];
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKETS.auditHeads }));
  for (const o of listed.Contents ?? []) {
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKETS.auditHeads, Key: o.Key }));
    out.push(`${o.Key} ${await got.Body?.transformToString()}`);
  }
  s3.destroy();
  return out;
}

const isMetric = (line: string) => line.includes('"_aws"');
const figures: { place: string; searched: number; hits: number }[] = [];

/** Searches each item of a place; records the figures; answers the hits as `place: item → what`. */
function search(place: string, items: string[]): string[] {
  const list = needles();
  const hits = items.flatMap((item) =>
    hitsIn(item, list).map((what) => `${place}: ${item.slice(0, 160)} → ${what}`),
  );
  figures.push({ place, searched: items.length, hits: hits.length });
  return hits;
}

describe('No personal data where it does not belong, after every request type (P15, Art. 5(1)(c), Art. 32)', () => {
  it('ran every request type to its end: access, portability to an organisation, rectification, erasure, objection, letter with a representative, opt-out, rejection, bounce (P15)', async () => {
    // Assess: every scenario left a request, and each reached what it was meant to
    expect(Object.keys(ids).sort()).toEqual(
      [
        'access',
        'bounced',
        'erasure',
        'letter',
        'objection',
        'portability',
        'rectification',
        'rejected',
      ].sort(),
    );
    expect((await staffView(ids.rejected as string)).status).toBe('rejected');
  });

  it('names no subject in any log line of the runtime (P15)', () => {
    // Act
    const lines = rt.logs().filter((l) => !isMetric(l));
    // Assess: there are lines, and none names anyone
    expect(lines.length).toBeGreaterThan(100);
    expect(search('log lines', lines)).toEqual([]);
  });

  it('names no subject in any metric (EMF) (P15)', () => {
    // Act
    const metrics = rt.logs().filter(isMetric);
    // Assess
    expect(metrics.length).toBeGreaterThan(0);
    expect(search('metrics (EMF lines)', metrics)).toEqual([]);
  });

  it('names no subject in any problem answer of the API, bad input naming her included (P15)', () => {
    // Act
    const bodies = problems.map((p) => `${p.answer.status} ${p.answer.text}`);
    // Assess: the bad inputs were refused, and no answer echoes what they named
    expect(bodies.length).toBeGreaterThanOrEqual(5);
    expect(search('problem answers', bodies)).toEqual([]);
  });

  it('names no subject in any Step Functions execution, its input, output or history, nor in the audit trail, the idempotency records, the sent-messages log or the letter store (P15)', async () => {
    // Act
    const places = await storedPlaces();
    const hits = places.flatMap((p) => search(p.place, p.items));
    hits.push(...search(`s3 ${BUCKETS.auditHeads}`, await auditHeads()));
    // Assess: the places the brief names are all there, non-empty, and nothing names anyone
    const names = places.map((p) => p.place);
    for (const must of [
      'audit',
      'idempotency',
      'local-sfn-executions',
      'local-sfn-history',
      'requests REQ#MSG#',
    ])
      expect(names, must).toContain(must);
    expect(names).toContain('requests LETTER# (letter store metadata)');
    for (const p of places) expect(p.items.length, p.place).toBeGreaterThan(0);
    expect(hits).toEqual([]);
    // Assess: the same search finds them where they belong, so a zero above is not a blind search
    const found = new Set(requestRecords.flatMap((r) => hitsIn(r, needles())));
    for (const what of ['luc e-mail', 'pieter e-mail', 'bounced address'])
      expect(found, what).toContain(what);
  });
});

afterAll(() => {
  console.log(
    [
      'Searched for %d personal values (%s):',
      ...figures.map((f) => `  ${f.place}: ${f.searched} searched, ${f.hits} hits`),
      'Left out, by design:',
      ...Object.entries(EXCLUDED).map(([k, why]) => `  ${k}: ${why}`),
    ].join('\n'),
    needles().length,
    'e-mails, names, last names, phones, streets, IBANs, the representative, the new address and phone',
  );
});

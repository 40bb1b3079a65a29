// Access control on the embedded runtime (P15, Art. 32; P8): every staff route of the route table against every
// kind of token, every subject route against its own credential, another request's and a staff token, and an
// Idempotency-Key replayed by someone else. Prints the number of cells checked.
import { randomBytes } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, type Role } from '../../functions/registry.ts';
import { loadStaffKey, STAFF_AUDIENCE, STAFF_ISSUER } from '../../local/staff-auth.ts';
import { type Answer, call, codeIn, inbox, waitForMail } from '../helpers/api.ts';
import { linksIn } from '../helpers/downloads.ts';
import { approveAndFinish, fileAndVerify, reachStatus } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

const RANK: Record<Role, number> = { viewer: 1, approver: 2, admin: 3 };
const NO_SUCH_ID = 'r_AAAAAAAAAAAAAAAAAAAAAA';
let rt: Runtime;
let cells = 0;

beforeAll(async () => {
  rt = await startRuntime({ clock: '2026-11-25T09:00:00Z', env: { RATE_LIMIT_PER_SOURCE: '200' } });
}, 240_000);

afterAll(async () => {
  console.log(`access control: ${cells} cells checked`);
  await rt?.stop();
});

interface Claims {
  groups?: unknown;
  sub?: string;
  iss?: string;
  aud?: string;
  expiresIn?: number;
  tokenUse?: string;
}

/** A token shaped like the local Cognito's (local/staff-auth.ts), with any claim altered, signed with `key`. */
async function forge(c: Claims, key: Uint8Array = loadStaffKey(rt.dataDir)): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    'cognito:groups': c.groups ?? ['admin'],
    token_use: c.tokenUse ?? 'id',
    auth_time: now,
  })
    .setProtectedHeader({ alg: 'HS256', kid: 'local', typ: 'JWT' })
    .setSubject(c.sub ?? 'forged-staff')
    .setIssuer(c.iss ?? STAFF_ISSUER)
    .setAudience(c.aud ?? STAFF_AUDIENCE)
    .setIssuedAt(now - 3600 * 9)
    .setExpirationTime(now + (c.expiresIn ?? 3600))
    .sign(key);
}

const unsecured = () =>
  new UnsecuredJWT({ 'cognito:groups': ['admin'], token_use: 'id' })
    .setSubject('forged-staff')
    .setIssuer(STAFF_ISSUER)
    .setAudience(STAFF_AUDIENCE)
    .setExpirationTime('1h')
    .encode();

/** A call to a staff route that only the role check can refuse: a well-formed id that names nothing, no body. */
const staffCall = (route: (typeof API_ROUTES)[number], token?: string) =>
  call(rt.apiUrl, route.method, route.path.replace(/\{\w+\+?\}/g, NO_SUCH_ID), token ? { token } : {});

// Groups that are not roles: prototype names, other cases, near misses. A Cognito group name has no whitespace.
const NOT_ROLES = [
  'toString',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'valueOf',
  'Admin',
  'ADMIN',
  'Viewer',
  'admins',
  'administrator',
  'admin;viewer',
  'admin|viewer',
  'admin.viewer',
  'role:admin',
  '',
];

describe('Access control: staff routes by token and role (P15, Art. 32)', () => {
  const staffRoutes = API_ROUTES.filter((r) => r.access !== 'public');

  it('answers 401 to every staff route without a token or with an expired, forged, unsigned or foreign one', async () => {
    // Prepare
    const bad: [string, string | undefined][] = [
      ['no token', undefined],
      ['expired', await forge({ expiresIn: -60 })],
      ['wrong signature', await forge({}, new Uint8Array(randomBytes(32)))],
      ['alg none', unsecured()],
      ['wrong audience', await forge({ aud: 'another-client' })],
      ['wrong issuer', await forge({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_OTHER' })],
      ['an access token, not an ID token', await forge({ tokenUse: 'access' })],
      ['garbage', 'not.a.token'],
    ];
    for (const route of staffRoutes) {
      for (const [what, token] of bad) {
        // Act
        const res = await staffCall(route, token);
        // Assess
        expect(res.status, `${route.id} with ${what}`).toBe(401);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        cells++;
      }
    }
  });

  it('answers 403 to every staff route for a group that is not a role, the prototype names included', async () => {
    for (const route of staffRoutes) {
      for (const group of NOT_ROLES) {
        // Prepare
        const token = await forge({ groups: [group] });
        // Act
        const res = await staffCall(route, token);
        // Assess
        expect(res.status, `${route.id} with group ${JSON.stringify(group)}`).toBe(403);
        cells++;
      }
      const none = await staffCall(route, await forge({ groups: [] }));
      expect(none.status, `${route.id} with no group`).toBe(403);
      cells++;
    }
  });

  it("answers 403 below each route's role and neither 401 nor 403 at or above it, the highest of several groups counting", async () => {
    for (const route of staffRoutes) {
      const needed = RANK[route.access as Role];
      const holders: [string, number, string][] = [
        ...(['viewer', 'approver', 'admin'] as Role[]).map(
          (role) => [role, RANK[role], ''] as [string, number, string],
        ),
        ['viewer and admin', RANK.admin, 'viewer,admin'],
        ['Admin and viewer', RANK.viewer, 'Admin,viewer'],
        ['toString and approver', RANK.approver, 'toString,approver'],
      ];
      for (const [who, rank, several] of holders) {
        // Prepare
        const token = await forge({ groups: several ? several.split(',') : [who], sub: `staff-${rank}` });
        // Act
        const res = await staffCall(route, token);
        // Assess
        if (rank < needed) expect(res.status, `${route.id} as ${who}`).toBe(403);
        else expect([401, 403], `${route.id} as ${who}: ${res.status}`).not.toContain(res.status);
        cells++;
      }
    }
  });
});

describe('Access control: a subject route answers only its own credential (P8, P15)', () => {
  let a: { id: string; token: string };
  let b: { id: string; token: string };
  let download: string;
  let staff: string;

  beforeAll(async () => {
    // Two verified access requests (a report to download each), a staff token
    a = await fileAndVerify(rt, { type: 'access', email: 'ac.one@example.be' }, ['ac.one@example.be']);
    b = await fileAndVerify(rt, { type: 'access', email: 'ac.two@example.be' }, ['ac.two@example.be']);
    await approveAndFinish(rt, a.id, a.token);
    const mail = await waitForMail(rt.sesUrl, 'ac.one@example.be', (m) => linksIn(m).length > 0, 60_000);
    download = new URL(linksIn(mail)[0] as string).pathname.split('/').pop() as string;
    staff = await rt.staffToken('admin');
  }, 180_000);

  /**
   * How each subject route takes its credential; every public route with a path parameter must be described here,
   * so a new one is not left out.
   */
  const presented = (routeId: string, cred: 'own' | 'another' | 'staff'): Promise<Answer> => {
    const bearer = { own: a.token, another: b.token, staff }[cred];
    switch (routeId) {
      case 'GetRequestStatus':
        return call(rt.apiUrl, 'GET', `/requests/${a.id}`, { token: bearer });
      case 'Download': {
        const token = { own: download, another: b.token, staff }[cred];
        return call(rt.apiUrl, 'GET', `/downloads/${encodeURIComponent(token)}`);
      }
      case 'UnsubscribePage':
        // The opt-out link's token is its own credential; here only the others are tried (optout.test.ts has own).
        return call(rt.apiUrl, 'GET', `/unsubscribe/${encodeURIComponent(bearer)}`);
      case 'Unsubscribe':
        return call(rt.apiUrl, 'POST', `/unsubscribe/${encodeURIComponent(bearer)}`, {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        });
      case 'TaskPage':
        // A manual task's link is its own credential, the owner's; here only the others are tried (manual-tasks.test.ts has own).
        return call(rt.apiUrl, 'GET', `/tasks/${encodeURIComponent(bearer)}`);
      case 'TaskAnswer':
        return call(rt.apiUrl, 'POST', `/tasks/${encodeURIComponent(bearer)}`, {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'answer=nothing_held',
        });
      case 'VerifyRequest':
      case 'ResendCode':
        // A verified request takes no code and sends none, whoever asks: its status token is no key to them.
        return call(
          rt.apiUrl,
          'POST',
          `/requests/${a.id}/${routeId === 'VerifyRequest' ? 'verify' : 'resend'}`,
          {
            token: bearer,
            body: { code: '00000000' },
          },
        );
      default:
        throw new Error(`Describe how ${routeId} takes its subject's credential`);
    }
  };

  it("lets only its own status token or download token through, never another request's or a staff token", async () => {
    const subjectRoutes = API_ROUTES.filter((r) => r.access === 'public' && /\{\w+\+?\}/.test(r.path));
    for (const route of subjectRoutes) {
      for (const cred of ['own', 'another', 'staff'] as const) {
        if (cred === 'own' && /Unsubscribe|VerifyRequest|ResendCode|^Task/.test(route.id)) continue;
        // Act
        const res = await presented(route.id, cred);
        cells++;
        // Assess
        const what = `${route.id} with ${cred}`;
        if (cred === 'own') {
          expect(res.status, what).toBeLessThan(400);
          continue;
        }
        expect(res.status, what).toBeGreaterThanOrEqual(400);
        expect(res.status, what).toBeLessThan(500);
        expect(res.text, what).not.toContain('ac.one@example.be');
        expect(res.headers.get('location'), what).toBeNull();
      }
    }
  });
});

describe('Access control: an Idempotency-Key replayed by someone else gets nothing of the first answer (P15, P8)', () => {
  it("answers a viewer who replays an approver's key and body with 403, and another approver with their own answer", async () => {
    // Prepare: an erasure waiting for approval, approved by one approver with a key
    const email = 'ac.three@example.be';
    const r = await fileAndVerify(rt, { type: 'erasure', email }, [email]);
    await reachStatus(rt, r.id, r.token, ['awaiting_approval']);
    const path = `/admin/requests/${r.id}/approve`;
    const headers = { 'Idempotency-Key': 'approve-once' };
    const first = await call(rt.apiUrl, 'POST', path, {
      token: await rt.staffToken('approver', 'approver-1'),
      headers,
    });
    expect(first.status).toBe(200);
    // Act
    const viewer = await call(rt.apiUrl, 'POST', path, {
      token: await rt.staffToken('viewer', 'viewer-1'),
      headers,
    });
    const other = await call(rt.apiUrl, 'POST', path, {
      token: await rt.staffToken('approver', 'approver-2'),
      headers,
    });
    const same = await call(rt.apiUrl, 'POST', path, {
      token: await rt.staffToken('approver', 'approver-1'),
      headers,
    });
    cells += 3;
    // Assess: the viewer is refused before any replay; the other approver's call is their own (already decided)
    expect(viewer.status).toBe(403);
    expect(viewer.text).not.toContain(r.id);
    expect(other.status).toBe(409);
    expect(other.json.type).toMatch(/not-awaiting-approval$/);
    expect(same.status).toBe(200);
    expect(same.json).toEqual(first.json);
  }, 120_000);

  it("answers another subject who replays a subject's key with 422 and none of the first answer", async () => {
    // Prepare: C verifies with a key; D holds a status token of their own
    const seen = new Set((await inbox(rt.sesUrl)).map((m) => m.messageId));
    const filed = await call(rt.apiUrl, 'POST', '/requests', {
      body: { type: 'access', email: 'ac.four@example.be' },
    });
    const mail = await waitForMail(rt.sesUrl, 'ac.four@example.be', (m) => !seen.has(m.messageId));
    const d = await fileAndVerify(rt, { type: 'access', email: 'ac.five@example.be' }, [
      'ac.five@example.be',
    ]);
    const headers = { 'Idempotency-Key': 'verify-once' };
    const first = await call(rt.apiUrl, 'POST', `/requests/${filed.json.id}/verify`, {
      headers,
      body: { code: codeIn(mail) },
    });
    expect(first.status).toBe(200);
    // Act: D replays the key with their token, on their own request and on C's with another code
    const onOwn = await call(rt.apiUrl, 'POST', `/requests/${d.id}/verify`, {
      token: d.token,
      headers,
      body: { code: codeIn(mail) },
    });
    const onTheirs = await call(rt.apiUrl, 'POST', `/requests/${filed.json.id}/verify`, {
      token: d.token,
      headers,
      body: { code: '12345678' },
    });
    cells += 2;
    // Assess
    for (const res of [onOwn, onTheirs]) {
      expect(res.status, res.text).toBe(422);
      expect(res.text).not.toContain(first.json.statusToken as string);
    }
  }, 120_000);
});

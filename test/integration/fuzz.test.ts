// Bad input, as an attacker would send it, on the embedded runtime (P15, Art. 32; P8): property-based fuzzing of
// every route in the route table with fast-check. Every case is refused by construction (test/helpers/fuzz-input.ts),
// so every answer must be a 4xx RFC 9457 problem that shows no internals and echoes nothing sent, and after the
// run nothing stored has changed and no mail has gone.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_BASE } from '../../functions/api/problems.ts';
import { ENV } from '../../functions/core/config.ts';
import { API_ROUTES } from '../../functions/registry.ts';
import { call, waitForMail } from '../helpers/api.ts';
import { type FuzzCase, fuzzCases, pct, shapes } from '../helpers/fuzz-input.ts';
import { type RawAnswer, rawRequest } from '../helpers/raw-http.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';
import { differences, type StoreSnapshot, snapshot } from '../helpers/snapshot.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const CASES = Number(process.env.FUZZ_CASES ?? 10_000);
// Modest concurrency: two cores, shared with the runtime, DynamoDB Local and other suites.
const BATCH = 8;
const MAX_BODY = 10 * 1024 * 1024; // API Gateway's payload limit, as local/api-server.ts enforces it
const LEAK = /\bat\s+\S+\s+\(|\.[cm]?[jt]s:\d|node_modules|\/work\/|file:\/\/|\bError:|\bstack\b/;

let rt: Runtime;
let before: StoreSnapshot;
const realIds: string[] = [];
const tally = new Map<string, number>();
let tried = 0;

beforeAll(async () => {
  // Limits raised: every case comes from one loopback address, and the limits have their own tests
  // (erasure.test.ts per address, the per-source test below).
  rt = await startRuntime({
    clock: '2026-11-25T09:00:00Z',
    env: { [ENV.rateLimitPerAddress]: '1000000', [ENV.rateLimitPerSource]: '1000000' },
  });
  // Two real requests awaiting their code: cases name them only where another lever refuses the case.
  for (const email of ['fuzz.one@example.be', 'fuzz.two@example.be']) {
    const filed = await call(rt.apiUrl, 'POST', '/requests', { body: { type: 'access', email } });
    expect(filed.status).toBe(202);
    realIds.push(filed.json.id as string);
    await waitForMail(rt.sesUrl, email);
  }
  before = await snapshot(rt);
}, 180_000);

afterAll(async () => {
  await rt?.stop();
});

/** Why an answer to a refused case is wrong, or undefined when it is a clean refusal. */
function fault(c: FuzzCase, a: RawAnswer): string | undefined {
  if (a.status < 400 || a.status > 499) return `status ${a.status}`;
  const type = a.headers.get('content-type')?.[0] ?? '';
  const text = a.body.toString('utf8');
  const accept = c.headers.find(([n]) => n === 'Accept')?.[1]?.toString() ?? '';
  if (/^application\/problem\+json/i.test(type)) {
    let p: Record<string, unknown>;
    try {
      p = JSON.parse(text);
    } catch {
      return 'problem body is not JSON';
    }
    if (typeof p.type !== 'string' || !p.type.startsWith(PROBLEM_BASE))
      return `problem type ${String(p.type)}`;
    if (typeof p.title !== 'string') return 'problem without title';
    if (p.status !== a.status) return `problem status ${String(p.status)} on ${a.status}`;
  } else if (!(/^text\/html/i.test(type) && /text\/html/.test(accept))) {
    // A page answers only a browser that asked for one (the opt-out pages); everyone else gets a problem.
    return `content-type ${type || '(none)'}`;
  }
  if (LEAK.test(text)) return `internals in ${text.slice(0, 200)}`;
  const echoed = c.echoes.find((e) => text.includes(e) || text.includes(JSON.stringify(e).slice(1, -1)));
  if (echoed !== undefined) return `echoes ${JSON.stringify(echoed.slice(0, 60))}`;
  return undefined;
}

function count(route: string, status: number) {
  tried++;
  const key = `${route} ${status}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

const show = (c: FuzzCase) =>
  JSON.stringify({
    ...c,
    target: c.target.slice(0, 300),
    headers: c.headers.map(([n, v]) => [
      n,
      (typeof v === 'string' ? v : `bytes:${v.toString('hex')}`).slice(0, 120),
    ]),
    body: c.body?.subarray(0, 300).toString('hex'),
  });

describe('Bad input: every route refuses it with a clean 4xx and changes nothing (P15, Art. 32; P8)', () => {
  it(`answers ${CASES} generated refused requests over every route with a 4xx problem, no internals, no echo`, async () => {
    // Prepare
    const arb = fuzzCases({ routes: API_ROUTES, adminToken: await rt.staffToken('admin'), realIds });
    console.log(`fuzz: seed ${SEED} (override with FUZZ_SEED), ${CASES} cases, ${BATCH} at a time`);
    // Act and assess: each run fires one batch at once; a wrong answer fails the run with the case that caused it.
    await fc.assert(
      fc.asyncProperty(fc.array(arb, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const answers = await Promise.all(batch.map((c) => rawRequest(rt.apiUrl, c)));
        answers.forEach((a, i) => {
          const c = batch[i] as FuzzCase;
          count(c.route, a.status);
          const wrong = fault(c, a);
          if (wrong)
            throw new Error(`${wrong}\ncase: ${show(c)}\nanswer: ${a.body.toString('utf8').slice(0, 300)}`);
        });
      }),
      { seed: SEED, numRuns: Math.ceil(CASES / BATCH), endOnFailure: !process.env.FUZZ_SHRINK },
    );
    expect(tried).toBeGreaterThanOrEqual(CASES);
  }, 600_000);

  it('answers a body past the payload limit with 413 on every route, and a broken one just at it with a 4xx', async () => {
    // Prepare: for a JSON route, a strict body with one unknown key padded to exactly the limit
    const big = Buffer.alloc(MAX_BODY + 1, 0x41);
    for (const shape of shapes(API_ROUTES)) {
      const target = shape.route.path.replace(/\{\w+\+?\}/g, () => pct('r_AAAAAAAAAAAAAAAAAAAAAA'));
      const headers: [string, string][] = [
        ['Content-Type', 'application/json'],
        ['Authorization', `Bearer ${await rt.staffToken('admin')}`],
      ];
      // Act
      const past = await rawRequest(rt.apiUrl, { method: shape.route.method, target, headers, body: big });
      // Assess
      count(shape.route.id, past.status);
      expect(past.status, shape.route.id).toBe(413);
      expect(past.headers.get('content-type')?.[0]).toMatch(/^application\/problem\+json/);
      // Only a JSON route refuses a body that fits: the others ignore what they do not read.
      if (!shape.json) continue;
      const prefix = '{"padding":"';
      const at = Buffer.concat([
        Buffer.from(prefix),
        Buffer.alloc(MAX_BODY - prefix.length - 2, 0x41),
        Buffer.from('"}'),
      ]);
      const limit = await rawRequest(rt.apiUrl, { method: shape.route.method, target, headers, body: at });
      count(shape.route.id, limit.status);
      const wrong = fault(
        { route: shape.route.id, lever: 'body', method: 'POST', target, headers, echoes: [] },
        limit,
      );
      expect(wrong, `${shape.route.id} at the limit`).toBeUndefined();
    }
  }, 300_000);

  it('has stored nothing and mailed nothing for any of it, and prints the count by route and status', async () => {
    // Act
    const after = await snapshot(rt);
    // Assess
    const lines = [...tally].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `  ${k}: ${n}`);
    console.log(`fuzz: ${tried} requests tried (seed ${SEED}); by route and status:\n${lines.join('\n')}`);
    expect(differences(before, after)).toEqual([]);
    expect(tried).toBeGreaterThanOrEqual(CASES);
  }, 120_000);
});

describe('Rate limits on their own: the per-source limit refuses the next request and stores none of it (P8, Art. 32)', () => {
  let limited: Runtime;

  beforeAll(async () => {
    limited = await startRuntime({
      clock: '2026-11-25T09:00:00Z',
      env: { [ENV.rateLimitPerSource]: '3', [ENV.rateLimitPerAddress]: '100' },
    });
  }, 180_000);

  afterAll(async () => {
    await limited?.stop();
  });

  it('accepts three requests from one source, each to another address, and answers the fourth with a 429 problem', async () => {
    // Prepare: three accepted requests, then the stores as they are
    for (const n of [1, 2, 3]) {
      const filed = await call(limited.apiUrl, 'POST', '/requests', {
        body: { type: 'access', email: `limit.${n}@example.be` },
      });
      expect(filed.status).toBe(202);
      await waitForMail(limited.sesUrl, `limit.${n}@example.be`);
    }
    // Rate counters move on the refused call by design (a refusal is counted once): compared without them.
    const withoutCounters = (_table: string, item: Record<string, unknown>) =>
      String(item.pk).startsWith('RATE#');
    const prior = await snapshot(limited, withoutCounters);
    // Act
    const fourth = await call(limited.apiUrl, 'POST', '/requests', {
      body: { type: 'access', email: 'limit.4@example.be' },
    });
    // Assess
    expect(fourth.status).toBe(429);
    expect(fourth.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(fourth.text).not.toContain('limit.4@example.be');
    expect(differences(prior, await snapshot(limited, withoutCounters))).toEqual([]);
  });
});

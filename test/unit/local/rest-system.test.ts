import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestSystem, type RestSystem } from '../../../local/rest-system.ts';
import { demoHttpSystem } from '../../fixtures/http-system.ts';

const KEY = 'local-key';
const record = (id: string, email: string) => ({ id, email, firstName: 'X', phone: '+32470000000' });
let open: { rest: RestSystem; dir: string } | undefined;

/** The demo system's service over a few records, on a free port; answers its base URL. */
async function start(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'jsm-rest-'));
  const rest = createRestSystem({
    config: demoHttpSystem(),
    seed: {
      pageSize: 2,
      records: [record('A', 'a@x.be'), record('B', 'a@x.be'), record('C', 'a@x.be'), record('D', 'd@x.be')],
    },
    file: join(dir, 'store.json'),
    secret: KEY,
  });
  await new Promise<void>((r) => rest.server.listen(0, '127.0.0.1', r));
  open = { rest, dir };
  return `http://127.0.0.1:${(rest.server.address() as AddressInfo).port}${rest.prefix}`;
}
afterEach(async () => {
  const o = open;
  open = undefined;
  if (o) {
    await new Promise((r) => o.rest.server.close(r));
    rmSync(o.dir, { recursive: true, force: true });
  }
});

const auth = { 'x-api-key': KEY };

describe('Local REST service of a configured system (P17)', () => {
  it('demands the API key its configuration names, and pages the subject’s records with a cursor', async () => {
    // Prepare
    const base = await start();
    const url = `${base}/applicants/${encodeURIComponent('A@x.be')}/applications`;
    // Act
    const refused = await fetch(url, { headers: { 'x-api-key': 'wrong' } });
    const first = (await (await fetch(url, { headers: auth })).json()) as {
      data: { id: string }[];
      next: string;
    };
    const second = await (await fetch(`${url}?cursor=${first.next}`, { headers: auth })).json();
    // Assess: no key, no data; then two and one of hers, never another's
    expect(refused.status).toBe(401);
    expect(first.data.map((r) => r.id)).toEqual(['A', 'B']);
    expect(second).toEqual({ data: [expect.objectContaining({ id: 'C' })], next: null });
  });

  it('applies a call that changes something once per Idempotency-Key, answering a repeat as the first time (P3)', async () => {
    // Prepare
    const base = await start();
    const erase = () =>
      fetch(`${base}/applicants/a%40x.be/applications`, {
        method: 'DELETE',
        headers: { ...auth, 'idempotency-key': 'r_1-system-erase' },
      });
    // Act
    const first = await (await erase()).json();
    const again = await (await erase()).json();
    // Assess: three deleted, the repeat says the same and deletes nothing more; the other subject stays
    expect(first).toEqual({ deleted: 3 });
    expect(again).toEqual({ deleted: 3 });
    expect(open?.rest.records().map((r) => r.id)).toEqual(['D']);
  });

  it('rectifies the fields the configuration maps, on each of the subject’s records (P2)', async () => {
    // Prepare
    const base = await start();
    // Act
    const answer = await fetch(`${base}/applicants/d%40x.be`, {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': 'r_2-system-rectify' },
      body: JSON.stringify({ phone: '+32470111111' }),
    });
    // Assess
    expect(await answer.json()).toEqual({ updated: 1 });
    expect(open?.rest.records().find((r) => r.id === 'D')?.phone).toBe('+32470111111');
    expect(open?.rest.records().find((r) => r.id === 'A')?.phone).toBe('+32470000000');
  });
});

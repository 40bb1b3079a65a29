import { describe, expect, it } from 'vitest';
import { packageKey, reportKey } from '../../../functions/core/package.ts';
import { assemble } from '../../../functions/workflow/assemble.ts';
import { memoryAudit, memoryHistory, memoryStore } from '../../fixtures/fakes.ts';
import { exportedRequest, NOW, request } from './fixtures.ts';
import { sha256 } from './zip.ts';

const DAY = 86_400_000;

async function setup(type: 'access' | 'portability') {
  const { r, objects } = await exportedRequest(type, { language: 'en' });
  const store = memoryStore();
  await store.create(r);
  const audit = memoryAudit(() => NOW);
  const historyStore = memoryHistory(store, audit);
  return { r, objects, store, audit, deps: { store, audit, objects, historyStore, now: () => NOW } };
}

describe('Workflow task: Assemble (P1, P7)', () => {
  it('builds the report and the package of an access request and records both with hash, size and a 7-day expiry (P1)', async () => {
    // Prepare: an access request whose four systems exported their files
    const { r, objects, store, deps } = await setup('access');

    // Act: assemble attempt 1
    const result = await assemble(deps, r.id, 1);

    // Assess: assembled; the package recorded with its hash, size, expiry and report; the report stored as HTML
    expect(result).toMatchObject({ requestId: r.id, assembled: true });
    const stored = await store.get(r.id);
    const zip = objects.items.get(packageKey(r.id, 1));
    expect(stored?.package).toEqual({
      key: packageKey(r.id, 1),
      sha256: sha256(zip?.body ?? ''),
      bytes: zip?.body.length,
      expiresAt: new Date(NOW.getTime() + 7 * DAY).toISOString(),
      reportKey: reportKey(r.id, 1),
    });
    expect(objects.items.get(reportKey(r.id, 1))?.contentType).toBe('text/html; charset=utf-8');
  });

  it('builds only the package of a portability request (P7)', async () => {
    // Prepare: a portability request whose systems exported their files
    const { r, objects, store, deps } = await setup('portability');

    // Act: assemble attempt 1
    await assemble(deps, r.id, 1);

    // Assess: a package and no report, in the record and in storage
    expect((await store.get(r.id))?.package?.reportKey).toBeUndefined();
    expect(objects.items.has(reportKey(r.id, 1))).toBe(false);
    expect(objects.items.has(packageKey(r.id, 1))).toBe(true);
  });

  it('writes one audit entry with counts only, never personal data (P15)', async () => {
    // Prepare: an exported access request
    const { r, audit, deps } = await setup('access');

    // Act: assemble attempt 1
    await assemble(deps, r.id, 1);

    // Assess: one export.assembled entry with counts, and no address, name or customer number in the trail
    const entries = audit.entries.filter((e) => e.action === 'export.assembled');
    expect(entries).toHaveLength(1);
    expect(entries[0]?.details).toMatchObject({ systems: 4, report: true });
    expect(JSON.stringify(audit.entries)).not.toMatch(/@|Devos|C-100234/);
  });

  it('does nothing on a repeat once the package is recorded (idempotent)', async () => {
    // Prepare: a portability request assembled once
    const { r, objects, store, audit, deps } = await setup('portability');
    await assemble(deps, r.id, 1);
    const first = await store.get(r.id);
    const writes = objects.items.size;

    // Act: assemble it again
    const again = await assemble(deps, r.id, 1);

    // Assess: answered as a repeat; record, storage and audit trail unchanged
    expect(again).toEqual({ requestId: r.id, assembled: true, repeated: true });
    expect((await store.get(r.id))?.package).toEqual(first?.package);
    expect(objects.items.size).toBe(writes);
    expect(audit.entries.filter((e) => e.action === 'export.assembled')).toHaveLength(1);
  });

  it('passes other request types through without touching anything', async () => {
    // Prepare: an erasure request, and storage that fails the test on any write
    const store = memoryStore();
    const audit = memoryAudit(() => NOW);
    await store.create(request('erasure'));
    const objects = { get: async () => undefined, put: async () => expect.fail('no write') };

    // Act: assemble it
    const deps = { store, audit, objects, historyStore: memoryHistory(store, audit), now: () => NOW };
    const result = await assemble(deps, request('erasure').id, 1);

    // Assess: passed through as not an export, with no audit entry
    expect(result).toEqual({ requestId: request('erasure').id, assembled: false, reason: 'not_an_export' });
    expect(audit.entries).toEqual([]);
  });

  it('assembles nothing while a system failed: a partial export would tell the subject less than we hold', async () => {
    // Prepare: an access request whose support connector failed
    const { r, store, deps } = await setup('access');
    await store.update(r.id, (cur) => {
      cur.systems.support = { state: 'failed', outcomes: [{ kind: 'failed', retryable: true, reason: 'x' }] };
      return cur;
    });

    // Act: assemble attempt 1
    const result = await assemble(deps, r.id, 1);

    // Assess: nothing assembled, no package recorded
    expect(result).toEqual({ requestId: r.id, assembled: false, reason: 'systems_not_done' });
    expect((await store.get(r.id))?.package).toBeUndefined();
  });
});

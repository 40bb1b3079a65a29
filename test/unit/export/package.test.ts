import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../functions/connectors/export-files.ts';
import { t } from '../../../functions/core/messages/index.ts';
import { type ExportObjects, exportFileKey, packageKey } from '../../../functions/core/package.ts';
import { buildPackage, type Manifest } from '../../../functions/core/package-zip.ts';
import { SYSTEMS } from '../../../functions/core/schemas.ts';
import { callsExported } from '../../fixtures/calls.ts';
import { exportedRequest, memoryObjects, NOW, request } from './fixtures.ts';
import { readZip, sha256 } from './zip.ts';

const deps = (objects: ExportObjects) => ({ objects, now: () => NOW });

async function zipOf(objects: ReturnType<typeof memoryObjects>, key: string) {
  const stored = objects.items.get(key);
  if (!stored) throw new Error(`no ${key}`);
  const entries = await readZip(stored.body);
  const manifest = JSON.parse(entries.get('manifest.json')?.toString('utf8') ?? 'null') as Manifest;
  return { stored, entries, manifest };
}

describe('Portability package (P7)', () => {
  it('zips every system’s JSON and CSV files with a manifest whose SHA-256 match the files (P7)', async () => {
    // Prepare: a portability request whose four systems exported their files
    const { r, objects } = await exportedRequest('portability');

    // Act: build the package
    const result = await buildPackage(deps(objects), r, 1);

    // Assess: a zip under the package key with the recorded hash and size; a manifest listing every file with its hash
    expect(result.key).toBe(packageKey(r.id, 1));
    const { stored, entries, manifest } = await zipOf(objects, result.key);
    expect(stored.contentType).toBe('application/zip');
    expect(result.sha256).toBe(sha256(stored.body));
    expect(result.bytes).toBe(stored.body.length);
    expect(manifest.format).toBe('jsm-privacy-export/1');
    expect(manifest.requestId).toBe(r.id);
    expect(manifest.purpose).toBe('portability');
    expect(manifest.generatedAt).toBe(NOW.toISOString());
    expect(manifest.systems.map((s) => s.system)).toEqual([...SYSTEMS]);
    const listed = manifest.systems.flatMap((s) => s.files);
    expect([...entries.keys()].sort()).toEqual([...listed.map((f) => f.path), 'manifest.json'].sort());
    for (const file of listed) {
      const bytes = entries.get(file.path) as Buffer;
      expect(sha256(bytes), file.path).toBe(file.sha256);
      expect(bytes.length).toBe(file.bytes);
    }
    expect(manifest.totals.files).toBe(listed.length);
    expect(manifest.totals.records).toBe(manifest.systems.reduce((n, s) => n + s.records, 0));
    expect(result.files).toBe(listed.length + 1);
  });

  it('writes CSVs that parse, one row per record, and JSON files that parse, each item with its category (P7, P16)', async () => {
    // Prepare: a portability request whose systems exported their files
    const { r, objects } = await exportedRequest('portability');

    // Act: build the package and open its zip
    const { manifest, entries } = await zipOf(objects, (await buildPackage(deps(objects), r, 1)).key);

    // Assess: every CSV parses to a header and one row per record, every JSON to its records, each with a listed category
    for (const s of manifest.systems) {
      for (const file of s.files) {
        const text = entries.get(file.path)?.toString('utf8') ?? '';
        if (file.format === 'csv') {
          const rows = parseCsv(text);
          expect(rows.length, file.path).toBe(file.records + 1);
          expect(rows[0]?.[0]).toBe('category');
          for (const row of rows.slice(1)) expect(file.categories).toContain(row[0]);
        } else {
          const records = JSON.parse(text) as { category: string }[];
          expect(records).toHaveLength(file.records);
          for (const rec of records) expect(file.categories).toContain(rec.category);
        }
      }
    }
    expect(manifest.categories).toEqual(expect.arrayContaining(['contract', 'usage', 'identification']));
  });

  it('holds only what Art. 20(1) covers: no credit score, interest profile or staff note; the manifest says what it left out and why (P7)', async () => {
    // Prepare: a portability request (in Dutch) whose connectors applied the portability scope
    const { r, objects } = await exportedRequest('portability');

    // Act: build the package and open its zip
    const { entries, manifest } = await zipOf(objects, (await buildPackage(deps(objects), r, 1)).key);

    // Assess: no credit score, interest profile or support note, nothing inferred; the tickets she wrote are in
    const paths = [...entries.keys()];
    expect(paths.some((p) => p.includes('credit-score'))).toBe(false);
    expect(paths.some((p) => p.includes('interest'))).toBe(false);
    expect(paths.some((p) => p.startsWith('support/notes'))).toBe(false);
    expect(paths).toContain('support/tickets.json');
    for (const [path, bytes] of entries) {
      if (path !== 'manifest.json') expect(bytes.toString('utf8')).not.toContain('"inferred"');
    }
    // Assess: per system and category, how many records stayed out, the reason, and in her language why; no values
    const omitted = Object.fromEntries(manifest.systems.map((s) => [s.system, s.omitted]));
    expect(omitted.billing).toEqual([
      { category: 'financial', records: 1, reason: 'inferred', why: t('nl', 'leftOut.inferred') },
    ]);
    expect(omitted.crm).toEqual([
      { category: 'profiling', records: 3, reason: 'inferred', why: t('nl', 'leftOut.inferred') },
    ]);
    expect(omitted.support).toEqual([
      { category: 'support', records: 3, reason: 'staff_note', why: t('nl', 'leftOut.staff_note') },
    ]);
    expect(omitted.marketing).toEqual([]);
    expect(JSON.stringify(manifest)).not.toContain('agent');
    expect(manifest.systems.find((s) => s.system === 'billing')?.masked).toBeGreaterThan(0);
  });

  it('refuses a file that changed in storage since its connector hashed it (P7)', async () => {
    // Prepare: an exported portability request whose CRM profile changed after hashing
    const { r, objects } = await exportedRequest('portability');
    const key = exportFileKey(r.id, 1, 'crm', 'profile.json');
    const item = objects.items.get(key);
    if (!item) throw new Error('no crm profile');
    item.body = Buffer.from(item.body.toString('utf8').replace('Devos', 'Devoz'));

    // Act: build the package
    // Assess: refused, naming the file that does not match
    await expect(buildPackage(deps(objects), r, 1)).rejects.toThrow(/crm\/profile\.json does not match/);
  });

  it('fails, storing nothing, when a connector file is missing from storage', async () => {
    // Prepare: an exported access request whose support notes are missing
    const { r, objects } = await exportedRequest('access');
    objects.items.delete(exportFileKey(r.id, 1, 'support', 'notes.csv'));

    // Act: build the package
    // Assess: refused, naming the missing file, and no package stored
    await expect(buildPackage(deps(objects), r, 1)).rejects.toThrow(/support\/notes\.csv .* is missing/);
    expect(objects.items.has(packageKey(r.id, 1))).toBe(false);
  });

  it('finds a system’s files under an earlier attempt after a staff retry re-exported only the others', async () => {
    // Prepare: an exported portability request; attempt 2 re-exported billing only, the others' files stay under attempt 1.
    const { r, objects } = await exportedRequest('portability');
    for (const [key, value] of [...objects.items]) {
      if (key.includes('/1/billing/')) objects.items.set(key.replace('/1/billing/', '/2/billing/'), value);
    }
    r.attempt = 2;

    // Act: build the package of attempt 2
    const result = await buildPackage(deps(objects), r, 2);

    // Assess: under the attempt 2 key, every system exported, billing read from attempt 2
    const { manifest } = await zipOf(objects, result.key);
    expect(result.key).toBe(packageKey(r.id, 2));
    expect(manifest.systems.every((s) => s.status === 'exported')).toBe(true);
    expect(objects.opened.filter((k) => k.includes('/2/billing/')).length).toBeGreaterThan(0);
  });

  it('packages a subject no system knows: a manifest saying so, and nothing else', async () => {
    // Prepare: a portability request every system answered not_found, and an empty bucket
    const objects = memoryObjects();
    const r = request('portability', 'en', {
      systems: Object.fromEntries(
        SYSTEMS.map((s) => [s, { state: 'done', outcomes: [{ kind: 'not_found' }] }]),
      ),
    });

    // Act: build the package and open its zip
    const { entries, manifest } = await zipOf(objects, (await buildPackage(deps(objects), r, 1)).key);

    // Assess: only a manifest, saying every system holds nothing
    expect([...entries.keys()]).toEqual(['manifest.json']);
    expect(manifest.systems.every((s) => s.status === 'not_found' && s.records === 0)).toBe(true);
  });

  // The million-record run, with its figures, is `npm run bench` (bench/package-stream.ts).
  it('streams a large calls.json through: storage receives the zip long before the file is read to its end (P7)', async () => {
    // Prepare: a calls.json of 20,000 records in small chunks, produced lazily and never held whole by anyone.
    const TOTAL = 20_000;
    const PER_CHUNK = 50;
    const line = (i: number) =>
      `${i === 0 ? '[\n' : ',\n'}{"category":"usage","origin":"observed","calledNumber":"********${String(i % 100).padStart(2, '0')}","durationSeconds":${60 + (i % 600)},"startedAt":"2026-01-01T00:00:00.000Z"}`;
    const generate = function* () {
      for (let i = 0; i < TOTAL; i += PER_CHUNK) {
        let chunk = '';
        for (let j = i; j < i + PER_CHUNK; j++) chunk += line(j);
        if (i + PER_CHUNK >= TOTAL) chunk += '\n]\n';
        yield Buffer.from(chunk);
      }
    };
    const hash = createHash('sha256');
    let bytes = 0;
    for (const chunk of generate()) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    let produced = 0;
    let producedAtFirstWrite = -1;
    let stored = 0;
    const objects: ExportObjects = {
      async get() {
        return Readable.from(
          (function* () {
            for (const chunk of generate()) {
              produced += chunk.length;
              yield chunk;
            }
          })(),
        );
      },
      async put(_key, body) {
        for await (const chunk of body) {
          if (producedAtFirstWrite < 0) producedAtFirstWrite = produced;
          stored += (chunk as Buffer).length;
        }
      },
    };
    const r = request('portability', 'nl', { systems: callsExported(TOTAL, bytes, hash.digest('hex')) });

    // Act: build the package
    const result = await buildPackage(deps(objects), r, 1);

    // Assess: the whole file read once, storage got the whole zip, and its first bytes before a tenth was read
    expect(produced).toBe(bytes);
    expect(result.bytes).toBe(stored);
    expect(producedAtFirstWrite).toBeGreaterThanOrEqual(0);
    expect(producedAtFirstWrite).toBeLessThan(bytes / 10);
  });
});

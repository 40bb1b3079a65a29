// The export bucket adapter against s3rver started in-process on a free port (the embedded runtime's S3).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presignDownload, s3ExportObjects } from '../../../functions/aws/export-store.ts';
import { exportFileKey } from '../../../functions/core/package.ts';
import { buildPackage, type Manifest } from '../../../functions/core/package-zip.ts';
import { type LocalS3, S3RVER_CREDENTIALS, startS3 } from '../../../local/s3.ts';
import { exportedRequest, NOW } from './fixtures.ts';
import { readZip, sha256 } from './zip.ts';

const BUCKET = 'exports-test';
let s3: LocalS3;
let client: S3Client;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'export-store-'));
  s3 = await startS3({ port: 0, host: '127.0.0.1', dir, buckets: [BUCKET] });
  client = new S3Client({
    endpoint: `http://127.0.0.1:${s3.port}`,
    forcePathStyle: true,
    region: 'eu-west-1',
    credentials: S3RVER_CREDENTIALS,
  });
});

afterAll(async () => {
  client?.destroy();
  await s3?.close();
  rmSync(dir, { recursive: true, force: true });
});

const collect = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
};

describe('Export store on S3 (s3rver)', () => {
  it('streams an object in over several multipart parts and back out unchanged', async () => {
    // Prepare: an 11 MiB body and a store writing 5 MiB parts
    const objects = s3ExportObjects(client, BUCKET, { partSize: 5 * 1024 * 1024 });
    const body = Buffer.alloc(11 * 1024 * 1024, 'abcdefghij');

    // Act: stream it in as two chunks, and read it back
    await objects.put(
      'exports/r_x/1/big.bin',
      Readable.from([body.subarray(0, 7e6), body.subarray(7e6)]),
      'application/octet-stream',
    );
    const back = await objects.get('exports/r_x/1/big.bin');
    // Assess: the same bytes
    expect(sha256(await collect(back as Readable))).toBe(sha256(body));
  });

  it('answers undefined for a missing object', async () => {
    // Act: get a key nobody wrote
    // Assess: undefined, not an error
    expect(await s3ExportObjects(client, BUCKET).get('exports/r_x/1/none.json')).toBeUndefined();
  });

  it('presigns a GET that serves the zip as a download, and that dies after its lifetime (P7)', async () => {
    // Prepare: a package in the bucket
    const objects = s3ExportObjects(client, BUCKET);
    await objects.put('exports/r_y/1/package.zip', Readable.from([Buffer.from('PK-zip')]), 'application/zip');
    const target = {
      key: 'exports/r_y/1/package.zip',
      file: 'package' as const,
      requestId: 'r_y',
      type: 'portability' as const,
    };
    // Act: a fresh URL, and a one-second URL signed a minute ago (expired without waiting)
    const url = await presignDownload(client, BUCKET, target);
    const shortLived = await presignDownload(client, BUCKET, target, 1, new Date(Date.now() - 60_000));
    const res = await fetch(url);
    const expired = await fetch(shortLived);
    // Assess
    expect(url).toContain('X-Amz-Expires=300');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('PK-zip');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="jsm-portability-r_y.zip"');
    expect(expired.status).toBe(403);
  });

  it('assembles a portability package from connector files in the bucket, back into the bucket (P7)', async () => {
    // Prepare: the connectors' files, copied into the bucket
    const { r, objects: memory } = await exportedRequest('portability');
    const objects = s3ExportObjects(client, BUCKET);
    for (const [key, item] of memory.items)
      await objects.put(key, Readable.from([item.body]), item.contentType);
    // Assess: they are there
    expect(await objects.get(exportFileKey(r.id, 1, 'billing', 'invoices.json'))).toBeDefined();

    // Act: build the package from the bucket
    const result = await buildPackage({ objects, now: () => NOW }, r, 1);

    // Assess: the stored zip has the recorded hash, and every file in it matches the manifest
    const zip = await collect((await objects.get(result.key)) as Readable);
    expect(sha256(zip)).toBe(result.sha256);
    const entries = await readZip(zip);
    const manifest = JSON.parse(entries.get('manifest.json')?.toString() ?? 'null') as Manifest;
    for (const file of manifest.systems.flatMap((s) => s.files)) {
      expect(sha256(entries.get(file.path) ?? ''), file.path).toBe(file.sha256);
    }
  });
});

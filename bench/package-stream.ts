// The portability package over a very large connector file: a calls.json of `records` call records, produced
// lazily and never held whole, streamed through buildPackage into storage. Figures, not assertions; it only
// throws when the package stops streaming (storage must receive the zip of a large file long before the file is
// read to its end).
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import type { ExportObjects } from '../functions/core/package.ts';
import { buildPackage } from '../functions/core/package-zip.ts';
import type { RequestRecord } from '../functions/core/request.ts';
import { callsExported } from '../test/fixtures/calls.ts';

/** What one run measured. */
export interface PackageStreamFigures {
  records: number;
  /** bytes of calls.json */
  sourceBytes: number;
  /** bytes of the zip that storage received */
  zipBytes: number;
  /** buildPackage, from the call to the last byte stored */
  ms: number;
  /** how much of calls.json had been produced when storage received its first bytes */
  producedAtFirstWrite: number;
  /** highest heap in use and resident set seen while packaging, and both before it */
  heapBefore: number;
  peakHeap: number;
  rssBefore: number;
  peakRss: number;
}

const NOW = new Date('2026-02-16T09:30:00Z');
const CHUNK_RECORDS = 1000;
const STREAMING_CHECKED_FROM = 16 * 2 ** 20;

const line = (i: number) =>
  `${i === 0 ? '[\n' : ',\n'}{"category":"usage","origin":"observed","calledNumber":"********${String(i % 100).padStart(2, '0')}","durationSeconds":${60 + (i % 600)},"startedAt":"2026-01-01T00:00:00.000Z"}`;

function* callsJson(records: number) {
  for (let i = 0; i < records; i += CHUNK_RECORDS) {
    const end = Math.min(i + CHUNK_RECORDS, records);
    let chunk = '';
    for (let j = i; j < end; j++) chunk += line(j);
    if (end >= records) chunk += '\n]\n';
    yield Buffer.from(chunk);
  }
}

/** A verified portability request whose billing export recorded calls.json with this size and hash. */
function portabilityRequest(records: number, bytes: number, sha256: string): RequestRecord {
  return {
    pk: 'REQ#r_BenchPackageStream0001',
    sk: 'REQUEST',
    kind: 'request',
    id: 'r_BenchPackageStream0001',
    type: 'portability',
    status: 'in_progress',
    channel: 'web',
    email: 'an.devos@example.be',
    subjectRef: 's_an',
    language: 'nl',
    receivedAt: '2026-02-10T08:00:00.000Z',
    dueAt: '2026-03-10T08:00:00.000Z',
    verification: { codeHmac: 'x', expiresAt: '2026-02-10T08:15:00.000Z', attempts: 0, sent: 1 },
    attempt: 1,
    version: 1,
    systems: callsExported(records, bytes, sha256),
  };
}

/** Packages `records` call records; throws if storage saw nothing before a tenth of the file was read. */
export async function benchPackageStream(records: number): Promise<PackageStreamFigures> {
  // The connector's hash and size of the file, from a first pass over the same lazy source.
  const hash = createHash('sha256');
  let bytes = 0;
  for (const chunk of callsJson(records)) {
    hash.update(chunk);
    bytes += chunk.length;
  }

  let produced = 0;
  let producedAtFirstWrite = -1;
  let stored = 0;
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  };
  const objects: ExportObjects = {
    async get() {
      return Readable.from(
        (function* () {
          for (const chunk of callsJson(records)) {
            produced += chunk.length;
            sample();
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
      sample();
    },
  };

  const t0 = performance.now();
  const result = await buildPackage(
    { objects, now: () => NOW },
    portabilityRequest(records, bytes, hash.digest('hex')),
    1,
  );
  const ms = performance.now() - t0;

  if (produced !== bytes) throw new Error(`read ${produced} of ${bytes} bytes of calls.json`);
  if (result.bytes !== stored)
    throw new Error(`package says ${result.bytes} bytes, storage received ${stored}`);
  // A small file may fit in the compressor's buffers whole; only a large one shows whether the zip streams.
  if (bytes >= STREAMING_CHECKED_FROM && (producedAtFirstWrite < 0 || producedAtFirstWrite >= bytes / 10))
    throw new Error(`storage received nothing until ${producedAtFirstWrite} of ${bytes} bytes were read`);
  return {
    records,
    sourceBytes: bytes,
    zipBytes: stored,
    ms,
    producedAtFirstWrite,
    heapBefore: before.heapUsed,
    peakHeap,
    rssBefore: before.rss,
    peakRss,
  };
}

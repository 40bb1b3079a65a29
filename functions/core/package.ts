// The portability package (P7) and the machine-readable half of an access answer (P1): every system's export
// files, streamed from storage into one zip with a manifest.json, streamed back to storage. No file is ever held
// whole in memory: each one passes through once, hashed on the way, and the zip is uploaded as it is written.

import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import yazl from 'yazl';
import { t } from './messages/catalog.ts';
import { loadProcessingRegister } from './registers/index.ts';
import type { HistoryFile } from './report-history.ts';
import type { RequestRecord } from './request.ts';
import { LEFT_OUT_REASONS, type LeftOutReason, type Outcome, type SystemName } from './schemas.ts';
import { allSystems } from './systems.ts';

/** Where export files live (S3 in the Lambdas, memory in unit tests): the domain's port, so it never sees S3. */
export interface ExportObjects {
  /** Opens an object as a stream; undefined when there is no such object. */
  get(key: string): Promise<Readable | undefined>;
  /** Streams a body into an object (multipart as it goes); resolves once it is stored. */
  put(key: string, body: Readable, contentType: string): Promise<void>;
}

/** Prefix of everything one attempt of a request exported or assembled. */
export const attemptPrefix = (requestId: string, attempt: number) => `exports/${requestId}/${attempt}/`;
/** Key of one connector's file (functions/aws/s3-export-sink.ts writes it). */
export const exportFileKey = (requestId: string, attempt: number, system: string, name: string) =>
  `${attemptPrefix(requestId, attempt)}${system}/${name}`;
export const packageKey = (requestId: string, attempt: number) =>
  `${attemptPrefix(requestId, attempt)}package.zip`;
export const reportKey = (requestId: string, attempt: number) =>
  `${attemptPrefix(requestId, attempt)}report.html`;

export type ExportedOutcome = Extract<Outcome, { kind: 'exported' }>;
export type ExportedFile = ExportedOutcome['files'][number];

/** What one system answered to the export, as the report and the manifest need it. */
export interface SystemExport {
  system: SystemName;
  /** exported: files to read; not_found: holds nothing; other: skipped or failed (named in the report) */
  status: 'exported' | 'not_found' | 'other';
  records: number;
  categories: string[];
  files: ExportedFile[];
  omitted: ExportedOutcome['omitted'];
  redacted: number;
  masked: number;
}

/** Every system's export as recorded on the request, in the systems' fixed order. */
export function systemExports(r: RequestRecord): SystemExport[] {
  return allSystems()
    .filter((s) => r.systems[s] !== undefined)
    .map((system) => {
      const outcomes = r.systems[system]?.outcomes ?? [];
      const exported = outcomes.filter((o): o is ExportedOutcome => o.kind === 'exported');
      const files = exported.flatMap((o) => o.files);
      const status =
        exported.length > 0
          ? 'exported'
          : outcomes.every((o) => o.kind === 'not_found')
            ? 'not_found'
            : 'other';
      return {
        system,
        status,
        records: exported.reduce((n, o) => n + o.records, 0),
        categories: [...new Set(files.flatMap((f) => f.categories))].sort(),
        files,
        omitted: exported.flatMap((o) => o.omitted),
        redacted: exported.reduce((n, o) => n + o.redacted, 0),
        masked: exported.reduce((n, o) => n + o.masked, 0),
      };
    });
}

/** Why records stayed out of a portability package, over every system, in the rule's order (P7, Art. 20(1)). */
export function leftOutReasons(r: RequestRecord): LeftOutReason[] {
  const present = new Set(systemExports(r).flatMap((s) => s.omitted.map((o) => o.reason)));
  return LEFT_OUT_REASONS.filter((reason) => present.has(reason));
}

/**
 * Opens one connector file. A staff retry runs a new attempt in which only the failed systems export again, so
 * a file may lie under an earlier attempt's prefix: the newest one found wins (the package checks its hash).
 */
export async function openExportFile(
  objects: ExportObjects,
  requestId: string,
  attempt: number,
  system: string,
  name: string,
): Promise<Readable> {
  for (let a = attempt; a >= 0; a--) {
    const stream = await objects.get(exportFileKey(requestId, a, system, name));
    if (stream) return stream;
  }
  throw new Error(`Export file ${system}/${name} of request ${requestId} is missing`);
}

/** Passes bytes through unchanged while counting and hashing them; can insist on an expected hash. */
export class Digest extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;
  sha256 = '';

  constructor(private readonly expected?: { sha256: string; bytes: number; what: string }) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }

  override _flush(done: TransformCallback) {
    this.sha256 = this.hash.digest('hex');
    const e = this.expected;
    // A file that changed since the connector wrote it must not reach the subject under the old hash.
    if (e && (e.sha256 !== this.sha256 || e.bytes !== this.bytes))
      return done(new Error(`Export file ${e.what} does not match the hash its connector recorded`));
    done();
  }
}

export const MANIFEST_FORMAT = 'jsm-privacy-export/1';

/** manifest.json: what is in the zip, how much, of which kinds, and the SHA-256 of every file (P7). */
export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  controller: string;
  requestId: string;
  purpose: 'access' | 'portability';
  generatedAt: string;
  hashAlgorithm: 'SHA-256';
  categories: string[];
  totals: { systems: number; records: number; files: number };
  systems: {
    system: SystemName;
    status: SystemExport['status'];
    records: number;
    categories: string[];
    files: {
      path: string;
      format: 'json' | 'csv';
      records: number;
      bytes: number;
      sha256: string;
      categories: string[];
    }[];
    /** what stayed out of a portability package, by category: how many records, the reason, and in words why */
    omitted: (SystemExport['omitted'][number] & { why: string })[];
    redacted: number;
    masked: number;
  }[];
  /** what the pipeline itself holds about the subject (P1, P15): access packages only */
  pipeline?: { path: string; format: 'json' | 'csv'; records: number; bytes: number; sha256: string }[];
}

export interface PackageDeps {
  objects: ExportObjects;
  now: () => Date;
  /** files of the pipeline's own data, zipped under their path beside the systems' files */
  pipelineFiles?: HistoryFile[];
}

/** Where the package went, and what it holds in counts; no content. */
export interface PackageResult {
  key: string;
  sha256: string;
  bytes: number;
  files: number;
  records: number;
  systems: number;
}

/**
 * Streams every system's JSON and CSV files into `exports/<id>/<attempt>/package.zip`, one at a time, with a
 * manifest.json written last from the hashes computed as the files passed through.
 */
export async function buildPackage(
  deps: PackageDeps,
  r: RequestRecord,
  attempt: number,
): Promise<PackageResult> {
  const generatedAt = deps.now();
  const systems = systemExports(r);
  const zip = new yazl.ZipFile();
  const zipped = new Digest();
  const fail = (error: unknown) => zipped.destroy(error instanceof Error ? error : new Error(String(error)));
  zip.on('error', fail);

  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    controller: loadProcessingRegister().controller.name,
    requestId: r.id,
    purpose: r.type === 'access' ? 'access' : 'portability',
    generatedAt: generatedAt.toISOString(),
    hashAlgorithm: 'SHA-256',
    categories: [...new Set(systems.flatMap((s) => s.categories))].sort(),
    totals: {
      systems: systems.length,
      records: systems.reduce((n, s) => n + s.records, 0),
      files: systems.reduce((n, s) => n + s.files.length, 0),
    },
    systems: [],
  };
  const entry = { mtime: generatedAt, mode: 0o100644 };

  for (const s of systems) {
    const files: Manifest['systems'][number]['files'] = [];
    manifest.systems.push({
      system: s.system,
      status: s.status,
      records: s.records,
      categories: s.categories,
      files,
      omitted: s.omitted.map((o) => ({ ...o, why: t(r.language, `leftOut.${o.reason}`) })),
      redacted: s.redacted,
      masked: s.masked,
    });
    for (const file of s.files) {
      const path = `${s.system}/${file.name}`;
      // Lazy: yazl asks for a file only when the previous one is in, so one S3 GET is open at a time.
      zip.addReadStreamLazy(path, entry, (ready) => {
        openExportFile(deps.objects, r.id, attempt, s.system, file.name).then((source) => {
          const digest = new Digest({ sha256: file.sha256, bytes: file.bytes, what: path });
          source.on('error', fail);
          digest.on('error', fail);
          digest.on('end', () =>
            files.push({
              path,
              format: file.format,
              records: file.records,
              bytes: digest.bytes,
              sha256: digest.sha256,
              categories: file.categories,
            }),
          );
          ready(null, source.pipe(digest));
        }, fail);
      });
    }
  }
  for (const file of deps.pipelineFiles ?? []) {
    const { body, ...info } = file;
    manifest.pipeline ??= [];
    manifest.pipeline.push({
      ...info,
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
    });
    zip.addBuffer(body, file.path, entry);
  }
  // Last, so every hash above is known by the time yazl asks for it.
  zip.addReadStreamLazy('manifest.json', entry, (ready) =>
    ready(null, Readable.from([Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)])),
  );

  zip.outputStream.on('error', fail);
  zip.outputStream.pipe(zipped);
  const key = packageKey(r.id, attempt);
  const stored = deps.objects.put(key, zipped, 'application/zip');
  zip.end();
  await stored;
  return {
    key,
    sha256: zipped.sha256,
    bytes: zipped.bytes,
    files: manifest.totals.files + (manifest.pipeline?.length ?? 0) + 1,
    records: manifest.totals.records,
    systems: manifest.totals.systems,
  };
}

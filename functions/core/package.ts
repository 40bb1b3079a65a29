// Where every system's export files lie and what each system exported or left out (P1, P7); the zip itself is
// package-zip.ts, so that the routes that only name a download do not carry the zip library.

import { createHash } from 'node:crypto';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
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

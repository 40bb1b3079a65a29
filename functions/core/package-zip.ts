// The portability package (P7) and the machine-readable half of an access answer (P1): every system's export
// files, streamed from storage into one zip with a manifest.json, streamed back to storage. No file is ever held
// whole in memory: each one passes through once, hashed on the way, and the zip is uploaded as it is written.

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { t } from './messages/catalog.ts';
import {
  Digest,
  type ExportObjects,
  openExportFile,
  packageKey,
  type SystemExport,
  systemExports,
} from './package.ts';
import { loadProcessingRegister } from './registers/index.ts';
import type { HistoryFile } from './report-history.ts';
import type { RequestRecord } from './request.ts';
import type { SystemName } from './schemas.ts';

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

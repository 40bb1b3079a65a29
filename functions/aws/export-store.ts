// The export bucket for the domain: streamed reads, streamed multipart writes (lib-storage), presigned GETs.
// The bucket's default encryption (KMS on AWS) applies to every object; locally s3rver answers path-style.
import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type DownloadTarget, PRESIGNED_TTL_SECONDS } from '../core/download-token.ts';
import type { ExportObjects } from '../core/package.ts';

const isMissing = (e: unknown) =>
  e instanceof Error &&
  (e.name === 'NoSuchKey' ||
    (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404);

/** The export bucket as the domain's ExportObjects port. */
export function s3ExportObjects(
  client: S3Client,
  bucket: string,
  options: { partSize?: number } = {},
): ExportObjects {
  return {
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return out.Body as Readable;
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw e;
      }
    },
    async put(key, body, contentType) {
      // One part in flight: a zip of a million call records buffers about two 5 MiB parts, never the whole.
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType },
        partSize: options.partSize ?? 5 * 1024 * 1024,
        queueSize: 1,
        leavePartsOnError: false,
      });
      await upload.done();
    },
  };
}

/** Presigns a GET of an assembled file, valid for minutes; the browser saves the zip and shows the report. */
export async function presignDownload(
  client: S3Client,
  bucket: string,
  target: DownloadTarget,
  expiresIn = PRESIGNED_TTL_SECONDS,
  /** when the URL is signed; tests pass a past date to get an expired URL without waiting */
  signingDate?: Date,
): Promise<string> {
  const zip = target.file === 'package';
  const filename = zip
    ? `jsm-${target.type}-${target.requestId}.zip`
    : `jsm-${target.type}-report-${target.requestId}.html`;
  return getSignedUrl(
    client,
    new GetObjectCommand({
      Bucket: bucket,
      Key: target.key,
      ResponseContentType: zip ? 'application/zip' : 'text/html; charset=utf-8',
      ResponseContentDisposition: `${zip ? 'attachment' : 'inline'}; filename="${filename}"`,
      ResponseCacheControl: 'no-store',
    }),
    { expiresIn, ...(signingDate ? { signingDate } : {}) },
  );
}

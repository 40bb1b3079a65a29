// The export sink of the connector Lambdas: every file is a streaming multipart upload to the export bucket
// (lib-storage's Upload reading a PassThrough), so a million call records never sit in memory at once.
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { encodedFile } from '../connectors/export-files.ts';
import type { ExportSink } from '../core/connector.ts';

export interface S3ExportSinkOptions {
  client: S3Client;
  bucket: string;
  /** ends with '/', see exportPrefix (functions/connectors/export-files.ts) */
  prefix: string;
  /** bytes per part (S3's minimum is 5 MiB); with queueSize 1 one file buffers about two parts at most */
  partSize?: number;
}

const CONTENT_TYPES = { json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

/** Builds the S3 sink; the bucket's default encryption (KMS on AWS) applies to every object. */
export function createS3ExportSink(options: S3ExportSinkOptions): ExportSink {
  const { client, bucket, prefix, partSize = 5 * 1024 * 1024 } = options;
  return {
    file(name, format, fileOptions) {
      if (!/^[a-z0-9][a-z0-9.-]*$/.test(name)) throw new Error(`Not a safe export file name: ${name}`);
      const body = new PassThrough();
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: `${prefix}${name}`, Body: body, ContentType: CONTENT_TYPES[format] },
        partSize,
        queueSize: 1,
        leavePartsOnError: false,
      });
      // The upload reads the stream as we write it; a failure there must stop the writer, not hang it.
      let failure: unknown;
      const done = upload.done().then(
        () => undefined,
        (error: unknown) => {
          failure = error ?? new Error('Upload failed');
          body.destroy();
        },
      );
      return encodedFile(
        name,
        format,
        {
          async write(chunk) {
            if (failure) throw failure;
            if (!body.write(chunk)) await Promise.race([once(body, 'drain'), done]);
            if (failure) throw failure;
          },
          async end() {
            body.end();
            await done;
            if (failure) throw failure;
          },
          async abort() {
            await upload.abort().catch(() => {});
            body.destroy();
            await done;
          },
        },
        fileOptions,
      );
    },
  };
}

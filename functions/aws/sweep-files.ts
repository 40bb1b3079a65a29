// The retention sweep's working files (batches of customer numbers, per-batch results) under `retention/` in the
// export bucket, behind the SweepFiles port. The bucket's lifecycle rule removes them after a week.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SweepFiles } from '../core/ports.ts';

const isMissing = (e: unknown) =>
  e instanceof Error &&
  (e.name === 'NoSuchKey' ||
    (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404);

/** Builds the SweepFiles over one bucket. */
export function s3SweepFiles(client: S3Client, bucket: string): SweepFiles {
  return {
    async put(key, body) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
      );
    },
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await out.Body?.transformToString('utf8');
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw e;
      }
    },
    async *list(prefix) {
      let token: string | undefined;
      do {
        const out = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        const keys = (out.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
        if (keys.length > 0) yield keys;
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
    },
  };
}

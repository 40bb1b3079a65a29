import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AuditEntry, AuditHead } from '../core/audit.ts';

const prefixOf = (requestId: string) => `heads/${requestId}/`;

/** `<seq>-<hash>.json`; heads written before the hash was in the name are `<seq>.json`, their hash in the body. */
const HEAD_KEY = /\/(\d{8})(?:-([0-9a-f]{64}))?\.json$/;

/**
 * Writes a chain head to the write-once bucket (S3 Object Lock on AWS), one object per entry, the hash in its name:
 * a chain rewritten whole no longer matches the heads stored before, whatever is appended after it.
 */
export async function putAuditHead(s3: S3Client, bucket: string, head: AuditEntry): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `${prefixOf(head.requestId)}${head.seq}-${head.hash}.json`,
      Body: JSON.stringify({ requestId: head.requestId, seq: head.seq, hash: head.hash, at: head.at }),
      ContentType: 'application/json',
    }),
  );
}

/** Every head stored for a chain, oldest first, read from the listing (a body only for an old-style key). */
export async function auditHeads(s3: S3Client, bucket: string, requestId: string): Promise<AuditHead[]> {
  const heads: AuditHead[] = [];
  let token: string | undefined;
  do {
    const out = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefixOf(requestId), ContinuationToken: token }),
    );
    for (const o of out.Contents ?? []) {
      const m = o.Key ? HEAD_KEY.exec(o.Key) : null;
      if (!m?.[1]) continue;
      heads.push({ seq: m[1], hash: m[2] ?? (await headBody(s3, bucket, o.Key as string)) });
    }
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  return heads.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
}

async function headBody(s3: S3Client, bucket: string, key: string): Promise<string> {
  const body = await (
    await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  ).Body?.transformToString();
  // A head that does not parse as one cannot vouch for the chain: an empty hash matches no entry.
  try {
    return String((JSON.parse(body ?? '{}') as Partial<AuditHead>).hash ?? '');
  } catch {
    return '';
  }
}

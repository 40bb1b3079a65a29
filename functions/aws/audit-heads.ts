import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AuditEntry, AuditHead } from '../core/audit.ts';

const prefixOf = (requestId: string) => `heads/${requestId}/`;

/**
 * Writes a chain head to the write-once bucket (S3 Object Lock on AWS), so a chain cannot be rewritten whole
 * without the stored head giving it away.
 */
export async function putAuditHead(s3: S3Client, bucket: string, head: AuditEntry): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `${prefixOf(head.requestId)}${head.seq}.json`,
      Body: JSON.stringify({ requestId: head.requestId, seq: head.seq, hash: head.hash, at: head.at }),
      ContentType: 'application/json',
    }),
  );
}

/** The newest head stored for a request (zero-padded sequence numbers sort as numbers), or none before it closed. */
export async function latestAuditHead(
  s3: S3Client,
  bucket: string,
  requestId: string,
): Promise<AuditHead | undefined> {
  let newest: string | undefined;
  let token: string | undefined;
  do {
    const out = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefixOf(requestId), ContinuationToken: token }),
    );
    for (const o of out.Contents ?? []) if (o.Key && (!newest || o.Key > newest)) newest = o.Key;
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  if (!newest) return undefined;
  const body = await (
    await s3.send(new GetObjectCommand({ Bucket: bucket, Key: newest }))
  ).Body?.transformToString();
  const head = JSON.parse(body ?? '{}') as Partial<AuditHead>;
  // A head that does not parse as one cannot vouch for the chain: an empty hash matches no entry.
  return { seq: String(head.seq ?? newest.slice(-13, -5)), hash: String(head.hash ?? '') };
}

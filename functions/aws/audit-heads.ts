import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AuditEntry } from '../core/audit.ts';

/**
 * Writes a chain head to the write-once bucket (S3 Object Lock on AWS), so a chain cannot be rewritten whole
 * without the stored head giving it away.
 */
export async function putAuditHead(s3: S3Client, bucket: string, head: AuditEntry): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `heads/${head.requestId}/${head.seq}.json`,
      Body: JSON.stringify({ requestId: head.requestId, seq: head.seq, hash: head.hash, at: head.at }),
      ContentType: 'application/json',
    }),
  );
}

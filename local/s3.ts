// Local S3: s3rver (pure JS) with its files in the data directory, path-style addressing. The handlers' client
// already sets forcePathStyle (functions/aws/clients.ts); signatures are checked for real, which is
// why the runtime signs with s3rver's built-in key pair (S3RVER/S3RVER).
import { mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface LocalS3 {
  port: number;
  close(): Promise<void>;
}

interface ObjectWrite {
  bucket: string;
  key: string;
}

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  httpServer?: { closeAllConnections(): void };
  store: {
    putObject(object: ObjectWrite): Promise<{ size: number }>;
    getResourcePath(bucket: string, key: string, resource: string): string;
  };
}

/**
 * s3rver answers a PUT once its hashing stream finishes, before the file stream has flushed, so a GET right
 * after can read a short file. Waiting until the file has its full size makes a PUT complete as on S3.
 */
function waitForFlushedWrites(instance: S3rverInstance): void {
  const store = instance.store;
  const putObject = store.putObject.bind(store);
  store.putObject = async (object) => {
    const result = await putObject(object);
    const path = store.getResourcePath(object.bucket, object.key, 'object');
    for (let i = 0; i < 200 && (await stat(path)).size < result.size; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return result;
  };
}

/** Starts s3rver with the given buckets created (kept if they exist); port 0 picks a free one. */
export async function startS3(options: {
  port: number;
  host: string;
  dir: string;
  buckets: string[];
}): Promise<LocalS3> {
  mkdirSync(options.dir, { recursive: true });
  const S3rver = require('s3rver') as new (opts: Record<string, unknown>) => S3rverInstance;
  const instance = new S3rver({
    address: options.host,
    port: options.port,
    directory: options.dir,
    silent: true,
    // Buckets are addressed by path (http://host:port/bucket/key); host names stay plain.
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  waitForFlushedWrites(instance);
  const address = await instance.run();
  return {
    port: address.port,
    close: async () => {
      instance.httpServer?.closeAllConnections();
      await instance.close();
    },
  };
}

// Local S3: s3rver (pure JS) with its files in the data directory, path-style addressing. The handlers' client
// already sets forcePathStyle (functions/core/adapters/clients.ts); signatures are checked for real, which is
// why the runtime signs with s3rver's built-in key pair (S3RVER/S3RVER).
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface LocalS3 {
  port: number;
  close(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  httpServer?: { closeAllConnections(): void };
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
  const address = await instance.run();
  return {
    port: address.port,
    close: async () => {
      instance.httpServer?.closeAllConnections();
      await instance.close();
    },
  };
}

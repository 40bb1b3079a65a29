// The key schemas of every DynamoDB table, shared by the stack (infra/constructs/data.ts) and the local runtime
// (local/tables.ts), so both create the same tables and indexes. Data only.

export interface TableSpec {
  partitionKey: string;
  sortKey?: string;
  /** attribute holding an epoch-seconds expiry, if items expire */
  ttl?: string;
  indexes: { name: string; partitionKey: string; sortKey?: string }[];
}

/** Key schemas of every table, shared by the stack and the local runtime so both create the same tables. */
export const TABLES = {
  requests: {
    partitionKey: 'pk',
    sortKey: 'sk',
    ttl: 'expiresAt',
    indexes: [
      { name: 'byStatus', partitionKey: 'status', sortKey: 'receivedAt' },
      { name: 'byReceived', partitionKey: 'kind', sortKey: 'receivedAt' },
      // P1: a subject's earlier requests, by the keyed hash of their address, for the access report.
      { name: 'bySubject', partitionKey: 'subjectRef', sortKey: 'receivedAt' },
      // Sparse: only closed requests that still hold their personal part (core/minimise.ts, the expiry sweep).
      { name: 'byMinimise', partitionKey: 'minimise', sortKey: 'closedAt' },
      // Sparse: only verified, open requests, by the due date in force (the deadline sweep, P9).
      { name: 'byDue', partitionKey: 'openShard', sortKey: 'openDueAt' },
    ],
  },
  audit: { partitionKey: 'requestId', sortKey: 'seq', indexes: [] },
  idempotency: { partitionKey: 'id', ttl: 'expiration', indexes: [] },
  system: {
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      { name: 'byEmail', partitionKey: 'email', sortKey: 'sk' },
      // Sparse: restricted records only, by the date their retention ends (the purge, P3, P11).
      { name: 'byPurgeDate', partitionKey: 'purgeList', sortKey: 'purgeOn' },
    ],
  },
  // The erasure ledger (P3): one partition per day, apart from every store a restore could roll back.
  erasures: { partitionKey: 'pk', sortKey: 'sk', indexes: [] },
} satisfies Record<string, TableSpec>;

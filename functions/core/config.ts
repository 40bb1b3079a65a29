/** Names of the environment variables shared by the CDK stack, the handlers and the local runtime. */
export const ENV = {
  requestsTable: 'REQUESTS_TABLE',
  auditTable: 'AUDIT_TABLE',
  exportBucket: 'EXPORT_BUCKET',
  auditBucket: 'AUDIT_BUCKET',
  stateMachineArn: 'STATE_MACHINE_ARN',
  mailFrom: 'MAIL_FROM',
  staffInbox: 'STAFF_INBOX',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  appSecretArn: 'APP_SECRET_ARN',
  publicBaseUrl: 'PUBLIC_BASE_URL',
  rateLimitPerAddress: 'RATE_LIMIT_PER_ADDRESS',
  rateLimitPerSource: 'RATE_LIMIT_PER_SOURCE',
  rateLimitWindowSeconds: 'RATE_LIMIT_WINDOW_SECONDS',
  clockStart: 'CLOCK_START',
  recipientsBaseUrl: 'RECIPIENTS_BASE_URL',
  noticeAckTimeoutMinutes: 'NOTICE_ACK_TIMEOUT_MINUTES',
  erasuresTable: 'ERASURES_TABLE',
  retentionInactivityYears: 'RETENTION_INACTIVITY_YEARS',
  systemTable: (system: string) => `${system.toUpperCase()}_TABLE`,
} as const;

/** Reads a required environment variable; a missing one is a deployment fault, not user input. */
export function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Missing configuration ${name}`);
  return value;
}

/** Reads a numeric environment variable with a default. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`Configuration ${name} is not a number`);
  return value;
}

/**
 * Default application rate limits (per address and per source, per window), the same on AWS and locally;
 * the stack's context and the environment can override them (benchmarks raise them, their own tests lower them).
 */
export const RATE_LIMIT_DEFAULTS = { perAddress: 5, perSource: 20, windowSeconds: 3600 } as const;

/**
 * The retention sweep (P11): a subject with no running contract and no activity in any system for
 * `inactivityYears` is erased. Batches of `batchSize` customer numbers over `shards` subject lists per system keep
 * every step's memory bounded. DynamoDB point-in-time recovery keeps `backupDays` of backups (P3: backups age out).
 */
export const RETENTION = { inactivityYears: 3, batchSize: 500, shards: 16, backupDays: 35 } as const;

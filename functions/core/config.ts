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
  minimiseAfterDays: 'MINIMISE_AFTER_DAYS',
  deadlineReminderDays: 'DEADLINE_REMINDER_DAYS',
  erasuresTable: 'ERASURES_TABLE',
  retentionInactivityYears: 'RETENTION_INACTIVITY_YEARS',
  retentionStateMachineArn: 'RETENTION_STATE_MACHINE_ARN',
  systemTable: (system: string) => `${system.toUpperCase().replaceAll('-', '_')}_TABLE`,
  /** Prepare's list of every system's connector function, as JSON [{system, functionName}] (P17) */
  connectors: 'CONNECTORS',
  /** a configured system's connector Lambda: the one system it serves */
  connectorSystem: 'CONNECTOR_SYSTEM',
  /** a configured system's base URL in place of its file's (the local runtime's own services) */
  systemBaseUrl: (system: string) => `${system.toUpperCase().replaceAll('-', '_')}_BASE_URL`,
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
 * Days a completed or rejected request keeps its personal part (address, requested changes) after it closed: time to
 * answer a question about the answer, after which the pseudonymous record proves what was done (Art. 5(1)(e), 5(2)).
 * The stack's context `minimiseAfterDays` and the environment override it.
 */
export const MINIMISE_AFTER_DAYS_DEFAULT = 30;
/** Days before the due date at which the deadline sweep reminds staff (P9); DEADLINE_REMINDER_DAYS overrides. */
export const DEADLINE_REMINDER_DAYS = [10, 5, 1] as const;

/** Reads a comma-separated list of positive whole days (e.g. `10,5,1`), largest first, with a default. */
export function envDays(name: string, fallback: readonly number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const days = raw.split(',').map((d) => Number(d.trim()));
  if (!days.every((d) => Number.isInteger(d) && d > 0))
    throw new Error(`Configuration ${name} is not a list of positive whole days`);
  return [...new Set(days)].sort((a, b) => b - a);
}

/**
 * The retention sweep (P11): a subject with no running contract and no activity in any system for
 * `inactivityYears` is erased. Batches of `batchSize` customer numbers over `shards` subject lists per system keep
 * every step's memory bounded. DynamoDB point-in-time recovery keeps `backupDays` of backups (P3: backups age out).
 */
export const RETENTION = { inactivityYears: 3, batchSize: 500, shards: 16, backupDays: 35 } as const;

// Deployment settings, all from CDK context (`-c key=value` or cdk.json), each with a default that works.
import type { Node } from 'constructs';
import { CONSOLE_DIST } from '../console/build.ts';
import { MINIMISE_AFTER_DAYS_DEFAULT, RATE_LIMIT_DEFAULTS } from '../functions/core/config.ts';

export type AuditLockMode = 'COMPLIANCE' | 'GOVERNANCE';

export interface Settings {
  /** Sender of every message to subjects and staff; must be on mailDomain. */
  mailFrom: string;
  /** Domain verified in SES (the sending identity). */
  mailDomain: string;
  staffInbox: string;
  rateLimitPerAddress: number;
  rateLimitPerSource: number;
  rateLimitWindowSeconds: number;
  /** Requests per 5 minutes from one IP before WAF blocks it. */
  wafRateLimit: number;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** COMPLIANCE: nobody, not even root, can shorten the lock; GOVERNANCE lets a privileged role bypass it. */
  auditLockMode: AuditLockMode;
  auditRetentionDays: number;
  /** Days a completed or rejected request keeps its address and requested changes after it closed (P9). */
  minimiseAfterDays: number;
  /** Address subscribed to alarms, if any. */
  alarmEmail?: string;
  /** The nightly retention sweep only lists who would go and changes nothing (P11). */
  retentionDryRun: boolean;
  /** Prefix of the staff sign-in page, https://<prefix>.auth.<region>.amazoncognito.com (unique per region). */
  loginDomainPrefix: string;
  /** The built pages uploaded to the site bucket (`npm run build:console` writes console/dist). */
  consoleDist: string;
}

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

function text(node: Node, key: string, fallback: string): string {
  const value = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return fallback;
  return String(value);
}

function positive(node: Node, key: string, fallback: number): number {
  const value = Number(text(node, key, String(fallback)));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`Context ${key} must be a positive integer`);
  return value;
}

function oneOf<T extends string>(node: Node, key: string, allowed: readonly T[], fallback: T): T {
  const value = text(node, key, fallback).toUpperCase();
  if (!(allowed as readonly string[]).includes(value))
    throw new Error(`Context ${key} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function flag(node: Node, key: string, fallback: boolean): boolean {
  const value = text(node, key, String(fallback)).toLowerCase();
  if (value !== 'true' && value !== 'false') throw new Error(`Context ${key} must be true or false`);
  return value === 'true';
}

// Cognito's rule for hosted-login prefixes; it also refuses the words aws, amazon and cognito in them.
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function domainPrefix(node: Node, key: string, fallback: string): string {
  const value = text(node, key, fallback);
  if (!DOMAIN_PREFIX.test(value) || /aws|amazon|cognito/.test(value))
    throw new Error(
      `Context ${key} (${value}) must be 1-63 lowercase letters, digits or hyphens, without aws, amazon or cognito`,
    );
  return value;
}

/** Reads and checks every setting once, so a typo fails the synth instead of the deployed system. */
export function readSettings(node: Node): Settings {
  const mailDomain = text(node, 'mailDomain', 'jsm.be').toLowerCase();
  const mailFrom = text(node, 'mailFrom', `privacy@${mailDomain}`).toLowerCase();
  // IAM grants ses:SendEmail on the domain identity only, so a sender elsewhere would fail at run time.
  if (!mailFrom.endsWith(`@${mailDomain}`))
    throw new Error(`Context mailFrom (${mailFrom}) must be an address on mailDomain (${mailDomain})`);
  const alarmEmail = text(node, 'alarmEmail', '');
  return {
    mailFrom,
    mailDomain,
    staffInbox: text(node, 'staffInbox', `privacy-team@${mailDomain}`),
    rateLimitPerAddress: positive(node, 'rateLimitPerAddress', RATE_LIMIT_DEFAULTS.perAddress),
    rateLimitPerSource: positive(node, 'rateLimitPerSource', RATE_LIMIT_DEFAULTS.perSource),
    rateLimitWindowSeconds: positive(node, 'rateLimitWindowSeconds', RATE_LIMIT_DEFAULTS.windowSeconds),
    wafRateLimit: positive(node, 'wafRateLimit', 300),
    logLevel: oneOf(node, 'logLevel', LOG_LEVELS, 'INFO'),
    auditLockMode: oneOf(node, 'auditLockMode', ['COMPLIANCE', 'GOVERNANCE'] as const, 'COMPLIANCE'),
    auditRetentionDays: positive(node, 'auditRetentionDays', 3653),
    minimiseAfterDays: positive(node, 'minimiseAfterDays', MINIMISE_AFTER_DAYS_DEFAULT),
    retentionDryRun: flag(node, 'retentionDryRun', false),
    loginDomainPrefix: domainPrefix(node, 'loginDomainPrefix', 'jsm-privacy-staff'),
    consoleDist: text(node, 'consoleDist', CONSOLE_DIST),
    ...(alarmEmail ? { alarmEmail } : {}),
  };
}

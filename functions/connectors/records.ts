// How the demo systems' stores hold personal data, shared by every connector: one partition per customer
// (`CUST#<customerNumber>`), one item per record, each labelled with its category (PROMISES P16).

import { createHash } from 'node:crypto';
import { RETENTION } from '../core/config.ts';
import type { Category } from '../core/schemas.ts';

export { CATEGORIES, type Category } from '../core/schemas.ts';

/** Where a datum came from, which decides what a portability export may hold (P7: no inferred data). */
export type Origin = 'provided' | 'observed' | 'inferred';

/** One item of a system store. Items that hold the subject's address hold it in `email`, lower case. */
export interface StoredItem {
  pk: string;
  sk: string;
  category?: Category | string;
  customerNumber?: string;
  email?: string;
  [attribute: string]: unknown;
}

export const CUSTOMER_PREFIX = 'CUST#';
/** Records kept after an erasure under a legal ground, out of the customer's partition (see docs/CONNECTORS.md). */
export const RESTRICTED_PREFIX = 'RESTRICTED#';
/** Idempotency records of the connector Lambda (functions/aws/operation-ledger.ts). */
export const OPS_PREFIX = 'OPS#';
/** The name of the index over `email` (functions/tables.ts TABLES.system). */
export const EMAIL_INDEX = 'byEmail';
/** The sparse index of restricted records by purge date (`purgeList`, `purgeOn`; functions/registry.ts). */
export const PURGE_INDEX = 'byPurgeDate';
/** The one `purgeList` value: every restricted record is in the purge index under it. */
export const PURGE_LIST = 'RESTRICTED';
/** The system's subject list (P11): `SUBJECTS#<shard>` partitions of `CUST#<number>` keys, nothing else. */
export const SUBJECTS_PREFIX = 'SUBJECTS#';

export const customerKey = (customerNumber: string) => `${CUSTOMER_PREFIX}${customerNumber}`;
export const restrictedKey = (subjectRef: string) => `${RESTRICTED_PREFIX}${subjectRef}`;

/** Which of the RETENTION.shards subject lists a customer is on: a hash, so every list is about as long. */
export const subjectShard = (customerNumber: string) =>
  (createHash('sha256').update(customerNumber).digest()[0] ?? 0) % RETENTION.shards;
export const subjectListKey = (shard: number) => `${SUBJECTS_PREFIX}${String(shard).padStart(2, '0')}`;
/** A customer's entry on the subject list: keys only, so it holds no data of theirs beyond the number. */
export const subjectListEntry = (customerNumber: string) => ({
  pk: subjectListKey(subjectShard(customerNumber)),
  sk: customerKey(customerNumber),
});
/** Key of the idempotency record of one operation and attempt of a request, in the system's own table. */
export const opsKey = (requestId: string, operation: string, attempt: number) => ({
  pk: `${OPS_PREFIX}${requestId}`,
  sk: `${operation}#${attempt}`,
});

/** Attributes that identify or reach a person or their money; never kept on a restricted record. */
export const CONTACT_AND_FINANCIAL_FIELDS = [
  'email',
  'phone',
  'iban',
  'bic',
  'creditScore',
  'mandateId',
] as const;

/** Attributes that describe a stored record, or who changed it, rather than hold data about the subject. */
export const TECHNICAL_FIELDS = [
  'pk',
  'sk',
  'category',
  'origin',
  'restricted',
  'retention',
  'restrictedAt',
  'purgeList',
  'purgeOn',
  'rectifiedBy',
  'rectifiedAt',
  'withdrawnBy',
  'objectedBy',
] as const;

/** Secrets are reported as existing, never exported (P16): stored attribute → what the export says instead. */
export const SECRET_FIELDS: Readonly<Record<string, { field: string; says: string }>> = {
  passwordHash: { field: 'password', says: 'an account password exists' },
};

/** The record type of an item: its sort key's first segment (`INVOICE#2026-0101` → `INVOICE`). */
export const recordType = (sk: string) => sk.split('#')[0] ?? sk;

/** Every attribute name at any depth that is in `names`, as dotted paths. */
export function findFields(value: unknown, names: readonly string[], path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => findFields(v, names, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const here = path ? `${path}.${key}` : key;
    return [...(names.includes(key) ? [here] : []), ...findFields(v, names, here)];
  });
}

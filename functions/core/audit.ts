import { createHash } from 'node:crypto';
import type { AuditEntryInput } from './ports.ts';

/** One link of a request's audit chain (audit table: pk requestId, sk seq). */
export interface AuditEntry extends AuditEntryInput {
  requestId: string;
  seq: string;
  at: string;
  prevHash: string;
  hash: string;
}

export const GENESIS = '0'.repeat(64);

/** Zero-padded so the string sort key orders like the number. */
export const seqKey = (n: number) => String(n).padStart(8, '0');

// Stores such as DynamoDB do not keep the key order of maps, so the hash covers keys in sorted order.
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function digest(entry: Omit<AuditEntry, 'hash'>): string {
  const text = canonical([
    entry.requestId,
    entry.seq,
    entry.at,
    entry.actor,
    entry.action,
    entry.details ?? null,
    entry.prevHash,
  ]);
  return createHash('sha256').update(text).digest('hex');
}

/** A fact key for what an entry records: the same parts, the same key (a repeated step), whatever their size. */
export const factOf = (action: string, ...parts: unknown[]) =>
  `${action}:${createHash('sha256').update(canonical(parts)).digest('hex').slice(0, 32)}`;

/** The next link after `previous` (or the first of a chain). */
export function chainEntry(
  requestId: string,
  previous: AuditEntry | undefined,
  input: AuditEntryInput,
  at: Date,
): AuditEntry {
  const seq = seqKey(previous ? Number(previous.seq) + 1 : 1);
  // The fact key decides whether the entry is written at all; it is no part of the entry.
  const { fact: _fact, ...fields } = input;
  const base = { requestId, seq, at: at.toISOString(), ...fields, prevHash: previous?.hash ?? GENESIS };
  return { ...base, hash: digest(base) };
}

/** Index of the first entry that breaks the chain, or -1 when every link holds. */
export function firstBrokenLink(entries: AuditEntry[]): number {
  let prevHash = GENESIS;
  for (const [i, e] of entries.entries()) {
    const { hash, ...rest } = e;
    if (e.prevHash !== prevHash || digest(rest) !== hash || Number(e.seq) !== i + 1) return i;
    prevHash = hash;
  }
  return -1;
}

/** A chain head as written to write-once storage after every entry (functions/aws/audit-heads.ts). */
export interface AuditHead {
  seq: string;
  hash: string;
}

/** What a verification of one chain found; `brokenAt` is the sequence number of the first entry that fails. */
export interface ChainCheck {
  intact: boolean;
  entries: number;
  brokenAt?: number;
}

/**
 * Verifies a chain: every link, then against every stored head, each of which must still be in the chain with the
 * same hash, so a chain rewritten whole (even with entries appended after) or cut short does not pass (DESIGN:
 * Audit trail). Shared by the staff detail view and `npm run audit-verify` (later `dsr audit verify`).
 */
export function verifyChain(entries: AuditEntry[], heads: AuditHead | AuditHead[] = []): ChainCheck {
  const broken = firstBrokenLink(entries);
  if (broken >= 0) return { intact: false, entries: entries.length, brokenAt: broken + 1 };
  const failed = [heads]
    .flat()
    .filter((h) => entries[Number(h.seq) - 1]?.hash !== h.hash)
    .map((h) => Number(h.seq));
  if (failed.length > 0) return { intact: false, entries: entries.length, brokenAt: Math.min(...failed) };
  return { intact: true, entries: entries.length };
}

// The erasure ledger (P3): every erasure, of a request or of the retention sweep, as keyed hashes and a date, so
// that after a table is restored from a backup (DynamoDB point-in-time recovery keeps 35 days) every erasure made
// since the restore point can be made again. Re-applying reads the restored stores' subject lists and addresses,
// hashes each with the application secret and erases what the ledger names, through the connectors' own erase.
import { RETENTION } from './config.ts';
import type { Connector, OperationContext, SubjectKeys } from './connector.ts';
import type { AuditLog, ErasureEntry, ErasureLedger, RequestStore } from './ports.ts';
import { SHARDS } from './retention-sweep.ts';
import { customerRef, subjectRef } from './secrets.ts';

/** The day on which backups taken before an erasure at `erasedAt` have all aged out (ISO date). */
export function backupsAgeOutOn(erasedAt: Date, days: number = RETENTION.backupDays): string {
  return new Date(erasedAt.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Records a request's erasure in the ledger, with the systems that erased; nothing when none did. */
export async function recordRequestErasure(
  deps: { store: RequestStore; ledger: ErasureLedger; secret: string; now: () => Date },
  requestId: string,
): Promise<boolean> {
  const r = await deps.store.get(requestId);
  if (r?.type !== 'erasure') return false;
  const systems = Object.entries(r.systems).flatMap(([system, s]) => (s?.state === 'done' ? [system] : []));
  if (systems.length === 0) return false;
  const pick = r.identity?.customerNumber;
  await deps.ledger.record({
    subjectRef: r.subjectRef,
    ...(pick ? { customerRef: customerRef(deps.secret, pick) } : {}),
    by: 'request',
    id: `${r.id}-${r.attempt}`,
    erasedAt: deps.now().toISOString(),
    systems: systems.sort(),
  });
  return true;
}

export interface ReapplyDeps {
  connectors: readonly Connector[];
  ledger: ErasureLedger;
  audit: AuditLog;
  secret: string;
  now: () => Date;
}

/** What a re-apply did, in counts. */
export interface ReapplyResult {
  /** ledger entries since the restore point */
  entries: number;
  /** subjects erased again, per system */
  erased: Record<string, number>;
}

/** What the ledger asks for since a point: customers by keyed hash, addresses by keyed hash (with a pick). */
async function wanted(ledger: ErasureLedger, since: Date, until: Date) {
  const customers = new Set<string>();
  // address ref → the customer ref staff picked behind it, or null for every customer the address opens
  const addresses = new Map<string, string | null>();
  let entries = 0;
  for await (const page of ledger.since(since, until)) {
    for (const e of page as ErasureEntry[]) {
      entries += 1;
      if (e.subjectRef) addresses.set(e.subjectRef, e.customerRef ?? null);
      else if (e.customerRef) customers.add(e.customerRef);
    }
  }
  return { customers, addresses, entries };
}

/**
 * Makes every erasure recorded since `since` (the restore point) again in every system; erasures are idempotent,
 * so a subject already gone answers not_found. Reads each store's subject list and its address index once.
 */
export async function reapplyErasures(deps: ReapplyDeps, since: Date): Promise<ReapplyResult> {
  const now = deps.now();
  const ctx: OperationContext = { requestId: `reapply-${now.getTime()}`, now };
  const { customers, addresses, entries } = await wanted(deps.ledger, since, now);
  const picks = new Set([...addresses.values()].filter((v): v is string => v !== null));
  const erased: Record<string, number> = {};
  const erase = async (connector: Connector, subject: SubjectKeys) => {
    const outcomes = await connector.erase(subject, ctx);
    if (outcomes.some((o) => o.kind === 'erased' || o.kind === 'retained'))
      erased[connector.system] = (erased[connector.system] ?? 0) + 1;
  };
  for (const connector of deps.connectors) {
    // The customers the ledger names, and the numbers behind the picks it names, found by hashing each number.
    const pickedNumbers = new Map<string, string>();
    for (const shard of SHARDS) {
      for await (const page of connector.subjects(shard)) {
        for (const n of page) {
          const ref = customerRef(deps.secret, n);
          if (picks.has(ref)) pickedNumbers.set(ref, n);
          if (!customers.has(ref)) continue;
          const report = await connector.activity({ email: '', customerNumber: n }, ctx);
          const email = report.kind === 'found' ? report.emails[0] : undefined;
          await erase(connector, {
            email: '',
            customerNumber: n,
            subjectRef: email ? subjectRef(deps.secret, email) : ref,
          });
        }
      }
    }
    // The addresses the ledger names; an address met twice is erased once.
    const done = new Set<string>();
    for await (const page of connector.addresses()) {
      for (const email of page) {
        const ref = subjectRef(deps.secret, email);
        if (!addresses.has(ref) || done.has(ref)) continue;
        done.add(ref);
        const pick = addresses.get(ref);
        const customerNumber = pick ? pickedNumbers.get(pick) : undefined;
        // A pick whose customer is not in this store: nothing of theirs to erase here.
        if (pick && !customerNumber) continue;
        await erase(connector, { email, subjectRef: ref, ...(customerNumber ? { customerNumber } : {}) });
      }
    }
  }
  await deps.audit.append(`erasures-reapplied_${now.getTime()}`, {
    actor: 'system',
    action: 'erasures.reapplied',
    details: { since: since.toISOString(), entries, erased },
  });
  return { entries, erased };
}

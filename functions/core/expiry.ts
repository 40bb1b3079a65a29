// The expiry sweep (hourly): a request never verified expires after 14 days (status `expired`), its subject is told
// how to start again and its personal part leaves the request store at once; a completed or rejected request loses
// its personal part after a configurable period (core/minimise.ts). Work is found by index, never by a scan, and
// every change is re-checked under the request's lock, so a code confirmed at the last moment still wins.
import { expiryMessage } from './messages/index.ts';
import { minimised, minimiseQueue, personalFields } from './minimise.ts';
import type { AuditLog, ExpiryIndex, LetterStore, Mailer, RequestStore } from './ports.ts';
import type { RequestRecord } from './request.ts';

/** Days a request may wait for its code to be confirmed. */
export const UNVERIFIED_EXPIRY_DAYS = 14;
/** Requests each part of one run handles; a larger backlog is taken up by the next runs. */
export const EXPIRY_BATCH = 200;

const DAY_MS = 86_400_000;

export interface ExpiryDeps {
  store: RequestStore;
  index: ExpiryIndex;
  audit: AuditLog;
  mailer: Mailer;
  now: () => Date;
  /** days a completed or rejected request keeps its personal part after it closed (config MINIMISE_AFTER_DAYS) */
  minimiseAfterDays: number;
  /** the printable letters (P4), whose content goes with the request's personal part */
  letters?: Pick<LetterStore, 'scrub'>;
}

export interface ExpiryResult {
  /** requests that expired in this run */
  expired: number;
  /** expired requests whose subject was told in this run */
  told: number;
  /** requests whose personal part was removed in this run, expired ones included */
  minimised: number;
  /** requests that failed in this run; the next run tries them again */
  failed: number;
}

/**
 * Runs `act` over the ids, ten at a time, and answers those it acted on. One request that fails (a mail refused)
 * holds up none of the others; it is still in its index and is taken up again by the next run.
 */
async function actOn(ids: string[], act: (id: string) => Promise<boolean>, failed: { n: number }) {
  const acted: string[] = [];
  for (let i = 0; i < ids.length; i += 10) {
    const batch = ids.slice(i, i + 10);
    const done = await Promise.all(
      batch.map((id) =>
        act(id).catch(() => {
          failed.n += 1;
          return false;
        }),
      ),
    );
    acted.push(...batch.filter((_, j) => done[j]));
  }
  return acted;
}

/** Scheduled: expires, tells and minimises what is due; safe to run again at any moment. */
export async function sweepExpiry(deps: ExpiryDeps, limit = EXPIRY_BATCH): Promise<ExpiryResult> {
  const now = deps.now();
  const failed = { n: 0 };
  const unverifiedBefore = new Date(now.getTime() - UNVERIFIED_EXPIRY_DAYS * DAY_MS);
  const unverified = await deps.index.unverified(unverifiedBefore, limit);
  const expired = await actOn(unverified, (id) => expire(deps, id, unverifiedBefore), failed);
  // Those expired now (an index may lag behind a write), and any an earlier run could not tell.
  const lapsed = new Set([...expired, ...(await deps.index.toMinimise('expired', now, limit))]);
  const told = await actOn([...lapsed], (id) => tellExpiry(deps, id), failed);
  const closedBefore = new Date(now.getTime() - deps.minimiseAfterDays * DAY_MS);
  const ended = await deps.index.toMinimise('closed', closedBefore, limit);
  const closed = await actOn(ended, (id) => minimise(deps, id, closedBefore), failed);
  return {
    expired: expired.length,
    told: told.length,
    minimised: told.length + closed.length,
    failed: failed.n,
  };
}

async function expire(deps: ExpiryDeps, id: string, receivedBefore: Date): Promise<boolean> {
  const at = deps.now().toISOString();
  let expired = false;
  await deps.store.update(id, (r) => {
    expired = r.status === 'awaiting_verification' && Date.parse(r.receivedAt) <= receivedBefore.getTime();
    if (!expired) return undefined;
    r.status = 'expired';
    r.closedAt = at;
    return r;
  });
  if (expired) {
    await deps.audit.append(id, {
      actor: 'system',
      action: 'request.expired',
      details: { afterDays: UNVERIFIED_EXPIRY_DAYS },
    });
  }
  return expired;
}

/**
 * Tells the subject of an expired request how to start again, in the form's language or in all three (nothing was
 * looked up to know theirs), then removes the address with the rest of the personal part.
 */
async function tellExpiry(deps: ExpiryDeps, id: string): Promise<boolean> {
  const r = await deps.store.get(id);
  if (!r || minimiseQueue(r) !== 'expired') return false;
  if (!r.toldAt && r.email) {
    const lang = r.languageChosen === false ? undefined : r.language;
    const message = expiryMessage(lang, r.type, r.receivedAt, UNVERIFIED_EXPIRY_DAYS);
    // At least once: a crash before the store write below sends it again with the same key.
    await deps.mailer.send({
      to: r.email,
      ...message,
      idempotencyKey: `${id}:expired`,
      about: { requestId: id, kind: 'expiry', to: 'subject' },
    });
  }
  const toldAt = r.toldAt ?? deps.now().toISOString();
  const fields = await strip(deps, id, 'expired', deps.now(), (cur) => ({ ...cur, toldAt }));
  if (!fields) return false;
  if (!r.toldAt) {
    await deps.audit.append(id, {
      actor: 'system',
      action: 'subject.told',
      details: { status: 'expired', mails: ['subject'] },
    });
  }
  await auditMinimised(deps, id, fields);
  return true;
}

/** Removes the personal part of a completed or rejected request closed at or before `closedBefore`; audited. */
async function minimise(deps: ExpiryDeps, id: string, closedBefore: Date): Promise<boolean> {
  const fields = await strip(deps, id, 'closed', closedBefore);
  if (fields) await auditMinimised(deps, id, fields);
  return fields !== undefined;
}

/**
 * Rewrites a request still in `queue` and closed at or before `closedBefore` without its personal part; answers the
 * names of the fields removed, or undefined when it was no longer due (minimised meanwhile, retried, reopened).
 */
async function strip(
  deps: ExpiryDeps,
  id: string,
  queue: 'expired' | 'closed',
  closedBefore: Date,
  also: (r: RequestRecord) => RequestRecord = (r) => r,
): Promise<string[] | undefined> {
  const at = deps.now();
  let fields: string[] | undefined;
  // The letters' content first (P4): a crash after it leaves the request due, and the next run minimises it.
  const current = await deps.store.get(id);
  const due = (r: RequestRecord) =>
    minimiseQueue(r) === queue && Date.parse(r.closedAt ?? '') <= closedBefore.getTime();
  if (current && due(current) && current.letters?.length) await deps.letters?.scrub(id);
  await deps.store.update(id, (r) => {
    fields = undefined;
    if (!due(r)) return undefined;
    fields = personalFields(r);
    return minimised(also(r), at);
  });
  return fields;
}

// The names of what went, never the values.
const auditMinimised = (deps: ExpiryDeps, id: string, fields: string[]) =>
  deps.audit.append(id, { actor: 'system', action: 'request.minimised', details: { fields } });

// What the pipeline itself holds about the subject of an access request (P1, P15; Art. 15(1)): their earlier
// requests and opt-outs, the notices sent about them (P13), and when and why staff consulted their data, from the
// audit trail, with dates and purposes but never who (CJEU C-579/21). Found by the keyed hash of the address.
import type { AuditEntry } from './audit.ts';
import type { NoticeOwner } from './notice-plan.ts';
import type { HistoryRequest, SubjectHistoryStore } from './ports.ts';
import { loadRecipients, type NotificationEvent } from './registers/index.ts';
import type { RequestRecord } from './request.ts';
import type { RequestType, Status } from './schemas.ts';
import { MARKETING_LISTS, type MarketingList } from './suppression.ts';
import { optOutId } from './unsubscribe.ts';

/** Earlier requests listed at most (the newest); each costs two reads. */
export const MAX_HISTORY_REQUESTS = 100;

/** Why staff consulted a subject's data, by the audit action that records it. */
const PURPOSE_OF = {
  'request.viewed': 'review',
  'request.approved': 'approval',
  'request.rejected': 'refusal',
  'request.retried': 'retry',
  'identity.resolved': 'identity_check',
  'unsubscribe_link.issued': 'unsubscribe_link',
  // GET /admin/requests/{id}/subject: the address opened to act on the request (P15).
  'subject.viewed': 'contact_details',
  // The owner of a system without an API answered its task after searching it by hand (P17).
  'manual_task.answered': 'manual_search',
} as const;
export type ConsultationPurpose = (typeof PURPOSE_OF)[keyof typeof PURPOSE_OF] | 'handling';
/** Every purpose a consultation can have; `handling` for a staff action without one of its own. */
export const CONSULTATION_PURPOSES: readonly ConsultationPurpose[] = [
  ...Object.values(PURPOSE_OF),
  'handling',
];

/** What an entry concerns: one of the subject's requests, or their place on a mailing list. */
export type HistoryAbout = { request: RequestType; receivedAt: string } | { list: MarketingList };

/** One earlier request, or one opt-out by the link in a mailing (P5). */
export interface HistoryRequestRow {
  type: RequestType | 'opt_out';
  list?: MarketingList;
  receivedAt: string;
  status: Status;
  closedAt?: string;
}

export interface HistoryNotice {
  recipient: string;
  role: 'processor' | 'recipient';
  event: NotificationEvent;
  about: HistoryAbout;
  sentAt: string;
  acknowledgedAt?: string;
}

export interface Consultation {
  at: string;
  purpose: ConsultationPurpose;
  about: HistoryAbout;
}

/** Everything the access report and the package list of what the pipeline holds; codes, no words, no staff id. */
export interface SubjectHistory {
  requests: HistoryRequestRow[];
  notices: HistoryNotice[];
  consultations: Consultation[];
}

export const NO_HISTORY: SubjectHistory = { requests: [], notices: [], consultations: [] };

const byTime =
  <T>(at: (x: T) => string) =>
  (a: T, b: T) =>
    at(a).localeCompare(at(b));

/**
 * When the address's earlier holder moved away from it: an e-mail rectification carried out (P2). What came before
 * belongs to that person, and a request from the old address gets what a stranger gets (P8).
 */
function leftAt(found: HistoryRequest[]): string {
  return (
    found
      .filter((e) => e.type === 'rectification' && e.newSubjectRef && e.newSubjectRef !== e.subjectRef)
      .filter((e) => e.status === 'completed' || e.status === 'partially_completed')
      .map((e) => e.closedAt ?? e.receivedAt)
      .sort()
      .at(-1) ?? ''
  );
}

/**
 * The subject's own earlier requests: after the address was last left, and for the same person behind it (where
 * staff picked one among several sharing it, only requests for that pick; P8).
 */
export function ownEarlierRequests(r: RequestRecord, found: HistoryRequest[]): HistoryRequest[] {
  const since = leftAt(found);
  const pick = r.identity?.customerNumber;
  return found
    .filter((e) => e.id !== r.id && e.receivedAt > since && e.identity?.customerNumber === pick)
    .sort(byTime((e) => e.receivedAt))
    .slice(-MAX_HISTORY_REQUESTS);
}

/** Staff entries of a chain as consultations: when and why, never who. */
function consultations(chain: AuditEntry[], about: HistoryAbout, since: string): Consultation[] {
  return chain
    .filter((e) => e.actor.startsWith('staff:') && e.at > since)
    .map((e) => ({
      at: e.at,
      purpose: (PURPOSE_OF as Record<string, ConsultationPurpose>)[e.action] ?? 'handling',
      about,
    }));
}

/** Gathers what the pipeline holds about the subject of `r`: every read by key or by index, never a scan. */
export async function subjectHistory(store: SubjectHistoryStore, r: RequestRecord): Promise<SubjectHistory> {
  const found = await store.requestsOf(r.subjectRef);
  const since = leftAt(found);
  const earlier = ownEarlierRequests(r, found);
  const recipients = loadRecipients().recipients;
  const history: SubjectHistory = {
    requests: earlier.map((e) => ({
      type: e.type,
      receivedAt: e.receivedAt,
      status: e.status,
      ...(e.closedAt ? { closedAt: e.closedAt } : {}),
    })),
    notices: [],
    consultations: [],
  };
  const owners: { owner: NoticeOwner; about: HistoryAbout }[] = [
    ...[...earlier, r].map((e) => ({
      owner: { kind: 'request' as const, id: e.id },
      about: { request: e.type, receivedAt: e.receivedAt },
    })),
    // An opt-out's chain and notices are kept under an id derived from the keyed hash and the list.
    ...MARKETING_LISTS.map((list) => ({
      owner: { kind: 'optout' as const, id: optOutId(r.subjectRef, list) },
      about: { list },
    })),
  ];
  const read = await Promise.all(
    owners.map(async ({ owner, about }) => ({
      owner,
      about,
      chain: await store.chain(owner.id),
      notices: await store.notices(owner),
    })),
  );
  for (const { owner, about, chain, notices } of read) {
    history.consultations.push(...consultations(chain, about, since));
    if (owner.kind === 'optout' && 'list' in about) {
      for (const e of chain.filter((x) => x.action === 'optout.received' && x.at > since))
        history.requests.push({
          type: 'opt_out',
          list: about.list,
          receivedAt: e.at,
          status: 'completed',
          closedAt: e.at,
        });
    }
    for (const n of notices.filter((x) => x.firstSentAt > since)) {
      const recipient = recipients.find((rc) => rc.id === n.recipientId);
      history.notices.push({
        recipient: recipient?.name ?? n.recipientId,
        role: recipient?.kind ?? 'recipient',
        event: n.event,
        about,
        sentAt: n.firstSentAt,
        ...(n.acknowledgedAt ? { acknowledgedAt: n.acknowledgedAt } : {}),
      });
    }
  }
  history.requests.sort(byTime((x) => x.receivedAt));
  history.notices.sort(byTime((x) => x.sentAt));
  history.consultations.sort(byTime((x) => x.at));
  return history;
}

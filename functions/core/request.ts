import type { LocateResult } from './connector.ts';
import type {
  Channel,
  Language,
  Outcome,
  RejectionReason,
  RequestType,
  Status,
  SystemName,
} from './schemas.ts';

/**
 * A request as stored (requests table, pk `REQ#<id>`, sk `REQUEST`). The subject's address is the only
 * personal datum; it never leaves this record except in e-mails to that address.
 */
export interface RequestRecord {
  pk: string;
  sk: 'REQUEST';
  /** constant 'request', the partition of the byReceived index */
  kind: 'request';
  id: string;
  type: RequestType;
  status: Status;
  channel: Channel;
  email: string;
  /** keyed hash of the address: the pseudonymous subject id used in audit entries and metrics */
  subjectRef: string;
  language: Language;
  receivedAt: string;
  dueAt: string;
  extension?: { reason: 'complexity' | 'number_of_requests'; dueAt: string; noticeSentAt?: string };
  verification: {
    codeHmac: string;
    expiresAt: string;
    attempts: number;
    sent: number;
    verifiedAt?: string;
  };
  rejection?: { reason: RejectionReason; at: string };
  approval?: { approved: boolean; by: string; at: string };
  /** task token of the parked approval wait; replaced each time the workflow waits again */
  approvalToken?: string;
  attempt: number;
  systems: Partial<Record<SystemName, SystemState>>;
  toldAt?: string;
  closedAt?: string;
  version: number;
}

export interface SystemState {
  located?: LocateResult;
  state: 'pending' | 'done' | 'failed';
  outcomes?: Outcome[];
}

export const requestKey = (id: string) => ({ pk: `REQ#${id}`, sk: 'REQUEST' as const });

import type { Operation, Outcome, SystemName } from './schemas.ts';

/** How a connector finds the subject: the address verified by the request, plus keys found on the way. */
export interface SubjectKeys {
  email: string;
  /** the request's keyed hash of the address: finds records kept under restriction once the address is gone */
  subjectRef?: string;
}

/** Context every operation receives; the request id keys idempotency. */
export interface OperationContext {
  requestId: string;
  now: Date;
}

/** What a system holds on the subject, in counts and categories only (PROMISES P16). */
export interface LocateResult {
  found: boolean;
  records: number;
  categories: string[];
}

/** The one contract every system's connector implements (DESIGN: Connector contract). */
export interface Connector {
  readonly system: SystemName;
  locate(subject: SubjectKeys, ctx: OperationContext): Promise<LocateResult>;
  erase(subject: SubjectKeys, ctx: OperationContext): Promise<Outcome[]>;
}

/** The event a connector Lambda receives from the workflow: ids only, never personal data. */
export interface ConnectorEvent {
  requestId: string;
  attempt: number;
  system: SystemName;
  operation: Operation;
}

/** What a connector Lambda returns to the workflow: counts, kinds, grounds; never personal data. */
export interface ConnectorResult {
  system: SystemName;
  operation: Operation;
  located?: LocateResult;
  outcomes: Outcome[];
}

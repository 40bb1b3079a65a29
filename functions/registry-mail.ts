// How mail about a request fared (P10), beside functions/registry.ts: the Lambda that hears SES's events, and the
// staff route that records reaching the subject another way. Data only.
import type { ApiRoute, Need } from './registry.ts';

export interface MailEventFunction {
  id: string;
  entry: string;
  needs: Need[];
}

/**
 * SES's bounce and complaint events: through the configuration set's SNS topic on AWS, from the local SES's mailbox
 * simulator locally (local/runtime.ts), both in the SNS shape.
 */
export const MAIL_EVENTS: MailEventFunction = {
  id: 'MailEvents',
  entry: 'functions/events/mail-events.ts',
  needs: ['requests:write', 'audit:write', 'metrics'],
};

/** After a bounce or complaint, staff record how they reached the subject instead (listed in API_ROUTES). */
export const REACHED_ROUTE: ApiRoute = {
  id: 'RecordReached',
  method: 'POST',
  path: '/admin/requests/{id}/reached',
  entry: 'functions/api/record-reached.ts',
  access: 'approver',
  needs: ['requests:write', 'audit:write', 'idempotency'],
};

// The Lambda that hears how mail about a request fared (P10), beside functions/registry.ts. Data only.
import type { Need } from './registry.ts';

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

// The sent-messages log (P4, P10: the subject must actually be reached): every mail about a request, recorded by
// the one mailer every task uses, with its kind code, the recipient's role, SES's message id and the time, never
// the address or the text. A bounce or complaint finds its request through it (core/delivery.ts).
import type { Mail, Mailer } from './ports.ts';

/** What a mail about a request is; codes only, as the audit trail and the staff console show them. */
export const MESSAGE_KINDS = [
  'acknowledgement',
  'code',
  'code_resent',
  'new_address_code',
  'outcome',
  'refusal',
  'extension',
  'interim',
  'expiry',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Whom it went to: the subject, a requester acting for them (P12), a new address to confirm (P2), a recipient (Art. 20(2)). */
export const MESSAGE_ROLES = ['subject', 'requester', 'new_address', 'recipient'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

export const DELIVERY_STATES = ['sent', 'bounced', 'complained'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** What a mail is about; staff mails (reminders, alerts, summaries) are about no one and are not logged. */
export type MailAbout = { requestId: string; kind: MessageKind; to: MessageRole } | 'staff';

/** One logged mail, as staff see it; `id` is SES's message id. */
export interface SentMessage {
  id: string;
  kind: MessageKind;
  to: MessageRole;
  at: string;
  delivery: DeliveryState;
}

/** A logged mail found again by a delivery event. */
export interface LoggedMail {
  requestId: string;
  /** the mail's idempotency key: the entry's own key in the log */
  key: string;
  kind: MessageKind;
  to: MessageRole;
}

export interface MessageLog {
  /** Before sending: the entry under the mail's idempotency key, so an event faster than the send's answer finds it. */
  begin(key: string, about: Exclude<MailAbout, 'staff'>, at: string): Promise<void>;
  /** After sending: SES's message id on the entry, and the pointer from that id back to it. */
  sent(key: string, requestId: string, messageId: string): Promise<void>;
  /** The mail SES gave this id; else, by the idempotency key the mail carried, one whose send had not yet answered. */
  find(messageId: string, key?: string): Promise<LoggedMail | undefined>;
  /** Records how the mail fared (idempotent). */
  mark(mail: LoggedMail, delivery: Exclude<DeliveryState, 'sent'>): Promise<void>;
  /** A request's mails, oldest first; those whose send never answered are left out. */
  list(requestId: string): Promise<SentMessage[]>;
}

/** Sends one mail and answers SES's message id: the SES adapter (aws/ses-mailer.ts). */
export interface MailTransport {
  send(mail: Mail): Promise<string>;
}

/** The request a key belongs to: every key of a mail about a request starts with its id and a colon. */
export const requestOfKey = (key: string) => {
  const at = key.indexOf(':');
  return at > 0 ? key.slice(0, at) : undefined;
};

/** The Mailer every task gets: sends through the transport and logs each mail about a request, so no task has to. */
export function loggingMailer(transport: MailTransport, log: MessageLog, now: () => Date): Mailer {
  return {
    async send(mail) {
      if (mail.about === 'staff') {
        await transport.send(mail);
        return;
      }
      const { requestId } = mail.about;
      // The fallback lookup by key (find) relies on this; a key of another shape is a programming error.
      if (requestOfKey(mail.idempotencyKey) !== requestId)
        throw new Error('A mail about a request must have an idempotency key starting with its id');
      await log.begin(mail.idempotencyKey, mail.about, now().toISOString());
      const messageId = await transport.send(mail);
      await log.sent(mail.idempotencyKey, requestId, messageId);
    },
  };
}

// SES's bounce and complaint events, as SES publishes them through a configuration set's SNS destination on AWS and
// as the local SES's mailbox simulator produces them (local/ses.ts): one parser for both, so one code path decides.
// Only what finds the mail is kept: SES's message id, the idempotency key the mail carried, and the time. The
// recipients' addresses in the event are never read.
import * as z from 'zod';

/** A bounce or complaint of one mail, without any address. */
export interface DeliveryEvent {
  state: 'bounced' | 'complained';
  messageId: string;
  /** the X-Idempotency-Key header the mail carried, when SES passed the headers on */
  idempotencyKey?: string;
  /** when SES saw the bounce or complaint */
  at?: string;
}

export type SesNotification =
  | { kind: 'delivery'; event: DeliveryEvent }
  /** an event type this pipeline does not act on (Send, Delivery, DeliveryDelay, ...) */
  | { kind: 'ignored'; eventType: string }
  | { kind: 'malformed' };

const Header = z.object({ name: z.string(), value: z.string() });
const Mail = z.object({
  messageId: z.string().min(1).max(200),
  headers: z.array(Header).optional(),
});
const Timestamp = z.iso.datetime({ offset: true }).optional();
// `eventType` in event publishing, `notificationType` in an identity's own notifications: SES uses both.
const Notification = z
  .object({
    eventType: z.string().optional(),
    notificationType: z.string().optional(),
    mail: Mail,
    bounce: z.object({ timestamp: Timestamp }).optional(),
    complaint: z.object({ timestamp: Timestamp }).optional(),
  })
  .refine((n) => n.eventType !== undefined || n.notificationType !== undefined);

const IDEMPOTENCY_HEADER = 'x-idempotency-key';

/** Reads one SES notification (the parsed JSON of an SNS message, or an EventBridge event's detail). */
export function parseSesNotification(input: unknown): SesNotification {
  const parsed = Notification.safeParse(input);
  if (!parsed.success) return { kind: 'malformed' };
  const n = parsed.data;
  const eventType = n.eventType ?? n.notificationType ?? '';
  const state = eventType === 'Bounce' ? 'bounced' : eventType === 'Complaint' ? 'complained' : undefined;
  if (!state) return { kind: 'ignored', eventType };
  const detail = state === 'bounced' ? n.bounce : n.complaint;
  if (!detail) return { kind: 'malformed' };
  const key = n.mail.headers?.find((h) => h.name.toLowerCase() === IDEMPOTENCY_HEADER)?.value;
  return {
    kind: 'delivery',
    event: {
      state,
      messageId: n.mail.messageId,
      ...(key ? { idempotencyKey: key } : {}),
      ...(detail.timestamp ? { at: new Date(detail.timestamp).toISOString() } : {}),
    },
  };
}

const SnsEvent = z.object({
  Records: z.array(z.object({ Sns: z.object({ Message: z.string() }) })).min(1),
});

/** The notifications of an SNS event delivered to Lambda; a message that is not JSON is malformed. */
export function sesNotificationsOf(event: unknown): SesNotification[] | undefined {
  const parsed = SnsEvent.safeParse(event);
  if (!parsed.success) return undefined;
  return parsed.data.Records.map((r) => {
    try {
      return parseSesNotification(JSON.parse(r.Sns.Message));
    } catch {
      return { kind: 'malformed' } as const;
    }
  });
}

import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { MailTransport } from '../core/sent-messages.ts';

/**
 * Sends mail through SES v2 and answers its message id; the idempotency key travels as a header so receivers can drop
 * repeats, and comes back in SES's bounce and complaint events (core/delivery.ts finds the mail by either).
 */
export function sesMailer(ses: SESv2Client, from: string, configurationSet?: string): MailTransport {
  return {
    async send(mail) {
      const out = await ses.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [mail.to] },
          ConfigurationSetName: configurationSet || undefined,
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: mail.text, Charset: 'UTF-8' },
                Html: { Data: mail.html, Charset: 'UTF-8' },
              },
              Headers: [{ Name: 'X-Idempotency-Key', Value: mail.idempotencyKey }],
            },
          },
        }),
      );
      if (!out.MessageId) throw new Error('SES answered without a message id');
      return out.MessageId;
    },
  };
}

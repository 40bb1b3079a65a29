import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer } from '../core/ports.ts';

/** Sends mail through SES v2; the idempotency key travels as a header so receivers can drop repeats. */
export function sesMailer(ses: SESv2Client, from: string, configurationSet?: string): Mailer {
  return {
    async send(mail) {
      await ses.send(
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
    },
  };
}

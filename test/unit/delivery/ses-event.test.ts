// The one parser of SES's bounce and complaint notifications (P10): what AWS's SNS destination and the local mailbox
// simulator deliver, read alike; anything else is ignored or malformed, never an error that would be retried.
import { describe, expect, it } from 'vitest';
import { parseSesNotification, sesNotificationsOf } from '../../../functions/core/ses-event.ts';
import { simulate } from '../../../local/ses.ts';

const MAIL = {
  timestamp: '2026-03-02T10:00:00.000Z',
  messageId: '0102018e-abc',
  source: 'privacy@jsm.be',
  destination: ['bounce@simulator.amazonses.com'],
  headersTruncated: false,
  headers: [{ name: 'X-Idempotency-Key', value: 'r_0000000000000000000001:code:1' }],
};
const bounce = {
  eventType: 'Bounce',
  bounce: {
    bounceType: 'Permanent',
    bouncedRecipients: [{ emailAddress: 'x@y.z' }],
    timestamp: '2026-03-02T10:00:02.000Z',
  },
  mail: MAIL,
};
const sns = (...messages: string[]) => ({ Records: messages.map((Message) => ({ Sns: { Message } })) });

describe('SES notifications (P10)', () => {
  it('reads a bounce: the message id, the idempotency key it carried and the time, no address', () => {
    // Act
    const n = parseSesNotification(bounce);
    // Assess
    expect(n).toEqual({
      kind: 'delivery',
      event: {
        state: 'bounced',
        messageId: '0102018e-abc',
        idempotencyKey: 'r_0000000000000000000001:code:1',
        at: '2026-03-02T10:00:02.000Z',
      },
    });
    expect(JSON.stringify(n)).not.toContain('@');
  });

  it('reads a complaint, and the notificationType of an identity’s own notifications, headers optional', () => {
    // Act
    const n = parseSesNotification({
      notificationType: 'Complaint',
      complaint: { timestamp: '2026-03-02T10:00:02Z' },
      mail: { messageId: 'm-1' },
    });
    // Assess
    expect(n).toEqual({
      kind: 'delivery',
      event: { state: 'complained', messageId: 'm-1', at: '2026-03-02T10:00:02.000Z' },
    });
  });

  it('reads what the local mailbox simulator produces, so both environments run one code path', () => {
    // Prepare
    const [event] = simulate(
      {
        messageId: 'ses-1',
        from: 'privacy@jsm.be',
        destination: { to: ['complaint@simulator.amazonses.com'], cc: [], bcc: [] },
        subject: 's',
        headers: [{ name: 'X-Idempotency-Key', value: 'r_0000000000000000000001:extended' }],
        at: 1_772_445_600,
      },
      { region: 'eu-west-1', accountId: '000000000000' },
    );
    // Act
    const n = parseSesNotification(event?.detail);
    // Assess
    expect(n).toMatchObject({
      kind: 'delivery',
      event: { state: 'complained', messageId: 'ses-1', idempotencyKey: 'r_0000000000000000000001:extended' },
    });
  });

  it('ignores event types it does not act on', () => {
    // Act / Assess
    expect(parseSesNotification({ eventType: 'Delivery', delivery: {}, mail: MAIL })).toEqual({
      kind: 'ignored',
      eventType: 'Delivery',
    });
  });

  it.each([
    ['null', null],
    ['a string', 'Bounce'],
    ['no event type', { bounce: bounce.bounce, mail: MAIL }],
    ['no mail', { eventType: 'Bounce', bounce: bounce.bounce }],
    ['an empty message id', { ...bounce, mail: { ...MAIL, messageId: '' } }],
    ['a message id that is not a string', { ...bounce, mail: { ...MAIL, messageId: 42 } }],
    ['a bounce without its bounce object', { eventType: 'Bounce', mail: MAIL }],
    ['a bad timestamp', { ...bounce, bounce: { timestamp: 'yesterday' } }],
    ['headers that are not name/value pairs', { ...bounce, mail: { ...MAIL, headers: [{ key: 'a' }] } }],
  ])('calls %s malformed', (_, input) => {
    // Act / Assess
    expect(parseSesNotification(input)).toEqual({ kind: 'malformed' });
  });

  it('reads every record of an SNS event, a message that is not JSON as malformed', () => {
    // Act
    const all = sesNotificationsOf(sns(JSON.stringify(bounce), '{not json'));
    // Assess
    expect(all?.map((n) => n.kind)).toEqual(['delivery', 'malformed']);
  });

  it.each([
    ['an EventBridge event', { 'detail-type': 'Email Bounced', detail: bounce }],
    ['no records', { Records: [] }],
    ['a record without a message', { Records: [{ Sns: {} }] }],
    ['nothing', undefined],
  ])('answers nothing for %s, which is no SNS event', (_, input) => {
    // Act / Assess
    expect(sesNotificationsOf(input)).toBeUndefined();
  });
});

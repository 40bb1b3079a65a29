// Notices are tracked to an acknowledgement; repeats are safe; the sweep re-sends overdue ones (P13).
import { describe, expect, it } from 'vitest';
import {
  deliverNotices,
  type NoticeDelivery,
  notifyRecipients,
  sweepNotices,
} from '../../../functions/core/notifications.ts';
import { memoryAudit, memoryStore } from '../../fixtures/fakes.ts';
import { everyErased, requestRecord } from '../../fixtures/requests.ts';
import { fakeNotifier, memoryNotices } from './fakes.ts';

const EMAIL = 'an.devos@example.be';
let clock = new Date('2026-03-02T10:00:00Z');
const now = () => clock;

function delivery(answers = {}) {
  const store = memoryNotices();
  const notifier = fakeNotifier(answers);
  const d: NoticeDelivery = { store, notifier, recipientsBaseUrl: 'http://127.0.0.1:8008', now };
  return { d, store, notifier };
}

async function erasureRequest() {
  const store = memoryStore();
  await store.create(requestRecord({ id: 'r_0000000000000000000002', systems: everyErased(2) }));
  return store;
}

describe('Notice delivery (P13)', () => {
  it('sends each notice once with its Idempotency-Key to the register URL and records the acknowledgement', async () => {
    // Prepare
    clock = new Date('2026-03-02T10:00:00Z');
    const requests = await erasureRequest();
    const audit = memoryAudit(now);
    const { d, store, notifier } = delivery();
    // Act
    const result = await notifyRecipients(
      { store: requests, audit, delivery: d },
      'r_0000000000000000000002',
    );
    // Assess
    expect(result).toEqual({ notified: 4, acknowledged: 4 });
    expect(notifier.sent.map((s) => s.url).sort()).toEqual([
      'http://127.0.0.1:8008/direct-mailing/notices',
      'http://127.0.0.1:8008/email-marketing/notices',
      'http://127.0.0.1:8008/invoicing/notices',
      'http://127.0.0.1:8008/reorders/notices',
    ]);
    expect(
      notifier.sent.every((s) => s.idempotencyKey === `r_0000000000000000000002:${s.body.recipient}`),
    ).toBe(true);
    for (const n of store.records.values()) {
      expect(n.status).toBe('acknowledged');
      // The body with the address is gone once acknowledged.
      expect(n.payload).toBeUndefined();
    }
    const entry = audit.entries.find((e) => e.action === 'recipients.notified');
    expect(entry?.details).toEqual({
      notices: {
        'direct-mailing': 'acknowledged',
        'email-marketing': 'acknowledged',
        invoicing: 'acknowledged',
        reorders: 'acknowledged',
      },
    });
    expect(JSON.stringify(audit.entries)).not.toContain(EMAIL);
  });

  it('does not send an acknowledged notice again when the step repeats (restart-safe)', async () => {
    // Prepare: a first, acknowledged delivery
    const requests = await erasureRequest();
    const audit = memoryAudit(now);
    const { d, notifier } = delivery();
    await notifyRecipients({ store: requests, audit, delivery: d }, 'r_0000000000000000000002');
    // Act
    const again = await notifyRecipients({ store: requests, audit, delivery: d }, 'r_0000000000000000000002');
    // Assess
    expect(again).toEqual({ notified: 4, acknowledged: 4 });
    expect(notifier.sent).toHaveLength(4);
    expect(audit.entries.filter((e) => e.action === 'recipients.notified')).toHaveLength(1);
  });

  it('keeps an unanswered notice `sent` with its attempts and the last error name, without failing the step', async () => {
    // Prepare: invoicing refuses connections
    const requests = await erasureRequest();
    const { d, store } = delivery({ invoicing: { acknowledged: false, error: 'ECONNREFUSED' } });
    // Act
    const result = await notifyRecipients(
      { store: requests, audit: memoryAudit(now), delivery: d },
      'r_0000000000000000000002',
    );
    // Assess
    expect(result).toEqual({ notified: 4, acknowledged: 3 });
    const invoicing = [...store.records.values()].find((n) => n.recipientId === 'invoicing');
    expect(invoicing).toMatchObject({ status: 'sent', attempts: 1, lastError: 'ECONNREFUSED' });
    expect(invoicing?.payload?.subject.email).toBe(EMAIL);
  });

  it('sweeps: re-sends only notices unacknowledged past the timeout, the same body with the same key', async () => {
    // Prepare: invoicing does not answer at first.
    clock = new Date('2026-03-02T10:00:00Z');
    const requests = await erasureRequest();
    const audit = memoryAudit(now);
    const { d, store, notifier } = delivery({ invoicing: { acknowledged: false, error: 'HTTP503' } });
    await notifyRecipients({ store: requests, audit, delivery: d }, 'r_0000000000000000000002');
    const first = notifier.sent.find((s) => s.body.recipient === 'invoicing');

    // Act: an hour later, below the timeout, nothing is re-sent.
    clock = new Date('2026-03-02T11:00:00Z');
    const early = await sweepNotices({ delivery: d, audit }, { timeoutMinutes: 1440 });
    // Assess
    expect(early).toEqual({ resent: 0, acknowledged: 0, unacknowledged: 0 });

    // Act: a day later it is re-sent; still down, it counts as unacknowledged (the alarm's metric).
    clock = new Date('2026-03-03T10:30:00Z');
    const late = await sweepNotices({ delivery: d, audit }, { timeoutMinutes: 1440 });
    // Assess
    expect(late).toEqual({ resent: 1, acknowledged: 0, unacknowledged: 1 });
    const resent = notifier.sent.at(-1);
    expect(resent?.idempotencyKey).toBe(first?.idempotencyKey);
    expect(resent?.body).toEqual(first?.body);

    // Act: the recipient is back; the next sweep gets the acknowledgement and audits it.
    notifier.answers.invoicing = { acknowledged: true };
    clock = new Date('2026-03-03T11:30:00Z');
    const back = await sweepNotices({ delivery: d, audit }, { timeoutMinutes: 1440 });
    // Assess
    expect(back).toEqual({ resent: 1, acknowledged: 1, unacknowledged: 0 });
    const invoicing = [...store.records.values()].find((n) => n.recipientId === 'invoicing');
    expect(invoicing).toMatchObject({ status: 'acknowledged', attempts: 3 });
    expect(audit.entries.at(-1)).toMatchObject({
      action: 'recipient.acknowledged',
      details: { recipient: 'invoicing', attempts: 3 },
    });
  });

  it('answers nothing sent for an empty plan', async () => {
    // Prepare
    const { d } = delivery();
    // Act
    const result = await deliverNotices(d, { kind: 'request', id: 'r_x' }, []);
    // Assess
    expect(result).toEqual({ notified: 0, acknowledged: 0, sent: [] });
  });
});

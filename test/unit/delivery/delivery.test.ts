// Bounces and complaints in the domain (P10, P9): the logging mailer, how an event marks a request, what staff
// record when they reach the subject, and what the deadline watch and the staff list make of it.
import { describe, expect, it } from 'vitest';
import { attentionOf, classifyDeadline, isWatchedRequest } from '../../../functions/core/deadline-watch.ts';
import { answered, recordDelivery, recordReached } from '../../../functions/core/delivery.ts';
import { RefusedError } from '../../../functions/core/errors.ts';
import type { Mail } from '../../../functions/core/ports.ts';
import type { RequestRecord } from '../../../functions/core/request.ts';
import {
  type LoggedMail,
  loggingMailer,
  type MessageLog,
  requestOfKey,
} from '../../../functions/core/sent-messages.ts';
import { memoryAudit, memoryStore } from '../../fixtures/fakes.ts';
import { everyErased, RECEIVED_AT, requestRecord } from '../../fixtures/requests.ts';

const ID = 'r_0000000000000000000001';
const NOW = new Date('2026-03-03T10:00:00Z');

/** The log as the requests table holds it: entries by request and key, pointers by message id. */
function memoryLog(): MessageLog & { entries: Map<string, LoggedMail & { id?: string; delivery: string }> } {
  const entries = new Map<string, LoggedMail & { id?: string; delivery: string }>();
  const pointers = new Map<string, string>();
  return {
    entries,
    async begin(key, about) {
      if (!entries.has(key))
        entries.set(key, {
          requestId: about.requestId,
          key,
          kind: about.kind,
          to: about.to,
          delivery: 'sent',
        });
    },
    async sent(key, _requestId, messageId) {
      const e = entries.get(key);
      if (e) e.id = messageId;
      pointers.set(messageId, key);
    },
    async find(messageId, key) {
      const e = entries.get(pointers.get(messageId) ?? key ?? '');
      return e && { requestId: e.requestId, key: e.key, kind: e.kind, to: e.to };
    },
    async mark(mail, delivery) {
      const e = entries.get(mail.key);
      if (e) e.delivery = delivery;
    },
    async list() {
      return [];
    },
  };
}

const mail = (about: Mail['about'], idempotencyKey = `${ID}:told:1:subject`): Mail => ({
  to: 'an.devos@example.be',
  subject: 's',
  text: 't',
  html: 'h',
  idempotencyKey,
  about,
});

function setup(record: Partial<RequestRecord> = {}) {
  const audit = memoryAudit();
  const store = memoryStore(audit);
  const messages = memoryLog();
  store.items.set(ID, requestRecord({ id: ID, ...record }));
  return { store, audit, messages, now: () => NOW };
}

describe('Sent-messages log (P10)', () => {
  it('logs a mail about a request under its key before sending, and its SES id after', async () => {
    // Prepare
    const log = memoryLog();
    const seenAtSend: unknown[] = [];
    const transport = {
      async send() {
        seenAtSend.push(structuredClone([...log.entries.values()]));
        return 'ses-1';
      },
    };
    // Act
    await loggingMailer(transport, log, () => NOW).send(
      mail({ requestId: ID, kind: 'outcome', to: 'subject' }),
    );
    // Assess: an event faster than SES's answer already finds the entry
    expect(seenAtSend).toEqual([[expect.objectContaining({ kind: 'outcome', to: 'subject' })]]);
    expect(await log.find('ses-1')).toMatchObject({ requestId: ID, kind: 'outcome' });
  });

  it('does not log staff mail, and refuses a mail about a request whose key does not name it', async () => {
    // Prepare
    const log = memoryLog();
    const sent: Mail[] = [];
    const transport = {
      async send(m: Mail) {
        sent.push(m);
        return 'ses-2';
      },
    };
    const mailer = loggingMailer(transport, log, () => NOW);
    // Act
    await mailer.send(mail('staff', 'run-1:summary'));
    const wrongKey = mailer.send(mail({ requestId: ID, kind: 'code', to: 'subject' }, 'r_other:code:1'));
    // Assess
    await expect(wrongKey).rejects.toThrow(/idempotency key/);
    expect(sent).toHaveLength(1);
    expect(log.entries.size).toBe(0);
    expect(requestOfKey('r_x:code:1')).toBe('r_x');
    expect(requestOfKey('nokey')).toBeUndefined();
  });
});

describe('Bounces and complaints (P10)', () => {
  const about = { requestId: ID, kind: 'outcome', to: 'subject' } as const;
  const key = `${ID}:told:1:subject`;

  it('marks the request, the log entry and the audit trail with kind codes only', async () => {
    // Prepare
    const deps = setup({ status: 'completed', toldAt: RECEIVED_AT.toISOString(), systems: everyErased() });
    await deps.messages.begin(key, about, NOW.toISOString());
    await deps.messages.sent(key, ID, 'ses-1');
    // Act
    const result = await recordDelivery(deps, {
      state: 'bounced',
      messageId: 'ses-1',
      at: NOW.toISOString(),
    });
    // Assess
    const r = deps.store.items.get(ID);
    expect(result).toEqual({ outcome: 'marked', requestId: ID, kind: 'outcome' });
    expect(r?.delivery).toMatchObject({
      state: 'bounced',
      messageKind: 'outcome',
      to: 'subject',
      messageId: 'ses-1',
    });
    expect(deps.messages.entries.get(key)?.delivery).toBe('bounced');
    expect(deps.audit.entries.map((e) => [e.action, e.details])).toEqual([
      ['message.bounced', { messageKind: 'outcome', to: 'subject' }],
    ]);
    expect(r && answered(r)).toBe(false);
  });

  it('finds a mail whose send had not answered yet by the idempotency key it carried', async () => {
    // Prepare: begun, not yet sent
    const deps = setup();
    await deps.messages.begin(key, about, NOW.toISOString());
    // Act
    const result = await recordDelivery(deps, {
      state: 'complained',
      messageId: 'ses-9',
      idempotencyKey: key,
    });
    // Assess
    expect(result.outcome).toBe('marked');
    expect(deps.store.items.get(ID)?.delivery?.at).toBe(NOW.toISOString());
  });

  it('changes nothing for a repeated event, nor for mail about no request', async () => {
    // Prepare
    const deps = setup();
    await deps.messages.begin(key, about, NOW.toISOString());
    await deps.messages.sent(key, ID, 'ses-1');
    await recordDelivery(deps, { state: 'bounced', messageId: 'ses-1' });
    const version = deps.store.items.get(ID)?.version;
    // Act
    const again = await recordDelivery(deps, { state: 'bounced', messageId: 'ses-1' });
    const stranger = await recordDelivery(deps, {
      state: 'bounced',
      messageId: 'ses-unknown',
      idempotencyKey: 'x',
    });
    // Assess
    expect(again.outcome).toBe('repeat');
    expect(stranger).toEqual({ outcome: 'unknown' });
    expect(deps.store.items.get(ID)?.version).toBe(version);
    expect(deps.audit.entries).toHaveLength(1);
  });

  it('answers the request again once staff reached the subject, and a new bounce undoes that', async () => {
    // Prepare
    const deps = setup({ status: 'completed', toldAt: RECEIVED_AT.toISOString() });
    await deps.messages.begin(key, about, NOW.toISOString());
    await deps.messages.sent(key, ID, 'ses-1');
    await recordDelivery(deps, { state: 'bounced', messageId: 'ses-1' });
    // Act
    const reached = await recordReached(deps, ID, 'staff-1', { means: 'letter', note: 'Sent by post' });
    const twice = recordReached(deps, ID, 'staff-1', { means: 'letter' });
    // Assess
    expect(reached).toMatchObject({ answered: true, delivery: { means: 'letter', reachedBy: 'staff-1' } });
    await expect(twice).rejects.toEqual(new RefusedError({ reason: 'nothing_undelivered' }));
    expect(deps.audit.entries.at(-1)).toMatchObject({
      action: 'subject.reached',
      details: { means: 'letter', messageKind: 'outcome' },
    });
    expect(JSON.stringify(deps.audit.entries)).not.toContain('Sent by post');
    // Act: another mail bounces
    await deps.messages.begin(`${ID}:interim:x`, { ...about, kind: 'interim' }, NOW.toISOString());
    await deps.messages.sent(`${ID}:interim:x`, ID, 'ses-2');
    await recordDelivery(deps, { state: 'bounced', messageId: 'ses-2' });
    // Assess
    const r = deps.store.items.get(ID);
    expect(r?.delivery).toMatchObject({ messageKind: 'interim' });
    expect(r?.delivery?.reachedAt).toBeUndefined();
  });

  it('refuses to record reaching a subject of a request that does not exist', async () => {
    // Act / Assess
    await expect(
      recordReached(setup(), 'r_nosuchrequest000000000', 'staff-1', { means: 'phone' }),
    ).rejects.toEqual(new RefusedError({ reason: 'request_not_found' }));
  });
});

describe('Deadline watch of an undelivered answer (P10, P9)', () => {
  const bounced: NonNullable<RequestRecord['delivery']> = {
    state: 'bounced',
    at: NOW.toISOString(),
    messageKind: 'outcome',
    to: 'subject',
    messageId: 'ses-1',
    seen: ['bounced:ses-1'],
  };
  const completed = requestRecord({
    status: 'completed',
    toldAt: RECEIVED_AT.toISOString(),
    closedAt: RECEIVED_AT.toISOString(),
    systems: everyErased(),
    dueAt: '2026-04-01T21:59:59.999Z',
  });

  it('keeps a completed request whose answer bounced watched, needing staff, flagged undeliverable, with no interim mail', () => {
    // Prepare
    const r = { ...completed, delivery: bounced };
    // Act
    const state = classifyDeadline(r, new Date('2026-04-02T10:00:00Z'), [5]);
    // Assess
    expect(isWatchedRequest(r)).toBe(true);
    expect(attentionOf(r, NOW)).toBe('undeliverable');
    expect(state).toMatchObject({
      needsAction: true,
      overdue: true,
      interimDue: false,
      reminder: { step: 'overdue' },
    });
  });

  it('lets it go once staff reached the subject, and never watches a request nobody verified', () => {
    // Prepare
    const reached = { ...completed, delivery: { ...bounced, reachedAt: NOW.toISOString() } };
    const unverified = requestRecord({
      status: 'awaiting_verification',
      delivery: { ...bounced, messageKind: 'code' },
    });
    // Assess
    expect(isWatchedRequest(reached)).toBe(false);
    expect(attentionOf(reached, NOW)).toBeUndefined();
    expect(answered(reached)).toBe(true);
    expect(isWatchedRequest(unverified)).toBe(false);
    expect(attentionOf(unverified, NOW)).toBe('undeliverable');
  });
});

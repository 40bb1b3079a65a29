import { beforeEach, describe, expect, it } from 'vitest';
import { fileRequest, requestStatus, verifyRequest } from '../../../functions/core/intake.ts';
import { resendCode } from '../../../functions/core/resend-code.ts';
import { fakeDeps } from '../../fixtures/fakes.ts';
import { refused } from '../../fixtures/problems.ts';

const deps = () => fakeDeps({ perAddress: 3, perSource: 10, windowSeconds: 3600 });

const codeFrom = (text: string) => /(\d{8})/.exec(text)?.[1] ?? '';

/** The problem the API answers for a domain refusal (status, type slug, detail). */
const rejects = refused;

describe('Intake: filing and verifying a request (P4, P8, P9)', () => {
  let d: ReturnType<typeof deps>;
  beforeEach(() => {
    d = deps();
  });

  it('files an erasure, e-mails an 8-digit code in the chosen language and stores only its HMAC', async () => {
    // Prepare: fresh fakes (beforeEach)
    // Act
    const res = await fileRequest(
      d,
      { type: 'erasure', email: 'luc.martens@example.be', language: 'fr' },
      '10.0.0.1',
    );
    // Assess
    expect(res.status).toBe('awaiting_verification');
    const mail = d.mailer.sent[0]!;
    expect(mail.to).toBe('luc.martens@example.be');
    expect(mail.subject).toBe('Votre code de confirmation');
    const code = codeFrom(mail.text);
    expect(code).toMatch(/^\d{8}$/);
    const stored = d.store.items.get(res.id)!;
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(stored.dueAt).toBe(res.dueAt);
  });

  it('answers the same way for any address: nothing about the subject is looked up', async () => {
    // Prepare: a known customer's address and an unknown one
    // Act
    const a = await fileRequest(d, { type: 'erasure', email: 'an.devos@example.be' }, '10.0.0.1');
    const b = await fileRequest(d, { type: 'erasure', email: 'nobody@example.org' }, '10.0.0.1');
    // Assess
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(a.status).toBe(b.status);
    expect(a.dueAt).toBe(b.dueAt);
  });

  it.each([
    ['an objection to direct marketing (P6, Art. 21(3))', ['direct_marketing'], 'in_progress'],
    ['a withdrawal of the profiling consent (P6, Art. 7(3))', ['profiling'], 'in_progress'],
    ['both together (P6, Art. 21(3), Art. 7(3))', ['direct_marketing', 'profiling'], 'in_progress'],
    [
      'an objection to processing on legitimate interest (P6, Art. 21(1))',
      ['legitimate_interest'],
      'awaiting_approval',
    ],
  ] as const)('after verifying %s goes to %s', async (_, scope, status) => {
    // Prepare: an objection with this scope
    const filed = await fileRequest(
      d,
      { type: 'objection', email: 'a@example.be', scope: [...scope] },
      '10.0.0.1',
    );
    const code = codeFrom(d.mailer.sent.at(-1)!.text);
    // Act
    const verified = await verifyRequest(d, filed.id, code);
    // Assess: only the Art. 21(1) objection waits for staff to weigh it
    expect(verified.status).toBe(status);
  });

  it('confirms a new address with a code sent to it before anything acts (P2)', async () => {
    // Prepare
    const { id } = await fileRequest(
      d,
      { type: 'rectification', email: 'old@example.be', changes: { email: 'new@example.be' } },
      '10.0.0.1',
    );
    // Act: the first code
    const first = await verifyRequest(d, id, codeFrom(d.mailer.sent.at(-1)!.text));
    // Assess
    expect(first).toMatchObject({ status: 'awaiting_verification', confirmNewEmail: true });
    expect(d.workflow.started).toEqual([]);
    const toNew = d.mailer.sent.at(-1)!;
    expect(toNew.to).toBe('new@example.be');
    // Act: the code sent to the new address
    const second = await verifyRequest(d, id, codeFrom(toNew.text));
    // Assess
    expect(second.status).toBe('awaiting_approval');
    expect(second.statusToken).toBe(first.statusToken);
    expect(d.workflow.started).toEqual([`${id}#1`]);
  });

  it('keeps the kind of request and the organisation a subject named, unconfirmed until the verify (P7, Art. 20(2))', async () => {
    // Prepare: a portability request naming an organisation
    // Act
    const { id } = await fileRequest(
      d,
      {
        type: 'portability',
        email: 'a@example.be',
        recipient: { organisation: 'Other Telecom NV', email: 'dpo@other.example' },
      },
      '10.0.0.1',
    );
    // Assess: named, not confirmed: the form cannot confirm a transfer
    const stored = d.store.items.get(id)!;
    expect(stored.exportPurpose).toBe('portability');
    expect(stored.recipient).toEqual({ organisation: 'Other Telecom NV', email: 'dpo@other.example' });
  });

  it('limits requests per address from one source, and a stranger using it up locks no one out (P8, Art. 12(2))', async () => {
    // Prepare: a stranger files the three requests the limit allows for the address, from one source
    for (let i = 0; i < 3; i++) await fileRequest(d, { type: 'erasure', email: 'a@example.be' }, '10.6.6.6');
    // Act: a fourth from that source, then the subject from her own
    const e = await rejects(fileRequest(d, { type: 'erasure', email: 'a@example.be' }, '10.6.6.6'));
    const own = await fileRequest(d, { type: 'erasure', email: 'a@example.be' }, '10.0.0.1');
    // Assess: the stranger is refused, the subject is not
    expect(e.status).toBe(429);
    expect(own.status).toBe('awaiting_verification');
    expect(d.store.items.size).toBe(4);
  });

  it('counts a refused filing once: refused by its source, no address counter moves (P8)', async () => {
    // Prepare: a source that used up its ten filings
    for (let i = 0; i < 10; i++)
      await fileRequest(d, { type: 'erasure', email: `x${i}@example.be` }, '10.0.0.7');
    const counted = () => [...d.limiter.hits.values()].reduce((a, b) => a + b, 0);
    const before = counted();
    // Act: three more from there
    for (let i = 0; i < 3; i++)
      await rejects(fileRequest(d, { type: 'erasure', email: 'a@example.be' }, '10.0.0.7'));
    // Assess: refused, and no counter moved
    expect(counted()).toBe(before);
  });

  it('answers a repeated verify only within the code limits: wrong codes counted, an old code refused (P8, Art. 32)', async () => {
    // Prepare: a verified request
    const { id } = await fileRequest(d, { type: 'erasure', email: 'a@example.be' }, '10.0.0.1');
    const code = codeFrom(d.mailer.sent[0]!.text);
    await verifyRequest(d, id, code);
    // Act: five wrong codes, then the right one; and on another request the right one a day later
    const wrong = [];
    for (let i = 0; i < 5; i++) wrong.push((await rejects(verifyRequest(d, id, '00000000'))).status);
    const locked = await rejects(verifyRequest(d, id, code));
    const { id: other } = await fileRequest(d, { type: 'erasure', email: 'b@example.be' }, '10.0.0.1');
    const otherCode = codeFrom(d.mailer.sent.at(-1)!.text);
    await verifyRequest(d, other, otherCode);
    d.advance(86_400_000);
    const late = await rejects(verifyRequest(d, other, otherCode));
    // Assess: refused every time, and both requests stay verified
    expect(wrong).toEqual([400, 400, 400, 400, 400]);
    expect(locked.status).toBe(400);
    expect(late.status).toBe(400);
    expect(d.store.items.get(id)!.status).toBe('awaiting_approval');
    expect(d.store.items.get(other)!.status).toBe('awaiting_approval');
  });

  it('starts the workflow once on the right code and returns a status token', async () => {
    // Prepare
    const { id } = await fileRequest(d, { type: 'erasure', email: 'a@example.be' }, '10.0.0.1');
    const code = codeFrom(d.mailer.sent[0]!.text);
    // Act
    const first = await verifyRequest(d, id, code);
    const again = await verifyRequest(d, id, code);
    // Assess
    expect(first.status).toBe('awaiting_approval');
    expect(again.statusToken).toBe(first.statusToken);
    expect(d.workflow.started).toEqual([`${id}#1`]);
    const view = await requestStatus(d, id, first.statusToken);
    expect(view.status).toBe('awaiting_approval');
    expect(JSON.stringify(view)).not.toContain('a@example.be');
  });

  it('rejects the request on the fifth wrong code and tells the subject, with the right to go to court', async () => {
    // Prepare
    const { id } = await fileRequest(
      d,
      { type: 'erasure', email: 'a@example.be', language: 'en' },
      '10.0.0.1',
    );
    const code = codeFrom(d.mailer.sent[0]!.text);
    const wrong = code === '00000000' ? '11111111' : '00000000';
    // Act: four wrong codes, then the fifth, then the right one
    const four = [];
    for (let i = 1; i <= 4; i++) four.push(await rejects(verifyRequest(d, id, wrong)));
    const fifth = await rejects(verifyRequest(d, id, wrong));
    const right = await rejects(verifyRequest(d, id, code));
    // Assess
    four.forEach((e, i) => {
      expect(e.type).toBe('invalid-code');
      expect(e.extra).toEqual({ attemptsLeft: 4 - i });
    });
    expect(fifth.type).toBe('verification-failed');
    expect(d.store.items.get(id)?.status).toBe('rejected');
    expect(d.store.items.get(id)?.rejection?.reason).toBe('verification_failed');
    // Even the right code does nothing now.
    expect(right.status).toBe(409);
    expect(d.workflow.started).toEqual([]);
    const refusal = d.mailer.sent.at(-1)!;
    expect(refusal.text).toContain('Data Protection Authority');
    expect(refusal.text).toContain('court');
  });

  it('refuses an expired code', async () => {
    // Prepare
    const { id } = await fileRequest(d, { type: 'erasure', email: 'a@example.be' }, '10.0.0.1');
    d.advance(16 * 60_000);
    // Act
    const e = await rejects(verifyRequest(d, id, codeFrom(d.mailer.sent[0]!.text)));
    // Assess
    expect(e.type).toBe('code-expired');
  });

  it('resends a new code that replaces the old one, at most three codes per request', async () => {
    // Prepare
    const { id } = await fileRequest(d, { type: 'erasure', email: 'a@example.be' }, '10.0.0.1');
    const old = codeFrom(d.mailer.sent[0]!.text);
    // Act: two resends (three codes in all), a third resend, then the old and the last code
    await resendCode(d, id, '10.0.0.1');
    const fresh = codeFrom(d.mailer.sent[1]!.text);
    const oldAfterResend = old !== fresh ? await rejects(verifyRequest(d, id, old)) : undefined;
    await resendCode(d, id, '10.0.0.1');
    const third = await rejects(resendCode(d, id, '10.0.0.1'));
    const verified = await verifyRequest(d, id, codeFrom(d.mailer.sent[2]!.text));
    // Assess
    if (oldAfterResend) expect(oldAfterResend.type).toBe('invalid-code');
    expect(third.type).toBe('too-many-codes');
    expect(verified.status).toBe('awaiting_approval');
  });

  it('refuses a wrong status token without revealing whether the request exists', async () => {
    // Prepare
    const { id } = await fileRequest(d, { type: 'erasure', email: 'a@example.be' }, '10.0.0.1');
    // Act: a known id and an unknown one
    const known = await rejects(requestStatus(d, id, 'nope'));
    const unknown = await rejects(requestStatus(d, 'r_0000000000000000000000', 'nope'));
    // Assess
    expect(known.status).toBe(401);
    expect(unknown.status).toBe(401);
  });

  it('writes an audit entry with a pseudonymous subject id, never the address', async () => {
    // Prepare: fresh fakes (beforeEach)
    // Act
    await fileRequest(d, { type: 'erasure', email: 'an.devos@example.be' }, '10.0.0.1');
    // Assess
    expect(d.audit.entries[0]?.action).toBe('request.received');
    expect(JSON.stringify(d.audit.entries)).not.toContain('devos');
  });
});

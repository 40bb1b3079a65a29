// A transfer to another organisation (P7, Art. 20(2)): the code mail names the organisation, and the subject
// confirms the transfer as part of verifying; a verify without that confirmation changes nothing.
import { beforeEach, describe, expect, it } from 'vitest';
import { fileRequest, verifyRequest } from '../../../functions/core/intake.ts';
import { LANGUAGES } from '../../../functions/core/messages/index.ts';
import { resendCode } from '../../../functions/core/resend-code.ts';
import type { Language } from '../../../functions/core/schemas.ts';
import { fakeDeps } from '../../fixtures/fakes.ts';
import { refused } from '../../fixtures/problems.ts';

const ORG = { organisation: 'Nieuwe Telecom NV', email: 'dpo@nieuwetelecom.example' };
const CHECK = {
  nl: 'Kijk na of dat de organisatie',
  fr: "Vérifiez qu'il s'agit bien",
  en: 'Please check that',
};
const codeFrom = (text: string) => /(\d{8})/.exec(text)?.[1] ?? '';

describe('Transfer to another organisation (P7, Art. 20(2))', () => {
  let d: ReturnType<typeof fakeDeps>;
  beforeEach(() => {
    d = fakeDeps();
  });

  const fileTransfer = async (language?: Language) => {
    const { id } = await fileRequest(
      d,
      {
        type: 'portability',
        email: 'an.devos@example.be',
        recipient: ORG,
        ...(language ? { language } : {}),
      },
      '10.0.0.1',
    );
    return { id, code: codeFrom(d.mailer.sent.at(-1)?.text ?? '') };
  };

  it.each(LANGUAGES)('names the organisation and its address in the code mail (%s)', async (lang) => {
    // Prepare: nothing filed yet
    // Act: file a transfer in this language
    await fileTransfer(lang);

    // Assess: the code mail names where the data is to go, and asks her to check it, in her language
    const mail = d.mailer.sent.at(-1);
    expect(mail?.to).toBe('an.devos@example.be');
    expect(mail?.text).toContain(`${ORG.organisation} (${ORG.email})`);
    expect(mail?.text).toContain(CHECK[lang]);
    expect(mail?.html).toContain(ORG.organisation);
  });

  it('names the organisation in all three languages when the form named none, and again in a resent code', async () => {
    // Prepare: a transfer filed without a language
    const { id } = await fileTransfer();

    // Act: ask for a new code
    await resendCode(d, id, '10.0.0.1');

    // Assess: both code mails name the organisation in nl, fr and en
    const [first, resent] = d.mailer.sent;
    for (const mail of [first, resent]) {
      for (const lang of LANGUAGES) expect(mail?.text).toContain(CHECK[lang]);
      expect(mail?.text.split(ORG.organisation)).toHaveLength(4);
    }
  });

  it('names no organisation in the code mail of a portability request to the subject herself', async () => {
    // Prepare, Act: a portability request without a recipient
    await fileRequest(d, { type: 'portability', email: 'an.devos@example.be', language: 'en' }, '10.0.0.1');

    // Assess
    expect(d.mailer.sent.at(-1)?.text).not.toContain(CHECK.en);
  });

  it.each([
    ['without confirmTransfer', {}],
    ['with confirmTransfer: false', { confirmTransfer: false }],
  ])('refuses the right code %s with a 422 problem, and nothing changes', async (_, confirm) => {
    // Prepare: a filed transfer and the record as stored
    const { id, code } = await fileTransfer('nl');
    const before = structuredClone(d.store.items.get(id));
    const audited = d.audit.entries.length;

    // Act: verify with the right code, without confirming the transfer
    const problem = await refused(verifyRequest(d, id, code, confirm));

    // Assess: 422 transfer-not-confirmed; the record, the audit trail and the workflow untouched
    expect(problem).toMatchObject({ status: 422, type: 'transfer-not-confirmed' });
    expect(problem.detail).not.toContain(ORG.organisation);
    expect(d.store.items.get(id)).toEqual(before);
    expect(d.audit.entries).toHaveLength(audited);
    expect(d.workflow.started).toEqual([]);
  });

  it('verifies with confirmTransfer: the confirmation is dated and audited, and the workflow starts once', async () => {
    // Prepare: a transfer first verified without the confirmation
    const { id, code } = await fileTransfer('fr');
    await refused(verifyRequest(d, id, code));

    // Act: verify again, confirming the transfer
    const verified = await verifyRequest(d, id, code, { confirmTransfer: true });

    // Assess: on to staff; the organisation confirmed now, as the audit trail says (without naming it)
    expect(verified.status).toBe('awaiting_approval');
    const stored = d.store.items.get(id);
    expect(stored?.recipient).toEqual({ ...ORG, confirmedAt: d.now().toISOString() });
    const entry = d.audit.entries.find((e) => e.action === 'request.verified');
    expect(entry?.details).toEqual({ status: 'awaiting_approval', transferConfirmed: true });
    expect(JSON.stringify(d.audit.entries)).not.toContain(ORG.organisation);
    expect(d.workflow.started).toEqual([`${id}#1`]);
  });

  it('counts a wrong code sent with the confirmation like any wrong code', async () => {
    // Prepare
    const { id, code } = await fileTransfer('en');
    const wrong = code === '00000000' ? '11111111' : '00000000';

    // Act
    const problem = await refused(verifyRequest(d, id, wrong, { confirmTransfer: true }));

    // Assess: a wrong code, one attempt used, nothing confirmed
    expect(problem).toMatchObject({ type: 'invalid-code', extra: { attemptsLeft: 4 } });
    expect(d.store.items.get(id)?.recipient?.confirmedAt).toBeUndefined();
  });

  it('verifies a request without a transfer as before, with no confirmation asked', async () => {
    // Prepare
    const { id } = await fileRequest(d, { type: 'portability', email: 'a@example.be' }, '10.0.0.1');

    // Act
    const verified = await verifyRequest(d, id, codeFrom(d.mailer.sent.at(-1)?.text ?? ''));

    // Assess
    expect(verified.status).toBe('awaiting_approval');
    expect(d.store.items.get(id)?.recipient).toBeUndefined();
  });
});

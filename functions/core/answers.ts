// Where a request's answers go (P4, P12): the one decision point. Every answer the pipeline sends (acknowledgement,
// outcome, refusal, extension notice, interim answer) is a mail about the subject of one of those kinds; this mailer
// sends it to the
// requester: the representative where one acts for the subject, otherwise the subject; by e-mail where an address
// is known, otherwise as a printable letter kept in the letter store. Any other mail passes through unchanged.
import { createHash } from 'node:crypto';
import { LETTER_KINDS, type LetterKind } from './authority.ts';
import { letterHtml } from './messages/index.ts';
import type { LetterStore, Mail, Mailer, RequestStore } from './ports.ts';
import type { RequestRecord } from './request.ts';

/** The requester's contact: the representative's own (P12), or the subject's. */
function requester(r: RequestRecord) {
  const rep = r.representative;
  if (rep) return { name: rep.name, email: rep.email, postalAddress: rep.postalAddress };
  return { name: undefined, email: r.email || undefined, postalAddress: r.postalAddress };
}

/** How the requester is answered: by e-mail when their address is known, otherwise by letter. */
export const answerBy = (r: RequestRecord): 'email' | 'letter' => {
  const to = requester(r);
  if (to.email) return 'email';
  if (to.postalAddress) return 'letter';
  // An erasure done blanks the address it was answered at: the letters kept say how it went.
  return r.letters?.length ? 'letter' : 'email';
};

/** Whether anyone can be answered at all: an erasure done blanks the subject's address, and a letter needs one. */
export const canAnswer = (r: RequestRecord) => {
  const to = requester(r);
  return Boolean(to.email || to.postalAddress);
};

/** What staff see of how a request is answered: no name, no address (P15). */
export const answerView = (r: RequestRecord) => ({
  answerBy: answerBy(r),
  ...(r.representative
    ? {
        representation: {
          relation: r.representative.relation,
          ...(r.manualCheck?.checkedAt
            ? { checkedAt: r.manualCheck.checkedAt, method: r.manualCheck.method }
            : {}),
        },
      }
    : {}),
  ...(r.letters?.length ? { letters: r.letters } : {}),
  // Whether staff still owe the identity/authority check, so the console offers it only then.
  ...(r.manualCheck ? { check: { of: r.manualCheck.of, pending: !r.manualCheck.checkedAt } } : {}),
});

const isLetterKind = (kind: string): kind is LetterKind => (LETTER_KINDS as readonly string[]).includes(kind);

/** A letter's id, from the mail's idempotency key: a repeated answer is the same letter, stored once. */
export const letterId = (idempotencyKey: string) =>
  `l_${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 22)}`;

export interface AnswerDeps {
  mailer: Mailer;
  letters: LetterStore;
  store: RequestStore;
  /** the print style sheet's URL, read only when a letter is printed */
  stylesheet: () => string;
  now: () => Date;
}

/** A mailer that routes each answer to its requester, by e-mail or as a printable letter. */
export function answerMailer(deps: AnswerDeps): Mailer {
  return {
    async send(mail: Mail) {
      const about = mail.about;
      if (about === 'staff' || about.to !== 'subject' || !isLetterKind(about.kind))
        return deps.mailer.send(mail);
      const r = await deps.store.get(about.requestId);
      if (!r) throw new Error(`Request ${about.requestId} not found`);
      const to = requester(r);
      // A subject's own mail keeps its address: after a rectification the outcome goes to the confirmed new one.
      const email = r.representative ? to.email : mail.to || to.email;
      if (email)
        return deps.mailer.send({
          ...mail,
          to: email,
          about: { ...about, to: r.representative ? 'requester' : 'subject' },
        });
      if (!to.postalAddress) throw new Error(`Request ${r.id} has no address to answer`);
      await printLetter(deps, r, mail, about.kind, [
        ...(to.name ? [to.name] : []),
        ...to.postalAddress.split('\n'),
      ]);
    },
  };
}

async function printLetter(
  deps: AnswerDeps,
  r: RequestRecord,
  mail: Mail,
  kind: LetterKind,
  address: string[],
) {
  const id = letterId(mail.idempotencyKey);
  const at = deps.now().toISOString();
  const html = letterHtml(r.language, mail, {
    requestId: r.id,
    to: address,
    at,
    stylesheet: deps.stylesheet(),
  });
  await deps.letters.put({ requestId: r.id, id, kind, at, language: r.language, html });
  await deps.store.update(r.id, (cur) =>
    cur.letters?.some((l) => l.id === id)
      ? undefined
      : { ...cur, letters: [...(cur.letters ?? []), { id, kind, at }] },
  );
}

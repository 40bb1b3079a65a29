// Other people's data in what we hand a subject: names, numbers and addresses of others in free text are
// removed from an access copy (GDPR Art. 15(4)); numbers called are masked in a portability file (Art. 20(4)).
// Heuristic by design: it removes too much rather than too little, and keeps what is the subject's own.

/** What identifies the subject in one system, gathered from the records that hold their address. */
export interface OwnIdentity {
  /** lower-case name tokens (first and last names, parts of full names) */
  names: Set<string>;
  /** numbers as bare digits, last 9 (so +32 470 12 34 56 and 0470 12 34 56 match) */
  phones: Set<string>;
  /** lower-case addresses */
  emails: Set<string>;
}

export const REDACTED = {
  name: '[name removed]',
  phone: '[number removed]',
  email: '[e-mail removed]',
} as const;

const NAME_ATTRIBUTES = ['firstName', 'lastName', 'name', 'holder'];
const PHONE_ATTRIBUTES = ['phone', 'callingNumber'];
const EMAIL_ATTRIBUTES = ['email', 'username'];

/** Collects the subject's own names, numbers and addresses from records known to be theirs. */
export function ownIdentity(items: Record<string, unknown>[], emails: string[] = []): OwnIdentity {
  const own: OwnIdentity = { names: new Set(), phones: new Set(), emails: new Set() };
  for (const email of emails) own.emails.add(email.trim().toLowerCase());
  for (const item of items) {
    for (const a of NAME_ATTRIBUTES) {
      if (typeof item[a] === 'string') for (const t of nameTokens(item[a] as string)) own.names.add(t);
    }
    for (const a of PHONE_ATTRIBUTES)
      if (typeof item[a] === 'string') own.phones.add(phoneKey(item[a] as string));
    for (const a of EMAIL_ATTRIBUTES) {
      const v = item[a];
      if (typeof v === 'string' && v.includes('@')) own.emails.add(v.trim().toLowerCase());
    }
  }
  return own;
}

const nameTokens = (s: string) =>
  s
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((t) => t.length > 0);

/** The digits of a number that decide whether two spellings are the same line. */
export const phoneKey = (s: string) => s.replace(/\D/g, '').slice(-9);

const EMAIL = /[\p{L}0-9._%+-]+@[\p{L}0-9.-]+\.[\p{L}]{2,}/gu;
// International (+32, 0032) or national (0...) numbers with usual separators; dates and amounts do not start so.
const PHONE = /(?<![\w+])(?:(?:\+|00)\d{1,3}|0)[\d\s./()-]{6,}\d/g;
const UPPER_WORD = "\\p{Lu}[\\p{Ll}'’]+(?:-\\p{Lu}?[\\p{Ll}'’]+)*";
const PARTICLES = "(?:van|de|der|den|ten|ter|le|la|du|da|di|von|el|al|d’|d')";
const PARTICLE = new RegExp(`^${PARTICLES}$`, 'u');
// Two or more capitalised words (particles allowed between them): "Tom Claes", "Els Vandamme", "Jan van der Berg".
const NAME_RUN = new RegExp(`${UPPER_WORD}(?:\\s+(?:${PARTICLES}\\s+)*${UPPER_WORD})+`, 'gu');
// A title before one or more capitalised words: "Mevr. Devos", "Dhr. Peeters", "Mme Dubois".
const TITLED = new RegExp(
  `\\b(Mevr\\.?|Mevrouw|Dhr\\.?|Meneer|Mijnheer|Mr\\.?|Mrs\\.?|Ms\\.?|Mme\\.?|Madame|Monsieur|M\\.)(\\s+)(${UPPER_WORD}(?:\\s+${UPPER_WORD})*)`,
  'gu',
);

/** Removes other people's e-mail addresses, numbers and names from free text; the subject's own stay. */
export function redactFreeText(text: string, own: OwnIdentity): { text: string; redactions: number } {
  let redactions = 0;
  const isOwnName = (run: string) =>
    nameTokens(run)
      .filter((t) => !PARTICLE.test(t))
      .every((t) => own.names.has(t));

  let out = text.replace(EMAIL, (m) => {
    if (own.emails.has(m.toLowerCase())) return m;
    redactions++;
    return REDACTED.email;
  });
  out = out.replace(PHONE, (m) => {
    const digits = m.replace(/\D/g, '');
    if (digits.length < 9 || digits.length > 15 || own.phones.has(phoneKey(m))) return m;
    redactions++;
    return REDACTED.phone;
  });
  out = out.replace(TITLED, (m, title: string, space: string, name: string) => {
    if (isOwnName(name)) return m;
    redactions++;
    return `${title}${space}${REDACTED.name}`;
  });
  out = out.replace(NAME_RUN, (run: string, offset: number, whole: string) => {
    if (run.startsWith('[')) return run;
    // A sentence's first word is capitalised anyway: "Buurvrouw Els Vandamme" keeps "Buurvrouw".
    const before = whole.slice(0, offset);
    const sentenceStart = /(^|[.!?:;]\s*|\n\s*)$/.test(before);
    const words = run.split(/\s+/);
    if (sentenceStart && words.length >= 3) {
      const first = words[0] as string;
      const rest = run.slice(first.length).trimStart();
      if (isOwnName(rest)) return run;
      redactions++;
      return `${first} ${REDACTED.name}`;
    }
    if (isOwnName(run)) return run;
    redactions++;
    return REDACTED.name;
  });
  return { text: out, redactions };
}

/** A number someone else holds, masked but for its last two digits (Art. 20(4)): `+32479880011` → `*********11`. */
export function maskNumber(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length <= 2) return '*'.repeat(digits.length);
  return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}

// Every message to a subject, in Dutch, French and English (P18), as text and HTML. Every answer names the
// complaint authority (P10) and the company's privacy contact; a refusal also names the right to go to court.
import type { Language, Outcome, RejectionReason, RequestType, SystemName } from './schemas.ts';

export interface Message {
  subject: string;
  text: string;
  html: string;
}

const COMPANY = 'JSM BV, Engelse Wandeling 2 F8V, 8500 Kortrijk, info@jsm.be';

/** The words of every message, per language; other message modules build on them. */
export const T = {
  nl: {
    greeting: 'Beste klant,',
    closing: 'Met vriendelijke groeten,\nHet privacyteam van JSM',
    contact: `Vragen over uw gegevens? Neem contact op met ons privacyteam: ${COMPANY}.`,
    complaint:
      'U hebt het recht een klacht in te dienen bij de Gegevensbeschermingsautoriteit, Drukpersstraat 35, 1000 Brussel, +32 2 274 48 00, contact@apd-gba.be, of bij de toezichthoudende autoriteit van het EU-land waar u woont, werkt of waar de inbreuk plaatsvond.',
    court: 'U kunt zich ook tot de rechter wenden (artikel 79 AVG).',
    types: {
      access: 'inzage',
      portability: 'overdracht van gegevens',
      rectification: 'correctie',
      erasure: 'verwijdering',
      objection: 'bezwaar',
    } satisfies Record<RequestType, string>,
    codeSubject: 'Uw bevestigingscode',
    codeBody: (type: string, code: string) =>
      `We ontvingen een verzoek tot ${type} voor dit e-mailadres. Uw bevestigingscode is: ${code}\n\nDe code is 15 minuten geldig. Hebt u dit verzoek niet ingediend? Dan hoeft u niets te doen; zonder de code gebeurt er niets.`,
    doneSubject: (type: string) => `Uw verzoek tot ${type} is uitgevoerd`,
    erasedIntro: 'We hebben uw verzoek tot verwijdering uitgevoerd. Dit is wat er in elk systeem gebeurde:',
    erased: (list: string) => `verwijderd: ${list}`,
    retained: (n: number, cat: string, ground: string, until: string, kept: string) =>
      `${n} gegeven(s) bewaard (${cat}) op grond van ${ground}, tot ${until}. Bewaard: ${kept}. Deze gegevens zijn afgeschermd en worden enkel nog voor die verplichting gebruikt; daarna worden ze gewist.`,
    rectifiedIntro:
      'We hebben uw gegevens verbeterd. Dit is wat er in elk systeem gebeurde; de ontvangers van uw gegevens hebben we op de hoogte gebracht:',
    objectionIntro:
      'We hebben uw bezwaar uitgevoerd. Dit is wat er in elk systeem gebeurde; onze verwerkers kregen de opdracht te stoppen:',
    rectified: (fields: string) => `aangepast: ${fields}`,
    withdrawn: (purposes: string) => `toestemming ingetrokken voor: ${purposes}`,
    suppressed: (lists: string) =>
      `op onze uitsluitingslijst gezet voor: ${lists}; een latere import voegt u daar niet opnieuw aan toe`,
    notFound: 'geen gegevens over u',
    skipped: (reason: string) => `niets gedaan (${reason})`,
    rejectedSubject: (type: string) => `Uw verzoek tot ${type} werd niet uitgevoerd`,
    rejected: {
      verification_failed:
        'De bevestigingscode werd te vaak verkeerd ingegeven. Om uw gegevens te beschermen hebben we het verzoek afgesloten. U kunt altijd een nieuw verzoek indienen.',
      identity_not_established:
        'We konden niet vaststellen dat het verzoek van u of van een gemachtigde komt.',
      manifestly_unfounded: 'Het verzoek is kennelijk ongegrond.',
      excessive: 'Het verzoek is buitensporig, met name door zijn herhalend karakter.',
      other: 'We konden uw verzoek niet uitvoeren.',
    } satisfies Record<RejectionReason, string>,
  },
  fr: {
    greeting: 'Chère cliente, cher client,',
    closing: "Meilleures salutations,\nL'équipe vie privée de JSM",
    contact: `Des questions sur vos données ? Contactez notre équipe vie privée : ${COMPANY}.`,
    complaint:
      "Vous avez le droit d'introduire une réclamation auprès de l'Autorité de protection des données, Rue de la Presse 35, 1000 Bruxelles, +32 2 274 48 00, contact@apd-gba.be, ou auprès de l'autorité de contrôle du pays de l'UE où vous résidez, travaillez ou où la violation a eu lieu.",
    court: 'Vous pouvez également saisir la justice (article 79 du RGPD).',
    types: {
      access: "d'accès",
      portability: 'de portabilité',
      rectification: 'de rectification',
      erasure: "d'effacement",
      objection: "d'opposition",
    } satisfies Record<RequestType, string>,
    codeSubject: 'Votre code de confirmation',
    codeBody: (type: string, code: string) =>
      `Nous avons reçu une demande ${type} pour cette adresse e-mail. Votre code de confirmation est : ${code}\n\nLe code est valable 15 minutes. Vous n'avez pas fait cette demande ? Vous n'avez rien à faire ; sans le code, rien ne se passe.`,
    doneSubject: (type: string) => `Votre demande ${type} a été exécutée`,
    erasedIntro:
      "Nous avons exécuté votre demande d'effacement. Voici ce qui a été fait dans chaque système :",
    erased: (list: string) => `effacé : ${list}`,
    retained: (n: number, cat: string, ground: string, until: string, kept: string) =>
      `${n} donnée(s) conservée(s) (${cat}) sur la base de ${ground}, jusqu'au ${until}. Conservé : ${kept}. Ces données sont verrouillées et ne servent plus qu'à cette obligation ; elles seront ensuite effacées.`,
    rectifiedIntro:
      'Nous avons rectifié vos données. Voici ce qui a été fait dans chaque système ; les destinataires de vos données en ont été informés :',
    objectionIntro:
      'Nous avons exécuté votre opposition. Voici ce qui a été fait dans chaque système ; nos sous-traitants ont reçu instruction d’arrêter :',
    rectified: (fields: string) => `modifié : ${fields}`,
    withdrawn: (purposes: string) => `consentement retiré pour : ${purposes}`,
    suppressed: (lists: string) =>
      `inscrit sur notre liste d'exclusion pour : ${lists} ; un import ultérieur ne vous y ajoutera plus`,
    notFound: 'aucune donnée vous concernant',
    skipped: (reason: string) => `rien fait (${reason})`,
    rejectedSubject: (type: string) => `Votre demande ${type} n'a pas été exécutée`,
    rejected: {
      verification_failed:
        'Le code de confirmation a été mal saisi trop de fois. Pour protéger vos données, nous avons clôturé la demande. Vous pouvez toujours introduire une nouvelle demande.',
      identity_not_established:
        "Nous n'avons pas pu établir que la demande émane de vous ou d'un mandataire.",
      manifestly_unfounded: 'La demande est manifestement infondée.',
      excessive: 'La demande est excessive, notamment en raison de son caractère répétitif.',
      other: "Nous n'avons pas pu exécuter votre demande.",
    } satisfies Record<RejectionReason, string>,
  },
  en: {
    greeting: 'Dear customer,',
    closing: 'Kind regards,\nThe JSM privacy team',
    contact: `Questions about your data? Contact our privacy team: ${COMPANY}.`,
    complaint:
      'You have the right to lodge a complaint with the Belgian Data Protection Authority (Gegevensbeschermingsautoriteit / Autorité de protection des données), Drukpersstraat 35 / Rue de la Presse 35, 1000 Brussels, +32 2 274 48 00, contact@apd-gba.be, or with the supervisory authority of the EU country where you live, work or where the infringement took place.',
    court: 'You may also take the matter to court (GDPR Article 79).',
    types: {
      access: 'access',
      portability: 'portability',
      rectification: 'rectification',
      erasure: 'erasure',
      objection: 'objection',
    } satisfies Record<RequestType, string>,
    codeSubject: 'Your confirmation code',
    codeBody: (type: string, code: string) =>
      `We received a request for ${type} for this e-mail address. Your confirmation code is: ${code}\n\nThe code is valid for 15 minutes. Did you not make this request? Then there is nothing to do; without the code nothing happens.`,
    doneSubject: (type: string) => `Your ${type} request has been carried out`,
    erasedIntro: 'We have carried out your erasure request. This is what happened in each system:',
    erased: (list: string) => `erased: ${list}`,
    retained: (n: number, cat: string, ground: string, until: string, kept: string) =>
      `${n} record(s) kept (${cat}) on the ground of ${ground}, until ${until}. Kept: ${kept}. These records are restricted and used only for that obligation; they are erased afterwards.`,
    rectifiedIntro:
      'We have corrected your data. This is what happened in each system; the recipients of your data have been informed:',
    objectionIntro:
      'We have carried out your objection. This is what happened in each system; our processors were instructed to stop:',
    rectified: (fields: string) => `changed: ${fields}`,
    withdrawn: (purposes: string) => `consent withdrawn for: ${purposes}`,
    suppressed: (lists: string) =>
      `put on our suppression list for: ${lists}; a later import will not add you again`,
    notFound: 'no data about you',
    skipped: (reason: string) => `nothing done (${reason})`,
    rejectedSubject: (type: string) => `Your ${type} request was not carried out`,
    rejected: {
      verification_failed:
        'The confirmation code was entered wrongly too many times. To protect your data we closed the request. You can always file a new request.',
      identity_not_established:
        'We could not establish that the request comes from you or from someone authorised to act for you.',
      manifestly_unfounded: 'The request is manifestly unfounded.',
      excessive: 'The request is excessive, in particular because of its repetitive character.',
      other: 'We could not carry out your request.',
    } satisfies Record<RejectionReason, string>,
  },
} as const;

export const SYSTEM_LABELS: Record<SystemName, Record<Language, string>> = {
  billing: { nl: 'Facturatie', fr: 'Facturation', en: 'Billing' },
  crm: { nl: 'Klantenbestand', fr: 'Fichier clients', en: 'Customer records' },
  support: { nl: 'Klantendienst', fr: 'Service clientèle', en: 'Customer support' },
  marketing: { nl: 'Marketing', fr: 'Marketing', en: 'Marketing' },
};

export const CATEGORY_LABELS: Record<string, Record<Language, string>> = {
  identification: { nl: 'identificatiegegevens', fr: "données d'identification", en: 'identification data' },
  contact: { nl: 'contactgegevens', fr: 'coordonnées', en: 'contact details' },
  professional: { nl: 'professionele gegevens', fr: 'données professionnelles', en: 'professional data' },
  financial: { nl: 'financiële gegevens', fr: 'données financières', en: 'financial data' },
  contract: { nl: 'contractgegevens', fr: 'données contractuelles', en: 'contract data' },
  usage: { nl: 'gebruiksgegevens', fr: "données d'utilisation", en: 'usage data' },
  preferences: {
    nl: 'voorkeuren en toestemmingen',
    fr: 'préférences et consentements',
    en: 'preferences and consents',
  },
  support: { nl: 'klantendienstgegevens', fr: 'données du service clientèle', en: 'support data' },
  marketing: { nl: 'marketinggegevens', fr: 'données marketing', en: 'marketing data' },
  profiling: { nl: 'interesseprofielen', fr: "profils d'intérêts", en: 'interest profiles' },
};

export const GROUND_LABELS: Record<string, Record<Language, string>> = {
  fiscal_retention: {
    nl: 'de wettelijke bewaarplicht voor facturen (10 jaar, Btw-Wetboek art. 60 §4)',
    fr: "l'obligation légale de conservation des factures (10 ans, Code TVA art. 60 §4)",
    en: 'the legal duty to keep invoices (10 years, Belgian VAT Code art. 60 §4)',
  },
  open_claim: {
    nl: 'een openstaande vordering of betwisting',
    fr: 'une créance ou un litige en cours',
    en: 'an open claim or dispute',
  },
  issued_invoice: {
    nl: 'een uitgereikte factuur wordt niet herschreven; een correctie gebeurt met een creditnota',
    fr: "une facture émise n'est pas réécrite ; une correction se fait par note de crédit",
    en: 'an issued invoice is never rewritten; a correction is made with a credit note',
  },
  running_contract: {
    nl: 'een lopend contract',
    fr: 'un contrat en cours',
    en: 'a running contract',
  },
};

export const PURPOSE_LABELS: Record<string, Record<Language, string>> = {
  newsletter: { nl: 'nieuwsbrief', fr: "lettre d'information", en: 'newsletter' },
  direct_mailing: { nl: 'direct mailing', fr: 'publipostage', en: 'direct mailing' },
  direct_marketing: { nl: 'direct marketing', fr: 'marketing direct', en: 'direct marketing' },
  profiling: { nl: 'interesseprofielen', fr: "profils d'intérêts", en: 'interest profiles' },
  personalisation: { nl: 'personalisatie', fr: 'personnalisation', en: 'personalisation' },
};

export const FIELD_LABELS: Record<string, Record<Language, string>> = {
  name: { nl: 'naam', fr: 'nom', en: 'name' },
  firstName: { nl: 'voornaam', fr: 'prénom', en: 'first name' },
  lastName: { nl: 'achternaam', fr: 'nom', en: 'last name' },
  address: { nl: 'adres', fr: 'adresse', en: 'address' },
  email: { nl: 'e-mailadres', fr: 'adresse e-mail', en: 'e-mail address' },
  phone: { nl: 'telefoonnummer', fr: 'numéro de téléphone', en: 'phone number' },
  language: { nl: 'taal', fr: 'langue', en: 'language' },
  gender: { nl: 'geslacht', fr: 'genre', en: 'gender' },
  jobTitle: { nl: 'functie', fr: 'fonction', en: 'job title' },
  customerNumber: { nl: 'klantnummer', fr: 'numéro de client', en: 'customer number' },
  vatNumber: { nl: 'btw-nummer', fr: 'numéro de TVA', en: 'VAT number' },
  invoiceNumber: { nl: 'factuurnummer', fr: 'numéro de facture', en: 'invoice number' },
  invoiceDate: { nl: 'factuurdatum', fr: 'date de facture', en: 'invoice date' },
  dueDate: { nl: 'vervaldatum', fr: "date d'échéance", en: 'due date' },
  lines: { nl: 'factuurlijnen', fr: 'lignes de facture', en: 'invoice lines' },
  totalExclVat: { nl: 'bedrag excl. btw', fr: 'montant hors TVA', en: 'amount excl. VAT' },
  vatAmount: { nl: 'btw-bedrag', fr: 'montant de TVA', en: 'VAT amount' },
  total: { nl: 'totaalbedrag', fr: 'montant total', en: 'total' },
  currency: { nl: 'munt', fr: 'devise', en: 'currency' },
  status: { nl: 'betaalstatus', fr: 'statut de paiement', en: 'payment status' },
  payment: {
    nl: 'betaaldatum en -bedrag (zonder rekeningnummer)',
    fr: 'date et montant du paiement (sans numéro de compte)',
    en: 'payment date and amount (no account number)',
  },
};

/** A label in the language, or the key itself, readable, when none is known. */
export const label = (table: Record<string, Record<Language, string>>, key: string, lang: Language) =>
  table[key]?.[lang] ?? key.replaceAll('_', ' ');

export function formatDate(iso: string, lang: Language): string {
  const locale = { nl: 'nl-BE', fr: 'fr-BE', en: 'en-GB' }[lang];
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Europe/Brussels' }).format(
    new Date(iso),
  );
}

export const escapeHtml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** Builds text and HTML from paragraphs; a paragraph that is an array becomes a list. */
export function compose(lang: Language, subject: string, paragraphs: (string | string[])[]): Message {
  const t = T[lang];
  const all: (string | string[])[] = [t.greeting, ...paragraphs, t.contact, t.closing];
  const text = all.map((p) => (Array.isArray(p) ? p.map((l) => `- ${l}`).join('\n') : p)).join('\n\n');
  const body = all
    .map((p) =>
      Array.isArray(p)
        ? `<ul>${p.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`
        : `<p>${escapeHtml(p).replaceAll('\n', '<br>')}</p>`,
    )
    .join('\n');
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>${body}</body></html>`;
  return { subject, text, html };
}

/** The one-time code mail (P8). */
export function verificationMessage(lang: Language, type: RequestType, code: string): Message {
  const t = T[lang];
  return compose(lang, t.codeSubject, [t.codeBody(t.types[type], code)]);
}

function describeRetained(lang: Language, o: Extract<Outcome, { kind: 'retained' }>): string {
  return T[lang].retained(
    o.records,
    label(CATEGORY_LABELS, o.category, lang),
    label(GROUND_LABELS, o.ground, lang),
    formatDate(o.until, lang),
    o.kept.map((f) => label(FIELD_LABELS, f, lang)).join(', '),
  );
}

/** One line for what a system erased, and one per group of records it kept (with ground and date). */
function describeSystem(lang: Language, system: SystemName, outcomes: Outcome[]): string[] {
  const t = T[lang];
  const name = SYSTEM_LABELS[system][lang];
  const lines: string[] = [];
  const erased = outcomes.flatMap((o) =>
    o.kind === 'erased' ? [`${label(CATEGORY_LABELS, o.category, lang)} (${o.records})`] : [],
  );
  if (erased.length > 0) lines.push(`${name}: ${t.erased(erased.join(', '))}`);
  for (const o of outcomes) {
    if (o.kind === 'retained') lines.push(`${name}: ${describeRetained(lang, o)}`);
    if (o.kind === 'skipped') lines.push(`${name}: ${t.skipped(o.reason)}`);
    if (o.kind === 'rectified') lines.push(`${name}: ${t.rectified(list(FIELD_LABELS, o.fields, lang))}`);
    if (o.kind === 'withdrawn') lines.push(`${name}: ${t.withdrawn(list(PURPOSE_LABELS, o.purposes, lang))}`);
    if (o.kind === 'suppressed') lines.push(`${name}: ${t.suppressed(list(PURPOSE_LABELS, o.lists, lang))}`);
    // Never reached: a request with a failed system is not reported as done.
    if (o.kind === 'failed') throw new Error('A failed outcome cannot be reported to the subject');
  }
  if (lines.length === 0) lines.push(`${name}: ${t.notFound}`);
  return lines;
}

const list = (table: Record<string, Record<Language, string>>, keys: string[], lang: Language) =>
  keys.map((k) => label(table, k, lang)).join(', ');

/**
 * What an erasure, rectification or objection did in each system: what changed, what was kept, on which ground
 * and until when (P2, P3, P6), with the right to complain (P10).
 */
export function resultMessage(
  lang: Language,
  type: 'erasure' | 'rectification' | 'objection',
  systems: { system: SystemName; outcomes: Outcome[] }[],
): Message {
  const t = T[lang];
  const intro = { erasure: t.erasedIntro, rectification: t.rectifiedIntro, objection: t.objectionIntro }[
    type
  ];
  const lines = systems.flatMap(({ system, outcomes }) => describeSystem(lang, system, outcomes));
  return compose(lang, t.doneSubject(t.types[type]), [intro, lines, t.complaint]);
}

/** A refusal names its reason, the complaint authority and the right to go to court (Art. 12(4)). */
export function rejectionMessage(lang: Language, type: RequestType, reason: RejectionReason): Message {
  const t = T[lang];
  return compose(lang, t.rejectedSubject(t.types[type]), [t.rejected[reason], t.complaint, t.court]);
}

/** Staff notices carry the request id and due date only; staff read the rest in the console. */
export function staffMessage(
  kind: 'approval_needed' | 'approval_reminder',
  requestId: string,
  dueAt: string,
): Message {
  const subject =
    kind === 'approval_needed'
      ? `Request ${requestId} awaits approval`
      : `Reminder: request ${requestId} still awaits approval`;
  const text = `${subject}. It is due on ${formatDate(dueAt, 'en')} (${dueAt}). Decide in the staff console.`;
  return { subject, text, html: `<p>${escapeHtml(text)}</p>` };
}

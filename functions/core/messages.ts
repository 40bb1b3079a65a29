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
    informed: (names: string) => `We hebben de ontvangers van uw gegevens op de hoogte gebracht: ${names}.`,
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
    informed: (names: string) => `Nous avons informé les destinataires de vos données : ${names}.`,
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
    informed: (names: string) => `We informed the recipients of your data: ${names}.`,
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

/** Why a system did nothing, in words; unknown reasons show as they are. */
export const SKIP_LABELS: Record<string, Record<Language, string>> = {
  not_applicable: { nl: 'niet van toepassing', fr: 'sans objet', en: 'not applicable' },
  fields_not_held: {
    nl: 'dit systeem bewaart die gegevens niet',
    fr: 'ce système ne détient pas ces données',
    en: 'this system does not hold those fields',
  },
  nothing_to_object: {
    nl: 'er liep hier geen marketing of profilering',
    fr: 'aucun marketing ni profilage ici',
    en: 'no marketing or profiling here',
  },
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

/**
 * The one-time code mail (P8), in the language of the form; when the form named none, in all three, since
 * nothing about the subject is looked up before verification.
 */
export function verificationMessage(lang: Language | undefined, type: RequestType, code: string): Message {
  if (lang) return compose(lang, T[lang].codeSubject, [T[lang].codeBody(T[lang].types[type], code)]);
  const langs = ['nl', 'fr', 'en'] as const;
  const all = langs.map((l) => verificationMessage(l, type, code));
  const subject = all.map((m) => m.subject).join(' / ');
  const sections = all.map(
    (m, i) =>
      `<section lang="${langs[i]}">${m.text
        .split('\n\n')
        .map((p) => `<p>${escapeHtml(p).replaceAll('\n', '<br>')}</p>`)
        .join('')}</section>`,
  );
  return {
    subject,
    text: all.map((m) => m.text).join('\n\n---\n\n'),
    html: `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>${sections.join('<hr>')}</body></html>`,
  };
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
    if (o.kind === 'skipped') lines.push(`${name}: ${t.skipped(label(SKIP_LABELS, o.reason, lang))}`);
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
  informed: string[] = [],
): Message {
  const t = T[lang];
  const intro = { erasure: t.erasedIntro, rectification: t.rectifiedIntro, objection: t.objectionIntro }[
    type
  ];
  const lines = systems.flatMap(({ system, outcomes }) => describeSystem(lang, system, outcomes));
  // Art. 19: the subject may learn who was told.
  const told = informed.length > 0 ? [t.informed(informed.join(', '))] : [];
  return compose(lang, t.doneSubject(t.types[type]), [intro, lines, ...told, t.complaint]);
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

// ---- access report and export outcome mails (P1, P7, P10, P17, P18) ----

/** The words of the access report (P1) and of the access and portability outcome mails (P7), per language. */
export const EXPORT_T = {
  nl: {
    reportTitle: 'Overzicht van uw persoonsgegevens',
    reportIntro: (controller: string) =>
      `Dit overzicht toont alle persoonsgegevens die ${controller} in zijn systemen over u bewaart, waarvoor en op welke grond we ze gebruiken, hoelang we ze bewaren, met wie we ze delen en waar ze vandaan komen (artikel 15 AVG).`,
    reference: 'Referentie van uw verzoek',
    received: 'Ontvangen op',
    generated: 'Opgemaakt op',
    contents: 'Inhoud',
    summary: 'In het kort',
    system: 'Systeem',
    records: 'Aantal gegevens',
    categories: 'Soorten gegevens',
    nothingHeld: 'geen gegevens over u',
    heldData: 'Welke gegevens we bewaren',
    noData: 'Dit systeem bewaart geen gegevens over u.',
    notExported: 'Dit systeem kon niet volledig worden uitgelezen; we bezorgen u de rest zo snel mogelijk.',
    category: 'Soort',
    origin: 'Herkomst',
    origins: {
      provided: 'door u verstrekt',
      observed: 'vastgesteld bij uw gebruik',
      inferred: 'door ons afgeleid',
    } as Record<string, string>,
    shown: (shown: number, total: string, files: string) =>
      `Hieronder staan de eerste ${shown} van ${total} gegevens; alle ${total} staan in ${files} in het ZIP-bestand met uw gegevens.`,
    machineReadable: (files: string) => `Machineleesbaar: ${files} in het ZIP-bestand met uw gegevens.`,
    redacted: (n: number) =>
      `${n} vermelding(en) van andere personen (namen, nummers, adressen) in vrije tekst werden weggelaten om hun rechten te beschermen (artikel 15, lid 4 AVG).`,
    restrictedKind: 'afgeschermd bewaard',
    keptUntil: (ground: string, until: string) => `${ground}, tot ${until}`,
    passwordExists: 'er bestaat een wachtwoord voor uw account (we tonen het nooit)',
    yes: 'ja',
    no: 'nee',
    why: 'Waarvoor, op welke grond en hoelang',
    purpose: 'Doel',
    legalBasis: 'Rechtsgrond',
    retention: 'Bewaartermijn',
    sources: 'Waar de gegevens vandaan komen',
    fromYou:
      'Alle gegevens in dit systeem kregen we van u of legden we vast bij uw gebruik van onze diensten.',
    otherFromYou:
      'De andere gegevens in dit systeem kregen we van u of legden we vast bij uw gebruik van onze diensten.',
    recipients: 'Wie deze gegevens ontvangt',
    noRecipients: 'Gegevens uit dit systeem gaan niet naar andere organisaties.',
    automated: 'Geautomatiseerde besluiten',
    noAutomatedAtAll:
      'Wij nemen geen besluiten over u die uitsluitend op geautomatiseerde verwerking berusten en rechtsgevolgen hebben of u anderszins in aanmerkelijke mate treffen (artikel 22 AVG).',
    allRecipients: 'Ontvangers en verwerkers',
    recipientsIntro:
      'Deze ondernemingen ontvangen gegevens over u, elk alleen voor de vermelde dienst en binnen de Europese Unie:',
    kinds: { processor: 'verwerker', recipient: 'ontvanger' } as Record<string, string>,
    name: 'Naam',
    role: 'Rol',
    country: 'Land',
    service: 'Dienst',
    fields: 'Ontvangen gegevens',
    outside: 'Andere verwerkingen',
    outsideIntro: 'Deze verwerkingen gebeuren buiten de systemen van dit overzicht:',
    rightsTitle: 'Uw rechten',
    rights: [
      'Inzage: u kunt altijd opnieuw vragen welke gegevens we over u bewaren (artikel 15 AVG).',
      'Correctie van onjuiste of onvolledige gegevens (artikel 16).',
      'Verwijdering van uw gegevens (artikel 17), behalve wat de wet ons verplicht te bewaren.',
      'Beperking van de verwerking (artikel 18).',
      'Overdracht van de gegevens die u ons gaf, aan uzelf of aan een andere organisatie (artikel 20).',
      'Bezwaar tegen verwerking op grond van ons gerechtvaardigd belang, en altijd tegen direct marketing en de profilering daarvoor (artikel 21).',
      'Intrekking van uw toestemming, op elk moment; dat maakt de verwerking daarvoor niet onrechtmatig (artikel 7, lid 3).',
      'Niet onderworpen worden aan een uitsluitend geautomatiseerd besluit met rechtsgevolgen (artikel 22).',
    ],
    howTo: (email: string, address: string) =>
      `U oefent deze rechten uit via uw accountinstellingen, per e-mail aan ${email} of per brief aan ${address}.`,
    complaintTitle: 'Klacht',
    controllerTitle: 'Verwerkingsverantwoordelijke',
    enterpriseNumber: 'ondernemingsnummer',
    // mails
    accessReady:
      'We hebben uw verzoek tot inzage uitgevoerd. Uw overzicht van de gegevens die we over u bewaren, met waarvoor we ze gebruiken, op welke grond, hoelang en met wie we ze delen, staat klaar.',
    reportLink: (url: string) => `Uw overzicht (leesbaar en af te drukken): ${url}`,
    filesLink: (url: string) =>
      `Dezelfde gegevens als computerbestanden (JSON en CSV per systeem, in een ZIP-bestand): ${url}`,
    portabilityReady:
      'We hebben uw verzoek tot overdracht van gegevens uitgevoerd. De gegevens die u ons gaf en die we bij uw gebruik van onze diensten vastlegden, staan klaar als computerbestanden: JSON en CSV per systeem, met een manifest.json, in een ZIP-bestand.',
    packageLink: (url: string) => `Downloaden: ${url}`,
    perSystem: 'Per systeem:',
    systemCount: (system: string, n: number) => `${system}: ${n} gegeven(s)`,
    systemNone: (system: string) => `${system}: geen gegevens over u`,
    expires: (date: string) =>
      `De link is geldig tot ${date}. Daarna kunt u altijd een nieuw verzoek indienen.`,
    noAttachment:
      'Om uw gegevens te beschermen sturen we ze niet als bijlage mee. Wie de link heeft, kan de bestanden downloaden: stuur deze e-mail dus niet door.',
    inferredElsewhere:
      'Gegevens die we zelf afleidden (zoals een kredietscore of interesseprofiel) horen niet bij een overdracht; u ziet ze in een inzageoverzicht, dat u altijd kunt aanvragen.',
    sentTo: (organisation: string, email: string, date: string) =>
      `Zoals u op ${date} bevestigde, hebben we een downloadlink voor deze bestanden naar ${organisation} (${email}) gestuurd. Die organisatie wordt zelf verantwoordelijk voor wat ze met uw gegevens doet.`,
    ownCopy: (url: string) => `Uw eigen kopie: ${url}`,
  },
  fr: {
    reportTitle: 'Aperçu de vos données personnelles',
    reportIntro: (controller: string) =>
      `Cet aperçu présente toutes les données personnelles que ${controller} conserve à votre sujet dans ses systèmes, à quelles fins et sur quelle base nous les utilisons, combien de temps nous les conservons, avec qui nous les partageons et d'où elles proviennent (article 15 du RGPD).`,
    reference: 'Référence de votre demande',
    received: 'Reçue le',
    generated: 'Établi le',
    contents: 'Sommaire',
    summary: 'En bref',
    system: 'Système',
    records: 'Nombre de données',
    categories: 'Types de données',
    nothingHeld: 'aucune donnée vous concernant',
    heldData: 'Les données que nous conservons',
    noData: 'Ce système ne conserve aucune donnée vous concernant.',
    notExported:
      "Ce système n'a pas pu être lu entièrement ; nous vous transmettrons le reste dès que possible.",
    category: 'Type',
    origin: 'Origine',
    origins: {
      provided: 'fournie par vous',
      observed: 'constatée lors de votre utilisation',
      inferred: 'déduite par nous',
    } as Record<string, string>,
    shown: (shown: number, total: string, files: string) =>
      `Vous trouverez ci-dessous les ${shown} premières données sur ${total} ; les ${total} figurent dans ${files} dans le fichier ZIP de vos données.`,
    machineReadable: (files: string) => `Lisible par machine : ${files} dans le fichier ZIP de vos données.`,
    redacted: (n: number) =>
      `${n} mention(s) d'autres personnes (noms, numéros, adresses) dans du texte libre ont été retirées pour protéger leurs droits (article 15, paragraphe 4, du RGPD).`,
    restrictedKind: 'conservé de façon limitée',
    keptUntil: (ground: string, until: string) => `${ground}, jusqu'au ${until}`,
    passwordExists: 'un mot de passe existe pour votre compte (nous ne le montrons jamais)',
    yes: 'oui',
    no: 'non',
    why: 'À quelles fins, sur quelle base et pour combien de temps',
    purpose: 'Finalité',
    legalBasis: 'Base juridique',
    retention: 'Durée de conservation',
    sources: "D'où proviennent les données",
    fromYou:
      'Toutes les données de ce système nous ont été fournies par vous ou ont été enregistrées lors de votre utilisation de nos services.',
    otherFromYou:
      'Les autres données de ce système nous ont été fournies par vous ou ont été enregistrées lors de votre utilisation de nos services.',
    recipients: 'Qui reçoit ces données',
    noRecipients: 'Les données de ce système ne sont transmises à aucune autre organisation.',
    automated: 'Décisions automatisées',
    noAutomatedAtAll:
      'Nous ne prenons à votre sujet aucune décision fondée exclusivement sur un traitement automatisé produisant des effets juridiques ou vous affectant de manière significative (article 22 du RGPD).',
    allRecipients: 'Destinataires et sous-traitants',
    recipientsIntro:
      "Ces entreprises reçoivent des données vous concernant, chacune uniquement pour le service indiqué et au sein de l'Union européenne :",
    kinds: { processor: 'sous-traitant', recipient: 'destinataire' } as Record<string, string>,
    name: 'Nom',
    role: 'Rôle',
    country: 'Pays',
    service: 'Service',
    fields: 'Données reçues',
    outside: 'Autres traitements',
    outsideIntro: 'Ces traitements ont lieu en dehors des systèmes de cet aperçu :',
    rightsTitle: 'Vos droits',
    rights: [
      'Accès : vous pouvez toujours redemander quelles données nous conservons à votre sujet (article 15 du RGPD).',
      'Rectification des données inexactes ou incomplètes (article 16).',
      'Effacement de vos données (article 17), sauf ce que la loi nous oblige à conserver.',
      'Limitation du traitement (article 18).',
      'Portabilité des données que vous nous avez fournies, vers vous-même ou vers une autre organisation (article 20).',
      'Opposition au traitement fondé sur notre intérêt légitime, et toujours à la prospection directe et au profilage qui y est lié (article 21).',
      'Retrait de votre consentement, à tout moment, sans que cela rende illicite le traitement antérieur (article 7, paragraphe 3).',
      "Ne pas faire l'objet d'une décision fondée exclusivement sur un traitement automatisé produisant des effets juridiques (article 22).",
    ],
    howTo: (email: string, address: string) =>
      `Vous exercez ces droits via les paramètres de votre compte, par e-mail à ${email} ou par lettre à ${address}.`,
    complaintTitle: 'Réclamation',
    controllerTitle: 'Responsable du traitement',
    enterpriseNumber: "numéro d'entreprise",
    accessReady:
      "Nous avons exécuté votre demande d'accès. L'aperçu des données que nous conservons à votre sujet, avec leurs finalités, leur base juridique, leur durée de conservation et leurs destinataires, est prêt.",
    reportLink: (url: string) => `Votre aperçu (lisible et imprimable) : ${url}`,
    filesLink: (url: string) =>
      `Les mêmes données sous forme de fichiers informatiques (JSON et CSV par système, dans un fichier ZIP) : ${url}`,
    portabilityReady:
      'Nous avons exécuté votre demande de portabilité. Les données que vous nous avez fournies et celles enregistrées lors de votre utilisation de nos services sont prêtes sous forme de fichiers informatiques : JSON et CSV par système, avec un manifest.json, dans un fichier ZIP.',
    packageLink: (url: string) => `Télécharger : ${url}`,
    perSystem: 'Par système :',
    systemCount: (system: string, n: number) => `${system} : ${n} donnée(s)`,
    systemNone: (system: string) => `${system} : aucune donnée vous concernant`,
    expires: (date: string) =>
      `Le lien est valable jusqu'au ${date}. Ensuite, vous pouvez toujours introduire une nouvelle demande.`,
    noAttachment:
      'Pour protéger vos données, nous ne les envoyons pas en pièce jointe. Toute personne disposant du lien peut télécharger les fichiers : ne transférez donc pas cet e-mail.',
    inferredElsewhere:
      "Les données que nous avons déduites nous-mêmes (comme un score de crédit ou un profil d'intérêt) ne relèvent pas de la portabilité ; vous les trouvez dans un aperçu d'accès, que vous pouvez toujours demander.",
    sentTo: (organisation: string, email: string, date: string) =>
      `Comme vous l'avez confirmé le ${date}, nous avons envoyé un lien de téléchargement de ces fichiers à ${organisation} (${email}). Cette organisation devient elle-même responsable de l'usage qu'elle fait de vos données.`,
    ownCopy: (url: string) => `Votre propre copie : ${url}`,
  },
  en: {
    reportTitle: 'Overview of your personal data',
    reportIntro: (controller: string) =>
      `This overview shows all personal data ${controller} holds about you in its systems, what we use it for and on which legal basis, how long we keep it, with whom we share it and where it comes from (GDPR Article 15).`,
    reference: 'Reference of your request',
    received: 'Received on',
    generated: 'Prepared on',
    contents: 'Contents',
    summary: 'In short',
    system: 'System',
    records: 'Records',
    categories: 'Kinds of data',
    nothingHeld: 'no data about you',
    heldData: 'The data we hold',
    noData: 'This system holds no data about you.',
    notExported: 'This system could not be read in full; we will send you the rest as soon as possible.',
    category: 'Kind',
    origin: 'Origin',
    origins: {
      provided: 'provided by you',
      observed: 'observed from your use',
      inferred: 'inferred by us',
    } as Record<string, string>,
    shown: (shown: number, total: string, files: string) =>
      `Below are the first ${shown} of ${total} records; all ${total} are in ${files} in the ZIP file with your data.`,
    machineReadable: (files: string) => `Machine-readable: ${files} in the ZIP file with your data.`,
    redacted: (n: number) =>
      `${n} mention(s) of other people (names, numbers, addresses) in free text were left out to protect their rights (GDPR Article 15(4)).`,
    restrictedKind: 'kept restricted',
    keptUntil: (ground: string, until: string) => `${ground}, until ${until}`,
    passwordExists: 'a password exists for your account (we never show it)',
    yes: 'yes',
    no: 'no',
    why: 'What for, on which legal basis and for how long',
    purpose: 'Purpose',
    legalBasis: 'Legal basis',
    retention: 'Retention',
    sources: 'Where the data comes from',
    fromYou: 'All data in this system was provided by you or recorded from your use of our services.',
    otherFromYou:
      'The other data in this system was provided by you or recorded from your use of our services.',
    recipients: 'Who receives this data',
    noRecipients: 'Data from this system goes to no other organisation.',
    automated: 'Automated decisions',
    noAutomatedAtAll:
      'We make no decisions about you based solely on automated processing that have legal effects or similarly significantly affect you (GDPR Article 22).',
    allRecipients: 'Recipients and processors',
    recipientsIntro:
      'These companies receive data about you, each only for the service named and within the European Union:',
    kinds: { processor: 'processor', recipient: 'recipient' } as Record<string, string>,
    name: 'Name',
    role: 'Role',
    country: 'Country',
    service: 'Service',
    fields: 'Data received',
    outside: 'Other processing',
    outsideIntro: 'This processing happens outside the systems in this overview:',
    rightsTitle: 'Your rights',
    rights: [
      'Access: you can always ask again which data we hold about you (GDPR Article 15).',
      'Rectification of inaccurate or incomplete data (Article 16).',
      'Erasure of your data (Article 17), except what the law obliges us to keep.',
      'Restriction of processing (Article 18).',
      'Portability of the data you provided, to yourself or to another organisation (Article 20).',
      'Objection to processing based on our legitimate interest, and always to direct marketing and the profiling for it (Article 21).',
      'Withdrawal of your consent, at any time, without making the earlier processing unlawful (Article 7(3)).',
      'Not to be subject to a decision based solely on automated processing with legal effects (Article 22).',
    ],
    howTo: (email: string, address: string) =>
      `You exercise these rights in your account settings, by e-mail to ${email} or by letter to ${address}.`,
    complaintTitle: 'Complaints',
    controllerTitle: 'Controller',
    enterpriseNumber: 'enterprise number',
    accessReady:
      'We have carried out your access request. Your overview of the data we hold about you, with what we use it for, on which legal basis, for how long and with whom we share it, is ready.',
    reportLink: (url: string) => `Your overview (readable and printable): ${url}`,
    filesLink: (url: string) =>
      `The same data as computer files (JSON and CSV per system, in a ZIP file): ${url}`,
    portabilityReady:
      'We have carried out your portability request. The data you provided and the data recorded from your use of our services are ready as computer files: JSON and CSV per system, with a manifest.json, in a ZIP file.',
    packageLink: (url: string) => `Download: ${url}`,
    perSystem: 'Per system:',
    systemCount: (system: string, n: number) => `${system}: ${n} record(s)`,
    systemNone: (system: string) => `${system}: no data about you`,
    expires: (date: string) =>
      `The link is valid until ${date}. After that you can always file a new request.`,
    noAttachment:
      'To protect your data we do not send it as an attachment. Anyone with the link can download the files, so please do not forward this e-mail.',
    inferredElsewhere:
      'Data we inferred ourselves (such as a credit score or an interest profile) is not part of a portability export; you can see it in an access overview, which you can always request.',
    sentTo: (organisation: string, email: string, date: string) =>
      `As you confirmed on ${date}, we sent a download link for these files to ${organisation} (${email}). That organisation becomes responsible itself for what it does with your data.`,
    ownCopy: (url: string) => `Your own copy: ${url}`,
  },
} as const;

/** Names of the export files' record kinds (`invoices.json` → invoices), per language. */
export const RECORD_KIND_LABELS: Record<string, Record<Language, string>> = {
  profile: { nl: 'Profiel', fr: 'Profil', en: 'Profile' },
  'bank-accounts': { nl: 'Bankrekeningen', fr: 'Comptes bancaires', en: 'Bank accounts' },
  'credit-scores': { nl: 'Kredietscores', fr: 'Scores de crédit', en: 'Credit scores' },
  invoices: { nl: 'Facturen', fr: 'Factures', en: 'Invoices' },
  calls: { nl: 'Gespreksgegevens', fr: "Données d'appels", en: 'Call records' },
  contact: { nl: 'Contactgegevens', fr: 'Coordonnées', en: 'Contact details' },
  professional: { nl: 'Beroepsgegevens', fr: 'Données professionnelles', en: 'Professional data' },
  account: { nl: 'Account', fr: 'Compte', en: 'Account' },
  consents: { nl: 'Toestemmingen', fr: 'Consentements', en: 'Consents' },
  'interest-profiles': { nl: 'Interesseprofiel', fr: "Profil d'intérêt", en: 'Interest profile' },
  tickets: { nl: 'Tickets', fr: 'Tickets', en: 'Tickets' },
  notes: { nl: 'Gespreksnotities', fr: "Notes d'appel", en: 'Call notes' },
  lists: { nl: 'Mailinglijsten', fr: "Listes d'envoi", en: 'Mailing lists' },
  suppression: {
    nl: 'Uitschrijving of bezwaar',
    fr: 'Désinscription ou opposition',
    en: 'Opt-out or objection',
  },
};

/** Column names of the access report beyond FIELD_LABELS, per language; unknown ones are shown as they are. */
export const REPORT_FIELD_LABELS: Record<string, Record<Language, string>> = {
  email: { nl: 'e-mailadres', fr: 'adresse e-mail', en: 'e-mail address' },
  phone: { nl: 'telefoonnummer', fr: 'numéro de téléphone', en: 'phone number' },
  language: { nl: 'taal', fr: 'langue', en: 'language' },
  gender: { nl: 'geslacht', fr: 'genre', en: 'gender' },
  birthDate: { nl: 'geboortedatum', fr: 'date de naissance', en: 'date of birth' },
  jobTitle: { nl: 'functie', fr: 'fonction', en: 'job title' },
  company: { nl: 'bedrijf', fr: 'entreprise', en: 'company' },
  iban: { nl: 'rekeningnummer (IBAN)', fr: 'numéro de compte (IBAN)', en: 'account number (IBAN)' },
  bic: { nl: 'BIC', fr: 'BIC', en: 'BIC' },
  holder: { nl: 'rekeninghouder', fr: 'titulaire', en: 'account holder' },
  mandateId: { nl: 'domiciliëringsmandaat', fr: 'mandat de domiciliation', en: 'direct-debit mandate' },
  creditScore: { nl: 'kredietscore', fr: 'score de crédit', en: 'credit score' },
  callingNumber: { nl: 'uw nummer', fr: 'votre numéro', en: 'your number' },
  calledNumber: { nl: 'gebeld nummer', fr: 'numéro appelé', en: 'number called' },
  startedAt: { nl: 'begin', fr: 'début', en: 'started' },
  durationSeconds: { nl: 'duur (s)', fr: 'durée (s)', en: 'duration (s)' },
  roaming: { nl: 'roaming', fr: 'itinérance', en: 'roaming' },
  costEur: { nl: 'kost (EUR)', fr: 'coût (EUR)', en: 'cost (EUR)' },
  username: { nl: 'gebruikersnaam', fr: "nom d'utilisateur", en: 'username' },
  password: { nl: 'wachtwoord', fr: 'mot de passe', en: 'password' },
  purpose: { nl: 'doel', fr: 'finalité', en: 'purpose' },
  granted: { nl: 'gegeven', fr: 'donné', en: 'given' },
  topic: { nl: 'onderwerp', fr: 'sujet', en: 'topic' },
  score: { nl: 'score', fr: 'score', en: 'score' },
  source: { nl: 'bron', fr: 'source', en: 'source' },
  subject: { nl: 'onderwerp', fr: 'objet', en: 'subject' },
  description: { nl: 'omschrijving', fr: 'description', en: 'description' },
  text: { nl: 'tekst', fr: 'texte', en: 'text' },
  restricted: { nl: 'afgeschermd', fr: 'limité', en: 'restricted' },
  retention: { nl: 'bewaard op grond van', fr: 'conservé sur la base de', en: 'kept on the ground of' },
  createdAt: { nl: 'aangemaakt', fr: 'créé', en: 'created' },
  updatedAt: { nl: 'bijgewerkt', fr: 'mis à jour', en: 'updated' },
  payment: { nl: 'betaling', fr: 'paiement', en: 'payment' },
  amount: { nl: 'bedrag', fr: 'montant', en: 'amount' },
  amountExclVat: { nl: 'bedrag excl. btw', fr: 'montant hors TVA', en: 'amount excl. VAT' },
  unitPriceExclVat: {
    nl: 'eenheidsprijs excl. btw',
    fr: 'prix unitaire hors TVA',
    en: 'unit price excl. VAT',
  },
  vatRate: { nl: 'btw-tarief', fr: 'taux de TVA', en: 'VAT rate' },
  quantity: { nl: 'aantal', fr: 'quantité', en: 'quantity' },
  method: { nl: 'betaalwijze', fr: 'mode de paiement', en: 'payment method' },
  paidAt: { nl: 'betaald op', fr: 'payé le', en: 'paid on' },
  reference: { nl: 'mededeling', fr: 'communication', en: 'reference' },
  reminderSentAt: { nl: 'herinnering verstuurd', fr: 'rappel envoyé', en: 'reminder sent' },
  mandateSignedAt: { nl: 'mandaat ondertekend', fr: 'mandat signé', en: 'mandate signed' },
  checkedAt: { nl: 'opgevraagd op', fr: 'consulté le', en: 'checked on' },
  scale: { nl: 'schaal', fr: 'échelle', en: 'scale' },
  customerSince: { nl: 'klant sinds', fr: 'client depuis', en: 'customer since' },
  preferredChannel: { nl: 'voorkeurskanaal', fr: 'canal préféré', en: 'preferred channel' },
  lastLoginAt: { nl: 'laatst aangemeld', fr: 'dernière connexion', en: 'last login' },
  mfaEnabled: { nl: 'tweestapsverificatie', fr: 'authentification à deux facteurs', en: 'two-step login' },
  recordedAt: { nl: 'vastgelegd op', fr: 'enregistré le', en: 'recorded on' },
  channel: { nl: 'kanaal', fr: 'canal', en: 'channel' },
  policyVersion: {
    nl: 'versie privacyverklaring',
    fr: 'version de la déclaration',
    en: 'privacy statement version',
  },
  derivedFrom: { nl: 'afgeleid uit', fr: 'déduit de', en: 'derived from' },
  ticketId: { nl: 'ticket', fr: 'ticket', en: 'ticket' },
  agent: { nl: 'medewerker', fr: 'collaborateur', en: 'agent' },
  at: { nl: 'tijdstip', fr: 'moment', en: 'time' },
  openedAt: { nl: 'geopend op', fr: 'ouvert le', en: 'opened' },
  closedAt: { nl: 'gesloten op', fr: 'clôturé le', en: 'closed' },
  sentTo: { nl: 'verstuurd via', fr: 'envoyé par', en: 'sent by' },
  billingCycle: { nl: 'facturatieperiode', fr: 'période de facturation', en: 'billing cycle' },
  list: { nl: 'lijst', fr: 'liste', en: 'list' },
  lists: { nl: 'lijsten', fr: 'listes', en: 'lists' },
  processor: { nl: 'verwerker', fr: 'sous-traitant', en: 'processor' },
  subscribedAt: { nl: 'ingeschreven op', fr: 'inscrit le', en: 'subscribed on' },
  addedAt: { nl: 'toegevoegd op', fr: 'ajouté le', en: 'added on' },
  reasons: { nl: 'redenen', fr: 'motifs', en: 'reasons' },
  since: { nl: 'sinds', fr: 'depuis', en: 'since' },
  street: { nl: 'straat', fr: 'rue', en: 'street' },
  postalCode: { nl: 'postcode', fr: 'code postal', en: 'postal code' },
  city: { nl: 'gemeente', fr: 'commune', en: 'city' },
  country: { nl: 'land', fr: 'pays', en: 'country' },
};

/** The words of the one-click opt-out pages (P5, P18). */
export const UNSUBSCRIBE_TEXT = {
  nl: {
    title: 'Uitschrijven',
    lists: { newsletter: 'de nieuwsbrief van JSM', direct_mailing: 'de direct mailings van JSM' },
    confirm: (list: string) =>
      `Wilt u zich uitschrijven voor ${list}? Klik op de knop hieronder. U hoeft niet in te loggen.`,
    button: 'Uitschrijven',
    done: (list: string) =>
      `U bent uitgeschreven voor ${list}. We bewaren enkel een gecodeerde verwijzing (niet uw e-mailadres), zodat u niet opnieuw wordt ingeschreven.`,
    invalid:
      'Deze uitschrijflink is ongeldig of beschadigd. Gebruik de link in de laatste e-mail die u van ons kreeg, of neem contact op met ons privacyteam.',
  },
  fr: {
    title: 'Désinscription',
    lists: { newsletter: 'la newsletter de JSM', direct_mailing: 'les publipostages de JSM' },
    confirm: (list: string) =>
      `Voulez-vous vous désinscrire de ${list} ? Cliquez sur le bouton ci-dessous. Aucune connexion n'est nécessaire.`,
    button: 'Me désinscrire',
    done: (list: string) =>
      `Vous êtes désinscrit(e) de ${list}. Nous ne conservons qu'une référence codée (pas votre adresse e-mail), afin que vous ne soyez pas réinscrit(e).`,
    invalid:
      'Ce lien de désinscription est invalide ou endommagé. Utilisez le lien du dernier e-mail reçu de notre part ou contactez notre équipe vie privée.',
  },
  en: {
    title: 'Unsubscribe',
    lists: { newsletter: 'the JSM newsletter', direct_mailing: 'JSM direct mailings' },
    confirm: (list: string) =>
      `Do you want to unsubscribe from ${list}? Press the button below. No login is needed.`,
    button: 'Unsubscribe',
    done: (list: string) =>
      `You are unsubscribed from ${list}. We keep only a coded reference (not your e-mail address) so that you are not added again.`,
    invalid:
      'This unsubscribe link is invalid or damaged. Use the link in the latest e-mail you received from us, or contact our privacy team.',
  },
} as const;

const LANGUAGE_NAMES: Record<Language, string> = { nl: 'Nederlands', fr: 'Français', en: 'English' };

/**
 * The opt-out page: `confirm` (the GET: a form whose button POSTs `List-Unsubscribe=One-Click` to the same URL;
 * a GET itself never unsubscribes, mail scanners open links), `done` (after the POST) or `invalid` (a forged or
 * damaged link). It names the list, never the address.
 */
export function unsubscribePage(
  lang: Language,
  state: 'confirm' | 'done' | 'invalid',
  list?: 'newsletter' | 'direct_mailing',
): string {
  const u = UNSUBSCRIBE_TEXT[lang];
  const listName = list ? u.lists[list] : '';
  const main =
    state === 'confirm'
      ? `<p>${escapeHtml(u.confirm(listName))}</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(u.button)}</button></form>`
      : `<p>${escapeHtml(state === 'done' ? u.done(listName) : u.invalid)}</p>`;
  // Switching language keeps the token: a query-only link stays on the same URL.
  const languages = (Object.keys(LANGUAGE_NAMES) as Language[])
    .filter((l) => l !== lang)
    .map((l) => `<a href="?lang=${l}" hreflang="${l}" lang="${l}">${LANGUAGE_NAMES[l]}</a>`)
    .join(' · ');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(u.title)} · JSM</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}button{font:inherit;padding:.6rem 1.4rem;border:0;border-radius:.3rem;background:#0b5394;color:#fff;cursor:pointer}button:focus{outline:3px solid #f1c232;outline-offset:2px}footer{margin-top:2rem;font-size:.9rem;color:#444}</style>
</head><body><main><h1>${escapeHtml(u.title)}</h1>
${main}
</main><footer><p>${escapeHtml(T[lang].contact)}</p>${state === 'done' ? '' : `<p>${languages}</p>`}</footer></body></html>`;
}

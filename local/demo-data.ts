// Realistic records of the four demo systems (billing, CRM, support, marketing). The join key is the customer
// number; e-mail and phone are identifiers. Dates are relative to the runtime's clock, so tests can set it.
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { restrictInvoice } from '../functions/connectors/billing/connector.ts';
import { customerKey, type StoredItem, subjectListEntry } from '../functions/connectors/records.ts';
import { restrictedRecord } from '../functions/connectors/store/index.ts';
import type { BuiltInSystem } from '../functions/core/schemas.ts';
import { TABLE_NAMES } from './tables.ts';

type Item = Record<string, unknown>;

interface Address {
  street: string;
  postalCode: string;
  city: string;
  country: 'BE';
}

/** A demo customer as the tests know them; `systems` lists where they live. */
export interface DemoCustomer {
  customerNumber: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  language: 'nl' | 'fr' | 'en';
  gender: 'F' | 'M' | 'X';
  birthDate: string;
  address: Address;
  iban?: string;
  jobTitle: string;
  company: string;
  systems: BuiltInSystem[];
  /** days since she became a customer; otherwise set by her place in the list */
  sinceDays?: number;
}

const be = (street: string, postalCode: string, city: string): Address => ({
  street,
  postalCode,
  city,
  country: 'BE',
});

/** Everyone in the demo systems. An Devos lives everywhere; the others share nothing with her. */
export const DEMO_CUSTOMERS = {
  an: {
    customerNumber: 'C-100234',
    firstName: 'An',
    lastName: 'Devos',
    email: 'an.devos@example.be',
    phone: '+32470123456',
    language: 'nl',
    gender: 'F',
    birthDate: '1986-04-17',
    address: be('Doorniksestraat 12', '8500', 'Kortrijk'),
    iban: 'BE68539007547034',
    jobTitle: 'Projectleider',
    company: 'Vlaskop Logistiek NV',
    systems: ['billing', 'crm', 'support', 'marketing'],
  },
  luc: {
    customerNumber: 'C-100311',
    firstName: 'Luc',
    lastName: 'Martens',
    email: 'luc.martens@example.be',
    phone: '+32475234567',
    language: 'fr',
    gender: 'M',
    birthDate: '1971-11-02',
    address: be('Rue du Château 8', '7700', 'Mouscron'),
    jobTitle: 'Comptable',
    company: 'Fiduciaire Hainaut SRL',
    systems: ['crm', 'marketing'],
  },
  noor: {
    customerNumber: 'C-100457',
    firstName: 'Noor',
    lastName: 'El Amrani',
    email: 'noor.elamrani@example.be',
    phone: '+32486345678',
    language: 'en',
    gender: 'F',
    birthDate: '1994-07-23',
    address: be('Kapucijnenvoer 30', '3000', 'Leuven'),
    jobTitle: 'Data analyst',
    company: 'Quadrant Research BV',
    systems: ['crm', 'support'],
  },
  jan: {
    customerNumber: 'C-100502',
    firstName: 'Jan',
    lastName: 'Peeters',
    email: 'jan.peeters@example.be',
    phone: '+32496456789',
    language: 'nl',
    gender: 'M',
    birthDate: '1959-02-14',
    address: be('Meensesteenweg 200', '8501', 'Heule'),
    iban: 'BE71096123456769',
    jobTitle: 'Zaakvoerder',
    company: 'Bakkerij Peeters',
    systems: ['billing', 'crm', 'support'],
  },
  sophie: {
    customerNumber: 'C-100618',
    firstName: 'Sophie',
    lastName: 'Lambert',
    email: 'sophie.lambert@example.be',
    phone: '+32471567890',
    language: 'fr',
    gender: 'F',
    birthDate: '1982-09-30',
    address: be('Boulevard Audent 5', '6000', 'Charleroi'),
    iban: 'BE30068254012311',
    jobTitle: 'Infirmière en chef',
    company: 'Grand Hôpital de Charleroi',
    systems: ['billing', 'crm', 'marketing'],
  },
  pieter: {
    customerNumber: 'C-100733',
    firstName: 'Pieter',
    lastName: 'Wouters',
    email: 'pieter.wouters@example.be',
    phone: '+32478678901',
    language: 'nl',
    gender: 'X',
    birthDate: '2001-05-06',
    address: be('Overpoortstraat 41', '9000', 'Gent'),
    iban: 'BE77001456789042',
    jobTitle: 'Student-ondernemer',
    company: 'Wouters Webdesign',
    systems: ['billing', 'crm'],
  },
  // A household sharing one mailbox (P8): the address alone cannot say which of the two a request is about.
  koen: {
    customerNumber: 'C-100845',
    firstName: 'Koen',
    lastName: 'Verstraete',
    email: 'gezin.verstraete@example.be',
    phone: '+32472789012',
    language: 'nl',
    gender: 'M',
    birthDate: '1978-03-21',
    address: be('Budastraat 17', '8500', 'Kortrijk'),
    iban: 'BE62063340123461',
    jobTitle: 'Leraar',
    company: 'Sint-Amandscollege',
    systems: ['billing', 'crm'],
  },
  sarah: {
    customerNumber: 'C-100846',
    firstName: 'Sarah',
    lastName: 'Verstraete',
    email: 'gezin.verstraete@example.be',
    phone: '+32472789013',
    language: 'nl',
    gender: 'F',
    birthDate: '1980-12-02',
    address: be('Budastraat 17', '8500', 'Kortrijk'),
    iban: 'BE60063340987670',
    jobTitle: 'Kinesitherapeut',
    company: 'Praktijk De Leie',
    systems: ['billing', 'crm'],
  },
  // A former customer with an open claim (P3): her contract ended, she disputes its final invoice, and the dispute
  // is open in support. An erasure keeps what the claim needs: the invoice, the calls billed on it, the ticket.
  celine: {
    customerNumber: 'C-100927',
    firstName: 'Céline',
    lastName: 'Dubois',
    email: 'celine.dubois@example.be',
    phone: '+32478901234',
    language: 'fr',
    gender: 'F',
    birthDate: '1990-01-12',
    address: be('Rue Royale 41', '7500', 'Tournai'),
    iban: 'BE32068012345602',
    jobTitle: 'Architecte',
    company: 'Atelier Escaut SRL',
    systems: ['billing', 'crm', 'support'],
    sinceDays: 790,
  },
} satisfies Record<string, DemoCustomer>;

const DAY = 86_400_000;
const iso = (d: Date) => d.toISOString();
const date = (d: Date) => d.toISOString().slice(0, 10);
const ago = (now: Date, days: number, hours = 0) => new Date(now.getTime() - days * DAY - hours * 3_600_000);
const cents = (n: number) => Math.round(n * 100) / 100;
/** First day of the month `back` months before `now` (UTC), at 06:00. */
const monthStart = (now: Date, back: number) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1, 6));

const base = (
  c: DemoCustomer,
  sk: string,
  category: string,
  origin: 'provided' | 'observed' | 'inferred',
) => ({
  pk: customerKey(c.customerNumber),
  sk,
  customerNumber: c.customerNumber,
  category,
  origin,
});

const fullName = (c: DemoCustomer) => `${c.firstName} ${c.lastName}`;

interface Line {
  description: string;
  quantity: number;
  unitPriceExclVat: number;
}

function invoice(
  c: DemoCustomer,
  index: number,
  issued: Date,
  lines: Line[],
  status: 'paid' | 'unpaid' | 'disputed',
  now: Date,
): Item {
  const year = issued.getUTCFullYear();
  const seq = String((issued.getUTCMonth() + 1) * 100 + index).padStart(4, '0');
  const invoiceNumber = `${year}-${seq}`;
  const priced = lines.map((l) => ({
    ...l,
    vatRate: 0.21,
    amountExclVat: cents(l.quantity * l.unitPriceExclVat),
  }));
  const totalExclVat = cents(priced.reduce((sum, l) => sum + l.amountExclVat, 0));
  const vatAmount = cents(totalExclVat * 0.21);
  const total = cents(totalExclVat + vatAmount);
  const due = new Date(issued.getTime() + 30 * DAY);
  const paidAt = new Date(issued.getTime() + 12 * DAY);
  const digits = `${c.customerNumber.slice(2)}${seq}`.slice(0, 10).padEnd(10, '0');
  const check = String(Number(BigInt(digits) % 97n) || 97).padStart(2, '0');
  const reference = `+++${digits.slice(0, 3)}/${digits.slice(3, 7)}/${digits.slice(7)}${check}+++`;
  return {
    ...base(c, `INVOICE#${invoiceNumber}`, 'contract', 'provided'),
    invoiceNumber,
    invoiceDate: date(issued),
    dueDate: date(due),
    name: fullName(c),
    address: c.address,
    email: c.email,
    phone: c.phone,
    lines: priced,
    totalExclVat,
    vatAmount,
    total,
    currency: 'EUR',
    status,
    sentTo: 'email',
    ...(status === 'paid' && paidAt < now
      ? {
          payment: {
            paidAt: iso(paidAt),
            amount: total,
            method: 'direct_debit',
            iban: c.iban,
            mandateId: `JSM-MND-${c.customerNumber.slice(2)}`,
            reference,
          },
        }
      : { payment: { amount: 0, method: 'direct_debit', reference, reminderSentAt: iso(ago(now, 3)) } }),
  };
}

const MOBILE: Line = { description: 'Mobiel abonnement Relax 25 GB', quantity: 1, unitPriceExclVat: 24.79 };
const FIBER: Line = { description: 'Internet Fiber 500', quantity: 1, unitPriceExclVat: 41.32 };

// Belgian bank codes (IBAN positions 5-7) of the demo accounts.
const BIC_BY_BANK_CODE: Record<string, string> = {
  '539': 'BPOTBEB1',
  '096': 'GKCCBEBB',
  '068': 'GKCCBEBB',
  '001': 'GEBABEBB',
  '063': 'BBRUBEBB',
};

function billing(now: Date): Item[] {
  const { an, jan, sophie, pieter, koen, sarah, celine } = DEMO_CUSTOMERS;
  const items: Item[] = [];

  for (const [i, c] of [an, jan, sophie, pieter, koen, sarah, celine].entries()) {
    items.push(
      {
        ...base(c, 'PROFILE', 'identification', 'provided'),
        firstName: c.firstName,
        lastName: c.lastName,
        email: c.email,
        phone: c.phone,
        address: c.address,
        language: c.language,
        billingCycle: 'monthly',
        createdAt: iso(ago(now, 900 + i * 120)),
      },
      {
        ...base(c, 'BANK_ACCOUNT', 'financial', 'provided'),
        iban: c.iban,
        bic: BIC_BY_BANK_CODE[c.iban?.slice(4, 7) ?? ''] ?? 'GEBABEBB',
        holder: fullName(c),
        mandateId: `JSM-MND-${c.customerNumber.slice(2)}`,
        mandateSignedAt: date(ago(now, 880 + i * 120)),
      },
      {
        ...base(c, 'CREDIT_SCORE', 'financial', 'inferred'),
        creditScore: [712, 655, 780, 590, 701, 688, 640][i],
        scale: '300-850',
        source: 'external credit bureau: Benelux Kredietinfo NV',
        purpose: 'eligibility for a device on instalments',
        checkedAt: iso(ago(now, 400 + i * 30)),
      },
    );
  }

  // An: three monthly invoices, all paid by direct debit, and last year's phone on instalments.
  for (let back = 1; back <= 3; back++) {
    const lines =
      back === 2
        ? [
            MOBILE,
            FIBER,
            { description: 'Roaming buiten de EU (Zwitserland)', quantity: 35, unitPriceExclVat: 0.45 },
          ]
        : [MOBILE, FIBER];
    items.push(invoice(an, 1, monthStart(now, back), lines, 'paid', now));
  }
  items.push(
    invoice(
      an,
      2,
      monthStart(now, 13),
      [
        { description: 'Toestel Fairphone 5 (afbetaling 1/1)', quantity: 1, unitPriceExclVat: 528.93 },
        { description: 'Activatiekosten', quantity: 1, unitPriceExclVat: 20.66 },
      ],
      'paid',
      now,
    ),
  );
  // Jan: one paid invoice and one unpaid (an open claim).
  items.push(invoice(jan, 3, monthStart(now, 2), [FIBER], 'paid', now));
  items.push(invoice(jan, 3, monthStart(now, 1), [FIBER], 'unpaid', now));
  items.push(invoice(sophie, 4, monthStart(now, 1), [MOBILE], 'paid', now));
  items.push(
    invoice(
      pieter,
      5,
      monthStart(now, 1),
      [{ description: 'Prepaid herlading', quantity: 2, unitPriceExclVat: 12.4 }],
      'paid',
      now,
    ),
  );

  // The household: one invoice each, sent to the mailbox they share.
  items.push(invoice(koen, 6, monthStart(now, 1), [FIBER], 'paid', now));
  items.push(invoice(sarah, 7, monthStart(now, 1), [MOBILE], 'paid', now));

  // Call records: numbers the customer called (other people's numbers, Art. 20(4)).
  const called = [
    '+3256221144',
    '+32479880011',
    '+32468776655',
    '+3292345678',
    '+41443001122',
    '+32475009988',
  ];
  for (let n = 0; n < 8; n++) {
    const startedAt = ago(now, 1 + n * 2, 3 + n);
    items.push({
      ...base(an, `CALL#${iso(startedAt)}`, 'usage', 'observed'),
      callingNumber: an.phone,
      calledNumber: called[n % called.length],
      startedAt: iso(startedAt),
      durationSeconds: 45 + n * 97,
      roaming: n === 4,
      costEur: n === 4 ? 1.85 : 0,
    });
  }
  for (const [i, c] of [jan, sophie].entries()) {
    const startedAt = ago(now, 2 + i, 5);
    items.push({
      ...base(c, `CALL#${iso(startedAt)}`, 'usage', 'observed'),
      callingNumber: c.phone,
      calledNumber: '+3256200300',
      startedAt: iso(startedAt),
      durationSeconds: 312,
      roaming: false,
      costEur: 0,
    });
  }
  items.push(...disputedFinalInvoice(now));
  return items;
}

/** The day `days` after the first of the month `back` months before `now`, at `hour` (UTC). */
const inMonth = (now: Date, back: number, days: number, hour: number) =>
  new Date(monthStart(now, back).getTime() + days * DAY + (hour - 6) * 3_600_000);

// Céline's invoices: issued on the first of the month for the calls of the month before.
const CELINE_INVOICES = [
  { back: 14, status: 'paid', calls: [{ day: 9, hour: 18, seconds: 64 }] },
  {
    back: 3,
    status: 'paid',
    calls: [
      { day: 4, hour: 9, seconds: 312 },
      { day: 19, hour: 20, seconds: 1260 },
    ],
  },
  {
    back: 2,
    status: 'disputed',
    calls: [
      { day: 2, hour: 11, seconds: 95 },
      { day: 10, hour: 17, seconds: 640 },
      { day: 23, hour: 8, seconds: 188 },
    ],
  },
] as const;
const MOBILE_FR: Line = {
  description: 'Abonnement mobile Relax 25 GB',
  quantity: 1,
  unitPriceExclVat: 24.79,
};

/** Céline's invoices and the calls billed on each: the last one, the final invoice, is disputed. */
function disputedFinalInvoice(now: Date): Item[] {
  const { celine } = DEMO_CUSTOMERS;
  const items: Item[] = [];
  for (const { back, status, calls } of CELINE_INVOICES) {
    const final = status === 'disputed';
    const lines = final
      ? [MOBILE_FR, { description: 'Frais de résiliation anticipée', quantity: 1, unitPriceExclVat: 49.59 }]
      : [MOBILE_FR];
    const bill = invoice(celine, 8, monthStart(now, back), lines, status, now);
    items.push(bill);
    for (const [n, call] of calls.entries()) {
      const startedAt = inMonth(now, back + 1, call.day, call.hour);
      items.push({
        ...base(celine, `CALL#${iso(startedAt)}`, 'usage', 'observed'),
        callingNumber: celine.phone,
        calledNumber: ['+3269221100', '+32477123987', '+33320556677'][n % 3],
        startedAt: iso(startedAt),
        durationSeconds: call.seconds,
        roaming: false,
        costEur: 0,
        // The bill a call was charged on: what an open claim on that bill keeps (P3).
        invoiceNumber: bill.invoiceNumber,
      });
    }
  }
  return items;
}

/** Céline's disputed invoice, as support links a dispute ticket to it. */
export function celinesDisputedInvoice(now: Date): {
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
} {
  const bill = disputedFinalInvoice(now).find((i) => i.status === 'disputed') as Item;
  return {
    invoiceNumber: String(bill.invoiceNumber),
    invoiceDate: String(bill.invoiceDate),
    dueDate: String(bill.dueDate),
  };
}

const INTERESTS: Record<string, { topic: string; score: number }[]> = {
  'C-100234': [
    { topic: 'travel', score: 0.82 },
    { topic: 'streaming', score: 0.64 },
    { topic: 'smart-home', score: 0.31 },
  ],
  'C-100311': [{ topic: 'football', score: 0.77 }],
  'C-100618': [{ topic: 'family-plans', score: 0.58 }],
};

function crm(now: Date): Item[] {
  const items: Item[] = [];
  for (const [i, c] of (Object.values(DEMO_CUSTOMERS) as DemoCustomer[]).entries()) {
    const since = ago(now, c.sinceDays ?? 1200 - i * 150);
    items.push(
      crmProfile(c, since),
      crmContact(c, i % 2 === 0 ? 'email' : 'phone', ago(now, 60 + i * 7)),
      {
        ...base(c, 'PROFESSIONAL', 'professional', 'provided'),
        jobTitle: c.jobTitle,
        company: c.company,
        updatedAt: iso(ago(now, 300 + i * 11)),
      },
      crmAccount(c, since, ago(now, 3 + i, 2), i % 3 === 0),
    );
    const consents: [string, boolean][] = [
      ['newsletter', c.systems.includes('marketing')],
      ['direct_mailing', c.customerNumber === 'C-100234' || c.customerNumber === 'C-100311'],
      ['profiling', c.customerNumber in INTERESTS],
    ];
    for (const [purpose, granted] of consents) {
      items.push({
        ...base(c, `CONSENT#${purpose}`, 'preferences', 'provided'),
        purpose,
        granted,
        recordedAt: iso(ago(now, 200 + i * 13)),
        channel: 'web',
        policyVersion: '2024-03',
      });
    }
    for (const interest of INTERESTS[c.customerNumber] ?? []) {
      items.push({
        ...base(c, `INTEREST#${interest.topic}`, 'profiling', 'inferred'),
        topic: interest.topic,
        score: interest.score,
        derivedFrom: 'usage and purchase history',
        updatedAt: iso(ago(now, 14 + i)),
      });
    }
  }
  // Céline's mobile contract, ended when she left: nothing runs, so an erasure keeps none of it in CRM.
  const { celine } = DEMO_CUSTOMERS;
  items.push({
    ...base(celine, 'CONTRACT#CT-100927-01', 'contract', 'provided'),
    contractNumber: 'CT-100927-01',
    product: 'Abonnement mobile Relax 25 GB',
    startedAt: date(ago(now, celine.sinceDays)),
    endsAt: date(new Date(monthStart(now, 2).getTime() - DAY)),
    status: 'ended',
  });
  return items;
}

function support(now: Date): Item[] {
  const { an, noor, jan, celine } = DEMO_CUSTOMERS;
  const ticket = (c: DemoCustomer, id: string, daysAgo: number, fields: Item): Item => ({
    ...base(c, `TICKET#${id}`, 'support', 'provided'),
    ticketId: id,
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    phone: c.phone,
    openedAt: iso(ago(now, daysAgo)),
    ...fields,
  });
  const note = (c: DemoCustomer, ticketId: string, daysAgo: number, agent: string, text: string): Item => {
    const at = iso(ago(now, daysAgo, 1));
    return { ...base(c, `NOTE#${at}`, 'support', 'observed'), ticketId, at, agent, text };
  };
  // She wrote nine days after her final invoice was issued.
  const disputed = celinesDisputedInvoice(now);
  const disputedDaysAgo = Math.floor((now.getTime() - Date.parse(disputed.invoiceDate)) / DAY) - 9;
  return [
    ticket(an, 'T-24817', 48, {
      subject: 'Dubbele aanrekening roaming',
      description: 'Roaming in Zwitserland staat twee keer op mijn factuur.',
      status: 'closed',
      closedAt: iso(ago(now, 44)),
      channel: 'phone',
    }),
    note(
      an,
      'T-24817',
      48,
      'agent 214',
      'Mevr. Devos belt samen met haar partner Tom Claes; factuur gecontroleerd, roaming inderdaad dubbel. Creditnota beloofd.',
    ),
    note(
      an,
      'T-24817',
      44,
      'agent 087',
      'Creditnota verstuurd. Klant tevreden. Buurvrouw Els Vandamme (els.vandamme@example.be, 0478 11 22 33) heeft volgens haar hetzelfde probleem.',
    ),
    ticket(an, 'T-25102', 9, {
      subject: 'Glasvezel valt weg',
      description: 'Internet valt elke avond rond 21u weg sinds de werken in de straat.',
      status: 'open',
      channel: 'web',
    }),
    note(an, 'T-25102', 8, 'agent 214', 'Technieker ingepland; klant thuis na 17u (telefoon: +32470123456).'),
    ticket(noor, 'T-25033', 21, {
      subject: 'eSIM activation',
      description: 'My eSIM does not activate on my new phone.',
      status: 'closed',
      closedAt: iso(ago(now, 20)),
      channel: 'chat',
    }),
    note(noor, 'T-25033', 21, 'agent 132', 'New QR code sent; customer confirmed activation.'),
    ticket(jan, 'T-25090', 12, {
      subject: 'Betwisting factuur',
      description: 'Ik betaal niet voor een maand zonder internet.',
      status: 'open',
      channel: 'letter',
    }),
    note(jan, 'T-25090', 11, 'agent 087', 'Klant betwist laatste factuur; storing in Heule wordt nagekeken.'),
    // Céline disputes her final invoice: the ticket names it, so an erasure keeps the ticket with the claim (P3).
    ticket(celine, 'T-25311', disputedDaysAgo, {
      subject: 'Contestation de la facture finale',
      description: 'Je conteste les frais de résiliation anticipée : mon contrat était arrivé à son terme.',
      status: 'open',
      channel: 'email',
      topic: 'invoice_dispute',
      invoiceNumber: disputed.invoiceNumber,
      invoiceDueDate: disputed.dueDate,
    }),
    note(
      celine,
      'T-25311',
      disputedDaysAgo - 1,
      'agent 132',
      'Mme Dubois conteste les frais de résiliation. Facture mise en attente ; la rappeler au 0478 90 12 34 ou écrire à celine.dubois@example.be.',
    ),
    ticket(celine, 'T-24990', 200, {
      subject: 'Portage de numéro',
      description: 'Je souhaite garder mon numéro avec mon nouvel appareil.',
      status: 'closed',
      closedAt: iso(ago(now, 199)),
      channel: 'chat',
    }),
    note(celine, 'T-24990', 200, 'agent 214', 'Nouvelle carte SIM envoyée à la cliente.'),
  ];
}

function marketing(now: Date): Item[] {
  const { an, luc, sophie } = DEMO_CUSTOMERS;
  const items: Item[] = [];
  for (const [i, c] of [an, luc, sophie].entries()) {
    items.push({
      ...base(c, 'LIST#newsletter', 'marketing', 'provided'),
      list: 'newsletter',
      email: c.email,
      firstName: c.firstName,
      lastName: c.lastName,
      language: c.language,
      gender: c.gender,
      subscribedAt: iso(ago(now, 500 - i * 90)),
      source: 'website',
      processor: 'e-mail marketing processor',
    });
  }
  for (const [i, c] of [an, luc].entries()) {
    items.push({
      ...base(c, 'LIST#direct_mailing', 'marketing', 'provided'),
      list: 'direct_mailing',
      // The statement names the e-mail address among what the direct-mailing processor receives (section 9).
      email: c.email,
      firstName: c.firstName,
      lastName: c.lastName,
      address: c.address,
      language: c.language,
      gender: c.gender,
      addedAt: iso(ago(now, 300 - i * 40)),
      processor: 'direct-mailing processor',
    });
  }
  return items;
}

// ---- The retention sweep's demo (P11): people who stopped being customers, and what the law still keeps ----

/**
 * Former customers, dated so the retention sweep has work at any clock: Griet, Bart and Hilde have been inactive
 * for more than three years (Bart with an unpaid invoice, an open claim; Griet with an invoice whose ten years have
 * ended), Wim's prepaid contract still runs though he has done nothing for years, and Lotte logged in two years and
 * eleven months ago. Nobody here shares anything with the customers above.
 */
export const INACTIVE_CUSTOMERS = {
  griet: {
    customerNumber: 'C-090117',
    firstName: 'Griet',
    lastName: 'Maes',
    email: 'griet.maes@example.be',
    phone: '+32476112233',
    language: 'nl',
    gender: 'F',
    birthDate: '1968-08-09',
    address: be('Grote Markt 3', '8900', 'Ieper'),
    iban: 'BE43001234567801',
    jobTitle: 'Boekhouder',
    company: 'Westhoek Fiduciaire BV',
    systems: ['billing', 'crm', 'support', 'marketing'],
  },
  bart: {
    customerNumber: 'C-090254',
    firstName: 'Bart',
    lastName: 'Jacobs',
    email: 'bart.jacobs@example.be',
    phone: '+32477223344',
    language: 'fr',
    gender: 'M',
    birthDate: '1990-01-27',
    address: be('Rue Haute 112', '1000', 'Bruxelles'),
    iban: 'BE95063012345620',
    jobTitle: 'Graphiste',
    company: 'Atelier Marolles',
    systems: ['billing', 'crm'],
  },
  hilde: {
    customerNumber: 'C-090388',
    firstName: 'Hilde',
    lastName: 'Wuyts',
    email: 'hilde.wuyts@example.be',
    phone: '+32478334455',
    language: 'nl',
    gender: 'F',
    birthDate: '1975-10-14',
    address: be('Vrijthof 9', '3500', 'Hasselt'),
    jobTitle: 'Apotheker',
    company: 'Apotheek Vrijthof',
    systems: ['crm', 'marketing'],
  },
  wim: {
    customerNumber: 'C-090421',
    firstName: 'Wim',
    lastName: 'Goossens',
    email: 'wim.goossens@example.be',
    phone: '+32479445566',
    language: 'nl',
    gender: 'M',
    birthDate: '1952-06-30',
    address: be('Kasteelstraat 21', '2800', 'Mechelen'),
    iban: 'BE12001987654392',
    jobTitle: 'Gepensioneerd',
    company: '-',
    systems: ['billing', 'crm'],
  },
  lotte: {
    customerNumber: 'C-090536',
    firstName: 'Lotte',
    lastName: 'Hermans',
    email: 'lotte.hermans@example.be',
    phone: '+32470556677',
    language: 'en',
    gender: 'F',
    birthDate: '1999-12-11',
    address: be('Naamsestraat 60', '3000', 'Leuven'),
    jobTitle: 'PhD researcher',
    company: 'KU Leuven',
    systems: ['crm'],
  },
} satisfies Record<string, DemoCustomer>;

/** `now` moved back by whole years, months and days (UTC), at 10:00. */
const before = (now: Date, years: number, months = 0, days = 0) =>
  new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth() - months, now.getUTCDate() - days, 10));

/** A customer's CRM identity record. */
const crmProfile = (c: DemoCustomer, since: Date): Item => ({
  ...base(c, 'PROFILE', 'identification', 'provided'),
  firstName: c.firstName,
  lastName: c.lastName,
  gender: c.gender,
  birthDate: c.birthDate,
  language: c.language,
  email: c.email,
  customerSince: date(since),
});

/** A customer's CRM contact record. */
const crmContact = (c: DemoCustomer, preferredChannel: string, updatedAt: Date): Item => ({
  ...base(c, 'CONTACT', 'contact', 'provided'),
  email: c.email,
  phone: c.phone,
  address: c.address,
  preferredChannel,
  updatedAt: iso(updatedAt),
});

/** A customer's account. A fake argon2id hash: the account exists, the password is never stored (P16). */
const crmAccount = (c: DemoCustomer, since: Date, lastLogin: Date, mfaEnabled: boolean): Item => ({
  ...base(c, 'ACCOUNT', 'contract', 'provided'),
  email: c.email,
  username: c.email,
  passwordHash: `$argon2id$v=19$m=65536,t=3,p=4$${Buffer.from(`salt-${c.customerNumber}`).toString('base64url')}$${Buffer.from(`demo-hash-${c.customerNumber}-not-a-real-one`).toString('base64url')}`,
  createdAt: iso(since),
  lastLoginAt: iso(lastLogin),
  mfaEnabled,
});

/** A former customer's CRM records, every date on or before `lastSeen`. */
function dormantCrm(c: DemoCustomer, since: Date, lastSeen: Date): Item[] {
  return [
    crmProfile(c, since),
    crmContact(c, 'email', since),
    crmAccount(c, since, lastSeen, false),
    {
      ...base(c, 'CONSENT#newsletter', 'preferences', 'provided'),
      purpose: 'newsletter',
      granted: c.systems.includes('marketing'),
      recordedAt: iso(since),
      channel: 'web',
      policyVersion: '2019-05',
    },
  ];
}

/** A former customer's billing profile; `contract` says whether their contract still runs. */
const dormantBillingProfile = (c: DemoCustomer, since: Date, contract: Item): Item => ({
  ...base(c, 'PROFILE', 'identification', 'provided'),
  firstName: c.firstName,
  lastName: c.lastName,
  email: c.email,
  phone: c.phone,
  address: c.address,
  language: c.language,
  billingCycle: 'monthly',
  createdAt: iso(since),
  contract,
});

function inactiveData(now: Date): Record<BuiltInSystem, Item[]> {
  const { griet, bart, hilde, wim, lotte } = INACTIVE_CUSTOMERS;
  const billing: Item[] = [
    // Griet left four years ago; one invoice is twelve years old, so its ten years of fiscal retention are over.
    dormantBillingProfile(griet, before(now, 13), { status: 'ended', endedOn: date(before(now, 4, 1)) }),
    invoice(griet, 1, before(now, 12, 2), [MOBILE], 'paid', now),
    invoice(griet, 1, before(now, 4, 3), [MOBILE, FIBER], 'paid', now),
    invoice(griet, 2, before(now, 4, 2), [MOBILE, FIBER], 'paid', now),
    // Bart left three years and some months ago without paying his last invoice: an open claim.
    dormantBillingProfile(bart, before(now, 6), { status: 'ended', endedOn: date(before(now, 3, 3)) }),
    invoice(bart, 1, before(now, 3, 5), [MOBILE], 'paid', now),
    invoice(bart, 2, before(now, 3, 4), [MOBILE], 'unpaid', now),
    // Wim paid five years of fibre up front four and a half years ago: the contract runs, he does nothing.
    dormantBillingProfile(wim, before(now, 4, 6), {
      status: 'running',
      product: 'Internet Fiber 500, 5 jaar vooruitbetaald',
      endsOn: date(new Date(Date.UTC(now.getUTCFullYear() + 1, now.getUTCMonth(), 1))),
    }),
    invoice(
      wim,
      1,
      before(now, 4, 6),
      [
        {
          description: 'Internet Fiber 500, 60 maanden vooruitbetaald',
          quantity: 60,
          unitPriceExclVat: 37.19,
        },
      ],
      'paid',
      now,
    ),
  ];
  const support: Item[] = [
    {
      ...base(griet, 'TICKET#T-19022', 'support', 'provided'),
      ticketId: 'T-19022',
      firstName: griet.firstName,
      lastName: griet.lastName,
      email: griet.email,
      phone: griet.phone,
      openedAt: iso(before(now, 5, 2)),
      closedAt: iso(before(now, 5, 2, -3)),
      subject: 'Opzeggen abonnement',
      description: 'Ik verhuis naar het buitenland en wil mijn abonnement stopzetten.',
      status: 'closed',
      channel: 'phone',
    },
  ];
  const newsletter = (c: DemoCustomer, subscribed: Date): Item => ({
    ...base(c, 'LIST#newsletter', 'marketing', 'provided'),
    list: 'newsletter',
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
    language: c.language,
    gender: c.gender,
    subscribedAt: iso(subscribed),
    source: 'website',
    processor: 'e-mail marketing processor',
  });
  return {
    billing,
    crm: [
      ...dormantCrm(griet, before(now, 13), before(now, 4)),
      ...dormantCrm(bart, before(now, 6), before(now, 3, 2)),
      ...dormantCrm(hilde, before(now, 9), before(now, 5)),
      ...dormantCrm(wim, before(now, 4, 6), before(now, 4)),
      ...dormantCrm(lotte, before(now, 5), before(now, 2, 11)),
    ],
    support,
    marketing: [newsletter(griet, before(now, 6)), newsletter(hilde, before(now, 6, 4))],
  };
}

/** The pseudonymous id under which a customer erased long ago still has invoices kept (their address is gone). */
export const LONG_ERASED_REF = 's_DemoErasedLongAgo000000000000000';

/**
 * Billing's restricted records of a customer erased years ago: two invoices whose ten years are over (the purge
 * removes them), one whose dispute is still open (the purge keeps it, P3: Art. 17(3)(e)) and one still within its
 * ten years.
 */
export function demoRestricted(now: Date): Item[] {
  const gone: DemoCustomer = {
    ...INACTIVE_CUSTOMERS.griet,
    customerNumber: 'C-080999',
    firstName: 'Former',
    lastName: 'Customer',
    email: 'former.customer@example.be',
    phone: '+32470000000',
    address: be('Stationsstraat 1', '8500', 'Kortrijk'),
    iban: undefined,
    systems: ['billing'],
  };
  const erasedAt = before(now, 8);
  return [
    invoice(gone, 1, before(now, 12, 1), [FIBER], 'paid', now),
    invoice(gone, 2, before(now, 11, 6), [FIBER], 'paid', now),
    invoice(gone, 3, before(now, 11, 5), [FIBER], 'disputed', now),
    invoice(gone, 4, before(now, 9, 1), [FIBER], 'paid', now),
  ].map((item) => {
    const restriction = restrictInvoice(item as StoredItem);
    if (!restriction) throw new Error('An invoice is always kept');
    return restrictedRecord(item as StoredItem, restriction, LONG_ERASED_REF, erasedAt);
  });
}

/** Every system's records, with dates relative to `now`. */
export function demoData(now: Date): Record<BuiltInSystem, Record<string, unknown>[]> {
  const inactive = inactiveData(now);
  return {
    billing: [...billing(now), ...inactive.billing],
    crm: [...crm(now), ...inactive.crm],
    support: [...support(now), ...inactive.support],
    marketing: [...marketing(now), ...inactive.marketing],
  };
}

/** Marks a seeded store, so a restart of the runtime does not bring back what an erasure removed. */
export const SEED_MARKER = { pk: 'META', sk: 'SEED' } as const;

/**
 * Writes the demo records into each system table (TABLE_NAMES.system), once: a store that already holds the
 * seed marker is left alone unless `force`. Resolves to whether it wrote anything.
 */
export async function seedDemoData(
  doc: DynamoDBDocumentClient,
  now: Date,
  options: { force?: boolean } = {},
): Promise<boolean> {
  const data = demoData(now);
  let wrote = false;
  for (const [system, records] of Object.entries(data) as [BuiltInSystem, Item[]][]) {
    const table = TABLE_NAMES.system(system);
    // Each system's subject list (P11), and billing's invoices of a customer erased long ago (P3).
    const numbers = [...new Set(records.map((i) => String(i.customerNumber)))];
    const items = [
      ...records,
      ...numbers.map(subjectListEntry),
      ...(system === 'billing' ? demoRestricted(now) : []),
    ];
    if (!options.force) {
      const marker = await doc.send(
        new GetCommand({ TableName: table, Key: SEED_MARKER, ConsistentRead: true }),
      );
      if (marker.Item) continue;
    }
    for (let i = 0; i < items.length; i += 25) {
      let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let round = 0; requests.length > 0; round++) {
        if (round > 8) throw new Error(`Seeding ${table} left items unprocessed`);
        if (round > 0) await new Promise((done) => setTimeout(done, 50 * 2 ** round));
        const result = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
    await doc.send(
      new PutCommand({ TableName: table, Item: { ...SEED_MARKER, seededAt: now.toISOString() } }),
    );
    wrote = true;
  }
  return wrote;
}

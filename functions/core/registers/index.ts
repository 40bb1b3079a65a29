// The registers kept as data (PROMISES P13, P17): what each system processes, why, on which legal basis, for how
// long and from which source; and who receives which fields. Validated by zod at load, so a broken register
// fails the first test and the first cold start, never a subject's access report. No AWS here.
import * as z from 'zod';
import { RECTIFIABLE_FIELDS } from '../connector.ts';
import { SystemName } from '../schemas.ts';
import { MARKETING_LISTS } from '../suppression.ts';
import processingRegisterJson from './processing-register.json' with { type: 'json' };
import recipientsJson from './recipients.json' with { type: 'json' };

export * from './processing.ts';

import { type ProcessingLine, ProcessingRegister, type SystemEntry, Text } from './processing.ts';

export const NOTIFICATION_EVENTS = ['rectification', 'erasure', 'objection', 'opt_out'] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

// P14: no party outside the EU receives personal data.
const EU_COUNTRIES = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
] as const;

const RecipientField = z.enum(RECTIFIABLE_FIELDS);

export const Recipient = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    kind: z.enum(['processor', 'recipient']),
    name: z.string().min(1),
    country: z.enum(EU_COUNTRIES),
    service: Text,
    purposes: z.array(z.string()).min(1),
    systems: z.array(SystemName).min(1),
    /**
     * the record types of its systems (as the processing register names them) it receives: only a subject found
     * with one of them has had data sent to it (P13, CJEU C-154/21)
     */
    records: z.array(z.string().regex(/^[A-Z_]+$/)).min(1),
    /** when not empty, it receives only the data of subjects on one of these lists */
    lists: z.array(z.enum(MARKETING_LISTS)),
    /** the fields it receives (P13); rectified fields decide whom Art. 19 notifies */
    fields: z.array(RecipientField).min(1),
    /** fields it receives that the statement's section 9 does not name */
    fieldsBeyondStatement: z.array(RecipientField).optional(),
    notify: z.strictObject({
      /** a template: `{recipientsBaseUrl}` is the configured base (the embedded runtime's endpoints locally) */
      url: z.string().regex(/^(\{recipientsBaseUrl\}|https:\/\/)[^\s]*$/),
      events: z.array(z.enum(NOTIFICATION_EVENTS)).min(1),
    }),
  })
  .refine((r) => (r.fieldsBeyondStatement ?? []).every((f) => r.fields.includes(f)), {
    message: 'fieldsBeyondStatement must be among fields',
  });
export type Recipient = z.infer<typeof Recipient>;

export const RecipientsRegister = z
  .strictObject({
    version: z.string(),
    /** what the statement (section 9) says processors receive: name, first name, language, gender, e-mail */
    statementFields: z.array(RecipientField).min(1),
    recipients: z.array(Recipient).min(1),
  })
  .superRefine((register, ctx) => {
    const ids = register.recipients.map((r) => r.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'Recipient ids repeat' });
    const purposes = loadProcessingRegister().purposes;
    for (const [i, r] of register.recipients.entries()) {
      for (const p of r.purposes.filter((p) => !(p in purposes))) {
        ctx.addIssue({
          code: 'custom',
          path: ['recipients', i, 'purposes'],
          message: `Unknown purpose ${p}`,
        });
      }
      // Whatever the statement promises a processor receives must be in its list, else the register is wrong.
      for (const f of register.statementFields.filter((f) => !r.fields.includes(f))) {
        ctx.addIssue({
          code: 'custom',
          path: ['recipients', i, 'fields'],
          message: `Missing statement field ${f}`,
        });
      }
      // What it receives must be what its systems hold, else no subject could ever be found to have reached it.
      const held = new Set(r.systems.flatMap((s) => purposesOf(s).flatMap((line) => line.records)));
      for (const type of r.records.filter((t) => !held.has(t))) {
        ctx.addIssue({
          code: 'custom',
          path: ['recipients', i, 'records'],
          message: `Record type ${type} is not held by ${r.systems.join(', ')}`,
        });
      }
      const beyond = r.fields.filter((f) => !register.statementFields.includes(f));
      if (beyond.some((f) => !(r.fieldsBeyondStatement ?? []).includes(f))) {
        ctx.addIssue({
          code: 'custom',
          path: ['recipients', i, 'fieldsBeyondStatement'],
          message: 'Fields beyond the statement must be declared as such',
        });
      }
    }
  });
export type RecipientsRegister = z.infer<typeof RecipientsRegister>;

let processing: ProcessingRegister | undefined;
let recipients: RecipientsRegister | undefined;

/** The processing register (P17), validated once; throws with the zod issues if the data is wrong. */
export function loadProcessingRegister(): ProcessingRegister {
  processing ??= ProcessingRegister.parse(processingRegisterJson);
  return processing;
}

/** The recipients register (P13), validated once against itself and the processing register. */
export function loadRecipients(): RecipientsRegister {
  recipients ??= RecipientsRegister.parse(recipientsJson);
  return recipients;
}

/** The processing lines of one system (purposes, legal bases, retention) for the access report (P1). */
export function purposesOf(system: SystemName): ProcessingLine[] {
  return systemEntry(system)?.processing ?? [];
}

/** One system's entry of the processing register; a configured system may have none (P17). */
export function systemEntry(system: SystemName): SystemEntry | undefined {
  return loadProcessingRegister().systems[system];
}

/**
 * What an objection to processing on legitimate interest (Art. 21(1)) covers in one system: each purpose resting on
 * it, other than direct marketing (objected to absolutely, Art. 21(2)–(3)), with the record types it covers.
 */
export function legitimateInterestPurposes(system: SystemName): { purpose: string; records: string[] }[] {
  const { purposes } = loadProcessingRegister();
  return purposesOf(system)
    .filter((l) => l.legalBasis.includes('legitimate_interest') && !purposes[l.purpose]?.directMarketing)
    .map((l) => ({ purpose: l.purpose, records: l.records }));
}

/** Recipients of one system's data. */
export function recipientsOf(system: SystemName): Recipient[] {
  return loadRecipients().recipients.filter((r) => r.systems.includes(system));
}

/**
 * Whom to notify after an event (Art. 19, Art. 28(3)(a)): recipients of the systems involved that take the
 * event, and for a rectification only those receiving a changed field.
 */
export function recipientsToNotify(input: {
  event: NotificationEvent;
  systems: readonly SystemName[];
  fields?: readonly string[];
}): Recipient[] {
  return loadRecipients().recipients.filter(
    (r) =>
      r.notify.events.includes(input.event) &&
      r.systems.some((s) => input.systems.includes(s)) &&
      (input.event !== 'rectification' || r.fields.some((f) => input.fields?.includes(f))),
  );
}

/** A recipient's notification URL with its placeholders filled; refuses an unknown placeholder or a bad URL. */
export function notificationUrl(recipient: Recipient, vars: { recipientsBaseUrl: string }): string {
  const url = recipient.notify.url.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = (vars as Record<string, string>)[name];
    if (value === undefined) throw new Error(`No value for {${name}} in ${recipient.id}'s notification URL`);
    return value.replace(/\/+$/, '');
  });
  return new URL(url).toString();
}

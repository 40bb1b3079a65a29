// The processing register's shape (PROMISES P17): what each system processes, why, on which legal basis, for how
// long and from which source. Validated by zod when index.ts loads it. No AWS here.
import * as z from 'zod';
import { type BuiltInSystem, CATEGORIES, SYSTEMS } from '../schemas.ts';
import { isSystem } from '../systems.ts';

/** A text in every language the subject may read (P18). */
export const Text = z.strictObject({
  nl: z.string().min(1),
  fr: z.string().min(1),
  en: z.string().min(1),
});
export type Text = z.infer<typeof Text>;

export const REGISTER_CATEGORIES = CATEGORIES;
const Category = z.enum(REGISTER_CATEGORIES);

export const LEGAL_BASES = ['consent', 'contract', 'legal_obligation', 'legitimate_interest'] as const;
const LegalBasis = z.enum(LEGAL_BASES);
export type LegalBasis = (typeof LEGAL_BASES)[number];

/** Retention rules the retention sweep (P11) and the purge know by name. */
export const RETENTION_RULES = [
  'fiscal',
  'inactivity',
  'traffic_data',
  'claims',
  'until_withdrawn',
  'while_objection_stands',
  'recruitment',
] as const;
const RetentionRule = z.enum(RETENTION_RULES);
export type RetentionRuleName = z.infer<typeof RetentionRule>;

/** Rules whose period the erasure counts a purge date with (core/retention.ts): the period lives here, not in code. */
export const PERIOD_RULES = ['traffic_data', 'claims'] as const satisfies readonly RetentionRuleName[];

const RetentionRuleEntry = z
  .strictObject({
    /** the period, in years and months; the text says it in words, with its legal source */
    years: z.number().int().positive().optional(),
    months: z.number().int().positive().optional(),
    text: Text,
  })
  .refine((r) => !(r.years && r.months), { message: 'A period in years or in months, not both' });
export type RetentionRuleEntry = z.infer<typeof RetentionRuleEntry>;

const Processing = z.strictObject({
  purpose: z.string(),
  /** record types (sort-key prefixes) of the system this line covers */
  records: z.array(z.string().regex(/^[A-Z_]+$/)).min(1),
  categories: z.array(Category).min(1),
  legalBasis: z.array(LegalBasis).min(1),
  legalBasisNote: Text.optional(),
  retention: z.strictObject({ rule: RetentionRule, years: z.number().int().positive().optional() }),
});

const SystemEntry = z.strictObject({
  description: Text,
  processing: z.array(Processing).min(1),
  /** Art. 14 / 15(1)(g): where data not collected from the subject comes from */
  sources: z.array(
    z.strictObject({
      records: z.array(z.string()).min(1),
      category: Category,
      source: z.string().min(1),
      text: Text,
    }),
  ),
  /** Art. 15(1)(h): whether decisions are made solely by automated means, and which */
  automatedDecisions: z.strictObject({ made: z.boolean(), text: Text }),
});

export const ProcessingRegister = z
  .strictObject({
    version: z.string(),
    controller: z.strictObject({
      name: z.string(),
      address: z.string(),
      enterpriseNumber: z.string(),
      phone: z.string(),
      email: z.string(),
      website: z.string(),
    }),
    legalBases: z.record(LegalBasis, z.strictObject({ article: z.string(), text: Text })),
    retentionRules: z.record(RetentionRule, RetentionRuleEntry),
    purposes: z.record(
      z.string().regex(/^[a-z_]+$/),
      z.strictObject({
        statementSection: z.string(),
        heldOutsideSystems: z.boolean().optional(),
        /** direct marketing, or profiling for it: objected to absolutely (Art. 21(2)–(3)), never weighed */
        directMarketing: z.boolean().optional(),
        text: Text,
      }),
    ),
    // Every built-in system; a configured one (config/systems/, P17) may add its own entry under its name.
    systems: z
      .strictObject(
        Object.fromEntries(SYSTEMS.map((s) => [s, SystemEntry])) as Record<BuiltInSystem, typeof SystemEntry>,
      )
      .catchall(SystemEntry),
  })
  .superRefine((register, ctx) => {
    for (const rule of PERIOD_RULES) {
      const entry = register.retentionRules[rule];
      if (!entry?.years && !entry?.months) {
        ctx.addIssue({
          code: 'custom',
          path: ['retentionRules', rule],
          message: `The ${rule} rule needs its period (years or months): purge dates are counted with it`,
        });
      }
    }
    for (const [system, entry] of Object.entries(register.systems)) {
      if (!isSystem(system))
        ctx.addIssue({ code: 'custom', path: ['systems', system], message: `Unknown system ${system}` });
      for (const [i, line] of entry.processing.entries()) {
        if (!(line.purpose in register.purposes)) {
          ctx.addIssue({
            code: 'custom',
            path: ['systems', system, 'processing', i, 'purpose'],
            message: `Unknown purpose ${line.purpose}`,
          });
        }
        if (line.retention.rule === 'fiscal' && line.retention.years !== 10) {
          ctx.addIssue({
            code: 'custom',
            path: ['systems', system, 'processing', i, 'retention'],
            message: 'Invoices are kept 10 years (VAT Code art. 60 §4)',
          });
        }
      }
    }
  });
export type ProcessingRegister = z.infer<typeof ProcessingRegister>;
export type ProcessingLine = z.infer<typeof Processing>;
export type SystemEntry = z.infer<typeof SystemEntry>;

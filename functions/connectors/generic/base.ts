// What every system added by configuration declares, whatever reaches it (P16, P17).
import * as z from 'zod';
import { CATEGORIES, SYSTEMS } from '../../core/builtins.ts';

const Text = z.string().trim().min(1).max(200);

/** The fields common to every configured system's file in config/systems/. */
export const SystemBase = z.strictObject({
  /** the system's name in requests, outcomes and the audit trail; never one of the built-in systems' */
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,39}$/)
    .refine((n) => !(SYSTEMS as readonly string[]).includes(n), 'a built-in system has this name'),
  /** how subjects and staff read the system's name, in every language of P18 */
  label: z.strictObject({ nl: Text, fr: Text, en: Text }),
  /** the categories of personal data it holds (P16) */
  categories: z.array(z.enum(CATEGORIES)).min(1),
});

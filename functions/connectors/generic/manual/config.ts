// A system without an API: each operation becomes a task for the system's owner, who answers through a signed
// link (core/manual-tasks.ts), without a console login (P16, P17).
import * as z from 'zod';
import { SystemBase } from '../base.ts';

/** The operations an owner can carry out by hand; a locate or a recheck never bothers them. */
export const MANUAL_OPERATIONS = ['erase', 'export', 'rectify', 'object'] as const;
export const ManualOperation = z.enum(MANUAL_OPERATIONS);
export type ManualOperation = z.infer<typeof ManualOperation>;

/** The largest extract an owner may upload (API Gateway's payload limit is 10 MB, base64 adds a third). */
export const MAX_UPLOAD_BYTES = 6 * 1024 * 1024;

export const ManualSystem = SystemBase.extend({
  kind: z.literal('manual'),
  /** who carries out the tasks, and the language their mails and pages are in (P18) */
  owner: z.strictObject({
    emails: z.array(z.string().trim().toLowerCase().email()).min(1).max(5),
    // core/schemas.ts's Language, spelled out: that module validates system names with this file (core/systems.ts).
    language: z.enum(['nl', 'fr', 'en']),
  }),
  /** days between reminders of an open task */
  reminderDays: z.number().int().min(1).max(14).default(3),
  /** what the owner can do; any other operation is answered `skipped` at once */
  operations: z.array(ManualOperation).min(1),
  /** what an extract for access or portability may be (P1, P7) */
  upload: z
    .strictObject({
      formats: z.array(z.enum(['json', 'csv'])).min(1),
      maxBytes: z.number().int().min(1).max(MAX_UPLOAD_BYTES),
    })
    .default({ formats: ['json', 'csv'], maxBytes: 2 * 1024 * 1024 }),
});
export type ManualSystem = z.infer<typeof ManualSystem>;

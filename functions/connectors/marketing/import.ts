// Imports subscribers into the marketing lists (a sign-up export, the e-mail marketing processor's sync).
// Whoever objected or opted out is skipped (P6): each row is written in one transaction with a check that no
// suppression entry for its keyed hash names the list, so an objection landing mid-import still wins.
import * as z from 'zod';
import { PostalAddress } from '../../core/connector.ts';
import type { SubscriberStore } from '../../core/ports.ts';
import { Email, Language } from '../../core/schemas.ts';
import { MarketingList } from '../../core/suppression.ts';
import { customerKey } from '../records.ts';

/** One row of an import: the fields the statement says the processors receive (P13), plus the list. */
export const Subscriber = z.strictObject({
  list: MarketingList,
  email: Email,
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  language: Language,
  gender: z.enum(['F', 'M', 'X']),
  customerNumber: z
    .string()
    .regex(/^C-\d{6}$/)
    .optional(),
  address: PostalAddress.optional(),
  source: z.string().max(60).optional(),
});
export type Subscriber = z.infer<typeof Subscriber>;

/** What an import did, in counts only. */
export interface ImportResult {
  added: number;
  /** already on that list */
  present: number;
  /** skipped: the subject objected or opted out (P6) */
  suppressed: number;
  /** rows that are not a valid subscriber */
  invalid: number;
}

export const PROSPECT_PREFIX = 'PROSPECT#';

const PROCESSORS: Record<MarketingList, string> = {
  newsletter: 'e-mail marketing processor',
  direct_mailing: 'direct-mailing processor',
};

export interface ImportDeps {
  /** the marketing store's list entries (functions/aws/subscriber-store.ts) */
  subscribers: SubscriberStore;
  /** the keyed hash of an address (functions/core/secrets.ts subjectRef with the application secret) */
  subjectRef: (email: string) => string;
  now: Date;
}

/** Adds each valid, unsuppressed row to its list; repeats change nothing. */
export async function importSubscribers(deps: ImportDeps, rows: unknown[]): Promise<ImportResult> {
  const result: ImportResult = { added: 0, present: 0, suppressed: 0, invalid: 0 };
  for (const row of rows) {
    const parsed = Subscriber.safeParse(row);
    if (!parsed.success) {
      result.invalid += 1;
      continue;
    }
    const s = parsed.data;
    const ref = deps.subjectRef(s.email);
    // A customer's entry lives in their partition; a prospect's under the keyed hash of the address.
    const pk = s.customerNumber ? customerKey(s.customerNumber) : `${PROSPECT_PREFIX}${ref}`;
    const item = {
      pk,
      sk: `LIST#${s.list}`,
      ...(s.customerNumber ? { customerNumber: s.customerNumber } : {}),
      category: 'marketing',
      origin: 'provided',
      list: s.list,
      email: s.email,
      firstName: s.firstName,
      lastName: s.lastName,
      language: s.language,
      gender: s.gender,
      ...(s.address ? { address: s.address } : {}),
      subscribedAt: deps.now.toISOString(),
      source: s.source ?? 'import',
      processor: PROCESSORS[s.list],
    };
    const written = await deps.subscribers.add(item, ref, s.list);
    result[written] += 1;
  }
  return result;
}

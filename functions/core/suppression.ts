// Suppression (PROMISES P3, P5, P6; DESIGN: Audit trail): once a subject objects to direct marketing, opts out of
// a list or is erased, a later import must not add them again. The entry is keyed by the keyed hash of the address
// (subjectRef, functions/core/secrets.ts), never the address. Pure: it shapes the entry and the store update;
// the marketing store (functions/connectors/marketing/) reads and writes it.
import * as z from 'zod';
import type { ObjectionScope } from './connector.ts';

/** The lists the marketing store keeps, each shared with a processor (P13). */
export const MARKETING_LISTS = ['newsletter', 'direct_mailing'] as const;
export const MarketingList = z.enum(MARKETING_LISTS);
export type MarketingList = z.infer<typeof MarketingList>;

/**
 * Why a subject is suppressed: an objection request (P6), a one-click opt-out (P5), or an erasure (P3: without
 * the entry a later import of an old list would add the erased person again).
 */
export const SuppressionReason = z.enum(['objection', 'opt_out', 'erasure']);
export type SuppressionReason = z.infer<typeof SuppressionReason>;

export const SUPPRESSION_PREFIX = 'SUPPRESSED#';
export const SUPPRESSION_SK = 'SUPPRESSION';

/** Key of a subject's suppression entry in the marketing store. */
export const suppressionKey = (subjectRef: string) => ({
  pk: `${SUPPRESSION_PREFIX}${subjectRef}`,
  sk: SUPPRESSION_SK,
});

const SubjectRef = z.string().regex(/^s_[A-Za-z0-9_-]+$/, 'Not a subject reference');
// DynamoDB string sets come back as Set; lists written by hand as arrays.
const setOf = <T extends z.ZodType>(item: T) =>
  z.union([z.array(item), z.set(item)]).transform((v) => [...new Set(v)].sort() as z.infer<T>[]);

/** A suppression entry as stored: the keyed hash, the lists, when; no address, no name. */
export const SuppressionEntry = z.object({
  pk: z.string().startsWith(SUPPRESSION_PREFIX),
  sk: z.literal(SUPPRESSION_SK),
  subjectRef: SubjectRef,
  lists: setOf(MarketingList),
  reasons: setOf(SuppressionReason),
  since: z.string(),
  updatedAt: z.string(),
});
export type SuppressionEntry = z.infer<typeof SuppressionEntry>;

/** The lists an objection suppresses: every list for direct marketing (absolute, Art. 21(3)); none for profiling. */
export function listsSuppressedBy(scope: readonly ObjectionScope[]): MarketingList[] {
  return scope.includes('direct_marketing') ? [...MARKETING_LISTS] : [];
}

/** Whether a stored entry (or nothing) keeps the subject off a list. */
export function isSuppressed(entry: unknown, list: MarketingList): boolean {
  if (entry === undefined || entry === null) return false;
  const parsed = SuppressionEntry.safeParse(entry);
  // An entry we cannot read still means someone asked not to be mailed: suppress rather than guess.
  if (!parsed.success) return true;
  return parsed.data.lists.includes(list);
}

/**
 * The store update that adds lists to a subject's entry (creating it if needed). Lists and reasons are string
 * sets grown with ADD, so an objection and an opt-out arriving together both survive.
 */
export function suppressionUpdate(input: {
  subjectRef: string;
  lists: readonly MarketingList[];
  reason: SuppressionReason | readonly SuppressionReason[];
  now: Date;
}) {
  SubjectRef.parse(input.subjectRef);
  if (input.lists.length === 0) throw new Error('A suppression needs at least one list');
  return {
    Key: suppressionKey(input.subjectRef),
    UpdateExpression:
      'ADD lists :lists, reasons :reasons SET subjectRef = :ref, since = if_not_exists(since, :now), updatedAt = :now, category = :category, origin = :origin',
    ExpressionAttributeValues: {
      ':lists': new Set<string>(input.lists),
      ':reasons': new Set<string>(typeof input.reason === 'string' ? [input.reason] : input.reason),
      ':ref': input.subjectRef,
      ':now': input.now.toISOString(),
      // Shown to the subject in an access export as their own preference.
      ':category': 'preferences',
      ':origin': 'provided',
    },
  };
}

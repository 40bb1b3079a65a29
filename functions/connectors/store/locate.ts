// Finding the subject in a store (P1, P16): by the address index, then the customer partitions it opens, and
// the restricted partition under the pseudonymous id.
import type { LocateResult } from '../../core/connector.ts';
import { Language, type Outcome } from '../../core/schemas.ts';
import {
  CUSTOMER_PREFIX,
  customerKey,
  RESTRICTED_PREFIX,
  recordType,
  restrictedKey,
  type StoredItem,
} from '../records.ts';
import { categoriesOf, keptCounts, keyOf } from './outcomes.ts';
import type { ConnectorStores, Footprint, ImmutableRule, StoreAccess, Subject } from './types.ts';

/**
 * Builds the shared store operations over a system's stores. A record the system keeps as issued (`asIssued`:
 * an invoice holds the address it was sent to) is never a key: an old address printed on it finds nobody, so
 * whoever holds a recycled mailbox cannot open the customer's records (P2, P8; Art. 5(1)(d), Art. 12(6)).
 */
export function createStoreAccess(stores: ConnectorStores, asIssued?: ImmutableRule): StoreAccess {
  const { records, suppressions } = stores;
  async function footprint(email: string, customerNumber?: string): Promise<Footprint> {
    const address = email.trim().toLowerCase();
    // The retention sweep knows a customer by number alone: their partition, nothing the address would open.
    if (!address && customerNumber)
      return { direct: [], partitions: [customerKey(customerNumber)], loose: [] };
    if (!address) return { direct: [], partitions: [], loose: [] };
    const byEmail = await records.byEmail(address);
    let direct = byEmail.filter((i) => !i.pk.startsWith(RESTRICTED_PREFIX) && !asIssued?.(i));
    // The person staff picked behind a shared address: their partition only, never the address's other records.
    if (customerNumber) direct = direct.filter((i) => i.pk === customerKey(customerNumber));
    const partitions = [...new Set(direct.filter((i) => i.pk.startsWith(CUSTOMER_PREFIX)).map((i) => i.pk))];
    const loose = direct.filter((i) => !i.pk.startsWith(CUSTOMER_PREFIX));
    return { direct, partitions: partitions.sort(), loose };
  }
  return {
    suppressions,
    footprint,
    byEmail: (email) => records.byEmail(email),
    partition: (pk) => records.partition(pk),
    pages: (pk, prefix) => records.pages(pk, prefix),
    deleteAll: (keys) => records.deleteAll(keys),
    move: (from, to) => records.move(from, to),
    update: (key, set) => records.update(key, set),
    purgeDue: (before) => records.purgeDue(before),
    addresses: () => records.addresses(),
  };
}

/** The subject's live records: those carrying the address, and every record of the customers they belong to. */
export async function findLive(store: StoreAccess, subject: Subject): Promise<StoredItem[]> {
  const { direct, partitions } = await store.footprint(subject.email, subject.customerNumber);
  const found = new Map<string, StoredItem>();
  for (const item of direct) found.set(keyOf(item), item);
  for (const pk of partitions) {
    for (const item of await store.partition(pk)) found.set(keyOf(item), item);
  }
  return [...found.values()];
}

/** The subject's records kept under a legal ground, found by the pseudonymous id (of the picked person only). */
export async function findRestricted(store: StoreAccess, subject: Subject): Promise<StoredItem[]> {
  if (!subject.subjectRef) return [];
  const kept = await store.partition(restrictedKey(subject.subjectRef));
  return kept.filter((i) => ofPicked(subject, i));
}

/** Whether a record found by the pseudonymous id belongs to the person staff picked (all do when none was). */
export const ofPicked = (subject: Subject, item: StoredItem) =>
  !subject.customerNumber ||
  item.customerNumber === undefined ||
  item.customerNumber === subject.customerNumber;

/**
 * Whether the address leads to more than one person here (a household sharing a mailbox) and none was picked:
 * then no operation may disclose, export, change or erase anything, for anyone (P8). Counts only.
 */
export async function ambiguityOf(
  store: StoreAccess,
  subject: Subject,
): Promise<Extract<Outcome, { kind: 'ambiguous' }> | undefined> {
  if (subject.customerNumber) return undefined;
  // The address's own records and the kept ones only, never whole partitions: an export streams those.
  const { direct } = await store.footprint(subject.email);
  const kept = await findRestricted(store, subject);
  const people = new Set(
    [...direct, ...kept].flatMap((i) => (typeof i.customerNumber === 'string' ? [i.customerNumber] : [])),
  );
  if (people.size < 2) return undefined;
  return { kind: 'ambiguous', customers: people.size, records: direct.length + kept.length };
}

/** Counts and categories only, and the language on file if a record holds one; no categories when ambiguous. */
export async function locateSubject(store: StoreAccess, subject: Subject): Promise<LocateResult> {
  const ambiguous = await ambiguityOf(store, subject);
  if (ambiguous) {
    return { found: true, records: ambiguous.records, categories: [], customers: ambiguous.customers };
  }
  const restricted = await findRestricted(store, subject);
  const items = [...(await findLive(store, subject)), ...restricted];
  const language = items.map((i) => Language.safeParse(i.language)).find((l) => l.success)?.data;
  const lists = [...new Set(items.flatMap((i) => (recordType(i.sk) === 'LIST' ? [String(i.list)] : [])))];
  return {
    found: items.length > 0,
    records: items.length,
    categories: categoriesOf(items),
    ...(language ? { language } : {}),
    ...(items.length > 0 ? { recordTypes: [...new Set(items.map((i) => recordType(i.sk)))].sort() } : {}),
    ...(lists.length > 0 ? { lists: lists.sort() } : {}),
    // What is kept is told apart, so the fresh look after an erasure can check it against the outcomes (P3).
    ...(restricted.length > 0 ? { kept: keptCounts(restricted) } : {}),
  };
}

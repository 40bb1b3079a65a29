// Rectification (P2): each changed field written wherever the subject's records hold it; issued invoices are
// never rewritten (a correction is a credit note) and are reported as retained.
import type {
  OperationContext,
  RectifiableField,
  RectificationChanges,
  RectifyInput,
} from '../../core/connector.ts';
import type { Retention } from '../../core/retention.ts';
import type { Outcome } from '../../core/schemas.ts';
import { CUSTOMER_PREFIX, restrictedKey, type StoredItem } from '../records.ts';
import { phoneKey } from '../redaction.ts';
import { ofPicked } from './locate.ts';
import { categoryTally, retainedOutcomes } from './outcomes.ts';
import type { ExportRules, ImmutableRule, StoreAccess, Subject } from './types.ts';

/** Attributes holding a full name, rewritten when they hold the subject's old first and last name together. */
const FULL_NAME_ATTRIBUTES = ['name', 'holder'];
/** Attributes that mirror the address (an account's login name), rewritten when they hold the old address. */
const EMAIL_ATTRIBUTES = ['email', 'username'];
const PLAIN_FIELDS = ['firstName', 'lastName', 'phone', 'address', 'language', 'gender', 'jobTitle'] as const;
/** Attributes that mirror the subject's own number (the calling line of a call record), rewritten with it. */
const PHONE_ATTRIBUTES = ['callingNumber'];

interface Plan {
  set: Record<string, unknown>;
  fields: Set<RectifiableField>;
}

interface RectifyContext {
  changes: RectificationChanges;
  oldEmail: string;
  oldFullName?: string;
  newFullName?: string;
  oldPhones: Set<string>;
  freeText: string[];
}

/** What a rectification changes in one record, and which of the changed fields it holds (changed or already so). */
export function planRectification(item: StoredItem, c: RectifyContext, immutable = false): Plan {
  const set: Record<string, unknown> = {};
  const fields = new Set<RectifiableField>();
  const { changes } = c;
  for (const field of PLAIN_FIELDS) {
    const value = changes[field];
    if (value === undefined || !(field in item)) continue;
    fields.add(field);
    if (!sameValue(item[field], value)) set[field] = value;
  }
  if (changes.email) {
    for (const attr of EMAIL_ATTRIBUTES) {
      const current = typeof item[attr] === 'string' ? (item[attr] as string).toLowerCase() : undefined;
      if (current === c.oldEmail) set[attr] = changes.email;
      if (current === c.oldEmail || current === changes.email) fields.add('email');
    }
  }
  if (changes.phone) {
    for (const attr of PHONE_ATTRIBUTES) {
      const current = item[attr];
      if (typeof current !== 'string') continue;
      if (c.oldPhones.has(phoneKey(current))) set[attr] = changes.phone;
      if (c.oldPhones.has(phoneKey(current)) || current === changes.phone) fields.add('phone');
    }
  }
  if (immutable && (changes.firstName !== undefined || changes.lastName !== undefined)) {
    // An issued invoice names whoever it was issued to; it holds the name whatever it says now.
    if (FULL_NAME_ATTRIBUTES.some((attr) => typeof item[attr] === 'string')) {
      if (changes.firstName !== undefined) fields.add('firstName');
      if (changes.lastName !== undefined) fields.add('lastName');
    }
  } else if (c.oldFullName && c.newFullName) {
    for (const attr of FULL_NAME_ATTRIBUTES) {
      if (item[attr] !== c.oldFullName && item[attr] !== c.newFullName) continue;
      if (item[attr] !== c.newFullName) set[attr] = c.newFullName;
      if (changes.firstName !== undefined) fields.add('firstName');
      if (changes.lastName !== undefined) fields.add('lastName');
    }
  }
  // Free text (agents' notes) names the old address or number: corrected too; names in prose are left alone.
  for (const attr of c.freeText) {
    const text = item[attr];
    if (typeof text !== 'string') continue;
    let next = text;
    if (changes.email) {
      if (next.toLowerCase().includes(c.oldEmail))
        next = replaceAllInsensitive(next, c.oldEmail, changes.email);
      if (next.toLowerCase().includes(changes.email)) fields.add('email');
    }
    if (changes.phone) {
      next = next.replace(/(?:\+|00|0)[\d\s./()-]{6,}\d/g, (m) =>
        c.oldPhones.has(phoneKey(m)) ? (changes.phone as string) : m,
      );
      if (next.includes(changes.phone)) fields.add('phone');
    }
    if (next !== text) set[attr] = next;
  }
  return { set, fields };
}

const replaceAllInsensitive = (text: string, find: string, by: string) =>
  text.replace(new RegExp(find.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), by);

/** Rectifies the subject's records wherever they hold a changed field; issued invoices are reported as kept. */
export async function rectifySubject(
  store: StoreAccess,
  immutable: ImmutableRule | undefined,
  rules: ExportRules,
  subject: Subject,
  ctx: OperationContext,
  { changes }: RectifyInput,
): Promise<Outcome[]> {
  const oldEmail = subject.email.trim().toLowerCase();
  const footprint = await store.footprint(oldEmail, subject.customerNumber);
  const partitions = new Set(footprint.partitions);
  const loose = [...footprint.loose];
  let direct = [...footprint.direct];

  if (changes.email && changes.email !== oldEmail) {
    // Records already moved to the new address by this request (a repeat) are ours; anyone else's is a conflict.
    const there = await store.footprint(changes.email);
    const ours = there.direct.filter((i) => i.rectifiedBy === ctx.requestId);
    const oursPartitions = new Set(ours.map((i) => i.pk));
    const foreign = there.direct.filter((i) => !partitions.has(i.pk) && !oursPartitions.has(i.pk));
    if (foreign.length > 0) return [{ kind: 'failed', retryable: false, reason: 'email_in_use' }];
    for (const pk of oursPartitions) if (pk.startsWith(CUSTOMER_PREFIX)) partitions.add(pk);
    loose.push(...ours.filter((i) => !i.pk.startsWith(CUSTOMER_PREFIX)));
    direct = [...direct, ...ours];
  }

  const identity = direct.find((i) => typeof i.firstName === 'string' && typeof i.lastName === 'string');
  const oldFullName = identity ? `${identity.firstName} ${identity.lastName}` : undefined;
  const plan: RectifyContext = {
    changes,
    oldEmail,
    oldFullName,
    newFullName:
      identity && (changes.firstName !== undefined || changes.lastName !== undefined)
        ? `${changes.firstName ?? identity.firstName} ${changes.lastName ?? identity.lastName}`
        : undefined,
    oldPhones: new Set(
      direct.flatMap((i) =>
        typeof i.phone === 'string' && i.phone !== changes.phone ? [phoneKey(i.phone)] : [],
      ),
    ),
    freeText: rules.freeText ?? [],
  };

  const rectified = categoryTally();
  const kept: StoredItem[] = [];
  let seen = 0;

  const handle = async (item: StoredItem) => {
    if (!ofPicked(subject, item)) return;
    seen += 1;
    const ground =
      immutable?.(item) ?? (item.restricted === true ? (item.retention as Retention) : undefined);
    const { set, fields } = planRectification(item, plan, ground !== undefined);
    if (fields.size === 0) return;
    if (ground) {
      kept.push({
        pk: item.pk,
        sk: item.sk,
        category: item.category,
        retention: ground,
        ...fieldMarks(fields),
      });
      return;
    }
    if (Object.keys(set).length > 0) await update(store, item, set, ctx);
    rectified.add(item, fields);
  };

  for (const item of loose) await handle(item);
  const byRef = subject.subjectRef ? [restrictedKey(subject.subjectRef)] : [];
  for (const pk of [...[...partitions].sort(), ...byRef]) {
    for await (const page of store.pages(pk)) {
      // A few updates at a time: fast on a big partition, gentle on the table.
      for (let i = 0; i < page.length; i += 10) await Promise.all(page.slice(i, i + 10).map(handle));
    }
  }

  if (seen === 0) return [{ kind: 'not_found' }];
  const outcomes: Outcome[] = rectified
    .entries()
    .map(({ records, category, names }) => ({ kind: 'rectified', records, category, fields: names }));
  outcomes.push(...retainedOutcomes(kept));
  return outcomes.length > 0 ? outcomes : [{ kind: 'skipped', reason: 'fields_not_held' }];
}

/** Field names as attributes with a placeholder value: retainedOutcomes lists them as `kept`, never a value. */
const fieldMarks = (fields: Set<string>) => Object.fromEntries([...fields].map((f) => [f, true]));

/** Writes the changes with who made them; a record erased meanwhile stays erased (the store's condition). */
async function update(
  store: StoreAccess,
  item: StoredItem,
  set: Record<string, unknown>,
  ctx: OperationContext,
) {
  await store.update(item, { ...set, rectifiedBy: ctx.requestId, rectifiedAt: ctx.now.toISOString() });
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a as object).sort();
  const kb = Object.keys(b as object).sort();
  return (
    ka.length === kb.length &&
    ka.every(
      (k, i) =>
        k === kb[i] && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

// The one implementation behind the four demo connectors: find the subject's records in a system store,
// count them, erase them, and keep what the law requires, restricted; stream them out, rectify them.
// A system differs only by its rules (what is kept, what is never rewritten, what is free text).
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  Connector,
  ExportFile,
  ExportInput,
  ExportSink,
  ObjectInput,
  OperationContext,
  RectifiableField,
  RectificationChanges,
  RectifyInput,
  SubjectKeys,
} from '../core/connector.ts';
import type { Retention } from '../core/retention.ts';
import { Language, type Outcome, type SystemName } from '../core/schemas.ts';
import {
  CONTACT_AND_FINANCIAL_FIELDS,
  CUSTOMER_PREFIX,
  EMAIL_INDEX,
  findFields,
  RESTRICTED_PREFIX,
  recordType,
  restrictedKey,
  SECRET_FIELDS,
  type StoredItem,
  TECHNICAL_FIELDS,
} from './records.ts';
import { maskNumber, type OwnIdentity, ownIdentity, phoneKey, redactFreeText } from './redaction.ts';

/** The subject as a connector sees it (see SubjectKeys). */
export type Subject = SubjectKeys;

/** What a system keeps of one record after an erasure, and why; undefined means the record is deleted. */
export interface Restriction {
  retention: Retention;
  /** the restricted record: only what the ground requires, no contact or bank data */
  keep: Record<string, unknown>;
}

/** A system's rule for erasure: which records outlive it, stripped to what. */
export type RestrictionRule = (item: StoredItem, now: Date) => Restriction | undefined;

/** A system's rule for rectification: records never rewritten (issued invoices), with the ground shown. */
export type ImmutableRule = (item: StoredItem) => Retention | undefined;

/** How a system's records are exported (P1, P7, P16). */
export interface ExportRules {
  /** free-text attributes: other people's names, numbers and addresses are removed (Art. 15(4)) */
  freeText?: string[];
  /** attributes holding other people's numbers: masked in a portability file (Art. 20(4)) */
  othersNumbers?: string[];
  /** file name (without extension) and CSV columns per record type; otherwise the type in kebab case */
  files?: Record<string, { name: string; columns?: string[] }>;
}

export interface StoreConnectorOptions {
  system: SystemName;
  doc: DynamoDBDocumentClient;
  table: string;
  restrict?: RestrictionRule;
  immutable?: ImmutableRule;
  exportRules?: ExportRules;
  /** partitions that hold the subject's records under the pseudonymous id, beyond RESTRICTED# (access only) */
  pseudonymousPartitions?: (subjectRef: string) => string[];
  /** the system's objection rule; systems without marketing or profiling answer `skipped` */
  object?: (
    store: StoreAccess,
    subject: Subject,
    ctx: OperationContext,
    input: ObjectInput,
  ) => Promise<Outcome[]>;
  /** items per Query page (DynamoDB caps a page at 1 MB anyway); small in tests */
  pageSize?: number;
}

/** Where a system's store is: what every connector factory takes. */
export type StoreLocation = Pick<StoreConnectorOptions, 'doc' | 'table' | 'pageSize'>;

/** The store-backed connector: the Connector contract over one table with the shared layout. */
export type StoreConnector = Connector;

/** Where the subject lives in a store: records holding the address, and the customer partitions they open. */
export interface Footprint {
  /** live records holding the address (a small, bounded set: never call records) */
  direct: StoredItem[];
  /** customer partitions (`CUST#…`) of those records */
  partitions: string[];
  /** records holding the address outside any customer partition (e.g. an imported prospect) */
  loose: StoredItem[];
}

/** The store operations every rule builds on; also used by systems' own rules (objection, import). */
export interface StoreAccess {
  readonly table: string;
  readonly doc: DynamoDBDocumentClient;
  footprint(email: string): Promise<Footprint>;
  /** a partition page by page, in sort-key order, optionally only sort keys beginning with `prefix` */
  pages(pk: string, prefix?: string): AsyncGenerator<StoredItem[]>;
  queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<StoredItem[]>;
  deleteAll(items: StoredItem[]): Promise<void>;
}

const TECHNICAL = new Set<string>(TECHNICAL_FIELDS);

/** Builds the shared store operations over one table. */
export function createStoreAccess(
  doc: DynamoDBDocumentClient,
  table: string,
  pageSize?: number,
): StoreAccess {
  async function queryAll(
    input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  ): Promise<StoredItem[]> {
    const items: StoredItem[] = [];
    let start: Record<string, NativeAttributeValue> | undefined;
    do {
      const page = await doc.send(new QueryCommand({ ...input, TableName: table, ExclusiveStartKey: start }));
      items.push(...((page.Items ?? []) as StoredItem[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async function* pages(pk: string, prefix?: string): AsyncGenerator<StoredItem[]> {
    let start: Record<string, NativeAttributeValue> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
          ...(pageSize ? { Limit: pageSize } : {}),
        }),
      );
      yield (page.Items ?? []) as StoredItem[];
      start = page.LastEvaluatedKey;
    } while (start);
  }

  async function footprint(email: string): Promise<Footprint> {
    const address = email.trim().toLowerCase();
    if (!address) return { direct: [], partitions: [], loose: [] };
    const byEmail = await queryAll({
      IndexName: EMAIL_INDEX,
      KeyConditionExpression: 'email = :email',
      ExpressionAttributeValues: { ':email': address },
    });
    const direct = byEmail.filter((i) => !i.pk.startsWith(RESTRICTED_PREFIX));
    const partitions = [...new Set(direct.filter((i) => i.pk.startsWith(CUSTOMER_PREFIX)).map((i) => i.pk))];
    const loose = direct.filter((i) => !i.pk.startsWith(CUSTOMER_PREFIX));
    return { direct, partitions: partitions.sort(), loose };
  }

  async function deleteAll(items: StoredItem[]): Promise<void> {
    for (let i = 0; i < items.length; i += 25) {
      let requests = items
        .slice(i, i + 25)
        .map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }));
      // BatchWrite may leave some unprocessed under load; try them again with a growing pause.
      for (let round = 0; requests.length > 0; round++) {
        if (round > 0) await new Promise((done) => setTimeout(done, Math.min(1000, 50 * 2 ** round)));
        if (round > 8)
          throw Object.assign(new Error('BatchWriteUnprocessed'), { name: 'BatchWriteUnprocessed' });
        const result = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  }

  return { table, doc, footprint, pages, queryAll, deleteAll };
}

/** Builds a connector over one system store with the shared layout of functions/connectors/records.ts. */
export function createStoreConnector(options: StoreConnectorOptions): StoreConnector {
  const { system, doc, table, restrict, immutable, exportRules = {}, pageSize } = options;
  const store = createStoreAccess(doc, table, pageSize);
  const { queryAll } = store;

  /** The subject's live records: those carrying the address, and every record of the customers they belong to. */
  async function findLive(subject: Subject): Promise<StoredItem[]> {
    const { direct, partitions } = await store.footprint(subject.email);
    const found = new Map<string, StoredItem>();
    for (const item of direct) found.set(keyOf(item), item);
    for (const pk of partitions) {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      });
      for (const item of items) found.set(keyOf(item), item);
    }
    return [...found.values()];
  }

  async function findRestricted(subject: Subject): Promise<StoredItem[]> {
    if (!subject.subjectRef) return [];
    return queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': restrictedKey(subject.subjectRef) },
      ConsistentRead: true,
    });
  }

  /** Moves a record to the subject's restricted partition, stripped, in one transaction. */
  async function restrictOne(item: StoredItem, restriction: Restriction, subjectRef: string, now: Date) {
    const restricted: StoredItem = {
      ...restriction.keep,
      pk: restrictedKey(subjectRef),
      sk: item.sk,
      category: item.category,
      restricted: true,
      retention: restriction.retention,
      restrictedAt: now.toISOString(),
    };
    const leaked = findFields(restricted, CONTACT_AND_FINANCIAL_FIELDS);
    if (leaked.length > 0) throw new Error(`Restriction rule of ${system} keeps ${leaked.join(', ')}`);
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: restricted } },
          { Delete: { TableName: table, Key: { pk: item.pk, sk: item.sk } } },
        ],
      }),
    );
    return restricted;
  }

  return {
    system,

    async locate(subject) {
      const items = [...(await findLive(subject)), ...(await findRestricted(subject))];
      const language = items.map((i) => Language.safeParse(i.language)).find((l) => l.success)?.data;
      return {
        found: items.length > 0,
        records: items.length,
        categories: categoriesOf(items),
        ...(language ? { language } : {}),
      };
    },

    async erase(subject, ctx) {
      const live = await findLive(subject);
      const restricted = await findRestricted(subject);
      if (live.length === 0 && restricted.length === 0) return [{ kind: 'not_found' }];

      const toDelete: StoredItem[] = [];
      for (const item of live) {
        const restriction = restrict?.(item, ctx.now);
        if (!restriction) {
          toDelete.push(item);
          continue;
        }
        // Without the pseudonymous id a kept record could never be found again for this subject.
        if (!subject.subjectRef) throw new Error('A subjectRef is needed to restrict records');
        restricted.push(await restrictOne(item, restriction, subject.subjectRef, ctx.now));
      }
      await store.deleteAll(toDelete);
      return [...erasedOutcomes(toDelete), ...retainedOutcomes(restricted)];
    },

    async export(subject, _ctx, input) {
      return exportSubject(store, exportRules, options.pseudonymousPartitions, subject, input);
    },

    async rectify(subject, ctx, input) {
      return rectifySubject(store, immutable, exportRules, subject, ctx, input);
    },

    async object(subject, ctx, input) {
      if (!options.object) return [{ kind: 'skipped', reason: 'not_applicable' }];
      return options.object(store, subject, ctx, input);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// export (P1, P7, P16)

/** Streams the subject's records into the sink, one record type per file pair (JSON + CSV), page by page. */
async function exportSubject(
  store: StoreAccess,
  rules: ExportRules,
  pseudonymous: StoreConnectorOptions['pseudonymousPartitions'],
  subject: Subject,
  { purpose, sink }: ExportInput,
): Promise<Outcome[]> {
  const footprint = await store.footprint(subject.email);
  const own = ownIdentity(footprint.direct, [subject.email]);
  const ref = subject.subjectRef;
  const byRef = ref ? [restrictedKey(ref), ...(pseudonymous?.(ref) ?? [])] : [];
  const files = new FileRuns(sink, rules);
  const omitted = new Map<string, { category: string; records: number; reason: 'inferred' | 'restricted' }>();
  let records = 0;
  let redacted = 0;
  let masked = 0;

  const take = async (item: StoredItem) => {
    const category = String(item.category ?? 'uncategorised');
    const restricted = item.restricted === true;
    const reason = purpose === 'portability' ? (restricted ? 'restricted' : inferred(item)) : undefined;
    if (reason) {
      const key = `${category}|${reason}`;
      const entry = omitted.get(key) ?? { category, records: 0, reason };
      entry.records += 1;
      omitted.set(key, entry);
      return;
    }
    const out = exportRecord(item, purpose, rules, own);
    redacted += out.redacted;
    masked += out.masked;
    await files.write(item, out.record);
    records += 1;
  };

  try {
    for (const item of footprint.loose) await take(item);
    for (const pk of [...footprint.partitions, ...byRef]) {
      for await (const page of store.pages(pk)) for (const item of page) await take(item);
    }
    const written = await files.closeAll();
    if (records === 0 && omitted.size === 0) return [{ kind: 'not_found' }];
    return [
      {
        kind: 'exported',
        purpose,
        records,
        files: written,
        omitted: [...omitted.values()].sort((a, b) =>
          `${a.category}${a.reason}`.localeCompare(`${b.category}${b.reason}`),
        ),
        redacted,
        masked,
      },
    ];
  } catch (error) {
    await files.abortAll();
    throw error;
  }
}

const inferred = (item: StoredItem): 'inferred' | undefined =>
  item.origin === 'inferred' ? 'inferred' : undefined;

/** One record as the subject receives it: labelled, secrets replaced, others' data removed or masked. */
export function exportRecord(
  item: StoredItem,
  purpose: ExportInput['purpose'],
  rules: ExportRules,
  own: OwnIdentity,
): { record: Record<string, unknown>; redacted: number; masked: number } {
  const record: Record<string, unknown> = {
    category: item.category ?? 'uncategorised',
    origin: item.origin ?? 'provided',
  };
  let redacted = 0;
  let masked = 0;
  for (const [key, value] of Object.entries(item)) {
    if (TECHNICAL.has(key)) continue;
    const secret = SECRET_FIELDS[key];
    if (secret) {
      record[secret.field] = secret.says;
      continue;
    }
    if (typeof value === 'string' && rules.freeText?.includes(key)) {
      const clean = redactFreeText(value, own);
      redacted += clean.redactions;
      record[key] = clean.text;
      continue;
    }
    if (
      purpose === 'portability' &&
      typeof value === 'string' &&
      rules.othersNumbers?.includes(key) &&
      !own.phones.has(phoneKey(value))
    ) {
      record[key] = maskNumber(value);
      masked += 1;
      continue;
    }
    record[key] = value;
  }
  // A record kept under a legal ground says so, and until when (access only; portability leaves it out).
  if (item.restricted === true) {
    const retention = item.retention as Retention | undefined;
    record.restricted = true;
    if (retention)
      record.retention = { ground: retention.ground, grounds: retention.grounds, until: retention.until };
  }
  return { record, redacted, masked };
}

/** Files opened as record types come by: Query returns a partition in sort-key order, so each type is one run. */
class FileRuns {
  private current?: { base: string; json: ExportFile; csv: ExportFile; categories: Set<string> };
  private readonly used = new Set<string>();
  private readonly done: Extract<Outcome, { kind: 'exported' }>['files'] = [];

  constructor(
    private readonly sink: ExportSink,
    private readonly rules: ExportRules,
  ) {}

  async write(item: StoredItem, record: Record<string, unknown>) {
    const type = recordType(item.sk);
    const spec = this.rules.files?.[type];
    const base = `${item.restricted === true ? 'restricted-' : ''}${spec?.name ?? kebab(type)}`;
    if (this.current?.base !== base) {
      await this.closeCurrent();
      let name = base;
      // A second customer partition of the same subject brings the same type again: a file of its own.
      for (let n = 2; this.used.has(name); n++) name = `${base}-${n}`;
      this.used.add(name);
      this.current = {
        base,
        json: this.sink.file(`${name}.json`, 'json'),
        // A restricted record has other fields than a live one: its header comes from the records themselves.
        csv: this.sink.file(
          `${name}.csv`,
          'csv',
          spec?.columns && item.restricted !== true
            ? { columns: ['category', 'origin', ...spec.columns] }
            : {},
        ),
        categories: new Set(),
      };
    }
    const run = this.current as NonNullable<typeof this.current>;
    run.categories.add(String(record.category));
    await run.json.write(record);
    await run.csv.write(record);
  }

  private async closeCurrent() {
    const run = this.current;
    if (!run) return;
    this.current = undefined;
    const categories = [...run.categories].sort();
    for (const file of [run.json, run.csv]) this.done.push({ ...(await file.close()), categories });
  }

  async closeAll() {
    await this.closeCurrent();
    return this.done;
  }

  async abortAll() {
    const run = this.current;
    this.current = undefined;
    if (run) await Promise.all([run.json.abort(), run.csv.abort()]);
  }
}

const kebab = (type: string) => type.toLowerCase().replaceAll('_', '-');

// ---------------------------------------------------------------------------------------------------------------
// rectify (P2)

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

async function rectifySubject(
  store: StoreAccess,
  immutable: ImmutableRule | undefined,
  rules: ExportRules,
  subject: Subject,
  ctx: OperationContext,
  { changes }: RectifyInput,
): Promise<Outcome[]> {
  const oldEmail = subject.email.trim().toLowerCase();
  const footprint = await store.footprint(oldEmail);
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

  const rectified = new Map<string, { records: number; fields: Set<string> }>();
  const kept: StoredItem[] = [];
  let seen = 0;

  const handle = async (item: StoredItem) => {
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
    const category = String(item.category ?? 'uncategorised');
    const entry = rectified.get(category) ?? { records: 0, fields: new Set() };
    entry.records += 1;
    for (const f of fields) entry.fields.add(f);
    rectified.set(category, entry);
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
  const outcomes: Outcome[] = [...rectified.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, e]) => ({
      kind: 'rectified',
      records: e.records,
      category,
      fields: [...e.fields].sort(),
    }));
  outcomes.push(...retainedOutcomes(kept));
  return outcomes.length > 0 ? outcomes : [{ kind: 'skipped', reason: 'fields_not_held' }];
}

/** Field names as attributes with a placeholder value: retainedOutcomes lists them as `kept`, never a value. */
const fieldMarks = (fields: Set<string>) => Object.fromEntries([...fields].map((f) => [f, true]));

async function update(
  store: StoreAccess,
  item: StoredItem,
  set: Record<string, unknown>,
  ctx: OperationContext,
) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':by': ctx.requestId, ':at': ctx.now.toISOString() };
  const parts = Object.entries(set).map(([attr, value], i) => {
    names[`#a${i}`] = attr;
    values[`:v${i}`] = value;
    return `#a${i} = :v${i}`;
  });
  try {
    await store.doc.send(
      new UpdateCommand({
        TableName: store.table,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: `SET ${[...parts, 'rectifiedBy = :by', 'rectifiedAt = :at'].join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        // An erasure running at the same time wins: never bring a deleted record back.
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
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

// ---------------------------------------------------------------------------------------------------------------
// outcomes

const keyOf = (item: StoredItem) => `${item.pk}\u0000${item.sk}`;

function categoriesOf(items: StoredItem[]): string[] {
  return [...new Set(items.map((i) => String(i.category ?? 'uncategorised')))].sort();
}

/** One `erased` outcome per category, with its record count. */
export function erasedOutcomes(items: StoredItem[]): Outcome[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const category = String(item.category ?? 'uncategorised');
    counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, records]) => ({ kind: 'erased', records, category }));
}

/** One `retained` outcome per category, ground and purge date, naming the fields still held. */
export function retainedOutcomes(items: StoredItem[]): Outcome[] {
  const groups = new Map<
    string,
    { category: string; ground: string; until: string; kept: Set<string>; n: number }
  >();
  for (const item of items) {
    const retention = item.retention as Retention | undefined;
    if (!retention) continue;
    const category = String(item.category ?? 'uncategorised');
    const id = `${category}|${retention.ground}|${retention.until}`;
    const group = groups.get(id) ?? {
      category,
      ground: retention.ground,
      until: retention.until,
      kept: new Set(),
      n: 0,
    };
    group.n += 1;
    for (const field of Object.keys(item)) if (!TECHNICAL.has(field)) group.kept.add(field);
    groups.set(id, group);
  }
  return [...groups.values()]
    .sort((a, b) => a.until.localeCompare(b.until) || a.ground.localeCompare(b.ground))
    .map((g) => ({
      kind: 'retained',
      records: g.n,
      category: g.category,
      ground: g.ground,
      until: g.until,
      kept: [...g.kept].sort(),
    }));
}

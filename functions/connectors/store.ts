// The one implementation behind the four demo connectors: find the subject's records in a system store,
// count them, erase them, and keep what the law requires, restricted. A system differs only by its rules.
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Connector, LocateResult, OperationContext, SubjectKeys } from '../core/connector.ts';
import type { Retention } from '../core/retention.ts';
import type { Outcome, SystemName } from '../core/schemas.ts';
import {
  CONTACT_AND_FINANCIAL_FIELDS,
  CUSTOMER_PREFIX,
  EMAIL_INDEX,
  findFields,
  RESTRICTED_PREFIX,
  restrictedKey,
  type StoredItem,
} from './records.ts';

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

export interface StoreConnectorOptions {
  system: SystemName;
  doc: DynamoDBDocumentClient;
  table: string;
  restrict?: RestrictionRule;
}

/** The store-backed connector; later operations (export, rectify, object) are added here for every system. */
export interface StoreConnector extends Connector {
  locate(subject: Subject, ctx: OperationContext): Promise<LocateResult>;
  erase(subject: Subject, ctx: OperationContext): Promise<Outcome[]>;
}

/** Attributes that describe a stored record rather than hold data about the subject. */
const TECHNICAL = new Set(['pk', 'sk', 'category', 'origin', 'restricted', 'retention', 'restrictedAt']);

/** Builds a connector over one system store with the shared layout of functions/connectors/records.ts. */
export function createStoreConnector(options: StoreConnectorOptions): StoreConnector {
  const { system, doc, table, restrict } = options;

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

  /** The subject's live records: those carrying the address, and every record of the customers they belong to. */
  async function findLive(subject: Subject): Promise<StoredItem[]> {
    const email = subject.email.trim().toLowerCase();
    if (!email) return [];
    const byEmail = await queryAll({
      IndexName: EMAIL_INDEX,
      KeyConditionExpression: 'email = :email',
      ExpressionAttributeValues: { ':email': email },
    });
    const found = new Map<string, StoredItem>();
    const partitions = new Set<string>();
    for (const item of byEmail) {
      if (item.pk.startsWith(RESTRICTED_PREFIX)) continue;
      found.set(keyOf(item), item);
      if (item.pk.startsWith(CUSTOMER_PREFIX)) partitions.add(item.pk);
    }
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

  async function deleteAll(items: StoredItem[]): Promise<void> {
    for (let i = 0; i < items.length; i += 25) {
      let requests = items
        .slice(i, i + 25)
        .map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }));
      // BatchWrite may leave some unprocessed under load; try them again with a growing pause.
      for (let round = 0; requests.length > 0; round++) {
        if (round > 0) await new Promise((done) => setTimeout(done, Math.min(1000, 50 * 2 ** round)));
        if (round > 8) throw new Error('BatchWriteUnprocessed');
        const result = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
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
      return { found: items.length > 0, records: items.length, categories: categoriesOf(items) };
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
      await deleteAll(toDelete);
      return [...erasedOutcomes(toDelete), ...retainedOutcomes(restricted)];
    },
  };
}

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

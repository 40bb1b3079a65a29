// The connector contract over a configured system's HTTP API (P17): one request per operation as its file says,
// the answers mapped to our fields with their category and origin (P7, P16), counts and kinds out, never values.
import type {
  ActivityReport,
  Connector,
  ExportInput,
  LocateResult,
  ObjectInput,
  OperationContext,
  PurgeResult,
  RectifyInput,
  SubjectKeys,
} from '../../../core/connector.ts';
import { portabilityScope } from '../../../core/portability-scope.ts';
import type { Outcome } from '../../../core/schemas.ts';
import { fillPath, HttpRefusal, type HttpSystemClient, pathGet, pathSet } from './client.ts';
import type { HttpField, HttpSystem } from './config.ts';

/** A runaway pagination (a cursor that never ends) stops here rather than loop for the Lambda's lifetime. */
const MAX_PAGES = 10_000;

type Exported = Extract<Outcome, { kind: 'exported' }>;
type Operation = 'erase' | 'rectify' | 'object';

/** What the export calls each origin: a derived field is what the report and Art. 20 call inferred. */
const ORIGIN = { provided: 'provided', observed: 'observed', derived: 'inferred' } as const;

export function createHttpConnector(config: HttpSystem, client: HttpSystemClient): Connector {
  const system = config.name;
  const spec = config.operations.records;
  const recordType = spec.kind.toUpperCase();
  const fields = Object.entries(spec.fields);

  const values = (subject: SubjectKeys, ctx: OperationContext) => ({
    email: subject.email,
    customerNumber: subject.customerNumber,
    requestId: ctx.requestId,
  });
  const key = (ctx: OperationContext, operation: Operation) => `${ctx.requestId}-${system}-${operation}`;

  /** The subject's records, page by page; a 404 is a subject the system does not know. */
  async function* pages(subject: SubjectKeys, ctx: OperationContext): AsyncGenerator<unknown[]> {
    const path = fillPath(spec.path, values(subject, ctx));
    const paging = spec.pagination;
    const query: Record<string, string> = {};
    for (let page = 1; page <= MAX_PAGES; page++) {
      if (paging?.type === 'page')
        Object.assign(query, { [paging.param]: String(page), [paging.sizeParam]: String(paging.size) });
      let body: unknown;
      try {
        body = await client.send({ method: spec.method, path, query });
      } catch (error) {
        if (error instanceof HttpRefusal && error.status === 404) return;
        throw error;
      }
      const items = pathGet(body, spec.items);
      if (!Array.isArray(items)) throw new HttpRefusal(system, 200);
      yield items;
      if (paging?.type === 'cursor') {
        const next = pathGet(body, paging.next);
        if (next === undefined || next === null || next === '') return;
        query[paging.param] = String(next);
      } else if (paging?.type !== 'page' || items.length < paging.size) return;
    }
    throw new Error(`${system}: more than ${MAX_PAGES} pages`);
  }

  /** How many records, and the categories of the fields they hold. */
  async function count(subject: SubjectKeys, ctx: OperationContext) {
    let records = 0;
    const categories = new Set<string>();
    for await (const page of pages(subject, ctx)) {
      for (const item of page) {
        records += 1;
        for (const [, f] of fields) if (pathGet(item, f.path) !== undefined) categories.add(f.category);
      }
    }
    return { records, categories: [...categories].sort() };
  }

  /** Runs a call that changes something; a final refusal is a failed outcome, a passing one is thrown. */
  async function change(run: () => Promise<Outcome[]>): Promise<Outcome[]> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof HttpRefusal) return [{ kind: 'failed', retryable: false, reason: error.reason }];
      throw error;
    }
  }

  const counted = (body: unknown, path: string | undefined, fallback: number) => {
    const n = path ? pathGet(body, path) : undefined;
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : fallback;
  };

  return {
    system,

    async locate(subject, ctx): Promise<LocateResult> {
      const { records, categories } = await count(subject, ctx);
      return records === 0
        ? { found: false, records: 0, categories: [] }
        : { found: true, records, categories, recordTypes: [recordType] };
    },

    erase(subject, ctx) {
      const op = config.operations.erase;
      if (!op) return Promise.resolve([{ kind: 'skipped', reason: 'erase_not_supported' }]);
      return change(async () => {
        const { records, categories } = await count(subject, ctx);
        if (records === 0) return [{ kind: 'not_found' }];
        const path = fillPath(op.path, values(subject, ctx));
        const body = await client.send({ method: op.method, path, idempotencyKey: key(ctx, 'erase') });
        const erased = counted(body, op.count, records);
        return categories.map((category) => ({ kind: 'erased', records: erased, category }));
      });
    },

    export(subject, ctx, input) {
      return exportRecords(pages(subject, ctx), input);
    },

    rectify(subject, ctx, { changes }: RectifyInput) {
      const op = config.operations.rectify;
      if (!op) return Promise.resolve([{ kind: 'skipped', reason: 'rectify_not_supported' }]);
      const changed = Object.entries(op.fields).filter(
        ([field]) => changes[field as keyof typeof changes] !== undefined,
      );
      if (changed.length === 0) return Promise.resolve([{ kind: 'skipped', reason: 'fields_not_held' }]);
      return change(async () => {
        const { records } = await count(subject, ctx);
        if (records === 0) return [{ kind: 'not_found' }];
        const body: Record<string, unknown> = {};
        for (const [field, target] of changed)
          pathSet(body, target as string, changes[field as keyof typeof changes]);
        const path = fillPath(op.path, values(subject, ctx));
        const answer = await client.send({
          method: op.method,
          path,
          body,
          idempotencyKey: key(ctx, 'rectify'),
        });
        const n = counted(answer, op.count, records);
        // One outcome per category of the fields changed, as the records' mapping files them.
        const byCategory = new Map<string, string[]>();
        for (const [field] of changed) {
          const category: string = spec.fields[field]?.category ?? config.categories[0] ?? 'identification';
          byCategory.set(category, [...(byCategory.get(category) ?? []), field]);
        }
        return [...byCategory].map(([category, names]) => ({
          kind: 'rectified',
          records: n,
          category,
          fields: names,
        }));
      });
    },

    object(subject, ctx, { scope }: ObjectInput) {
      const op = config.operations.object;
      const asked = scope.filter((s) => op?.scopes.includes(s));
      if (!op || asked.length === 0)
        return Promise.resolve([{ kind: 'skipped', reason: 'no_processing_to_object_to' }]);
      return change(async () => {
        const { records, categories } = await count(subject, ctx);
        if (records === 0) return [{ kind: 'not_found' }];
        const path = fillPath(op.path, values(subject, ctx));
        await client.send({
          method: op.method,
          path,
          body: { scope: asked },
          idempotencyKey: key(ctx, 'object'),
        });
        return categories.map((category) => ({ kind: 'objected', records, category, purposes: asked }));
      });
    },

    // A configured system keeps no customer list the retention sweep (P11) could page through: it answers
    // for the subjects the requests name, and the sweep's batches pass it by.
    async activity(): Promise<ActivityReport> {
      return { kind: 'not_found' };
    },
    async *subjects(): AsyncIterable<string[]> {},
    async *addresses(): AsyncIterable<string[]> {},
    async purge(): Promise<PurgeResult> {
      return { purged: [], deferred: 0, more: false };
    },
  };

  /** Streams the records into one JSON and one CSV file, a row per category and origin of each record's fields. */
  async function exportRecords(
    source: AsyncGenerator<unknown[]>,
    { purpose, sink }: ExportInput,
  ): Promise<Outcome[]> {
    const groups = groupFields(fields);
    const columns = ['category', 'origin', 'record', ...fields.map(([name]) => name)];
    const json = sink.file(`${spec.kind}.json`, 'json');
    const csv = sink.file(`${spec.kind}.csv`, 'csv', { columns });
    const omitted = new Map<string, Exported['omitted'][number]>();
    const categories = new Set<string>();
    let records = 0;
    let rows = 0;
    try {
      for await (const page of source) {
        for (const item of page) {
          records += 1;
          for (const { category, origin, names } of groups) {
            const row: Record<string, unknown> = { category, origin: ORIGIN[origin], record: records };
            for (const name of names) {
              const value = pathGet(item, spec.fields[name]?.path ?? name);
              if (value !== undefined) row[name] = value;
            }
            if (Object.keys(row).length === 3) continue;
            const scope =
              purpose === 'portability'
                ? portabilityScope(system, { recordType, origin: ORIGIN[origin] })
                : { portable: true as const };
            if (!scope.portable) {
              const k = `${category}|${scope.reason}`;
              const entry = omitted.get(k) ?? {
                category,
                records: 0,
                reason: scope.reason,
                ...(scope.legalBasis ? { legalBasis: scope.legalBasis } : {}),
              };
              entry.records += 1;
              omitted.set(k, entry);
              continue;
            }
            categories.add(category);
            await json.write(row);
            await csv.write(row);
            rows += 1;
          }
        }
      }
      if (records === 0) {
        await Promise.all([json.abort(), csv.abort()]);
        return [{ kind: 'not_found' }];
      }
      const cats = [...categories].sort();
      const files = [
        { ...(await json.close()), categories: cats },
        { ...(await csv.close()), categories: cats },
      ];
      const left = [...omitted.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, o]) => o);
      return [{ kind: 'exported', purpose, records: rows, files, omitted: left, redacted: 0, masked: 0 }];
    } catch (error) {
      await Promise.all([json.abort(), csv.abort()]);
      if (error instanceof HttpRefusal) return [{ kind: 'failed', retryable: false, reason: error.reason }];
      throw error;
    }
  }
}

/** The record's fields by category and origin, in the order the file first names each pair. */
function groupFields(fields: [string, HttpField][]) {
  const groups: { category: string; origin: HttpField['origin']; names: string[] }[] = [];
  for (const [name, f] of fields) {
    const group = groups.find((g) => g.category === f.category && g.origin === f.origin);
    if (group) group.names.push(name);
    else groups.push({ category: f.category, origin: f.origin, names: [name] });
  }
  return groups;
}

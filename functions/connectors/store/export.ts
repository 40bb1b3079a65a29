// Export (P1, P7, P16): the subject's records streamed into the sink page by page, one JSON and one CSV file per
// record type; labelled, secrets replaced, others' data removed (access) or masked, and only what Art. 20(1) covers
// (portability: core/portability-scope.ts; what it leaves out is counted by category and reason, never copied).
import type { ExportFile, ExportInput, ExportSink } from '../../core/connector.ts';
import { portabilityScope } from '../../core/portability-scope.ts';
import type { Retention } from '../../core/retention.ts';
import type { Outcome, SystemName } from '../../core/schemas.ts';
import { recordType, restrictedKey, SECRET_FIELDS, type StoredItem } from '../records.ts';
import { maskNumber, type OwnIdentity, ownIdentity, phoneKey, redactFreeText } from '../redaction.ts';
import { ofPicked } from './locate.ts';
import { TECHNICAL } from './outcomes.ts';
import type { ExportRules, StoreAccess, StoreConnectorOptions, Subject } from './types.ts';

/** Streams the subject's records into the sink, one record type per file pair (JSON + CSV), page by page. */
export async function exportSubject(
  system: SystemName,
  store: StoreAccess,
  rules: ExportRules,
  pseudonymous: StoreConnectorOptions['pseudonymousPartitions'],
  subject: Subject,
  { purpose, sink }: ExportInput,
): Promise<Outcome[]> {
  const footprint = await store.footprint(subject.email, subject.customerNumber);
  const own = ownIdentity(footprint.direct, [subject.email]);
  const ref = subject.subjectRef;
  const byRef = ref ? [restrictedKey(ref), ...(pseudonymous?.(ref) ?? [])] : [];
  const files = new FileRuns(sink, rules);
  const omitted = new Map<string, Omitted>();
  let records = 0;
  let redacted = 0;
  let masked = 0;

  const take = async (item: StoredItem) => {
    // A kept record of another person behind a shared address is theirs, not the picked subject's (P8).
    if (!ofPicked(subject, item)) return;
    if (purpose === 'portability') {
      const scope = portabilityScope(
        system,
        { recordType: recordType(item.sk), origin: item.origin, restricted: item.restricted },
        rules.staffWritten,
      );
      if (!scope.portable) {
        const { reason, legalBasis } = scope;
        const category = String(item.category ?? 'uncategorised');
        const key = `${category}|${reason}|${legalBasis?.join(',') ?? ''}`;
        const entry = omitted.get(key) ?? {
          category,
          records: 0,
          reason,
          ...(legalBasis ? { legalBasis } : {}),
        };
        entry.records += 1;
        omitted.set(key, entry);
        return;
      }
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
        omitted: [...omitted.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, o]) => o),
        redacted,
        masked,
      },
    ];
  } catch (error) {
    await files.abortAll();
    throw error;
  }
}

type Omitted = Extract<Outcome, { kind: 'exported' }>['omitted'][number];

/** One record as the subject receives it: labelled, secrets replaced, others' data removed or masked. */
export function exportRecord(
  item: StoredItem,
  purpose: ExportInput['purpose'],
  rules: ExportRules,
  own: OwnIdentity,
): { record: Record<string, unknown>; redacted: number; masked: number } {
  // What staff wrote about the subject (a support note) is labelled as theirs, not as provided by the subject (P1).
  const staff = purpose === 'access' && rules.staffWritten?.includes(recordType(item.sk));
  const record: Record<string, unknown> = {
    category: item.category ?? 'uncategorised',
    origin: staff ? 'staff' : (item.origin ?? 'provided'),
  };
  let redacted = 0;
  let masked = 0;
  for (const [key, value] of Object.entries(item)) {
    if (TECHNICAL.has(key) || rules.staffIdentifiers?.includes(key)) continue;
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

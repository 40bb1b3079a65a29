// Real connector exports of the demo subject An Devos (the four connectors over the demo data, through the
// in-memory sink), laid out in an in-memory export bucket as the S3 sink lays them out, plus the request record.
import { Readable } from 'node:stream';
import { dynamoConnectorStores } from '../../../functions/aws/system-store.ts';
import { createBillingConnector } from '../../../functions/connectors/billing/connector.ts';
import { createCrmConnector } from '../../../functions/connectors/crm/connector.ts';
import { createMemorySink } from '../../../functions/connectors/export-files.ts';
import { createMarketingConnector } from '../../../functions/connectors/marketing/connector.ts';
import type { ConnectorStores } from '../../../functions/connectors/store/index.ts';
import { createSupportConnector } from '../../../functions/connectors/support/connector.ts';
import type { Connector, ExportPurpose } from '../../../functions/core/connector.ts';
import { type ExportObjects, exportFileKey } from '../../../functions/core/package.ts';
import type { RequestRecord } from '../../../functions/core/request.ts';
import type { BuiltInSystem, Language } from '../../../functions/core/schemas.ts';
import type { SubjectHistory } from '../../../functions/core/subject-history.ts';
import { DEMO_CUSTOMERS, demoData } from '../../../local/demo-data.ts';
import { ddb, doc, serveQueries } from '../connectors/fake-store.ts';

export const NOW = new Date('2026-02-16T09:30:00Z');
export const SECRET = 'k'.repeat(48);
export const an = DEMO_CUSTOMERS.an;
export const REQUEST_ID = 'r_ExportTestRequest00001';

/** What the pipeline holds about An: one row of every kind the access report lists (P1, P15). */
export const HISTORY: SubjectHistory = {
  requests: [
    {
      type: 'objection',
      receivedAt: '2026-01-12T09:00:00.000Z',
      status: 'completed',
      closedAt: '2026-01-12T09:20:00.000Z',
    },
    { type: 'opt_out', list: 'newsletter', receivedAt: '2026-01-21T18:30:00.000Z', status: 'completed' },
  ],
  notices: [
    {
      recipient: 'Voorbeeld E-mailmarketing BV',
      role: 'processor',
      event: 'objection',
      about: { request: 'objection', receivedAt: '2026-01-12T09:00:00.000Z' },
      sentAt: '2026-01-12T09:15:00.000Z',
    },
  ],
  consultations: [
    {
      at: '2026-01-12T09:10:00.000Z',
      purpose: 'review',
      about: { request: 'objection', receivedAt: '2026-01-12T09:00:00.000Z' },
    },
    { at: '2026-01-20T08:00:00.000Z', purpose: 'unsubscribe_link', about: { list: 'newsletter' } },
  ],
};

/** An export bucket in memory; reads come back in small chunks, as a network stream would. */
export function memoryObjects(chunkSize = 1024): ExportObjects & {
  items: Map<string, { body: Buffer; contentType: string }>;
  opened: string[];
} {
  const items = new Map<string, { body: Buffer; contentType: string }>();
  const opened: string[] = [];
  return {
    items,
    opened,
    async get(key) {
      const item = items.get(key);
      if (!item) return undefined;
      opened.push(key);
      const chunks: Buffer[] = [];
      for (let i = 0; i < item.body.length; i += chunkSize) chunks.push(item.body.subarray(i, i + chunkSize));
      return Readable.from(chunks);
    },
    async put(key, body, contentType) {
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(Buffer.from(chunk as Buffer));
      items.set(key, { body: Buffer.concat(chunks), contentType });
    },
  };
}

const CONNECTORS: Record<BuiltInSystem, (stores: ConnectorStores) => Connector> = {
  billing: createBillingConnector,
  crm: createCrmConnector,
  support: createSupportConnector,
  marketing: createMarketingConnector,
};

/** A verified request of `type` for An, in `language`, with nothing recorded yet. */
export function request(
  type: RequestRecord['type'],
  language: Language = 'nl',
  extra: Partial<RequestRecord> = {},
): RequestRecord {
  return {
    pk: `REQ#${REQUEST_ID}`,
    sk: 'REQUEST',
    kind: 'request',
    id: REQUEST_ID,
    type,
    status: 'in_progress',
    channel: 'web',
    email: an.email,
    subjectRef: 's_an',
    language,
    receivedAt: '2026-02-10T08:00:00.000Z',
    dueAt: '2026-03-10T08:00:00.000Z',
    verification: { codeHmac: 'x', expiresAt: '2026-02-10T08:15:00.000Z', attempts: 0, sent: 1 },
    attempt: 1,
    systems: {},
    version: 1,
    ...extra,
  };
}

/**
 * Runs every connector's locate and export for An over the demo data, puts the files in `objects` under
 * `exports/<id>/<attempt>/<system>/` and records the outcomes on the request, as the workflow does.
 */
export async function exportedRequest(
  type: 'access' | 'portability',
  options: { language?: Language; objects?: ReturnType<typeof memoryObjects>; attempt?: number } = {},
) {
  const objects = options.objects ?? memoryObjects();
  const attempt = options.attempt ?? 1;
  const data = demoData(NOW) as Record<string, (Record<string, unknown> & { pk: string; sk: string })[]>;
  const r = request(type, options.language ?? 'nl', {
    exportPurpose: type as ExportPurpose,
    attempt,
  });
  for (const system of Object.keys(CONNECTORS) as BuiltInSystem[]) {
    ddb.reset();
    serveQueries(data[system] ?? []);
    const sink = createMemorySink();
    const connector = CONNECTORS[system](dynamoConnectorStores(doc, system));
    const subject = { email: an.email, subjectRef: r.subjectRef };
    // Located first, as the workflow does: what was found decides which recipients the report names (P13).
    const located = await connector.locate(subject, { requestId: r.id, now: NOW });
    const outcomes = await connector.export(subject, { requestId: r.id, now: NOW }, { purpose: type, sink });
    for (const [name, file] of sink.files) {
      objects.items.set(exportFileKey(r.id, attempt, system, name), {
        body: Buffer.from(file.text, 'utf8'),
        contentType: file.format === 'json' ? 'application/json' : 'text/csv',
      });
    }
    r.systems[system] = { state: 'done', located, outcomes };
  }
  ddb.reset();
  return { r, objects };
}

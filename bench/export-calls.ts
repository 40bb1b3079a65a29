// The billing connector's portability export of one subject's call records, the store read page by page (an
// in-memory SystemStore generating each page on demand) and every file encoded, counted and hashed but kept
// nowhere. A step of measurement 5 (export-stream.ts), run in a child process; throws if the export stopped
// streaming (test/unit/connectors/export.test.ts checks the one-page bound on a smaller store).
import { performance } from 'node:perf_hooks';
import { createBillingConnector } from '../functions/connectors/billing/connector.ts';
import type { SuppressionStore, SystemItem, SystemStore } from '../functions/core/ports.ts';
import { DEMO_CUSTOMERS, demoData } from '../local/demo-data.ts';
import { callRecord, discardingSink } from '../test/fixtures/calls.ts';

const PAGE = 1000;
const NOW = new Date('2026-02-16T09:30:00Z');

export interface ExportCallsFigures {
  records: number;
  seconds: number;
  pages: number;
  /** most records read from the store but not yet written to a file */
  mostInFlight: number;
}

/** Exports `total` call records of An's billing partition for portability. */
export async function exportCalls(total: number): Promise<ExportCallsFigures> {
  const an = DEMO_CUSTOMERS.an;
  const partition = `CUST#${an.customerNumber}`;
  const profile = demoData(NOW).billing.find(
    (i) => i.sk === 'PROFILE' && i.customerNumber === an.customerNumber,
  );
  if (!profile) throw new Error('No demo profile for An');
  const stats = { fetched: 0, pages: 0 };
  const none = async () => {
    throw new Error('The export writes nothing to the store');
  };
  const records: SystemStore = {
    byEmail: async (email) => (email === an.email ? [profile as SystemItem] : []),
    partition: async () => [],
    async *pages(pk) {
      if (pk !== partition) return;
      for (let from = 0; from < total; from += PAGE) {
        const n = Math.min(PAGE, total - from);
        stats.fetched += n;
        stats.pages += 1;
        yield Array.from({ length: n }, (_, i) => callRecord(pk, an, from + i));
      }
    },
    deleteAll: none,
    move: none,
    update: none,
    purgeDue: async function* () {},
    addresses: async function* () {},
  };
  const suppressions: SuppressionStore = { suppress: none, read: async () => undefined };
  const { sink, counts } = discardingSink(() => stats.fetched);
  const t0 = performance.now();
  const outcomes = await createBillingConnector({ records, suppressions }).export(
    { email: an.email, subjectRef: 's_an' },
    { requestId: 'r_bench', now: NOW },
    { purpose: 'portability', sink },
  );
  const seconds = (performance.now() - t0) / 1000;
  const exported = outcomes[0]?.kind === 'exported' ? outcomes[0] : undefined;
  const calls = exported?.files.find((f) => f.name === 'calls.json');
  if (calls?.records !== total) throw new Error(`calls.json holds ${calls?.records} of ${total} records`);
  if (counts.mostInFlight > 2 * PAGE)
    throw new Error(`${counts.mostInFlight} records read ahead of the files`);
  return { records: total, seconds, pages: stats.pages, mostInFlight: counts.mostInFlight };
}

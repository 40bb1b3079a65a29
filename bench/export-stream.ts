// Benchmark: one portability export of a million call records through the billing connector, the store read
// page by page (an in-memory SystemStore generating each page on demand) and every file encoded, counted and
// hashed but kept nowhere. Prints throughput, pages, how far reads ran ahead of writes and the heap; asserts
// nothing (test/unit/connectors/export.test.ts checks the one-page bound on a smaller store).
import { performance } from 'node:perf_hooks';
import { createBillingConnector } from '../functions/connectors/billing/connector.ts';
import type { SuppressionStore, SystemItem, SystemStore } from '../functions/core/ports.ts';
import { DEMO_CUSTOMERS, demoData } from '../local/demo-data.ts';
import { callRecord, discardingSink } from '../test/fixtures/calls.ts';

const TOTAL = Number(process.env.BENCH_CALLS ?? 1_000_000);
const PAGE = 1000;
const NOW = new Date('2026-02-16T09:30:00Z');

/** Runs the export and prints its figures. */
export async function benchExportStream(): Promise<void> {
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
      for (let from = 0; from < TOTAL; from += PAGE) {
        const n = Math.min(PAGE, TOTAL - from);
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
  let heapPeak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 50);

  const t0 = performance.now();
  const outcomes = await createBillingConnector({ records, suppressions }).export(
    { email: an.email, subjectRef: 's_an' },
    { requestId: 'r_bench', now: NOW },
    { purpose: 'portability', sink },
  );
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const exported = outcomes[0]?.kind === 'exported' ? outcomes[0] : undefined;
  const calls = exported?.files.filter((f) => f.name.startsWith('calls.'));
  console.log(`Portability export of ${TOTAL.toLocaleString('en')} call records (billing, in-memory store):`);
  console.log(
    `  ${seconds.toFixed(1)} s, ${Math.round(TOTAL / seconds).toLocaleString('en')} records/s, ${stats.pages} pages of ${PAGE}`,
  );
  for (const f of calls ?? []) {
    console.log(
      `  ${f.name}: ${f.records.toLocaleString('en')} records, ${(f.bytes / 2 ** 20).toFixed(1)} MiB`,
    );
  }
  console.log(
    `  most records read but not yet written: ${counts.mostInFlight}; heap peak ${(heapPeak / 2 ** 20).toFixed(0)} MiB`,
  );
}

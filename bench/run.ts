// `npm run bench`: figures from the embedded runtime, printed, never asserted in tests.
//  1. Intake latency for a customer's address and an unknown one: the answers must not tell them apart (P8).
//  2. Erasures end to end: file, verify, approve, completed; latency per request and throughput.
//  3. The portability package over a million call records, streamed (run first, in this process, without
//     the runtime): time, how early storage receives the zip, peak memory. BENCH_PACKAGE_RECORDS=0 skips it.
//  4. A portability export of a million call records, streamed page by page (bench/export-stream.ts).
//  5. The retention sweep (P11) over 10,000 and 100,000 generated subjects on DynamoDB Local: time, subjects/s,
//     peak resident memory (bench/retention-sweep.ts; BENCH_RETENTION_SUBJECTS=0 skips it).
// Rate limits are raised through configuration, as DESIGN.md intends for benchmarks.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { call, codeIn, eventually, inbox } from '../test/helpers/api.ts';
import { startRuntime } from '../test/helpers/runtime.ts';
import { benchExportStream } from './export-stream.ts';
import { benchPackageStream, printPackageStream } from './package-stream.ts';
import { benchRetentionSweep } from './retention-sweep.ts';

const N_INTAKE = Number(process.env.BENCH_INTAKE ?? 200);
const N_ERASURE = Number(process.env.BENCH_ERASURES ?? 20);
const N_PACKAGE_RECORDS = Number(process.env.BENCH_PACKAGE_RECORDS ?? 1_000_000);

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function timeIntake(apiUrl: string, email: string) {
  const t0 = performance.now();
  const res = await call(apiUrl, 'POST', '/requests', { body: { type: 'erasure', email, language: 'nl' } });
  const ms = performance.now() - t0;
  if (res.status !== 202) throw new Error(`intake answered ${res.status}`);
  return ms;
}

async function main() {
  if (N_PACKAGE_RECORDS > 0) printPackageStream(await benchPackageStream(N_PACKAGE_RECORDS));

  const rt = await startRuntime({
    env: {
      RATE_LIMIT_PER_ADDRESS: '100000',
      RATE_LIMIT_PER_SOURCE: '100000',
      POWERTOOLS_LOG_LEVEL: 'WARN',
    },
  });
  try {
    // Interleaved, so drift of the machine affects both groups alike.
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < N_INTAKE; i++) {
      known.push(await timeIntake(rt.apiUrl, 'an.devos@example.be'));
      unknown.push(await timeIntake(rt.apiUrl, `nobody${i}@example.org`));
    }
    console.log(`Intake (POST /requests), ${N_INTAKE} each, interleaved:`);
    console.log(
      `  customer      p50 ${fmt(percentile(known, 50))}  p95 ${fmt(percentile(known, 95))}  mean ${fmt(mean(known))}`,
    );
    console.log(
      `  not customer  p50 ${fmt(percentile(unknown, 50))}  p95 ${fmt(percentile(unknown, 95))}  mean ${fmt(mean(unknown))}`,
    );
    console.log(
      `  difference of means ${fmt(Math.abs(mean(known) - mean(unknown)))} (intake looks nothing up about the subject)`,
    );

    const approver = await rt.staffToken('approver');
    const t0 = performance.now();
    const latencies = await Promise.all(
      Array.from({ length: N_ERASURE }, async (_, i) => {
        const email = `bench${i}@example.org`;
        const start = performance.now();
        const filed = await call(rt.apiUrl, 'POST', '/requests', { body: { type: 'erasure', email } });
        const id = filed.json.id as string;
        const mail = await eventually(async () =>
          (await inbox(rt.sesUrl)).find((m) => m.destination.to.includes(email)),
        );
        const verified = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, {
          body: { code: codeIn(mail) },
        });
        const token = verified.json.statusToken as string;
        await eventually(async () => {
          const s = await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, { token: approver });
          return s.status === 200 ? true : undefined;
        }, 120_000);
        await eventually(async () => {
          const s = await call(rt.apiUrl, 'GET', `/requests/${id}`, { token });
          return s.json.status === 'completed' ? true : undefined;
        }, 120_000);
        return performance.now() - start;
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    console.log(`Erasure end to end (file, verify, approve, completed), ${N_ERASURE} concurrent:`);
    console.log(
      `  p50 ${fmt(percentile(latencies, 50))}  p95 ${fmt(percentile(latencies, 95))}  max ${fmt(Math.max(...latencies))}`,
    );
    console.log(`  throughput ${(N_ERASURE / seconds).toFixed(2)} requests/s`);
    // The runtime's own process (handlers, interpreter, API server), not DynamoDB Local's Java.
    const rssKiB = Number(
      execFileSync('ps', ['-o', 'rss=', '-p', String(rt.pid)])
        .toString()
        .trim(),
    );
    console.log(`  runtime process resident memory ${(rssKiB / 1024).toFixed(0)} MiB after the run`);
  } finally {
    await rt.stop();
  }
  await benchExportStream();
  await benchRetentionSweep();
}

await main();

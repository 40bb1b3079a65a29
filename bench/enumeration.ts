// Measurement 7, enumeration timing (P8): do the intake's and the verification's answer times tell a customer's
// address from an unknown one? Requests for known (generated subjects in all four systems) and unknown addresses
// are interleaved, so drift of the machine touches both alike; each sample is one HTTP answer time. A Mann–Whitney
// U test says whether the two distributions can be told apart.
import { performance } from 'node:perf_hooks';
import { call } from '../test/helpers/api.ts';
import type { Runtime } from '../test/helpers/runtime.ts';
import { type BenchOptions, type BenchSection, figure } from './section.ts';
import { histogram, mannWhitneyU, median, percentile } from './stats.ts';
import { barChart } from './svg.ts';
import { requestBody, seedSubjects, startBenchRuntime } from './workload.ts';

const ALPHA = 0.01;
const accepted = (s: number) => s === 202;
// a wrong code is a 4xx problem; which one is the API's business (functions/api/problems.ts)
const refused = (s: number) => s >= 400 && s < 500;

async function timed(rt: Runtime, path: string, body: unknown, expected: (status: number) => boolean) {
  const t0 = performance.now();
  const res = await call(rt.apiUrl, 'POST', path, { body });
  const ms = performance.now() - t0;
  if (!expected(res.status)) throw new Error(`${path.replace(/r_\w+/, '{id}')} answered ${res.status}`);
  return { ms, id: res.json.id as string | undefined };
}

/** One endpoint's comparison: the figures, the notes line and the histogram. */
function compare(what: string, known: number[], unknown: number[]) {
  const test = mannWhitneyU(known, unknown);
  const diff = median(known) - median(unknown);
  const distinguishable = test.p < ALPHA;
  const hi = Math.max(percentile(known, 99), percentile(unknown, 99));
  const lo = Math.min(percentile(known, 1), percentile(unknown, 1));
  const bins = 24;
  const width = (hi - lo) / bins;
  return {
    figures: [
      figure(`${what}: median, known address`, 'ms', [median(known)]),
      figure(`${what}: median, unknown address`, 'ms', [median(unknown)]),
      figure(`${what}: difference of medians`, 'ms', [diff]),
      figure(`${what}: Mann–Whitney p`, '', [test.p], (p) => ({
        text: `≥ ${ALPHA} (not told apart)`,
        met: p >= ALPHA,
      })),
    ],
    line:
      `- **${what}**: ${known.length} + ${unknown.length} answers; medians ${median(known).toFixed(2)} ms (known) and ` +
      `${median(unknown).toFixed(2)} ms (unknown), difference ${diff.toFixed(2)} ms; U = ${test.u.toFixed(0)}, ` +
      `z = ${test.z.toFixed(2)}, p = ${test.p.toPrecision(3)}: ` +
      (distinguishable
        ? `**distinguishable** at α = ${ALPHA}: an observer timing this answer can tell the groups apart.`
        : `not distinguishable at α = ${ALPHA}.`),
    chart: {
      name: what.toLowerCase().replace(/\W+/g, '-').replace(/-+$/, ''),
      title: `${what}: answer times, known vs unknown address`,
      svg: barChart({
        title: `${what}: answer times (ms), known vs unknown`,
        labels: Array.from({ length: bins }, (_, i) => (lo + (i + 0.5) * width).toFixed(1)),
        series: [
          { name: 'known address', values: histogram(known, lo, hi, bins) },
          { name: 'unknown address', values: histogram(unknown, lo, hi, bins) },
        ],
        unit: 'answers',
      }),
    },
    data: { known, unknown, test },
  };
}

export async function enumeration(o: BenchOptions): Promise<BenchSection> {
  const n = Number(process.env.BENCH_ENUMERATION ?? (o.quick ? 40 : 400));
  const rt = await startBenchRuntime();
  try {
    const known = await seedSubjects(rt, 'enum', n);
    const times = {
      intakeKnown: [] as number[],
      intakeUnknown: [] as number[],
      verifyKnown: [] as number[],
      verifyUnknown: [] as number[],
    };
    const wrong = { code: '00000000' };
    // A few rounds first, so loading the handlers is in neither group.
    for (let i = 0; i < 5; i++)
      await timed(rt, '/requests', requestBody('access', `warm.${i}@example.org`), accepted);
    for (let i = 0; i < n; i++) {
      const k = known[i]?.email as string;
      const u = `nobody.${i}@example.org`;
      // the order within a pair alternates, so neither group is always second
      const pair =
        i % 2
          ? ([
              ['k', k],
              ['u', u],
            ] as const)
          : ([
              ['u', u],
              ['k', k],
            ] as const);
      for (const [group, email] of pair) {
        const filed = await timed(rt, '/requests', requestBody('access', email), accepted);
        (group === 'k' ? times.intakeKnown : times.intakeUnknown).push(filed.ms);
        const verified = await timed(rt, `/requests/${filed.id}/verify`, wrong, refused);
        (group === 'k' ? times.verifyKnown : times.verifyUnknown).push(verified.ms);
      }
    }
    const intake = compare('Intake', times.intakeKnown, times.intakeUnknown);
    const verify = compare('Verify (wrong code)', times.verifyKnown, times.verifyUnknown);
    return {
      id: 'enumeration',
      title: '7. Enumeration timing (P8)',
      method:
        `${n} access requests for known addresses (subjects in all four systems) and ${n} for unknown ones, interleaved ` +
        `and alternating; each POST /requests and one POST /requests/{id}/verify with a wrong code, timed by the client ` +
        `(HTTP answer time). Two-sided Mann–Whitney U test (normal approximation with tie correction, bench/stats.ts).`,
      figures: [...intake.figures, ...verify.figures],
      notes: [intake.line, verify.line].join('\n'),
      charts: [intake.chart, verify.chart],
      data: { intake: intake.data, verify: verify.data },
    };
  } finally {
    await rt.stop();
  }
}

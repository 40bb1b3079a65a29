// Measurement 1, fan-out overhead: every connector operation made to take a fixed time T (local/delays.ts), an
// erasure of a subject in every system approved, and its approval-to-completion time divided by what the
// systems themselves take. An erasure waits for two rounds of its systems (erase, then the recheck, P3), so the
// physical limit is 2T with every system at T, and 2 × 5T with one system at 5T: the slowest, not the sum.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DELAY_FILE } from '../local/delays.ts';
import { type BenchOptions, type BenchSection, figure } from './section.ts';
import { barChart } from './svg.ts';
import {
  BENCH_SYSTEMS,
  drive,
  executionArn,
  history,
  Inbox,
  seedSubjects,
  sfnClient,
  stagesOf,
  startBenchRuntime,
} from './workload.ts';

const T = Number(process.env.BENCH_FANOUT_T_MS ?? 200);
const ROUNDS = 2; // erase, recheck
const TARGET = 1.25;
const POST_APPROVAL = [
  'AwaitApproval',
  'Execute',
  'ActInSystem',
  'RecordOutcomes',
  'Recheck',
  'RecheckInSystem',
  'RecordRecheck',
  'NotifyRecipients',
  'TellSubject',
  'Close',
];

// Side by side the delay adds 2 × 5T (ratio 1), one after the other 2 × (n + 4)T (1.6 for four systems): say which.
const verdict = (addedRatio: number) =>
  addedRatio < 1.3
    ? 'the time the delay added follows the slowest system, not the sum'
    : 'on this run the time the delay added could not be told from the sum (a busy machine adds more noise than T)';

// The target leaves 0.25 × 2T for everything that is not the systems; say what that needs when it is missed.
function missedWhy(base: number): string {
  const allowance = (TARGET - 1) * ROUNDS * T;
  if (!(base > allowance)) return '';
  return (
    `\n\nThe workflow's own steps after approval take ${base.toFixed(0)} ms, more than the ${allowance.toFixed(0)} ms ` +
    `the target leaves over ${ROUNDS}T: the ratio reaches ${TARGET} only when those steps are faster (fewer ` +
    `sequential Lambdas after approval, each with fewer round trips) or the systems slower (T ≥ ` +
    `${Math.ceil(base / ((TARGET - 1) * ROUNDS))} ms).`
  );
}

export async function fanOut(o: BenchOptions): Promise<BenchSection> {
  const rt = await startBenchRuntime();
  const sfn = sfnClient(rt);
  const inbox = new Inbox(rt.sesUrl);
  try {
    const approver = await rt.staffToken('approver');
    const subjects = await seedSubjects(rt, 'fan', 1 + 3 * o.repeats);
    const setDelays = (d: Record<string, number>) =>
      writeFileSync(join(rt.dataDir, DELAY_FILE), JSON.stringify(d));
    const erase = async () => {
      const s = subjects.shift();
      if (!s) throw new Error('no subject left');
      const { id } = await drive(rt, inbox, approver, 'erasure', s.email, sfn);
      const stages = stagesOf(await history(sfn, executionArn(rt, id)));
      if (!stages.succeeded || stages.approvalToEnd === undefined)
        throw new Error(`erasure ${id} did not succeed`);
      return stages;
    };
    // One erasure first, undelayed, so loading the handlers is not in the figures.
    setDelays({ '*': 0 });
    await erase();
    const none: ReturnType<typeof stagesOf>[] = [];
    const even: ReturnType<typeof stagesOf>[] = [];
    const slow: ReturnType<typeof stagesOf>[] = [];
    for (let i = 0; i < o.repeats; i++) {
      setDelays({ '*': 0 });
      none.push(await erase());
      setDelays({ '*': T });
      even.push(await erase());
      setDelays({ '*': T, marketing: 5 * T });
      slow.push(await erase());
    }
    const ratio = (xs: typeof even, slowest: number) =>
      xs.map((s) => (s.approvalToEnd as number) / (ROUNDS * slowest));
    const met = (m: number) => ({ text: `≤ ${TARGET}`, met: m <= TARGET });
    const ms = (xs: (number | undefined)[]) => xs.map((x) => x ?? Number.NaN);
    const median = (xs: number[]) => figure('', '', xs).median;
    const n = BENCH_SYSTEMS.length;
    const sumOfAll = ROUNDS * ((n - 1) * T + 5 * T);
    const base = median(ms(none.map((s) => s.approvalToEnd)));
    // What the delay adds, over what the systems add: 1 when they run side by side, n (or (n + 4) / 5) one after the other.
    const added = (xs: typeof even, slowest: number) =>
      ms(xs.map((s) => s.approvalToEnd)).map((x) => (x - base) / (ROUNDS * slowest));
    const stateRows = POST_APPROVAL.map(
      (name) =>
        `| ${name} | ${[none, even, slow].map((xs) => median(xs.map((s) => s.states[name] ?? Number.NaN)).toFixed(0)).join(' | ')} |`,
    );
    return {
      id: 'fan-out',
      title: '1. Fan-out overhead',
      method:
        `Every connector operation delayed to T = ${T} ms (local/delays.ts); one erasure of a subject in all ${n} systems (${BENCH_SYSTEMS.join(', ')}) ` +
        `per repeat, approved through the API; times from the execution history. An erasure runs two rounds of its ` +
        `systems (erase, then the recheck of P3), so the physical limit is ${ROUNDS}T.`,
      figures: [
        figure('approval-to-completion ÷ 2T, every system at T', '×', ratio(even, T), met),
        figure('approval-to-completion ÷ 2 × 5T, marketing at 5T', '×', ratio(slow, 5 * T), met),
        figure('added by the delay ÷ 2T, every system at T (one after the other: 4)', '×', added(even, T)),
        figure(
          'added by the delay ÷ 2 × 5T, marketing at 5T (one after the other: 1.6)',
          '×',
          added(slow, 5 * T),
        ),
        figure(
          'Execute (one round) ÷ T, every system at T',
          '×',
          ms(even.map((s) => s.execute)).map((x) => x / T),
        ),
        figure('approval-to-completion, every system at T', 'ms', ms(even.map((s) => s.approvalToEnd))),
        figure('approval-to-completion, marketing at 5T', 'ms', ms(slow.map((s) => s.approvalToEnd))),
        figure('approval-to-completion, undelayed', 'ms', ms(none.map((s) => s.approvalToEnd))),
      ],
      notes:
        `With marketing at 5T the erasure took ${median(ms(slow.map((s) => s.approvalToEnd))).toFixed(0)} ms: ` +
        `${ROUNDS} × 5T = ${ROUNDS * 5 * T} ms if the systems run side by side, ${sumOfAll} ms if one after the other ` +
        `(the sum): ${verdict(median(added(slow, 5 * T)))}. The "added by the delay" figures take away the undelayed ` +
        `time, so they show the fan-out itself whatever the machine's load: 1 when the systems run side by side. What is left over T is the workflow's own steps ` +
        `(record, notify recipients, tell, close: an erasure assembles nothing), ${base.toFixed(0)} ms undelayed. Median time per state ` +
        `after approval (ms; a Map's item: the slowest):\n\n| State | undelayed | all at T | marketing at 5T |\n|---|---|---|---|\n` +
        stateRows.join('\n') +
        missedWhy(base),
      charts: [
        {
          name: 'stages',
          title: 'Fan-out: time after approval',
          svg: barChart({
            title: `Erasure after approval (T = ${T} ms)`,
            labels: ['undelayed', 'all at T', 'marketing at 5T'],
            series: [
              {
                name: 'measured',
                values: [none, even, slow].map((xs) => median(ms(xs.map((s) => s.approvalToEnd)))),
              },
              { name: 'slowest system (limit)', values: [0, ROUNDS * T, ROUNDS * 5 * T] },
              { name: 'sum of systems', values: [0, ROUNDS * n * T, sumOfAll] },
            ],
            unit: 'ms',
          }),
        },
      ],
      data: { T, none, even, slow },
    };
  } finally {
    inbox.close();
    sfn.destroy();
    await rt.stop();
  }
}

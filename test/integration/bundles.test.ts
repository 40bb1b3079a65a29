// The artefacts AWS would run (P15, Art. 32): the embedded runtime loads every Lambda from its bundle in cdk.out
// (`npm start -- --bundles`), so a bundling fault (a catalog, template or register not in the bundle, an ESM
// import, a dynamic require) fails here and not in production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledFunctions, readSynthesizedStack } from '../../local/bundles.ts';
import { ensureBundles, ROOT } from '../helpers/bundles.ts';
import {
  carryOutEveryRight,
  downloadEveryPackage,
  EVERY_RIGHT,
  staffAndOptOut,
} from '../helpers/every-right.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';

let rt: Runtime;

beforeAll(async () => {
  await ensureBundles();
  rt = await startRuntime({
    bundles: true,
    clock: '2026-11-25T09:00:00Z',
    env: { RATE_LIMIT_PER_SOURCE: '200', LOCAL_SCHEDULE_EVERY_MS: '5000' },
  });
}, 600_000);

afterAll(async () => {
  await rt?.stop();
});

/** What the runtime said about each container it started: function, file, source entry. */
const containers = () =>
  rt
    .logs()
    .map((l) => /^\[lambda\] (\S+) runs (\S+) \(bundle of (\S+)\)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, name, file, entry]) => ({ name, file, entry }));

describe('The Lambda bundles of cdk.out, run as AWS would run them (P15, Art. 32)', () => {
  it('carries out one request of every type to completion on the bundles, downloads included (P1, P2, P3, P6, P7)', async () => {
    // Act: one access, portability, rectification, erasure and objection, each approved and carried out
    const outcome = await carryOutEveryRight(rt);
    const bytes = await downloadEveryPackage(rt);
    await staffAndOptOut(rt, outcome.access?.id as string);
    // Assess: each ended completed or, where the law keeps records, partially completed; the packages downloaded
    console.log(
      `[bundles] requests run: ${Object.keys(outcome).length}, ${Object.entries(outcome)
        .map(([type, o]) => `${type} ${o.status}`)
        .join(', ')}; packages downloaded: ${bytes} bytes`,
    );
    expect(Object.keys(outcome).sort()).toEqual(EVERY_RIGHT.map((r) => r.type).sort());
    for (const [type, { status }] of Object.entries(outcome))
      expect(['completed', 'partially_completed'], type).toContain(status);
    expect(bytes).toBeGreaterThan(0);
    // Every function loads from its bundle on first use: dozens of cold starts, slow on a busy 2-core machine.
  }, 180_000);

  it('ran the scheduled sweeps and the retention sweep from their bundles too (P9, P11)', async () => {
    // Prepare: what the schedules invoke
    const scheduled = containers().filter((c) => String(c.entry).startsWith('functions/scheduled/'));
    // Assess: every scheduled handler file ran, each from cdk.out
    const entries = new Set(scheduled.map((c) => c.entry as string));
    for (const entry of [
      'functions/scheduled/notice-sweep.ts',
      'functions/scheduled/expiry-sweep.ts',
      'functions/scheduled/deadline-sweep.ts',
      'functions/scheduled/retention-list.ts',
      'functions/scheduled/retention-summary.ts',
    ])
      expect(entries).toContain(entry);
    expect(rt.logs().some((l) => /\[schedule\] \S+ failed/.test(l))).toBe(false);
  });

  it('loaded every handler it ran from its bundle in cdk.out, none from the TypeScript sources (P15)', async () => {
    // Prepare: the bundle the synthesized template names for each function
    const stack = readSynthesizedStack(ROOT);
    const expected = new Map(
      bundledFunctions(ROOT, stack).map((f) => [f.name, f.bundle.slice(ROOT.length + 1)]),
    );
    // Act: the containers the run started
    const started = containers();
    // Assess: each ran the very file the template names; every connector and workflow task was among them
    console.log(`[bundles] functions run from cdk.out: ${started.length} of ${expected.size}`);
    for (const c of started) expect(c.file, c.name).toBe(expected.get(c.name as string));
    const entries = new Set(started.map((c) => c.entry));
    for (const system of ['billing', 'crm', 'support', 'marketing'])
      expect(entries).toContain(`functions/connectors/${system}/handler.ts`);
    for (const task of ['prepare', 'close', 'assemble', 'tell-subject', 'record-results'])
      expect(entries).toContain(`functions/workflow/${task}.ts`);
    expect(rt.logs().some((l) => l.includes('Runtime.ImportModuleError'))).toBe(false);
  });
});

// The delay knob of the local systems (issue 12, the fan-out benchmark): per system, from the environment or
// <data dir>/delays.json, and only for connector calls.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DELAY_FILE, DelaySwitch, delayedInvoke, parseDelays } from '../../../local/delays.ts';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'delays-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('parseDelays', () => {
  it('reads one delay for every system, or one per system (issue 12)', () => {
    // Prepare
    const texts = ['200', 'billing=200, crm=1000', 'crm=x,,support=-1', undefined];
    // Act
    const parsed = texts.map(parseDelays);
    // Assess
    expect(parsed).toEqual([{ '*': 200 }, { billing: 200, crm: 1000 }, {}, {}]);
  });
});

describe('DelaySwitch', () => {
  it('lets the file override the environment, per system, and reads it again when it changes (issue 12)', () => {
    // Prepare
    const dir = dataDir();
    const delays = new DelaySwitch(dir, { '*': 50 });
    const before = delays.delayOf('crm');
    // Act
    writeFileSync(join(dir, DELAY_FILE), JSON.stringify({ '*': 200, marketing: 1000 }));
    const after = [delays.delayOf('crm'), delays.delayOf('marketing')];
    rmSync(join(dir, DELAY_FILE));
    const removed = delays.delayOf('crm');
    // Assess
    expect(before).toBe(50);
    expect(after).toEqual([200, 1000]);
    expect(removed).toBe(50);
  });
});

describe('delayedInvoke', () => {
  it('delays a connector call of a delayed system and passes everything else straight on (issue 12)', async () => {
    // Prepare
    const calls: string[] = [];
    const delays = new DelaySwitch(dataDir(), { crm: 30 });
    const invoke = delayedInvoke(delays, async (ref) => {
      calls.push(ref);
      return ref;
    });
    // Act
    const slow = invoke('crm-connector', { system: 'crm', operation: 'erase' });
    const other = await invoke('prepare', { requestId: 'r_1' });
    const callsBeforeCrm = [...calls];
    const result = await slow;
    // Assess
    expect(callsBeforeCrm).toEqual(['prepare']);
    expect(other).toBe('prepare');
    expect(result).toBe('crm-connector');
    expect(calls).toEqual(['prepare', 'crm-connector']);
  });
});

// The child side of bench/isolate.ts: imports the module, runs the one step, answers its result and peak memory.
import { pathToFileURL } from 'node:url';
import { peakSampler } from './isolate.ts';

process.once('message', async (m: { module: string; name: string; arg: unknown }) => {
  try {
    const mod = (await import(pathToFileURL(m.module).href)) as Record<string, (a: unknown) => unknown>;
    const step = mod[m.name];
    if (typeof step !== 'function') throw new Error(`${m.name} is not exported by ${m.module}`);
    const rssBefore = process.memoryUsage().rss;
    const sampler = peakSampler();
    const cpu0 = process.cpuUsage();
    const result = await step(m.arg);
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    process.send?.({ result, peakRss: sampler.stop(), rssBefore, cpuSeconds });
  } catch (error) {
    process.send?.({ error: (error as Error).stack ?? String(error) });
  }
});

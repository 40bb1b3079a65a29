import { build } from 'esbuild';
const [entry, target] = process.argv.slice(2);
const r = await build({ entryPoints: [entry], outfile: '/tmp/an/o2.mjs', bundle: true, platform: 'node', format: 'esm', metafile: true, logLevel: 'error', write: false, mainFields: ['module','main'] });
const parents = {};
for (const [p, i] of Object.entries(r.metafile.inputs)) for (const im of i.imports) (parents[im.path] ??= []).push(p);
let cur = target; const chain = [cur];
const seen = new Set();
while (parents[cur] && !seen.has(cur)) { seen.add(cur); cur = parents[cur][0]; chain.push(cur); }
console.log(chain.join('\n <- '));
console.log('all importers:', parents[target]);

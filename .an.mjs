import { build } from 'esbuild';
const entry = process.argv[2];
const external = process.env.EXT ? process.env.EXT.split(',') : [];
const r = await build({ entryPoints: [entry], outfile: '/tmp/an/out.mjs', bundle: true, platform: 'node', target: 'node22', format: 'esm', minify: true, mainFields: ['module','main'], metafile: true, logLevel: 'error', write: true, external });
const out = Object.values(r.metafile.outputs).find(o => o.entryPoint);
const groups = {};
for (const [p, i] of Object.entries(out.inputs)) {
  const m = p.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  const g = m ? m[1] : p.replace(/\/[^/]+$/, '');
  groups[g] = (groups[g] ?? 0) + i.bytesInOutput;
}
console.log('total', out.bytes);
for (const [g, b] of Object.entries(groups).sort((a, b) => b[1] - a[1]).slice(0, +(process.argv[3] ?? 25))) console.log(String(Math.round(b/1024)).padStart(5), g);

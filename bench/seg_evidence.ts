// `node dist/bench/seg_evidence.js [--out bench/out/seg_evidence] [--seeds 0,1,2] [--arms a,b,...] [--quick]`:
// the README's seg evidence table (issue 5) and the render method's downstream test (issue 4), at the demo's
// settings (src/demo/settings.ts). One synthetic benchmark (seed 0) and one renderer tuning toward its target
// (seed 0) are shared; each arm trains once per seed (network initialisation, data order, noise) and is scored
// on the target's val split after its last step (no model selection on target labels).
// Arms: source-only and adapted on the source rendered with the initial θ and with the tuned θ, the target
// oracle, and the adapted model without confidence weighting, without style transfer, with a fixed λ.
// Every stage's output is kept under --out and reused when present, so several processes (each with its own
// --arms) can share the work, and a killed run only redoes its unfinished arm. Prints the table (mean ± std over
// seeds, the share of the source-to-oracle gap closed) and writes <out>/results.json.
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_SETTINGS, demoSegConfig, slug, type SourcedArm } from '../src/demo/settings.js';
import { benchmarkRoots, renderSource, synthesise, trainSegRun, tuneRenderer } from '../src/demo/stages.js';
import { TUNE_FILES } from '../src/methods/render/tune.js';
import type { MetricRecord } from '../src/run/index.js';
import { writeFileAtomic } from '../src/util/atomic.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};

const ARMS: SourcedArm[] = [
  { name: 'source-only', seg: 'source-only', source: 'initial' },
  { name: 'adapted', seg: 'adapted', source: 'initial' },
  { name: 'target oracle', seg: 'target oracle', source: 'initial' },
  { name: 'source-only, tuned source', seg: 'source-only', source: 'tuned' },
  { name: 'adapted, tuned source', seg: 'adapted', source: 'tuned' },
  { name: 'adapted, no confidence', seg: 'adapted, no confidence', source: 'initial' },
  { name: 'adapted, no style transfer', seg: 'adapted, no style transfer', source: 'initial' },
  { name: 'adapted, fixed λ', seg: 'adapted, fixed λ', source: 'initial' },
];

const OUT = arg('out', 'bench/out/seg_evidence');
const SEEDS = arg('seeds', '0,1,2').split(',').map(Number);
const SELECTED = arg('arms', ARMS.map((a) => slug(a.name)).join(',')).split(',');
const S = DEMO_SETTINGS[process.argv.includes('--quick') ? 'quick' : 'full'];

const data = path.join(OUT, 'data');
const tuneRun = path.join(OUT, 'render-tune');
const roots = benchmarkRoots(data);
const done = (file: string) => fs.existsSync(file);

// Shared stages; a marker file says each finished (another process may be writing them: run one first alone).
if (!done(path.join(data, 'benchmark.json'))) await synthesise(data, S, 0);
if (!done(path.join(tuneRun, TUNE_FILES.result))) await tuneRenderer(data, tuneRun, S, 0);
if (!done(path.join(roots.tuned, '.complete'))) {
  await renderSource(path.join(tuneRun, TUNE_FILES.best), roots.tuned, S, 0);
  fs.writeFileSync(path.join(roots.tuned, '.complete'), '');
}

const runDir = (a: SourcedArm, seed: number) => path.join(OUT, 'runs', slug(a.name), `seed-${seed}`);
for (const a of ARMS.filter((x) => SELECTED.includes(slug(x.name)))) {
  for (const seed of SEEDS) {
    const dir = runDir(a, seed);
    if (done(path.join(dir, 'final.json'))) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    const scores = await trainSegRun(demoSegConfig(S, { source: roots[a.source], target: roots.target, arm: a.seg, seed }), dir);
    writeFileAtomic(path.join(dir, 'final.json'), JSON.stringify(scores));
    console.log(`${a.name}, seed ${seed}: target mIoU ${(100 * (scores.mIoU as number)).toFixed(2)}`);
  }
}

// The table over whatever has finished.
const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const std = (v: number[]) => (v.length > 1 ? Math.sqrt(v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / (v.length - 1)) : NaN);
const results = ARMS.map((a) => {
  const runs = SEEDS.filter((seed) => done(path.join(runDir(a, seed), 'final.json')))
    .map((seed) => ({ seed, scores: JSON.parse(fs.readFileSync(path.join(runDir(a, seed), 'final.json'), 'utf8')) as MetricRecord }));
  const miou = runs.map((r) => 100 * (r.scores.mIoU as number));
  return { arm: a.name, seeds: runs.map((r) => r.seed), miou, mean: mean(miou), std: std(miou) };
}).filter((r) => r.miou.length > 0);
const by = (name: string) => results.find((r) => r.arm === name);
const gap = (name: string) => {
  const src = by('source-only'), orc = by('target oracle'), x = by(name);
  return src && orc && x ? (100 * (x.mean - src.mean)) / (orc.mean - src.mean) : NaN;
};
console.log('\n| training | target mIoU (%), mean ± std | seeds | per seed | gap closed |\n|---|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.arm} | ${r.mean.toFixed(1)} ± ${r.std.toFixed(1)} | ${r.seeds.length} | ${r.miou.map((v) => v.toFixed(1)).join(', ')} | `
    + `${r.arm.startsWith('adapted') || r.arm.includes('tuned') ? `${gap(r.arm).toFixed(0)}%` : ''} |`);
}
writeFileAtomic(path.join(OUT, 'results.json'), `${JSON.stringify({ settings: S, results }, null, 2)}\n`);

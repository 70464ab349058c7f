// `shiftkit demo`: the whole story on built-in data, stage after stage into one folder:
//   data/            the synthetic benchmark (source: built-in θ; target: hidden θ* plus unmodelled effects)
//   render-tune/     the renderer tuned toward the target's training images (render)
//   data/tuned/      the source's scenes re-rendered with the tuned θ
//   seg-*/           segmentation trained source-only on the source with the initial θ and with the tuned θ, and
//                    adapted to the unlabelled target on the tuned source (seg), each scored on the target
//   predictions.png and report.html
import path from 'node:path';
import * as torch from '../torch/index.js';
import { writeImage } from '../io/index.js';
import { valLoader } from '../methods/seg/data.js';
import { buildSegNet } from '../methods/seg/networks.js';
import { sampleGrid } from '../methods/seg/train.js';
import { loadModuleWeights } from '../run/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { renderDemoReport, type DemoRun } from './report.js';
import { DEMO_RUNS, demoSegConfig, slug, type DemoSettings, type SourcedArm } from './settings.js';
import { benchmarkRoots, renderSource, synthesise, trainSegRun, tuneRenderer } from './stages.js';


const progressLine = (what: string, done: number, total: number) => process.stderr.write(`\r  ${what}: ${done}/${total}   `);

/** Prints a stage's title, runs it, and prints how long it took. */
async function stage<T>(title: string, fn: () => Promise<T>): Promise<T> {
  console.log(`\n${title}`);
  const t0 = Date.now();
  const r = await fn();
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  return r;
}

/** Runs the demo with settings `s` (DEMO_SETTINGS.full or .quick) into `out`; returns report.html's path. */
export async function runDemo(s: DemoSettings, o: { out: string; seed: number }): Promise<string> {
  const start = Date.now();
  const info = torch.buildInfo();
  console.log(`ShiftKit demo into ${o.out}: libtorch ${info.torchVersion}, ${torch.getNumThreads()} threads`);
  const data = path.join(o.out, 'data');
  const roots = benchmarkRoots(data);
  const tuneRun = path.join(o.out, 'render-tune');

  await stage(`[1/${3 + DEMO_RUNS.length}] synthesising the benchmark: ${s.train}/${s.val} train/val images per domain at ${s.size.join('x')}`, async () => {
    await synthesise(data, s, o.seed, progressLine);
    process.stderr.write('\n');
  });
  const tuned = await stage(`[2/${3 + DEMO_RUNS.length}] tuning the renderer toward the target images (render tune, up to ${s.tuneSteps} steps)`, async () => {
    const r = await tuneRenderer(data, tuneRun, s, o.seed);
    console.log(`  real-vs-rendered MMD ${r.initial.mmd.toFixed(3)} -> ${r.best.mmd.toFixed(3)} (best, step ${r.best.step})`);
    return r;
  });
  await stage(`[3/${3 + DEMO_RUNS.length}] rendering the source training set with the tuned θ`, async () => {
    await renderSource(tuned.theta, roots.tuned, s, o.seed, progressLine);
    process.stderr.write('\n');
  });
  const runs: DemoRun[] = [];
  const configOf = (r: SourcedArm) => demoSegConfig(s, { source: roots[r.source], target: roots.target, arm: r.seg, seed: o.seed });
  for (const [i, r] of DEMO_RUNS.entries()) {
    const dir = path.join(o.out, `seg-${slug(r.name)}`);
    const scores = await stage(`[${4 + i}/${3 + DEMO_RUNS.length}] training segmentation, ${r.name} (${s.segSteps} steps)`,
      () => trainSegRun(configOf(r), dir));
    runs.push({ name: r.name, dir, scores });
  }

  const predictions = path.join(o.out, 'predictions.png');
  const c = configOf(DEMO_RUNS[0]);
  const nets = runs.map((r) => {
    const net = buildSegNet(c);
    loadModuleWeights(r.dir, { [c.eval.model]: net });
    return net;
  });
  const val = valLoader(c);
  try {
    await writeImage(predictions, await sampleGrid(c, nets, 4, val));
  } finally {
    await val.close();
  }

  const report = path.join(o.out, 'report.html');
  writeFileAtomic(report, renderDemoReport({ dir: o.out, settings: s, seconds: (Date.now() - start) / 1000, data, tunedSource: roots.tuned, tuneRun, runs, predictions }));
  console.log(`\ntarget mIoU: ${runs.map((r) => `${r.name} ${(100 * (r.scores.mIoU as number)).toFixed(1)}%`).join(', ')}`
    + ` (${((Date.now() - start) / 60000).toFixed(1)} min)\nreport: ${report}`);
  return report;
}

// The stages of the demo's story, each a plain function over folders: synthesise the benchmark, tune the
// renderer toward the target images, re-render the source's scenes with the tuned θ, train and score a
// segmentation run. The demo (run.ts) and the README's evidence (bench/seg_evidence.ts) chain the same ones.
import path from 'node:path';
import { generate } from '../methods/render/generate.js';
import { buildSynthBenchmark, domainSeed } from '../methods/render/synth.js';
import { initialTheta } from '../methods/render/theta.js';
import { TUNE_FILES, tune, type TuneResult } from '../methods/render/tune.js';
import type { SegConfig } from '../methods/seg/config.js';
import { trainSeg } from '../methods/seg/train.js';
import { RunDir, type MetricRecord } from '../run/index.js';
import { demoRenderConfig, type DemoSettings } from './settings.js';

type OnProgress = (what: string, done: number, total: number) => void;

/** `shiftkit data synth` into `dir`: dir/source and dir/target, train and val splits each. */
export async function synthesise(dir: string, s: DemoSettings, seed: number, onProgress?: OnProgress): Promise<void> {
  await buildSynthBenchmark({ out: dir, size: s.size, train: s.train, val: s.val, seed, onProgress });
}

/** `shiftkit render tune` toward the target's training images; θ is in runDir/theta_best.json. */
export async function tuneRenderer(dataDir: string, runDir: string, s: DemoSettings, seed: number): Promise<TuneResult & { theta: string }> {
  const config = demoRenderConfig(s, path.join(dataDir, 'target', 'leftImg8bit', 'train'), seed);
  const result = await tune(config, { runDir, resume: false });
  return { ...result, theta: path.join(runDir, TUNE_FILES.best) };
}

/**
 * The source's training scenes rendered again with θ from `thetaFile` into `out` (same scenes, same labels: only
 * the look changes), the training set of the runs "with the tuned source".
 */
export async function renderSource(thetaFile: string, out: string, s: DemoSettings, seed: number, onProgress?: OnProgress): Promise<void> {
  const params = await initialTheta('street', thetaFile);
  try {
    await generate({
      params, scene: 'street', count: s.train, out, size: s.size, seed: domainSeed(seed, 'source'), split: 'train', city: 'tuned',
      onProgress: (done, total) => onProgress?.('tuned source/train', done, total),
    });
  } finally {
    params.dispose();
  }
}

/** Where `shiftkit data synth` into `dataDir` and renderSource put each domain. */
export function benchmarkRoots(dataDir: string): { initial: string; tuned: string; target: string } {
  return { initial: path.join(dataDir, 'source'), tuned: path.join(dataDir, 'tuned'), target: path.join(dataDir, 'target') };
}

/** A finished run's metrics.jsonl records. */
export function readRunMetrics(runDir: string): MetricRecord[] {
  const run = RunDir.open(runDir);
  try {
    return run.readMetrics();
  } finally {
    run.close();
  }
}

/** The last evaluation of a run: scores on the target's val split after the last step. */
export function finalScores(runDir: string): MetricRecord {
  const last = readRunMetrics(runDir).filter((r) => r.split === 'eval').at(-1);
  if (!last) throw new Error(`${runDir}: no evaluation was logged`);
  return last;
}

/** Trains one segmentation run into runDir and returns its final scores. */
export async function trainSegRun(c: SegConfig, runDir: string): Promise<MetricRecord> {
  await trainSeg(c, { runDir, resume: false });
  return finalScores(runDir);
}

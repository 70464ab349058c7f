// `shiftkit render tune`: adversarial tuning of θ (claims 1-6) on the run trainer. Iterations are trainStep;
// every eval.every steps the stop rule is checked (ending the trainer there when it holds) and the
// real-vs-rendered distance measured, θ's trajectory logged and the best θ kept.
// The run folder gets, besides the trainer's files:
//   theta_best.json    θ with the lowest distance (named entries with units), for `render generate`
//   theta_final.json   θ when tuning ended (claim 6's "end of training")
//   trajectory.jsonl   {step, mmd, mmdColor, mmdNet, theta: tuned entries} per evaluation, step 0 = initial θ
//   result.json        initial, best and final distances, the step tuning ended at and why
import fs from 'node:fs';
import path from 'node:path';
import * as torch from '../../torch/index.js';
import type { Tensor } from '../../torch/index.js';
import { makeGrid } from '../../io/draw.js';
import { encodeImage, rawFromTensor, type RawImage } from '../../io/image.js';
import { writeFileAtomic } from '../../util/atomic.js';
import {
  latestCheckpoint, loadCheckpoint, RunDir, train, type CheckpointState, type Progress,
} from '../../run/index.js';
import type { RenderConfig } from './config.js';
import { Evaluator, type Distance } from './evaluate.js';
import { realDataset, realLoader, realSubset } from './real.js';
import { createTraining, trainStep, type RenderTraining } from './step.js';
import { StopRule, type StopState } from './stop.js';
import { initialTheta, thetaState } from './theta.js';

export interface TuneOptions {
  runDir: string;
  resume: boolean;
  /** Default: the trainer's (a bar on a terminal, lines otherwise). */
  progress?: Progress | false;
}

export interface TuneResult {
  /** Iterations done, and whether the stop rule ended tuning before the step budget. */
  steps: number;
  stopped: boolean;
  initial: Distance;
  best: Distance & { step: number };
  final: Distance & { step: number };
  tuned: string[];
}

interface Extra { stop: StopState; stopped: boolean; initial: Distance | null; best: (Distance & { step: number }) | null; last: (Distance & { step: number }) | null }

export const TUNE_FILES = { best: 'theta_best.json', final: 'theta_final.json', trajectory: 'trajectory.jsonl', result: 'result.json' } as const;

/** Keeps trajectory lines up to `step` (a resumed run redoes what came after its checkpoint). */
function rewindTrajectory(file: string, step: number): void {
  if (!fs.existsSync(file)) return;
  const kept = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '' && (JSON.parse(l) as { step: number }).step <= step);
  writeFileAtomic(file, kept.map((l) => `${l}\n`).join(''));
}

export async function tune(config: RenderConfig, o: TuneOptions): Promise<TuneResult> {
  const ds = realDataset(config);
  const run = o.resume ? RunDir.open(o.runDir) : RunDir.create(o.runDir, config);
  const file = (name: string) => path.join(run.dir, name);
  torch.manualSeed(config.seed); // the classifier's initial weights
  const params = await initialTheta(config.scene, config.theta.init);
  const tr: RenderTraining = createTraining(config, params);
  const loader = realLoader(ds, config);
  const realEval = await realSubset(ds, config.eval.images);
  const evaluator = new Evaluator(realEval, config.scene, config.size, config.seed);
  const realGrid = makeGrid(torch.scope(() => Array.from({ length: Math.min(8, realEval.shape[0]) }, (_, i) => rawFromTensor(realEval.select(0, i)))));
  realEval.dispose();
  const theta = thetaState(params);
  const stop = new StopRule(config.stop);
  const extra: Extra = { stop: stop.stateDict(), stopped: false, initial: null, best: null, last: null };
  const state: CheckpointState = {
    modules: { classifier: tr.classifier, theta },
    optimizers: { classifier: tr.classifierOptimizer, theta: tr.thetaOptimizer },
    data: loader,
    extra: {
      stateDict: () => ({ ...extra, stop: stop.stateDict() }),
      loadStateDict: (s: unknown) => { Object.assign(extra, s as Extra); stop.loadStateDict(extra.stop); },
    },
  };
  let lastRenders: RawImage[] = [];

  // Measures θ now: logs it, appends to the trajectory, keeps the best θ.
  const measure = async (step: number): Promise<Distance> => {
    const d = torch.scope(() => {
      const renders = evaluator.renders(params);
      lastRenders = Array.from({ length: Math.min(8, renders.shape[0]) }, (_, i) => rawFromTensor(renders.select(0, i)));
      return evaluator.distance(renders);
    });
    const tuned = Object.fromEntries(tr.tuned.map((n) => [n, params.get(n)]));
    fs.appendFileSync(file(TUNE_FILES.trajectory), `${JSON.stringify({ step, ...d, theta: tuned })}\n`);
    extra.last = { ...d, step };
    if (extra.best === null || d.mmd < extra.best.mmd) {
      extra.best = { ...d, step };
      await params.save(file(TUNE_FILES.best));
    }
    return d;
  };

  let done = 0;
  try {
    if (o.resume) {
      const folder = latestCheckpoint(run.checkpointsDir);
      if (folder === null) throw new Error(`Cannot resume ${run.dir}: it has no checkpoint yet`);
      done = loadCheckpoint(folder, state).step;
      rewindTrajectory(file(TUNE_FILES.trajectory), done);
    } else {
      extra.initial = await measure(0);
      run.log(0, 'eval', { ...extra.initial });
      for (const [name, im] of Object.entries({ renders: makeGrid(lastRenders), real: realGrid })) run.writeSample(0, name, await encodeImage(im, 'png'));
    }
    if (done < config.steps && !extra.stopped) {
      done = (await train({
        run, steps: config.steps, modules: { classifier: tr.classifier }, tensors: { theta },
        optimizers: state.optimizers, data: loader, extra: state.extra, resume: o.resume, seed: config.seed,
        progress: o.progress,
        itemsPerStep: config.m + config.n, evalEvery: config.eval.every, checkpointEvery: config.eval.every,
        step: (batch) => {
          const s = trainStep(tr, batch.image as Tensor);
          stop.record(s.accuracy);
          return { ...s };
        },
        // The stop rule is checked where tuning evaluates; the step it holds at becomes the trainer's last.
        shouldStop: (step) => {
          extra.stopped = step % config.eval.every === 0 && stop.shouldStop(step);
          return extra.stopped;
        },
        evaluate: async (step) => ({ ...(await measure(step)), stopped: extra.stopped ? 1 : 0 }),
        samples: () => ({ renders: makeGrid(lastRenders), real: realGrid }),
      })).step;
    }
  } finally {
    await loader.close();
  }
  await params.save(file(TUNE_FILES.final));
  const result: TuneResult = {
    steps: done, stopped: extra.stopped, initial: extra.initial!, best: extra.best!, final: extra.last!, tuned: tr.tuned,
  };
  writeFileAtomic(file(TUNE_FILES.result), `${JSON.stringify(result, null, 2)}\n`);
  params.dispose();
  return result;
}

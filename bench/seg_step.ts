// `node dist/bench/seg_step.js`: one training step of the seg method (style transfer, student forward/backward
// on source and target, teacher forward, confidence, losses, SGD, poly lr, EMA) in ShiftKit and the same step
// written in PyTorch (bench/reference/seg_step.py, Debian python3-torch on the same libtorch), same threads,
// same batch reused every step, medians. Prints a table, then one JSON line.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import * as torch from '../src/torch/index.js';
import { segConfigSchema, type SegConfig } from '../src/methods/seg/config.js';
import { createTraining, trainStep, type SegStepBatch } from '../src/methods/seg/step.js';

const REPS = Number(process.env.BENCH_REPS ?? 5);
const THREADS = (process.env.BENCH_THREADS ?? '2,1').split(',').map(Number);
const WARMUP = 2;
const [BATCH, HEIGHT, WIDTH] = [4, 256, 512];
// The light CPU setting: ResNet-18 at output stride 16 with the light ASPP head, 19 classes, defaults otherwise.
const config: SegConfig = segConfigSchema.parse({
  model: { backbone: 'resnet18', head: 'lite', outputStride: 16, numClasses: 19 }, steps: 1000,
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function batch(): SegStepBatch {
  const label = () => torch.where(torch.rand([BATCH, HEIGHT, WIDTH]).lt(0.05), 255, torch.randint(0, 19, [BATCH, HEIGHT, WIDTH]));
  return { source: { image: torch.rand([BATCH, 3, HEIGHT, WIDTH]), label: label() }, target: { image: torch.rand([BATCH, 3, HEIGHT, WIDTH]) } };
}

interface Run { ms: number; times: number[]; scalars: Record<string, number>[] }

function shiftkit(threads: number): Run {
  torch.setNumThreads(threads);
  return torch.scope(() => {
    const tr = createTraining(config);
    const b = batch();
    const times: number[] = [];
    const scalars: Record<string, number>[] = [];
    for (let t = 0; t < WARMUP + REPS; t++) {
      const t0 = performance.now();
      scalars.push({ ...trainStep(tr, b, t) });
      times.push(performance.now() - t0);
    }
    return { ms: median(times.slice(WARMUP)), times: times.slice(WARMUP), scalars };
  });
}

function pytorch(threads: number): Run {
  const out = execFileSync('/usr/bin/python3', ['bench/reference/seg_step.py', '--threads', String(threads), '--reps', String(REPS),
    '--warmup', String(WARMUP), '--shape', [BATCH, HEIGHT, WIDTH].join(','), '--config', JSON.stringify(config)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

// Both sides seed config.seed and draw weights, batch and noise in the same order, so the steps compute the same numbers:
// the largest relative difference of the reported losses over all steps shows they do the same work.
function lossGap(a: Run, b: Run): number {
  let gap = 0;
  a.scalars.forEach((s, i) => {
    for (const k of ['segSource', 'consistency', 'loss', 'confident']) gap = Math.max(gap, Math.abs(s[k] - b.scalars[i][k]) / Math.max(Math.abs(b.scalars[i][k]), 1e-12));
  });
  return gap;
}

// Medians; the minima too, as other work on a shared machine only ever slows a step down.
const rows: { threads: number; shiftkit: number; pytorch: number; ratio: number; minRatio: number; lossGap: number }[] = [];
console.log(`seg training step, batch ${BATCH}x3x${HEIGHT}x${WIDTH} source + target, ResNet-18 OS16 + light ASPP, 19 classes; ` +
  `libtorch ${torch.buildInfo().torchVersion}; ${os.availableParallelism()} cores; ${REPS} repetitions after ${WARMUP} warm-up, medians`);
for (const threads of THREADS) {
  const ours = shiftkit(threads);
  const theirs = pytorch(threads);
  const minRatio = Math.min(...ours.times) / Math.min(...theirs.times);
  rows.push({ threads, shiftkit: ours.ms, pytorch: theirs.ms, ratio: ours.ms / theirs.ms, minRatio, lossGap: lossGap(ours, theirs) });
  console.log(`${threads} thread(s): ShiftKit ${ours.ms.toFixed(0)} ms  PyTorch ${theirs.ms.toFixed(0)} ms  ratio ${(ours.ms / theirs.ms).toFixed(3)}` +
    ` (of minima ${minRatio.toFixed(3)})` +
    `  loss gap ${lossGap(ours, theirs).toExponential(1)}` +
    `   (ShiftKit ${ours.times.map((v) => v.toFixed(0)).join(' ')}; PyTorch ${theirs.times.map((v) => v.toFixed(0)).join(' ')})`);
}
console.log(JSON.stringify({ bench: 'seg_step', batch: [BATCH, 3, HEIGHT, WIDTH], cores: os.availableParallelism(), reps: REPS, rows }));

// `npm run bench:engine`: ShiftKit against PyTorch (Debian python3-torch, the same libtorch) in one run, same
// workloads, same thread counts, medians. Prints a table, then one JSON line.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import * as torch from '../src/torch/index.js';
import { F } from '../src/torch/index.js';
import { SGD } from '../src/torch/optim/index.js';
import { resnet18 } from '../src/nn/resnet.js';

const REPS = Number(process.env.BENCH_REPS ?? 7);
const [BATCH, HEIGHT, WIDTH] = [8, 128, 256];
const DISPATCH_N = 200_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function pytorch(args: string[]): { torch: string; threads: number; result: any } {
  const out = execFileSync('/usr/bin/python3', ['bench/reference/engine.py', ...args], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function resnetStep(threads: number): { ms: number; times: number[] } {
  torch.setNumThreads(threads);
  torch.manualSeed(0);
  const model = resnet18({ numClasses: 1000 });
  model.train();
  const opt = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const x = torch.randn([BATCH, 3, HEIGHT, WIDTH]);
  const y = torch.randint(0, 1000, [BATCH]);
  const step = () => torch.scope(() => {
    opt.zeroGrad();
    F.crossEntropy(model.forward(x), y).backward();
    opt.step();
  });
  for (let i = 0; i < 3; i++) step();
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    step();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), times };
}

function dispatch(): Record<string, number> {
  torch.setNumThreads(1);
  let a = torch.rand([1000]);
  const b = torch.rand([1000]);
  const cases: Record<string, () => void> = {
    add: () => a.add(b).dispose(),
    mul: () => a.mul(b).dispose(),
    relu: () => a.relu().dispose(),
    add_: () => { a.add_(b); },
  };
  const out: Record<string, number> = {};
  for (const [name, fn] of Object.entries(cases)) {
    for (let i = 0; i < 1000; i++) fn();
    const runs: number[] = [];
    for (let r = 0; r < REPS; r++) {
      const t0 = performance.now();
      for (let i = 0; i < DISPATCH_N; i++) fn();
      runs.push(((performance.now() - t0) / DISPATCH_N) * 1000);
    }
    out[name] = median(runs);
    a.dispose();
    a = torch.rand([1000]);
  }
  return out;
}

/**
 * The machine's peak FP32 rate, estimated two ways: on paper (cores x clock x 2 FMA pipes x SIMD lanes x 2,
 * from /proc/cpuinfo, which in a VM shows the base clock, not the boost) and measured (the best rate of a
 * 2048^3 sgemm in libtorch on the same threads, a roof no convolution network beats).
 */
function peakGflops(threads: number): { paper: number; paperHow: string; gemm: number } {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const mhz = Number(/cpu MHz\s*:\s*([\d.]+)/.exec(cpuinfo)?.[1] ?? 0);
  const flags = /flags\s*:\s*(.*)/.exec(cpuinfo)?.[1].split(' ') ?? [];
  // Intel cores with AVX-512 have two 512-bit FMA units; AMD Zen 4 runs AVX-512 on two 256-bit pipes.
  const lanes = flags.includes('avx512f') && !/AuthenticAMD/.test(cpuinfo) ? 16 : flags.includes('avx2') ? 8 : 4;
  const perCycle = 2 * lanes * 2;
  torch.setNumThreads(threads);
  const n = 2048;
  const rates = torch.scope(() => {
    const a = torch.randn([n, n]);
    const b = torch.randn([n, n]);
    return Array.from({ length: 6 }, () => {
      const t0 = performance.now();
      a.mm(b).dispose();
      return (2 * n ** 3) / ((performance.now() - t0) / 1000) / 1e9;
    });
  });
  return { paper: (threads * mhz * perCycle) / 1000, paperHow: `${threads} cores x ${mhz.toFixed(0)} MHz x ${perCycle} FLOP/cycle`,
    gemm: Math.max(...rates) };
}

const rows: { name: string; shiftkit: number; pytorch: number; unit: string }[] = [];
const record = (name: string, shiftkit: number, pt: number, unit: string) => rows.push({ name, shiftkit, pytorch: pt, unit });

const info = torch.buildInfo();
console.log(`libtorch ${info.torchVersion}; ${os.availableParallelism()} cores; ${REPS} repetitions, medians`);
let flops = 0;
for (const threads of [os.availableParallelism(), 1, 2]) {
  const ours = resnetStep(threads);
  const theirs = pytorch(['--threads', String(threads), '--what', 'resnet', '--reps', String(REPS)]);
  flops = theirs.result.flops;
  record(`resnet18 train step ${BATCH}x3x${HEIGHT}x${WIDTH}, ${threads} thread(s)`, ours.ms, theirs.result.ms, 'ms');
}
const ours = dispatch();
const theirs = pytorch(['--threads', '1', '--what', 'dispatch', '--reps', String(REPS)]).result;
for (const name of Object.keys(ours)) record(`elementwise ${name} on 1,000 floats`, ours[name], theirs[name], 'us');
// Training code runs its ops inside a scope, where a tensor skips the garbage collector's registry.
const scoped = torch.scope(() => dispatch());
record('elementwise add on 1,000 floats, in torch.scope', scoped.add, theirs.add, 'us');

const peak = peakGflops(os.availableParallelism());
const achieved = flops / (rows[0].shiftkit / 1000) / 1e9;
const achievedPyTorch = flops / (rows[0].pytorch / 1000) / 1e9;
for (const r of rows) {
  console.log(`${r.name.padEnd(52)} ShiftKit ${r.shiftkit.toFixed(r.unit === 'us' ? 3 : 1).padStart(9)} ${r.unit}` +
    `  PyTorch ${r.pytorch.toFixed(r.unit === 'us' ? 3 : 1).padStart(9)} ${r.unit}  ratio ${(r.shiftkit / r.pytorch).toFixed(3)}`);
}
console.log(`resnet18 step: ${(flops / 1e9).toFixed(1)} GFLOP (3 x forward multiply-adds x 2); ShiftKit ${achieved.toFixed(1)} GFLOP/s, ` +
  `PyTorch ${achievedPyTorch.toFixed(1)} GFLOP/s; peak: sgemm ${peak.gemm.toFixed(0)} GFLOP/s measured ` +
  `(ShiftKit at ${((100 * achieved) / peak.gemm).toFixed(0)}%), ${peak.paper.toFixed(0)} GFLOP/s on paper (${peak.paperHow})`);
console.log(JSON.stringify({
  bench: 'engine', torch: info.torchVersion, cores: os.availableParallelism(),
  rows: rows.map((r) => ({ ...r, ratio: r.shiftkit / r.pytorch })),
  resnet18: { gflopPerStep: flops / 1e9, achievedGflops: achieved, achievedGflopsPyTorch: achievedPyTorch,
    peakGemmGflops: peak.gemm, peakPaperGflops: peak.paper, peakPaper: peak.paperHow },
}));

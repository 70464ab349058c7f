// `node dist/bench/render.js`: images per second of the differentiable renderer at 256 x 128, a batch of 16 street
// scenes (new seeds every repetition), forward alone and forward + backward to θ, at 1 and 2 threads, with and
// without shadows. Medians of BENCH_REPS repetitions after warm-up, and the fastest repetition (on a machine
// shared with other work, the least disturbed one). Prints a table, then one JSON line.
import os from 'node:os';
import * as torch from '../src/torch/index.js';
import { RenderParams } from '../src/render/params.js';
import { render } from '../src/render/render.js';
import { streetScene } from '../src/render/scenes/street.js';

const REPS = Number(process.env.BENCH_REPS ?? 7);
const [BATCH, WIDTH, HEIGHT] = [16, 256, 128];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

interface Row { threads: number; shadows: boolean; backward: boolean; ms: number; imagesPerSecond: number; minMs: number }

const params = RenderParams.defaults('street');
let seed = 1;
function measure(threads: number, shadows: boolean, backward: boolean): Row {
  torch.setNumThreads(threads);
  const step = () => {
    const scenes = Array.from({ length: BATCH }, () => streetScene(seed++, { width: WIDTH, height: HEIGHT }));
    const t0 = performance.now();
    torch.scope(() => {
      const { rgb } = render(scenes, params, { shadows });
      if (backward) rgb.mean().backward();
    });
    return performance.now() - t0;
  };
  for (let i = 0; i < 2; i++) step();
  const times = Array.from({ length: REPS }, step);
  const ms = median(times);
  return { threads, shadows, backward, ms, imagesPerSecond: (1000 * BATCH) / ms, minMs: Math.min(...times) };
}

const rows: Row[] = [];
for (const threads of [1, 2]) {
  for (const shadows of [true, false]) {
    for (const backward of [false, true]) rows.push(measure(threads, shadows, backward));
  }
}
console.log(`libtorch ${torch.buildInfo().torchVersion}; ${os.availableParallelism()} cores; batch ${BATCH} street scenes ` +
  `at ${WIDTH}x${HEIGHT}; ${REPS} repetitions, medians and fastest (scene generation not timed); OMP_WAIT_POLICY=` +
  `${process.env.OMP_WAIT_POLICY ?? '(unset)'}`);
for (const r of rows) {
  console.log(`${r.backward ? 'forward + backward' : 'forward'} ${r.shadows ? 'with' : 'without'} shadows, `.padEnd(40) +
    `${r.threads} thread(s): ${r.ms.toFixed(0).padStart(6)} ms  ${r.imagesPerSecond.toFixed(1).padStart(6)} images/s` +
    `  (fastest ${r.minMs.toFixed(0)} ms, ${((1000 * BATCH) / r.minMs).toFixed(1)} images/s)`);
}
console.log(JSON.stringify({ bench: 'render', batch: BATCH, width: WIDTH, height: HEIGHT, cores: os.availableParallelism(), rows }));

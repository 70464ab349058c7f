// The training loop in-process: log windows and learning rates against their definitions, an interrupted
// run with a log window open resumes to the same log, evaluation and samples, modes, and bad step results.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import sharp from 'sharp';
import * as torch from '../src/torch/index.js';
import { RunDir } from '../src/run/run_dir.js';
import { train, TrainingInterrupted, type TrainOptions } from '../src/run/trainer.js';
import { makeTask, type Batch } from './helpers/tiny_task.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shiftkit-trainer-'));
test.after(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const newRun = (): RunDir => RunDir.create(path.join(root, `run${n++}`), {});

function options(run: RunDir, extra: Partial<TrainOptions<Batch>> = {}): TrainOptions<Batch> {
  const task = makeTask(7);
  return {
    run, steps: 10, seed: 7, progress: false, handleSignals: false, modules: { model: task.model },
    optimizers: { sgd: task.optimizer }, schedulers: { step: task.scheduler }, data: task.data, step: task.step, ...extra,
  };
}
const train_ = (run: RunDir) => run.readMetrics().filter((r) => r.split === 'train');

test('log lines hold the mean over the window since the last line, and the lr each step used (StepLR closed form)', async () => {
  const every = newRun();
  await train(options(every, { logEvery: 1 }));
  const perStep = train_(every);
  assert.deepEqual(perStep.map((r) => r.lr), perStep.map((r) => 0.01 * 0.5 ** Math.floor((r.step - 1) / 7)));

  const windowed = newRun();
  await train(options(windowed, { logEvery: 4 }));
  const mean = (from: number, to: number, k: string): number =>
    perStep.filter((r) => r.step >= from && r.step <= to).reduce((a, r) => a + (r[k] as number), 0) / (to - from + 1);
  // Lines at 4, 8 and the last step (10, over 9..10).
  assert.deepEqual(train_(windowed).map((r) => [r.step, r.loss, r.acc, r.lr]), [[1, 4], [5, 8], [9, 10]].map(([a, b]) =>
    [b, mean(a, b, 'loss'), mean(a, b, 'acc'), perStep.find((r) => r.step === b)!.lr]));
});

test('a scalar returned only on some steps is averaged over those steps', async () => {
  const run = newRun();
  await train(options(run, { steps: 8, logEvery: 4, optimizers: {}, schedulers: {},
    step: (_b, s) => ({ loss: s, ...(s % 2 === 0 ? { aux: 10 * s } : {}) }) }));
  assert.deepEqual(train_(run).map((r) => [r.step, r.loss, r.aux]), [[4, 2.5, 30], [8, 6.5, 70]]);
});

test('a run interrupted mid-window resumes to exactly the uninterrupted log', async () => {
  const whole = newRun();
  await train(options(whole, { logEvery: 4 }));

  const cut = newRun();
  const first = options(cut, { logEvery: 4, handleSignals: true });
  const step = first.step;
  // SIGTERM arrives during step 6: the trainer finishes it, checkpoints, and stops with steps 5..6 in the window.
  first.step = (b, s) => { if (s === 6) process.kill(process.pid, 'SIGTERM'); return step(b, s); };
  await assert.rejects(train(first), (e: unknown) => e instanceof TrainingInterrupted && e.step === 6 && e.signal === 'SIGTERM');
  assert.equal(process.listenerCount('SIGTERM'), 0);
  await train(options(RunDir.open(cut.dir), { logEvery: 4, resume: true }));
  const strip = (run: RunDir) => run.readMetrics().map(({ time, ...r }) => r);
  assert.deepEqual(strip(cut), strip(whole));
});

test('evaluation and samples run at their intervals; modules are back in their modes afterwards', async () => {
  const run = newRun();
  const task = makeTask(7);
  const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#ff0000' } }).png().toBuffer();
  const evalSteps: number[] = [];
  await train(options(run, {
    steps: 12, evalEvery: 5, logEvery: 3, modules: { model: task.model }, optimizers: { sgd: task.optimizer }, schedulers: {}, data: task.data,
    step: (b: Batch, s: number) => {
      assert.equal(task.model.training, true, `step ${s} runs in training mode`); // the step does not set it
      return { loss: torch.F.crossEntropy(task.model.forward(b.x as torch.Tensor), b.y as torch.Tensor).item() };
    },
    evaluate: (s) => { task.model.eval(); evalSteps.push(s); return { acc: s / 100 }; },
    samples: (s) => ({ grid: png, [`at${s}`]: torch.full([3, 4, 5], s / 100) }),
  }));
  assert.deepEqual(evalSteps, [5, 10, 12]);
  assert.deepEqual(run.readMetrics().filter((r) => r.split === 'eval').map((r) => [r.step, r.acc]), [[5, 0.05], [10, 0.1], [12, 0.12]]);
  assert.deepEqual(run.listSamples().map((s) => `${s.step}/${s.name}`), ['5/at5', '5/grid', '10/at10', '10/grid', '12/at12', '12/grid']);
  assert.deepEqual(fs.readFileSync(path.join(run.samplesDir, 'step-000005', 'grid.png')), png);
  // A float CHW tensor becomes an 8-bit PNG: 0.12 * 255 = 30.6 -> 31.
  const { data, info } = await sharp(path.join(run.samplesDir, 'step-000012', 'at12.png')).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height, info.channels, data[0], data[59]], [5, 4, 3, 31, 31]);
  assert.ok(fs.existsSync(run.reportFile));
});

test('shouldStop makes its step the last: logged, evaluated, sampled and checkpointed as the last step is', async () => {
  const run = newRun();
  const asked: number[] = [], steps: number[] = [], evalSteps: number[] = [];
  const o = options(run, { steps: 20, logEvery: 4, evalEvery: 5, sampleEvery: 5, checkpointEvery: 5 });
  const step = o.step;
  const r = await train({
    ...o,
    step: (b, s) => { steps.push(s); return step(b, s); },
    shouldStop: (s) => { asked.push(s); return s === 7; },
    evaluate: (s) => { evalSteps.push(s); return { at: s }; },
    samples: (s) => ({ grid: torch.full([3, 2, 2], s / 100) }),
  });
  assert.equal(r.step, 7);
  assert.deepEqual(steps, [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(asked, [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(evalSteps, [5, 7]);
  assert.deepEqual(train_(run).map((l) => l.step), [4, 7]); // the open window (5..7) is flushed at the stop
  assert.deepEqual(run.listSamples().map((s) => s.step), [5, 7]);
  assert.equal(path.basename(r.checkpoint), 'step-000007');
  assert.equal(fs.readFileSync(path.join(run.checkpointsDir, 'latest'), 'utf8').trim(), 'step-000007');
  assert.ok(fs.existsSync(run.reportFile));
});

// Earlier tests leave unreachable tensors that the garbage collector's backstop may free in the middle of a
// count; collect them first so the count sees this test's tensors only.
async function collectGarbage(): Promise<void> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r)); // finalizers run as tasks after the collection
  }
}

test('tensors made in a step are freed: live tensors grow by the optimizer state only', async () => {
  const o = options(newRun(), { steps: 8 });
  await collectGarbage();
  const before = torch.memoryStats().liveTensors;
  await train(o);
  assert.equal(torch.memoryStats().liveTensors - before, o.modules.model.parameters().length); // one momentum buffer each
});

test('bad step results and a resume without checkpoint are clear errors', async () => {
  await assert.rejects(train(options(newRun(), { step: () => ({ acc: 1 }) })), /step at step 1 returned no 'loss'/);
  await assert.rejects(train(options(newRun(), { step: () => ({ loss: torch.ones([]) as unknown as number }) })),
    /step at step 1 returned 'loss' of type object; return numbers \(e\.g\. loss\.item\(\)\)/);
  await assert.rejects(train(options(newRun(), { step: () => ({ loss: 1, grad: Number.POSITIVE_INFINITY }) })), /at step 1: grad is Infinity/);
  const run = newRun();
  await assert.rejects(train(options(run, { resume: true })), new RegExp(`Cannot resume ${run.dir}: it has no checkpoint yet`));
});

// Trains the tiny task (tiny_task.ts) in its own process, so tests can kill it: SIGKILL mid-run, SIGTERM.
// Usage: node train_child.js '<json>' with {run, steps, checkpointEvery, seed, resume?, numWorkers?, delayAfter?,
// delayMs?}. Steps after `delayAfter` sleep `delayMs` first, leaving time to signal the process mid-run. Exits
// 0 when done, 128 + signal number when a signal stopped it, 1 on any other error (message on stderr).
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { RunDir } from '../../src/run/run_dir.js';
import { train, TrainingInterrupted } from '../../src/run/trainer.js';
import { makeTask, type Batch } from './tiny_task.js';

interface ChildOptions {
  run: string; steps: number; checkpointEvery: number; seed: number;
  resume?: boolean; numWorkers?: number; delayAfter?: number; delayMs?: number;
}

const o = JSON.parse(process.argv[2]) as ChildOptions;
const task = makeTask(o.seed, { numWorkers: o.numWorkers });
const run = o.resume ? RunDir.open(o.run) : RunDir.create(o.run, { task: 'tiny', seed: o.seed, steps: o.steps });
try {
  await train({
    run, steps: o.steps, seed: o.seed, resume: o.resume, logEvery: 1, evalEvery: 5, checkpointEvery: o.checkpointEvery, keep: 100,
    modules: { model: task.model }, optimizers: { sgd: task.optimizer }, schedulers: { step: task.scheduler }, data: task.data,
    step: async (batch: Batch, s: number) => {
      if (o.delayAfter !== undefined && s > o.delayAfter) await sleep(o.delayMs ?? 0);
      return task.step(batch, s);
    },
    evaluate: task.evaluate,
  });
  await task.close();
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(e instanceof TrainingInterrupted ? 128 + os.constants.signals[e.signal] : 1);
}

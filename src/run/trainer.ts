// The training loop every method plugs its step into: data, scopes, schedulers, logging, evaluation,
// samples, checkpoints (periodic, final, and on SIGINT/SIGTERM), NaN/Inf guard, and exact resumption.
import os from 'node:os';
import path from 'node:path';
import * as torch from '../torch/index.js';
import type { nn } from '../torch/index.js';
import type { BaseOptions, Optimizer } from '../torch/optim/optimizer.js';
import type { Tensor } from '../torch/index.js';
import { encodeImage, type RawImage } from '../io/image.js';
import { latestCheckpoint, loadCheckpoint, saveCheckpoint, type CheckpointState, type Stateful } from './checkpoint.js';
import { createProgress, fmt, type Progress } from './progress.js';
import { writeReport } from './report.js';
import type { RunDir } from './run_dir.js';

/**
 * Where batches come from: endless, with a position (plain JSON) that a checkpoint saves, e.g. the DataLoader's
 * {epoch, batch} or a record of several loaders' positions.
 */
export interface DataSource<B> {
  next(): Promise<B>;
  stateDict(): unknown;
  loadStateDict(s: unknown): void;
}

export type Scalars = Record<string, number>;
/** A sample image: PNG bytes, or pixels (a CHW tensor, uint8 or floats in [0,1]; a RawImage) to save as PNG. */
export type SampleImage = Uint8Array | RawImage | Tensor;

export interface TrainOptions<B> {
  run: RunDir;
  /** Steps in all; steps are numbered 1..steps, and checkpoint step-N holds the state after step N. */
  steps: number;
  modules: Record<string, nn.Module>;
  optimizers?: Record<string, Optimizer<BaseOptions>>;
  /** Stepped by the trainer once after every step (per-iteration schedules), and checkpointed. */
  schedulers?: Record<string, torch.optim.lrScheduler.LRScheduler>;
  /** Further named tensors to checkpoint, e.g. `{ ema: emaState(ema) }`. */
  tensors?: Record<string, Stateful<Record<string, Tensor>>>;
  /** The method's own JSON state to checkpoint. */
  extra?: Stateful<unknown>;
  data: DataSource<B>;
  /**
   * One training step on a batch (forward, backward, optimizer step), run inside a torch.scope. Returns
   * plain numbers, at least `loss`; a NaN or infinite one stops the run.
   */
  step(batch: B, step: number): Scalars | Promise<Scalars>;
  /**
   * Called after every step, before its logging: true makes this step the last (logged, evaluated, sampled and
   * checkpointed as the last step is), e.g. for early stopping; a method keeps its reason in its checkpointed state.
   */
  shouldStop?(step: number): boolean;
  /** Evaluation metrics, every evalEvery steps and after the last (modules' train/eval modes are restored after). */
  evaluate?(step: number): Scalars | Promise<Scalars>;
  /** Images by name, saved every sampleEvery steps and after the last. */
  samples?(step: number): Record<string, SampleImage> | Promise<Record<string, SampleImage>>;
  /** metrics.jsonl gets the mean of each scalar over the steps since the last log line (default 10). */
  logEvery?: number;
  /** 0 (default): evaluate only after the last step. */
  evalEvery?: number;
  /** Default: evalEvery. */
  sampleEvery?: number;
  /** 0 (default): checkpoint only after the last step (and on a signal). */
  checkpointEvery?: number;
  /** Checkpoints kept (default 3). */
  keep?: number;
  /** Continue from the run's latest checkpoint. */
  resume?: boolean;
  /** Seeds torch's generator when starting fresh (seed model initialisation before building the modules). */
  seed?: number;
  /** Default: a bar on a terminal, lines otherwise (on stderr); false for none. */
  progress?: Progress | false;
  /** Batch size, for items/s in the progress output. */
  itemsPerStep?: number;
  /** Checkpoint and stop on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
}

/** The last step done (below `steps` when shouldStop ended the run) and its checkpoint. */
export interface TrainResult { step: number; checkpoint: string }

/** Thrown by train() after a signal stopped it: the checkpoint it wrote holds the state after `step`. */
export class TrainingInterrupted extends Error {
  override name = 'TrainingInterrupted';
  constructor(readonly signal: NodeJS.Signals, readonly step: number, readonly checkpoint: string) {
    super(`${signal} received: stopped after step ${step}; checkpoint saved to ${checkpoint}. Continue with --resume.`);
  }
}

// Running sums and counts per scalar for the mean over the log window; saved in checkpoints so resumed logs
// match exactly.
interface LogWindow { sums: Scalars; counts: Scalars }

const noProgress: Progress = { start() {}, update() {}, message() {}, stop() {} };

function positiveOrZero(name: string, v: number | undefined, dflt: number): number {
  const x = v ?? dflt;
  if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`train: ${name} must be a non-negative integer, got ${v}`);
  return x;
}

const due = (step: number, every: number, last: number): boolean => step === last || (every > 0 && step % every === 0);

function checkScalars(what: string, s: unknown, step: number, needLoss: boolean): Scalars {
  if (s === null || typeof s !== 'object') throw new TypeError(`${what} at step ${step} returned ${String(s)}, not an object of numbers`);
  for (const [k, v] of Object.entries(s)) {
    if (typeof v !== 'number') throw new TypeError(`${what} at step ${step} returned '${k}' of type ${typeof v}; return numbers (e.g. loss.item())`);
  }
  if (needLoss && !('loss' in s)) throw new Error(`${what} at step ${step} returned no 'loss'`);
  return s as Scalars;
}

// Evaluation and sampling usually switch modules to eval mode; training continues in the modes it had.
async function keepingModes<T>(modules: nn.Module[], fn: () => Promise<T>): Promise<T> {
  const modes = modules.flatMap((m) => m.modules().map((sub) => [sub, sub.training] as const));
  try {
    return await torch.scope(fn);
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
}

// Signal handlers run on the event loop's I/O phase, which awaiting settled promises never reaches.
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function train<B>(opts: TrainOptions<B>): Promise<TrainResult> {
  const { run, steps } = opts;
  if (!Number.isSafeInteger(steps) || steps < 1) throw new RangeError(`train: steps must be a positive integer, got ${steps}`);
  const logEvery = positiveOrZero('logEvery', opts.logEvery, 10) || 1;
  const evalEvery = positiveOrZero('evalEvery', opts.evalEvery, 0);
  const sampleEvery = positiveOrZero('sampleEvery', opts.sampleEvery, evalEvery);
  const checkpointEvery = positiveOrZero('checkpointEvery', opts.checkpointEvery, 0);
  const keep = positiveOrZero('keep', opts.keep, 3) || 1;
  for (const name of Object.keys(opts.tensors ?? {})) {
    if (name in opts.modules) throw new Error(`train: '${name}' is both a module and a tensors entry`);
  }
  const state: CheckpointState = {
    modules: { ...opts.modules, ...opts.tensors }, optimizers: opts.optimizers, schedulers: opts.schedulers,
    data: opts.data as Stateful<unknown>, extra: opts.extra,
  };
  // Checkpoint paths in messages: relative to the working folder when inside it.
  const relative = (folder: string): string => {
    const r = path.relative(process.cwd(), folder);
    return r === '' || r.startsWith('..') || path.isAbsolute(r) ? folder : r;
  };

  let first = 1;
  let window: LogWindow = { sums: {}, counts: {} };
  let lastCheckpoint: string | null = null;
  if (opts.resume) {
    const folder = latestCheckpoint(run.checkpointsDir);
    if (folder === null) throw new Error(`Cannot resume ${run.dir}: it has no checkpoint yet (no checkpoints/latest)`);
    const loaded = loadCheckpoint(folder, state);
    first = loaded.step + 1;
    window = (loaded.trainer.window as LogWindow | undefined) ?? window;
    lastCheckpoint = folder;
    run.rewind(loaded.step);
  } else if (opts.seed !== undefined) {
    torch.manualSeed(opts.seed);
  }

  const progress = opts.progress === false ? noProgress : opts.progress ?? createProgress({ itemsPerStep: opts.itemsPerStep, every: logEvery });
  let stopSignal: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopSignal !== null) {
      process.stderr.write(`\n${signal} received again: exiting now without a checkpoint\n`);
      process.exit(128 + os.constants.signals[signal]);
    }
    stopSignal = signal;
    progress.message(`${signal} received: finishing this step and saving a checkpoint (send it again to exit at once)`);
  };
  const signals: NodeJS.Signals[] = opts.handleSignals === false ? [] : ['SIGINT', 'SIGTERM'];
  for (const s of signals) process.on(s, onSignal);

  const modules = Object.values(opts.modules);
  const lrs = (): Scalars => {
    const entries = Object.entries(opts.optimizers ?? {});
    return Object.fromEntries(entries.map(([name, o]) => [entries.length === 1 ? 'lr' : `lr_${name}`, o.paramGroups[0].lr]));
  };
  const checkpoint = (step: number): string => {
    lastCheckpoint = saveCheckpoint(run.checkpointsDir, step, state, { keep, trainer: { window } });
    return lastCheckpoint;
  };

  let interrupted: TrainingInterrupted | null = null;
  let last = steps;
  try {
    progress.start(first, steps);
    for (let step = first; step <= last; step++) {
      const lr = lrs();
      const scalars = checkScalars('step', await torch.scope(async () => opts.step(await opts.data.next(), step)), step, true);
      const bad = Object.entries(scalars).find(([, v]) => !Number.isFinite(v));
      if (bad) {
        writeReport(run); // the curves up to the divergence are where its cause shows
        throw new Error(`Training diverged at step ${step}: ${bad[0]} is ${bad[1]}. No checkpoint was written for it; the last good one is `
          + `${lastCheckpoint ? relative(lastCheckpoint) : '(none yet)'}. Try a lower learning rate or check the data.`);
      }
      for (const s of Object.values(opts.schedulers ?? {})) s.step();
      for (const [k, v] of Object.entries(scalars)) {
        window.sums[k] = (window.sums[k] ?? 0) + v;
        window.counts[k] = (window.counts[k] ?? 0) + 1;
      }
      progress.update(step, scalars);
      if (step < last && opts.shouldStop?.(step) === true) last = step;

      if (due(step, logEvery, last)) {
        run.log(step, 'train', { ...Object.fromEntries(Object.entries(window.sums).map(([k, v]) => [k, v / window.counts[k]])), ...lr });
        window = { sums: {}, counts: {} };
      }
      if (opts.evaluate && due(step, evalEvery, last)) {
        const metrics = checkScalars('evaluate', await keepingModes(modules, async () => opts.evaluate!(step)), step, false);
        run.log(step, 'eval', metrics);
        progress.message(`eval @ step ${step}: ${Object.entries(metrics).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);
      }
      if (opts.samples && due(step, sampleEvery, last)) {
        // Encoded inside the scope, so sample tensors are freed with it.
        const images = await keepingModes(modules, async () => Promise.all(Object.entries(await opts.samples!(step))
          .map(async ([name, im]) => [name, im instanceof Uint8Array ? im : await encodeImage(im, 'png')] as const)));
        for (const [name, png] of images) run.writeSample(step, name, png);
      }
      await yieldToEventLoop();
      // A signal during the last step changes nothing: the run is complete and checkpointed below.
      if (stopSignal !== null && step < last) {
        interrupted = new TrainingInterrupted(stopSignal, step, relative(checkpoint(step)));
        break;
      }
      if (due(step, checkpointEvery, last)) {
        const folder = checkpoint(step);
        if (step !== last) progress.message(`checkpoint: ${relative(folder)}`);
      }
    }
  } finally {
    progress.stop();
    for (const s of signals) process.off(s, onSignal);
    run.close();
  }
  writeReport(run);
  if (interrupted) throw interrupted;
  return { step: last, checkpoint: lastCheckpoint! };
}

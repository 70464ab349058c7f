// torch.optim.lr_scheduler: learning rates as closed forms of the step count, set on every parameter group.
import type { BaseOptions, Optimizer } from './optimizer.js';

/** What a scheduler saves: PyTorch's attribute names. Options come from the constructor, as in PyTorch. */
export interface SchedulerStateDict {
  last_epoch: number;
  base_lrs: number[];
  _last_lr: number[];
  [key: string]: unknown;
}

/**
 * Sets each group's lr to lrAt(lastEpoch, baseLr). As PyTorch, constructing one records each group's
 * `initialLr` (first scheduler wins) and performs step 0; call step() once per epoch or iteration.
 */
export abstract class LRScheduler {
  readonly optimizer: Optimizer<BaseOptions>;
  baseLrs: number[];
  lastEpoch = -1;
  protected lastLr: number[] = [];

  constructor(optimizer: Optimizer<BaseOptions>) {
    this.optimizer = optimizer;
    for (const g of optimizer.paramGroups) g.initialLr ??= g.lr;
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr!);
  }

  /** The learning rate at step t of a group whose base rate is baseLr. */
  abstract lrAt(t: number, baseLr: number): number;

  /** Subclasses call this at the end of their constructor: PyTorch's initial step (lr at step 0). */
  protected initialStep(): void { this.step(); }

  step(): void {
    this.lastEpoch += 1;
    this.lastLr = this.baseLrs.map((b) => this.lrAt(this.lastEpoch, b));
    this.optimizer.paramGroups.forEach((g, i) => { g.lr = this.lastLr[i]; });
  }

  /** The learning rates the last step() set, one per group. */
  getLastLr(): number[] { return [...this.lastLr]; }

  stateDict(): SchedulerStateDict {
    return { last_epoch: this.lastEpoch, base_lrs: [...this.baseLrs], _last_lr: [...this.lastLr] };
  }

  /** Restores the step count and base rates (the optimizer's own state dict restores its lrs). */
  loadStateDict(sd: SchedulerStateDict): void {
    if (sd.base_lrs.length !== this.baseLrs.length) {
      throw new Error(`${this.constructor.name}.loadStateDict: ${sd.base_lrs.length} base rates saved, optimizer has ${this.baseLrs.length} groups`);
    }
    this.lastEpoch = sd.last_epoch;
    this.baseLrs = [...sd.base_lrs];
    this.lastLr = [...sd._last_lr];
  }
}

function positiveInt(name: string, what: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${name}: ${what} must be a positive integer, got ${v}`);
}

/** torch.optim.lr_scheduler.StepLR: base * gamma^floor(t / stepSize). */
export class StepLR extends LRScheduler {
  constructor(optimizer: Optimizer<BaseOptions>, readonly opts: { stepSize: number; gamma?: number }) {
    super(optimizer);
    positiveInt('StepLR', 'stepSize', opts.stepSize);
    this.initialStep();
  }
  lrAt(t: number, base: number): number { return base * (this.opts.gamma ?? 0.1) ** Math.floor(t / this.opts.stepSize); }
}

/**
 * Polynomial decay as DeepLab ("poly"): base * (1 - min(t, totalIters) / totalIters)^power, which is
 * torch.optim.lr_scheduler.PolynomialLR; power defaults to DeepLab's 0.9 (PyTorch's default is 1).
 */
export class PolyLR extends LRScheduler {
  constructor(optimizer: Optimizer<BaseOptions>, readonly opts: { totalIters: number; power?: number }) {
    super(optimizer);
    positiveInt('PolyLR', 'totalIters', opts.totalIters);
    this.initialStep();
  }
  lrAt(t: number, base: number): number {
    return base * (1 - Math.min(this.opts.totalIters, t) / this.opts.totalIters) ** (this.opts.power ?? 0.9);
  }
}

/** torch.optim.lr_scheduler.CosineAnnealingLR: etaMin + (base - etaMin) * (1 + cos(pi t / tMax)) / 2. */
export class CosineAnnealingLR extends LRScheduler {
  constructor(optimizer: Optimizer<BaseOptions>, readonly opts: { tMax: number; etaMin?: number }) {
    super(optimizer);
    positiveInt('CosineAnnealingLR', 'tMax', opts.tMax);
    this.initialStep();
  }
  lrAt(t: number, base: number): number {
    const etaMin = this.opts.etaMin ?? 0;
    return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * t / this.opts.tMax)) / 2;
  }
}

export interface LinearWarmupOptions {
  warmupIters: number;
  /** The lr factor at step 0, rising linearly to 1 at warmupIters (torch LinearLR's start_factor; default 1/3). */
  startFactor?: number;
  /**
   * The schedule after (or under) the warmup; without one the rate stays at the base rate. Only its lrAt()
   * is used: step the warmup, not it.
   */
  after?: LRScheduler;
  /**
   * 'sequential' (default; torch SequentialLR([LinearLR, after], [warmupIters])): `after` starts from its own
   * step 0 once the warmup ends. 'scale' (mmseg/DAFormer): `after` runs from step 0 and the warmup factor
   * multiplies it.
   */
  mode?: 'sequential' | 'scale';
}

/** Linear warmup, alone or leading into another scheduler built on the same optimizer. */
export class LinearWarmup extends LRScheduler {
  constructor(optimizer: Optimizer<BaseOptions>, readonly opts: LinearWarmupOptions) {
    super(optimizer);
    positiveInt('LinearWarmup', 'warmupIters', opts.warmupIters);
    if (opts.after && opts.after.optimizer !== optimizer) throw new Error('LinearWarmup: `after` must schedule the same optimizer');
    this.initialStep();
  }

  private factor(t: number): number {
    const start = this.opts.startFactor ?? 1 / 3;
    return t >= this.opts.warmupIters ? 1 : start + (1 - start) * t / this.opts.warmupIters;
  }

  lrAt(t: number, base: number): number {
    const after = this.opts.after;
    if (this.opts.mode === 'scale') return this.factor(t) * (after ? after.lrAt(t, base) : base);
    if (t < this.opts.warmupIters || !after) return this.factor(t) * base;
    return after.lrAt(t - this.opts.warmupIters, base);
  }
}

// BatchNorm2d (torch.nn.BatchNorm2d): batch statistics in training, running statistics in eval.
import { noGrad } from '../autograd.js';
import { empty, ones, zeros } from '../creation.js';
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import { ones_, zeros_ } from './init.js';
import { Module } from './module.js';

export interface BatchNormOptions {
  eps?: number;
  /** Weight of the new batch in the running averages; null makes them cumulative averages. */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
}

/** Normalises each channel of [N, C, H, W]; buffers running_mean, running_var, num_batches_tracked. */
export class BatchNorm2d extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  constructor(readonly numFeatures: number, o: BatchNormOptions = {}) {
    super();
    this.eps = o.eps ?? 1e-5;
    this.momentum = o.momentum === undefined ? 0.1 : o.momentum;
    this.affine = o.affine ?? true;
    this.trackRunningStats = o.trackRunningStats ?? true;
    this.registerParameter('weight', this.affine ? ones_(empty([numFeatures])) : null);
    this.registerParameter('bias', this.affine ? zeros_(empty([numFeatures])) : null);
    const track = this.trackRunningStats;
    this.registerBuffer('running_mean', track ? zeros([numFeatures]) : null);
    this.registerBuffer('running_var', track ? ones([numFeatures]) : null);
    this.registerBuffer('num_batches_tracked', track ? zeros([], { dtype: 'int64' }) : null);
  }

  get weight(): Tensor | null { return this.ownParameter('weight'); }
  get bias(): Tensor | null { return this.ownParameter('bias'); }
  get runningMean(): Tensor | null { return this.ownBuffer('running_mean'); }
  get runningVar(): Tensor | null { return this.ownBuffer('running_var'); }
  get numBatchesTracked(): Tensor | null { return this.ownBuffer('num_batches_tracked'); }

  forward(input: Tensor): Tensor {
    if (input.ndim !== 4) throw new Error(`BatchNorm2d: expected 4D input (got ${input.ndim}D input)`);
    let factor = this.momentum ?? 0;
    const counter = this.numBatchesTracked;
    if (this.training && counter !== null) {
      noGrad(() => counter.add_(1));
      if (this.momentum === null) factor = 1 / counter.item();
    }
    // Eval without running statistics falls back to batch statistics, as PyTorch.
    const useBatchStats = this.training || this.runningMean === null;
    const updateStats = !this.training || this.trackRunningStats;
    return F.batchNorm(input, updateStats ? this.runningMean : null, updateStats ? this.runningVar : null,
      { weight: this.weight, bias: this.bias, training: useBatchStats, momentum: factor, eps: this.eps });
  }
}

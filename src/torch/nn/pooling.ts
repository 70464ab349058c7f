// MaxPool2d, AvgPool2d and AdaptiveAvgPool2d (torch.nn.*); stride defaults to the kernel size.
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import type { Pair } from './conv.js';
import { Module } from './module.js';

export class MaxPool2d extends Module {
  constructor(readonly kernelSize: Pair, readonly options: F.Pool2dOptions = {}) { super(); }
  forward(input: Tensor): Tensor { return F.maxPool2d(input, this.kernelSize, this.options); }
}

export class AvgPool2d extends Module {
  constructor(readonly kernelSize: Pair, readonly options: F.AvgPool2dOptions = {}) { super(); }
  forward(input: Tensor): Tensor { return F.avgPool2d(input, this.kernelSize, this.options); }
}

/** Averages each channel into an outputSize grid whatever the input's size (global pooling with 1). */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: Pair) { super(); }
  forward(input: Tensor): Tensor { return F.adaptiveAvgPool2d(input, this.outputSize); }
}

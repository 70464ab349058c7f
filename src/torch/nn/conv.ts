// Conv2d and ConvTranspose2d (torch.nn.Conv2d / ConvTranspose2d), initialised as PyTorch's _ConvNd.
import { empty } from '../creation.js';
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import { fanInUniform_ } from './init.js';
import { Module } from './module.js';

export type Pair = number | [number, number];
const pair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : v);

export interface ConvOptions { stride?: Pair; padding?: Pair; dilation?: Pair; groups?: number; bias?: boolean }

// What both convolutions share: hyper-parameters, a weight of `weightShape`, an optional bias, the default init.
abstract class ConvNd extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Pair, o: ConvOptions, transposed: boolean) {
    super();
    this.kernelSize = pair(kernelSize);
    this.stride = pair(o.stride ?? 1);
    this.padding = pair(o.padding ?? 0);
    this.dilation = pair(o.dilation ?? 1);
    this.groups = o.groups ?? 1;
    if (inChannels % this.groups !== 0) throw new Error('in_channels must be divisible by groups');
    if (outChannels % this.groups !== 0) throw new Error('out_channels must be divisible by groups');
    const weightShape = transposed ? [inChannels, outChannels / this.groups, ...this.kernelSize]
      : [outChannels, inChannels / this.groups, ...this.kernelSize];
    this.registerParameter('weight', empty(weightShape));
    this.registerParameter('bias', (o.bias ?? true) ? empty([outChannels]) : null);
    this.resetParameters();
  }

  get weight(): Tensor { return this.ownParameter('weight')!; }
  get bias(): Tensor | null { return this.ownParameter('bias'); }

  resetParameters(): void { fanInUniform_(this.weight, this.bias); }
}

export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';
export interface Conv2dOptions extends ConvOptions { paddingMode?: PaddingMode }

/** 2-D convolution over [N, C, H, W]; weight [out, in / groups, kh, kw]. */
export class Conv2d extends ConvNd {
  readonly paddingMode: PaddingMode;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, o: Conv2dOptions = {}) {
    super(inChannels, outChannels, kernelSize, o, false);
    this.paddingMode = o.paddingMode ?? 'zeros';
  }

  forward(input: Tensor): Tensor {
    const o = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode === 'zeros') return F.conv2d(input, this.weight, this.bias, { ...o, padding: this.padding });
    // Other modes pad explicitly first, as PyTorch's _conv_forward (left, right, top, bottom).
    const [ph, pw] = this.padding;
    return F.conv2d(F.pad(input, [pw, pw, ph, ph], this.paddingMode), this.weight, this.bias, o);
  }
}

export interface ConvTranspose2dOptions extends ConvOptions { outputPadding?: Pair }

/** Transposed 2-D convolution (the gradient of Conv2d); weight [in, out / groups, kh, kw]. */
export class ConvTranspose2d extends ConvNd {
  readonly outputPadding: [number, number];

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, o: ConvTranspose2dOptions = {}) {
    super(inChannels, outChannels, kernelSize, o, true);
    this.outputPadding = pair(o.outputPadding ?? 0);
  }

  forward(input: Tensor): Tensor {
    return F.convTranspose2d(input, this.weight, this.bias, { stride: this.stride, padding: this.padding,
      outputPadding: this.outputPadding, groups: this.groups, dilation: this.dilation });
  }
}

// GroupNorm and LayerNorm (torch.nn.GroupNorm / LayerNorm): per-sample normalisation, same in train and eval.
import { empty } from '../creation.js';
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import { ones_, zeros_ } from './init.js';
import { Module } from './module.js';

// weight = 1 and bias = 0 of `shape`, or both null without an affine transform.
function registerAffine(m: Module, shape: number[], affine: boolean): void {
  m.registerParameter('weight', affine ? ones_(empty(shape)) : null);
  m.registerParameter('bias', affine ? zeros_(empty(shape)) : null);
}

/** Normalises groups of channels of [N, C, ...] per sample; per-channel affine. */
export class GroupNorm extends Module {
  readonly eps: number;

  constructor(readonly numGroups: number, readonly numChannels: number, o: { eps?: number; affine?: boolean } = {}) {
    super();
    if (numChannels % numGroups !== 0) throw new Error('num_channels must be divisible by num_groups');
    this.eps = o.eps ?? 1e-5;
    registerAffine(this, [numChannels], o.affine ?? true);
  }

  get weight(): Tensor | null { return this.ownParameter('weight'); }
  get bias(): Tensor | null { return this.ownParameter('bias'); }

  forward(input: Tensor): Tensor { return F.groupNorm(input, this.numGroups, this.weight, this.bias, this.eps); }
}

/** Normalises over the trailing `normalizedShape` dimensions; element-wise affine of that shape. */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;

  constructor(normalizedShape: number | number[], o: { eps?: number; elementwiseAffine?: boolean } = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = o.eps ?? 1e-5;
    registerAffine(this, this.normalizedShape, o.elementwiseAffine ?? true);
  }

  get weight(): Tensor | null { return this.ownParameter('weight'); }
  get bias(): Tensor | null { return this.ownParameter('bias'); }

  forward(input: Tensor): Tensor { return F.layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps); }
}

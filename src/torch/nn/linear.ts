// Linear and Identity (torch.nn.Linear / Identity).
import { empty } from '../creation.js';
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import { fanInUniform_ } from './init.js';
import { Module } from './module.js';

/** y = x W^T + b over the last dimension; weight [out, in]. */
export class Linear extends Module {
  constructor(readonly inFeatures: number, readonly outFeatures: number, o: { bias?: boolean } = {}) {
    super();
    this.registerParameter('weight', empty([outFeatures, inFeatures]));
    this.registerParameter('bias', (o.bias ?? true) ? empty([outFeatures]) : null);
    this.resetParameters();
  }

  get weight(): Tensor { return this.ownParameter('weight')!; }
  get bias(): Tensor | null { return this.ownParameter('bias'); }

  resetParameters(): void { fanInUniform_(this.weight, this.bias); }

  forward(input: Tensor): Tensor { return F.linear(input, this.weight, this.bias); }
}

/** Returns its input: a placeholder where an architecture has an optional layer. */
export class Identity extends Module {
  forward(input: Tensor): Tensor { return input; }
}

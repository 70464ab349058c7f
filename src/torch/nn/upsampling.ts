// Upsample (torch.nn.Upsample): F.interpolate as a module.
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

export class Upsample extends Module {
  /** Exactly one of size or scaleFactor; mode 'nearest' by default. */
  constructor(readonly options: F.InterpolateOptions) {
    super();
    if ((options.size === undefined) === (options.scaleFactor === undefined)) {
      throw new Error('Upsample: give exactly one of size or scaleFactor');
    }
  }
  forward(input: Tensor): Tensor { return F.interpolate(input, this.options); }
}

// Dropout and Dropout2d (torch.nn.Dropout / Dropout2d): active only in training mode.
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

abstract class DropoutBase extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
  }
}

/** Zeroes elements with probability p and scales the rest by 1 / (1 - p). */
export class Dropout extends DropoutBase {
  forward(input: Tensor): Tensor { return F.dropout(input, this.p, this.training); }
}

/** Zeroes whole channels of [N, C, H, W] with probability p. */
export class Dropout2d extends DropoutBase {
  forward(input: Tensor): Tensor { return F.dropout2d(input, this.p, this.training); }
}

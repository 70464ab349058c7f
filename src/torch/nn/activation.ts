// Element-wise activation modules (torch.nn.ReLU, LeakyReLU, GELU, Sigmoid, Tanh, SiLU).
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

export class ReLU extends Module {
  forward(input: Tensor): Tensor { return F.relu(input); }
}

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) { super(); }
  forward(input: Tensor): Tensor { return F.leakyRelu(input, this.negativeSlope); }
}

export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') { super(); }
  forward(input: Tensor): Tensor { return F.gelu(input, this.approximate); }
}

export class Sigmoid extends Module {
  forward(input: Tensor): Tensor { return F.sigmoid(input); }
}

export class Tanh extends Module {
  forward(input: Tensor): Tensor { return F.tanh(input); }
}

export class SiLU extends Module {
  forward(input: Tensor): Tensor { return F.silu(input); }
}

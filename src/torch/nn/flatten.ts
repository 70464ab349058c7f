// Flatten (torch.nn.Flatten): merges dimensions startDim..endDim, by default all but the batch dimension.
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) { super(); }
  forward(input: Tensor): Tensor { return input.flatten(this.startDim, this.endDim); }
}

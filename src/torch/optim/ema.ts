// Exponential moving average of named weights (mean teacher, model EMA): parameters are averaged, buffers
// (batch-norm statistics, counters) are copied.
import { Tensor } from '../tensor.js';
import { noGrad } from '../autograd.js';
import { keep, scope } from '../scope.js';

/** Named tensors as an nn.Module gives them: namedParameters() and namedBuffers(). */
export interface NamedTensors {
  parameters: Iterable<[string, Tensor]>;
  buffers?: Iterable<[string, Tensor]>;
}

/** The mean-teacher warm start: min(1 - 1/(step+1), decay), so early averages are not dominated by the initial weights. */
export function meanTeacherDecay(step: number, decay: number): number {
  return Math.min(1 - 1 / (step + 1), decay);
}

export class ExponentialMovingAverage {
  readonly parameters = new Map<string, Tensor>();
  readonly buffers = new Map<string, Tensor>();

  /**
   * Averages into detached copies of `init` (copy, the default), or into init's own tensors in place
   * (copy: false, e.g. a teacher module's parameters and buffers).
   */
  constructor(init: NamedTensors, opts: { copy?: boolean } = {}) {
    const copy = opts.copy ?? true;
    noGrad(() => scope(() => {
      const take = (t: Tensor): Tensor => (copy ? keep(t.detach().clone()) : t);
      for (const [n, t] of init.parameters) this.parameters.set(n, take(t));
      for (const [n, t] of init.buffers ?? []) this.buffers.set(n, take(t));
    }));
  }

  /** ema = decay * ema + (1 - decay) * source for every parameter, in place; buffers are copied. */
  update(source: NamedTensors, decay: number): void {
    if (!(decay >= 0 && decay <= 1)) throw new RangeError(`ExponentialMovingAverage: decay must be in [0, 1], got ${decay}`);
    noGrad(() => scope(() => {
      for (const [n, src] of matched('parameter', this.parameters, source.parameters)) this.parameters.get(n)!.mul_(decay).add_(src, 1 - decay);
      for (const [n, src] of matched('buffer', this.buffers, source.buffers ?? [])) this.buffers.get(n)!.copy_(src);
    }));
  }

  /** The averaged tensors by name (parameters and buffers together, as a module's state dict). */
  stateDict(): Record<string, Tensor> {
    return Object.fromEntries([...this.parameters, ...this.buffers]);
  }
}

// Pairs each source tensor with the average of the same name; both sets must hold the same names and shapes.
function matched(kind: string, own: Map<string, Tensor>, source: Iterable<[string, Tensor]>): [string, Tensor][] {
  const pairs = [...source];
  for (const [n, t] of pairs) {
    const mine = own.get(n);
    if (mine === undefined) throw new Error(`ExponentialMovingAverage: unknown ${kind} '${n}'`);
    if (mine.shape.join() !== t.shape.join()) {
      throw new Error(`ExponentialMovingAverage: ${kind} '${n}' has shape [${t.shape}], the average has [${mine.shape}]`);
    }
  }
  if (pairs.length !== own.size) {
    const names = new Set(pairs.map(([n]) => n));
    const missing = [...own.keys()].filter((n) => !names.has(n));
    throw new Error(`ExponentialMovingAverage: ${kind}s missing from the source: ${missing.join(', ')}`);
  }
  return pairs;
}

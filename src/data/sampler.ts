// Which samples make batch b of epoch e, and the random stream of each sample: functions of the seed, the
// epoch and the sample index only, so any number of workers produce the same batches.
import { Rng } from './random.js';

// Stream tags keep the shuffle and the per-sample streams apart for the same (seed, epoch).
const SHUFFLE = 1;
const SAMPLE = 2;

export function sampleRng(seed: number, epoch: number, index: number): Rng {
  return Rng.from(seed, SAMPLE, epoch, index);
}

export interface SamplerOptions { size: number; batchSize: number; shuffle: boolean; seed: number; dropLast: boolean }

export class BatchSampler {
  // The two latest epochs: prefetching across an epoch boundary asks for both in turn.
  private cache = new Map<number, Uint32Array>();

  constructor(readonly o: SamplerOptions) {}

  /** Batches per epoch. */
  get length(): number {
    return this.o.dropLast ? Math.floor(this.o.size / this.o.batchSize) : Math.ceil(this.o.size / this.o.batchSize);
  }

  /** Sample order of an epoch: a permutation drawn from (seed, epoch), or 0..n-1. */
  order(epoch: number): Uint32Array {
    let order = this.cache.get(epoch);
    if (!order) {
      order = this.o.shuffle ? Rng.from(this.o.seed, SHUFFLE, epoch).permutation(this.o.size) : identity(this.o.size);
      this.cache.set(epoch, order);
      if (this.cache.size > 2) this.cache.delete(this.cache.keys().next().value!);
    }
    return order;
  }

  indices(epoch: number, batch: number): number[] {
    if (batch < 0 || batch >= this.length) throw new RangeError(`batch ${batch} out of range [0, ${this.length})`);
    const start = batch * this.o.batchSize;
    return Array.from(this.order(epoch).subarray(start, Math.min(start + this.o.batchSize, this.o.size)));
  }
}

function identity(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

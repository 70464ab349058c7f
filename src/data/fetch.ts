// One batch as plain data, the same code in the calling thread (numWorkers 0) and in a worker.
import { stack, type Stacked } from './collate.js';
import type { Dataset } from './dataset.js';
import { sampleRng } from './sampler.js';

/** Samples one after another, so a worker is one thread of decoding and augmentation. */
export async function fetchBatch(ds: Dataset, seed: number, epoch: number, indices: readonly number[]): Promise<Stacked> {
  const samples = [];
  for (const i of indices) {
    try {
      samples.push(await ds.get(i, sampleRng(seed, epoch, i)));
    } catch (e) {
      throw new Error(`Dataset sample ${i}: ${(e as Error).message ?? e}`, { cause: e });
    }
  }
  return stack(samples);
}

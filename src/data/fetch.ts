// One batch as plain data, the same code in the calling thread (numWorkers 0) and in a worker.
import { stack, type Stacked } from './collate.js';
import type { Dataset } from './dataset.js';
import { sampleRng } from './sampler.js';

/**
 * The samples of a batch, requested together: their files are read and decoded off the thread (libuv's pool)
 * while the thread augments the ones already decoded. Each draws from its own stream, so the order in which
 * they finish changes nothing.
 */
export async function fetchBatch(ds: Dataset, seed: number, epoch: number, indices: readonly number[]): Promise<Stacked> {
  const samples = await Promise.all(indices.map(async (i) => {
    try {
      return await ds.get(i, sampleRng(seed, epoch, i));
    } catch (e) {
      throw new Error(`Dataset sample ${i}: ${(e as Error).message ?? e}`, { cause: e });
    }
  }));
  return stack(samples);
}

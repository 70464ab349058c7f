// 48 fixed 8x8 images of a bar whose position and orientation is the class (4 classes), with per-sample noise
// drawn from the loader's random stream (so the data augmentation randomness matters). No torch import:
// DataLoader worker threads rebuild it from its spec.
import type { Dataset, DatasetSpec, Sample } from '../../src/data/dataset.js';
import type { Rng } from '../../src/data/random.js';

export const SIZE = 8;
export const CLASSES = 4;

export class TinyBars implements Dataset {
  readonly length = 48;

  async get(index: number, rng: Rng): Promise<Sample> {
    const label = index % CLASSES;
    const x = new Float32Array(SIZE * SIZE);
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        const bar = label === 0 ? r === 2 : label === 1 ? r === 5 : label === 2 ? c === 2 : c === 5;
        x[r * SIZE + c] = (bar ? 1 : 0) + 0.2 * Math.sin(index * 1.7 + r * 0.9 + c * 0.4) + rng.normal(0, 0.05);
      }
    }
    return { x: { data: x, shape: [1, SIZE, SIZE] }, y: { data: BigInt64Array.of(BigInt(label)), shape: [] }, index };
  }

  spec(): DatasetSpec {
    return { module: import.meta.url, name: 'TinyBars', options: null };
  }
}

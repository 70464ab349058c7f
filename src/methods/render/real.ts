// The real images of claim 1: a folder of images, resized to the render size, as training batches of n and as the
// fixed evaluation subset.
import fs from 'node:fs';
import * as torch from '../../torch/index.js';
import type { Tensor } from '../../torch/index.js';
import { DataLoader } from '../../data/loader.js';
import { ImageFolder } from '../../data/datasets/image_folder.js';
import { Rng } from '../../data/random.js';
import type { ArrayField } from '../../data/dataset.js';
import type { RenderConfig } from './config.js';

export function realDataset(c: RenderConfig): ImageFolder {
  const root = c.real.folder;
  if (root === '') throw new Error('render tune: no real images; give a folder with --real <folder> (or real.folder in the config)');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new Error(`render tune: real image folder not found: ${root}`);
  const ds = new ImageFolder({ root, transforms: [{ op: 'resize', size: c.size }] });
  if (ds.length < c.n) throw new Error(`render tune: ${root} has ${ds.length} images, fewer than n = ${c.n} per iteration`);
  return ds;
}

/** Endless shuffled batches of n real images; batch.image is [n, 3, H, W] in [0, 1]. */
export function realLoader(ds: ImageFolder, c: RenderConfig): DataLoader {
  return new DataLoader(ds, { batchSize: c.n, shuffle: true, seed: c.seed, dropLast: true, numWorkers: c.real.workers });
}

/** `count` images spread evenly over the folder (all when it has fewer), [N, 3, H, W] in [0, 1]. */
export async function realSubset(ds: ImageFolder, count: number): Promise<Tensor> {
  const n = Math.min(count, ds.length);
  const images: ArrayField[] = [];
  for (let i = 0; i < n; i++) {
    const sample = await ds.get(Math.floor((i * ds.length) / n), Rng.from(i));
    images.push(sample.image as ArrayField);
  }
  return torch.scope(() => torch.stack(images.map((im) => torch.tensor(im.data, { shape: im.shape }))));
}

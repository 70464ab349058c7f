// The seg method's datasets and loaders from its config: source (labelled), target (labels only for the oracle),
// validation (labelled, full images).
import { Cityscapes } from '../../data/datasets/cityscapes.js';
import { protocolOf } from '../../data/datasets/labels.js';
import { GTA5 } from '../../data/datasets/gta5.js';
import { ImageFolder } from '../../data/datasets/image_folder.js';
import { Synthia } from '../../data/datasets/synthia.js';
import type { Dataset } from '../../data/dataset.js';
import { DataLoader, type Batch } from '../../data/loader.js';
import type { TransformConfig } from '../../data/transforms.js';
import type { Tensor } from '../../torch/index.js';
import { classCount, type SegConfig } from './config.js';
import type { SegBatch } from './step.js';

type Domain = SegConfig['data']['source'];

/** A dataset for a domain of the config; `synth` is the Cityscapes layout `shiftkit data synth` writes. */
export function domainDataset(d: Domain, o: { transforms: TransformConfig; classes: 19 | 16; labels: boolean }): Dataset {
  const common = { root: d.root, transforms: o.transforms, classes: o.classes, labels: o.labels };
  switch (d.kind) {
    case 'cityscapes':
    case 'synth':
      return new Cityscapes({ ...common, split: d.split });
    case 'gta5':
      return new GTA5(common);
    case 'synthia':
      return new Synthia(common);
    case 'folder':
      if (o.labels) throw new Error(`data: a 'folder' domain (${d.root}) has no labels, but this use of it needs them`);
      return new ImageFolder({ root: d.root, transforms: o.transforms });
  }
}

/** Random rescale, crop and flip (the network normalises its input itself). */
export function trainTransforms(c: SegConfig): TransformConfig {
  return [
    { op: 'randomScale', range: c.data.scale },
    { op: 'randomCrop', size: c.data.crop },
    ...(c.data.flip ? [{ op: 'hflip' as const, p: 0.5 }] : []),
  ];
}

export function trainLoaders(c: SegConfig): { source: DataLoader; target: DataLoader } {
  const classes = protocolOf(classCount(c));
  const transforms = trainTransforms(c);
  const loader = (d: Domain, labels: boolean, seed: number) => new DataLoader(domainDataset(d, { transforms, classes, labels }),
    { batchSize: c.data.batchSize, shuffle: true, dropLast: true, seed, numWorkers: c.data.workers });
  return { source: loader(c.data.source, c.sourceLabels, c.seed), target: loader(c.data.target, c.targetLabels, c.seed + 1) };
}

export function valLoader(c: SegConfig, root?: string): DataLoader {
  const classes = protocolOf(classCount(c));
  const d = root ? { ...c.data.val, root } : c.data.val;
  return new DataLoader(domainDataset(d, { transforms: [], classes, labels: true }), { batchSize: 1, numWorkers: c.data.workers });
}

/** A loader batch as the step wants it: float images, int64 labels (the loader gives bytes). */
export function segBatch(b: Batch): SegBatch {
  const image = b.image as Tensor;
  const label = b.label as Tensor | undefined;
  return { image, label: label?.to('int64') };
}

// GTA5 (Richter et al. 2016, https://download.visinf.tu-darmstadt.de/data/from_games/): images/<n>.png with
// labels/<n>.png, indexed PNGs whose palette index is the Cityscapes labelId.
import path from 'node:path';
import { decodeImage } from '../../io/decode.js';
import type { DatasetSpec } from '../dataset.js';
import { resizeLabel } from '../image_ops/geometry.js';
import { pairsByName } from './files.js';
import { cityscapesLut, mapLabels } from './labels.js';
import { SegmentationDataset, type LabelMap, type Pair, type SegmentationOptions } from './segmentation.js';

export class GTA5 extends SegmentationDataset {
  private readonly lut: Uint8Array;

  constructor(opts: SegmentationOptions) {
    const pairs = pairsByName(path.join(opts.root, 'images'), path.join(opts.root, 'labels'), 'GTA5 images');
    super(opts, pairs, 'GTA5');
    this.lut = cityscapesLut(opts.classes ?? 19);
  }

  spec(): DatasetSpec {
    return this.specOf(import.meta.url, 'GTA5');
  }

  protected async readLabel(file: string): Promise<LabelMap> {
    const raw = await decodeImage(file, { palette: 'index' });
    return { data: mapLabels(raw.data, 1, this.lut), width: raw.width, height: raw.height };
  }

  /** A few GTA5 label files differ in size from their image: resized to it (nearest), as resizing both would. */
  protected override fit(label: LabelMap, image: { width: number; height: number }, _p: Pair): Uint8Array {
    if (label.width === image.width && label.height === image.height) return label.data;
    return resizeLabel(label.data, label.width, label.height, image.width, image.height);
  }
}

// SYNTHIA-RAND-CITYSCAPES (Ros et al. 2016): RGB/<n>.png with GT/LABELS/<n>.png, 16-bit PNGs whose first
// channel is the SYNTHIA class id (the second holds instance ids).
import path from 'node:path';
import { decodeImage } from '../../io/decode.js';
import type { DatasetSpec } from '../dataset.js';
import { pairsByName } from './files.js';
import { mapLabels, synthiaLut } from './labels.js';
import { SegmentationDataset, type LabelMap, type SegmentationOptions } from './segmentation.js';

export class Synthia extends SegmentationDataset {
  private readonly lut: Uint8Array;

  constructor(opts: SegmentationOptions) {
    const pairs = pairsByName(path.join(opts.root, 'RGB'), path.join(opts.root, 'GT', 'LABELS'), 'SYNTHIA RGB');
    super(opts, pairs, 'SYNTHIA');
    this.lut = synthiaLut(opts.classes ?? 19);
  }

  spec(): DatasetSpec {
    return this.specOf(import.meta.url, 'Synthia');
  }

  protected async readLabel(file: string): Promise<LabelMap> {
    const raw = await decodeImage(file);
    return { data: mapLabels(raw.data, raw.channels, this.lut), width: raw.width, height: raw.height };
  }
}

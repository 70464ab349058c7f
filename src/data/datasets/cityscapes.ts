// Cityscapes (https://www.cityscapes-dataset.com): leftImg8bit/<split>/<city>/<name>_leftImg8bit.png with
// gtFine/<split>/<city>/<name>_gtFine_labelIds.png, labelIds mapped to trainIds.
import path from 'node:path';
import { decodeImage } from '../../io/decode.js';
import type { DatasetSpec } from '../dataset.js';
import { listFiles, requireDir } from './files.js';
import { cityscapesLut, mapLabels } from './labels.js';
import { SegmentationDataset, type LabelMap, type SegmentationOptions } from './segmentation.js';

export interface CityscapesOptions extends SegmentationOptions { /** 'train', 'val', 'test' or any folder under leftImg8bit/. */ split: string }

const IMAGE_SUFFIX = '_leftImg8bit.png';

export class Cityscapes extends SegmentationDataset {
  private readonly lut: Uint8Array;

  constructor(opts: CityscapesOptions) {
    const images = path.join(opts.root, 'leftImg8bit', opts.split);
    requireDir(images, `Cityscapes split '${opts.split}'`);
    const pairs = listFiles(images, (n) => n.endsWith(IMAGE_SUFFIX), true).map((rel) => {
      const stem = rel.slice(0, -IMAGE_SUFFIX.length);
      return {
        image: path.join(images, rel),
        label: path.join(opts.root, 'gtFine', opts.split, `${stem}_gtFine_labelIds.png`),
        name: path.basename(stem),
      };
    });
    super(opts, pairs, 'Cityscapes');
    this.lut = cityscapesLut(opts.classes ?? 19);
  }

  spec(): DatasetSpec {
    return this.specOf(import.meta.url, 'Cityscapes');
  }

  protected async readLabel(file: string): Promise<LabelMap> {
    const raw = await decodeImage(file);
    if (raw.channels !== 1) throw new Error(`Label ${file}: expected a 1-channel labelIds PNG, got ${raw.channels} channels`);
    return { data: mapLabels(raw.data, raw.channels, this.lut), width: raw.width, height: raw.height };
  }
}

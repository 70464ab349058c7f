// The common part of the segmentation readers: image/label file pairs, decoded, label ids mapped to class ids,
// transformed together. Each reader lists its pairs and says how its label files hold class ids.
import { existsSync } from 'node:fs';
import { decodeImage } from '../../io/decode.js';
import type { Dataset, DatasetSpec, Json, Sample } from '../dataset.js';
import type { Rng } from '../random.js';
import { compose, type Transform, type TransformConfig } from '../transforms.js';
import type { ClassProtocol } from './labels.js';

export interface SegmentationOptions {
  root: string;
  /** Augmentation steps (see transforms.ts); none: the full image, as [0, 1] floats. */
  transforms?: TransformConfig;
  /** 19 Cityscapes trainIds (default), or the 16 classes shared with SYNTHIA. */
  classes?: ClassProtocol;
  /** false: images only (an unlabelled target domain). */
  labels?: boolean;
}

export interface Pair { image: string; label: string; name: string }

/** A label map decoded to class ids (one byte per pixel). */
export interface LabelMap { data: Uint8Array; width: number; height: number }

export abstract class SegmentationDataset implements Dataset {
  private readonly transform: Transform;

  protected constructor(protected readonly options: SegmentationOptions, private readonly pairs: Pair[], what: string) {
    if (options.classes !== undefined && options.classes !== 19 && options.classes !== 16) {
      throw new Error(`${what}: classes must be 19 or 16, got ${options.classes}`);
    }
    if (pairs.length === 0) throw new Error(`${what}: no images found under ${options.root}`);
    if (options.labels !== false) {
      for (const p of pairs) {
        if (!existsSync(p.label)) throw new Error(`${what}: image ${p.image} has no label file ${p.label}`);
      }
    }
    this.transform = compose(options.transforms);
  }

  get length(): number {
    return this.pairs.length;
  }

  abstract spec(): DatasetSpec;

  /** The spec of a reader class exported as `name` from `module`, with the options as plain JSON. */
  protected specOf(module: string, name: string): DatasetSpec {
    return { module, name, options: JSON.parse(JSON.stringify(this.options)) as Json };
  }

  /** Class ids (of the `classes` protocol, 255 elsewhere) of a label file. */
  protected abstract readLabel(file: string): Promise<LabelMap>;

  /** A label map the size of its image; a reader whose data has known size mismatches overrides this. */
  protected fit(label: LabelMap, image: { width: number; height: number }, p: Pair): Uint8Array {
    if (label.width !== image.width || label.height !== image.height) {
      throw new Error(`Label ${p.label} is ${label.width}x${label.height}, its image ${p.image} is ${image.width}x${image.height}`);
    }
    return label.data;
  }

  async get(index: number, rng: Rng): Promise<Sample> {
    const p = this.pairs[index];
    if (!p) throw new RangeError(`index ${index} out of range [0, ${this.pairs.length})`);
    const withLabel = this.options.labels !== false;
    const [image, label] = await Promise.all([
      decodeImage(p.image, { channels: 3, depth: 'uint8' }),
      withLabel ? this.readLabel(p.label) : null,
    ]);
    const pixels = { ...image, data: image.data as Uint8Array }; // depth 'uint8'
    const labels = label ? [this.fit(label, pixels, p)] : [];
    const out = this.transform({ image: pixels, labels }, rng);
    return { image: out.image, ...(label ? { label: out.labels[0] } : {}), name: p.name, index };
  }
}

// Any folder of images (recursive, .jpg/.jpeg/.png/.webp), unlabelled: a target domain without annotations.
import path from 'node:path';
import { decodeImage } from '../../io/decode.js';
import type { Dataset, DatasetSpec, Json, Sample } from '../dataset.js';
import type { Rng } from '../random.js';
import { compose, type Transform, type TransformConfig } from '../transforms.js';
import { listFiles, requireDir } from './files.js';

export interface ImageFolderOptions { root: string; transforms?: TransformConfig }

const EXTENSIONS = /\.(jpe?g|png|webp)$/i;

export class ImageFolder implements Dataset {
  private readonly files: string[];
  private readonly transform: Transform;

  constructor(private readonly options: ImageFolderOptions) {
    requireDir(options.root, 'ImageFolder');
    this.files = listFiles(options.root, (n) => EXTENSIONS.test(n), true);
    if (this.files.length === 0) throw new Error(`ImageFolder: no .jpg, .jpeg, .png or .webp images under ${options.root}`);
    this.transform = compose(options.transforms);
  }

  get length(): number {
    return this.files.length;
  }

  spec(): DatasetSpec {
    return { module: import.meta.url, name: 'ImageFolder', options: JSON.parse(JSON.stringify(this.options)) as Json };
  }

  async get(index: number, rng: Rng): Promise<Sample> {
    const rel = this.files[index];
    if (rel === undefined) throw new RangeError(`index ${index} out of range [0, ${this.files.length})`);
    const image = await decodeImage(path.join(this.options.root, rel), { channels: 3, depth: 'uint8' });
    const out = this.transform({ image: { ...image, data: image.data as Uint8Array }, labels: [] }, rng);
    return { image: out.image, name: rel, index };
  }
}

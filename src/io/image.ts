// Image files <-> CHW tensors, and encoding, through sharp (libvips); decoding to pixels is in decode.ts.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { decodeImage, type RawImage } from './decode.js';

export { decodeImage, type DecodeOptions, type RawImage } from './decode.js';

/** Reads an image as a CHW tensor: uint8, or float32 in [0,1] (8-bit / 255, 16-bit / 65535). */
export async function readImage(file: string, opts: { dtype?: 'uint8' | 'float32'; channels?: 1 | 3 | 4 } = {}): Promise<Tensor> {
  const dtype = opts.dtype ?? 'float32';
  const img = await decodeImage(file, { channels: opts.channels, depth: dtype === 'uint8' ? 'uint8' : 'auto' });
  return torch.scope(() => {
    const sixteen = img.data instanceof Uint16Array;
    // No uint16 dtype in the engine: 16-bit samples travel as int32.
    let t = torch.tensor(sixteen ? Int32Array.from(img.data) : img.data, { shape: [img.height, img.width, img.channels] });
    if (dtype === 'float32') t = t.to('float32').div(sixteen ? 65535 : 255);
    return t.permute(2, 0, 1).contiguous();
  });
}

/** A CHW (or HW) tensor as 8-bit HWC pixels: uint8 as is, floating point taken as [0,1], clamped and rounded. */
export function rawFromTensor(t: Tensor): RawImage {
  return torch.scope(() => {
    if (t.ndim !== 2 && t.ndim !== 3) throw new Error(`rawFromTensor: expected a CHW or HW tensor, got shape [${t.shape}]`);
    let x = t.ndim === 2 ? t.unsqueeze(0) : t;
    const [c, h, w] = x.shape;
    if (c < 1 || c > 4) throw new Error(`rawFromTensor: expected 1 to 4 channels, got shape [${t.shape}]`);
    x = x.detach().cpu();
    if (x.dtype !== 'uint8') {
      if (!torch.isFloatingPoint(x.dtype)) throw new Error(`rawFromTensor: expected a uint8 or floating point tensor, got ${x.dtype}`);
      // As torchvision's save_image: round half up after scaling.
      x = x.to('float32').mul(255).add(0.5).clamp(0, 255).to('uint8');
    }
    const data = new Uint8Array(x.permute(1, 2, 0).contiguous().toTypedArray() as Uint8Array); // a copy: the tensor is freed
    return { data, width: w, height: h, channels: c };
  });
}

export type ImageFormat = 'png' | 'jpeg' | 'webp';

/** Encodes pixels to a file format in memory. 16-bit images are PNG only. */
export async function encodeImage(img: RawImage | Tensor, format: ImageFormat, opts: { quality?: number } = {}): Promise<Buffer> {
  const raw = img instanceof torch.Tensor ? rawFromTensor(img) : img;
  const sixteen = raw.data instanceof Uint16Array;
  if (sixteen && format !== 'png') throw new Error(`encodeImage: 16-bit images can only be written as PNG, not ${format}`);
  if (raw.data.length !== raw.width * raw.height * raw.channels) {
    throw new Error(`encodeImage: ${raw.data.length} samples do not fill ${raw.width}x${raw.height}x${raw.channels}`);
  }
  const gray = raw.channels <= 2;
  const image = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels as 1 | 2 | 3 | 4 } })
    .toColourspace(gray ? (sixteen ? 'grey16' : 'b-w') : (sixteen ? 'rgb16' : 'srgb'));
  switch (format) {
    case 'png': return image.png().toBuffer();
    case 'jpeg': return image.jpeg({ quality: opts.quality }).toBuffer();
    case 'webp': return image.webp({ quality: opts.quality }).toBuffer();
  }
}

const FORMATS: Record<string, ImageFormat> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.webp': 'webp' };

/** Writes an image atomically (a temporary file in the same folder, then rename); the format follows the extension. */
export async function writeImage(file: string, img: RawImage | Tensor, opts: { quality?: number } = {}): Promise<void> {
  const format = FORMATS[path.extname(file).toLowerCase()];
  if (!format) throw new Error(`writeImage: unsupported extension for ${file} (use .png, .jpg, .jpeg or .webp)`);
  const bytes = await encodeImage(img, format, opts);
  await fs.mkdir(path.dirname(file), { recursive: true });
  writeFileAtomic(file, bytes);
}

// Image files <-> interleaved pixels (RawImage) and CHW tensors, through sharp (libvips).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import { writeFileAtomic } from '../run/atomic.js';
import { decodePngIndices } from './png_indexed.js';

/** Interleaved HWC pixels, row-major; Uint16Array only for 16-bit sources. */
export interface RawImage { data: Uint8Array | Uint16Array; width: number; height: number; channels: number }

export interface DecodeOptions {
  /** Convert to this many channels: 1 gray (ITU-R 601 luma, as PIL's convert('L')), 3 RGB, 4 RGBA. */
  channels?: 1 | 3 | 4;
  /** 'auto' keeps 16-bit sources at 16 bits; 'uint8' reduces them to 8 (v >> 8). */
  depth?: 'auto' | 'uint8';
  /** 'index': the palette indices of an indexed PNG, as one channel. */
  palette?: 'rgb' | 'index';
  /** The name errors use when input is a Buffer. */
  name?: string;
}

// Fail on corrupt or truncated data but not on libpng/libjpeg warnings (an odd sRGB profile, extra bytes).
const FAIL_ON = 'error';

async function readInput(input: string | Buffer, name: string): Promise<Buffer> {
  if (typeof input !== 'string') return input;
  try {
    return await fs.readFile(input);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`Image file not found: ${input}`);
    throw new Error(`Cannot decode image ${name}: ${(e as Error).message}`);
  }
}

/**
 * Decodes a PNG (8/16-bit gray, RGB, RGBA, indexed), JPEG or WebP to interleaved pixels, in the channels the file
 * has unless `channels` says otherwise. EXIF orientation is not applied (as PIL's Image.open).
 */
export async function decodeImage(input: string | Buffer, opts: DecodeOptions = {}): Promise<RawImage> {
  const name = opts.name ?? (typeof input === 'string' ? input : '<buffer>');
  const buf = await readInput(input, name);
  if (opts.palette === 'index') {
    const { data, width, height } = decodePngIndices(buf, name);
    return { data, width, height, channels: 1 };
  }
  try {
    const image = sharp(buf, { failOn: FAIL_ON });
    const meta = await image.metadata();
    const sixteen = opts.depth !== 'uint8' && meta.depth === 'ushort';
    const natural = meta.channels ?? 3;
    // Gray is computed below from RGB, so that it is PIL's luma rather than libvips' (which differs).
    const target = opts.channels === 1 ? (natural <= 2 ? 1 : 3) : opts.channels ?? natural;
    const keepAlpha = target === 2 || target === 4;
    // libvips' raw output is sRGB unless told otherwise; grey16/rgb16 keep 16-bit values unscaled.
    const space = target <= 2 ? (sixteen ? 'grey16' : 'b-w') : (sixteen ? 'rgb16' : 'srgb');
    const { data, info } = await (keepAlpha ? image.ensureAlpha() : image.removeAlpha())
      .toColourspace(space).raw(sixteen ? { depth: 'ushort' } : {}).toBuffer({ resolveWithObject: true });
    const raw: RawImage = {
      // Copies into plain ArrayBuffers (sharp's are external), which worker threads can transfer.
      data: sixteen ? new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)) : new Uint8Array(data),
      width: info.width, height: info.height, channels: info.channels,
    };
    return opts.channels === 1 && raw.channels === 3 ? luma(raw) : raw;
  } catch (e) {
    throw new Error(`Cannot decode image ${name}: ${(e as Error).message}`);
  }
}

/** ITU-R 601-2 luma with PIL's fixed-point rounding: L = (19595 R + 38470 G + 7471 B + 2^15) >> 16. */
function luma(img: RawImage): RawImage {
  const n = img.width * img.height;
  const out = img.data instanceof Uint16Array ? new Uint16Array(n) : new Uint8Array(n);
  const d = img.data;
  for (let i = 0; i < n; i++) {
    out[i] = Math.floor((d[3 * i] * 19595 + d[3 * i + 1] * 38470 + d[3 * i + 2] * 7471 + 0x8000) / 65536);
  }
  return { data: out, width: img.width, height: img.height, channels: 1 };
}

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

// Image files -> interleaved pixels (RawImage), through sharp (libvips). No libtorch here: data-loader worker
// threads decode with this module alone.
import { promises as fs } from 'node:fs';
import sharp from 'sharp';
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

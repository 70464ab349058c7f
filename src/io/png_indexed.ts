// A small PNG decoder that returns the stored samples as they are: palette indices instead of colours.
// sharp (libvips) always expands a palette to RGB, but a GTA5 label PNG is an indexed PNG whose index is the
// Cityscapes labelId, so the index is the data. Handles every colour type and bit depth, and Adam7.
import zlib from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const COLOUR_TYPES: Record<number, string> = { 0: 'gray', 2: 'RGB', 3: 'indexed', 4: 'gray+alpha', 6: 'RGBA' };
// Adam7 passes: [x0, y0, dx, dy].
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];

export interface PngHeader {
  width: number; height: number; bitDepth: number; colourType: number; interlaced: boolean;
}

export interface PngSamples extends PngHeader {
  channels: number;
  /** Interleaved HWC samples, unscaled (a 4-bit index stays 0..15); Uint16Array at bit depth 16. */
  data: Uint8Array | Uint16Array;
}

/** 'indexed', '8-bit RGB', ... for error messages. */
export function describePng(h: PngHeader): string {
  return `${h.bitDepth}-bit ${COLOUR_TYPES[h.colourType] ?? `colour type ${h.colourType}`}`;
}

export function isPng(buf: Buffer): boolean {
  return buf.length >= 8 && buf.subarray(0, 8).equals(SIGNATURE);
}

/** The IHDR fields, or null when buf is not a PNG. */
export function readPngHeader(buf: Buffer): PngHeader | null {
  if (!isPng(buf) || buf.length < 29 || buf.toString('latin1', 12, 16) !== 'IHDR') return null;
  return {
    width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), bitDepth: buf[24], colourType: buf[25],
    interlaced: buf[28] === 1,
  };
}

/** Decodes a PNG to its raw samples. Errors name `file`. */
export function decodePngSamples(buf: Buffer, file: string): PngSamples {
  const fail = (why: string): never => { throw new Error(`Cannot decode image ${file}: ${why}`); };
  const header = readPngHeader(buf) ?? fail('not a PNG file');
  const { width, height, bitDepth, colourType } = header;
  const channels = CHANNELS[colourType] ?? fail(`invalid PNG colour type ${colourType}`);
  if (![1, 2, 4, 8, 16].includes(bitDepth)) fail(`invalid PNG bit depth ${bitDepth}`);
  if (width === 0 || height === 0) fail('PNG has zero width or height');

  const idat: Buffer[] = [];
  let sawEnd = false;
  for (let pos = 8; pos < buf.length && !sawEnd;) {
    if (pos + 12 > buf.length) fail('truncated PNG chunk');
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const end = pos + 12 + len;
    if (end > buf.length) fail(`truncated PNG chunk ${type}`);
    if (zlib.crc32(buf.subarray(pos + 4, pos + 8 + len)) !== buf.readUInt32BE(pos + 8 + len)) {
      fail(`CRC mismatch in PNG chunk ${type}`);
    }
    if (type === 'IDAT') idat.push(buf.subarray(pos + 8, pos + 8 + len));
    sawEnd = type === 'IEND';
    pos = end;
  }
  if (!sawEnd) fail('PNG ends before its IEND chunk');
  let raw: Buffer;
  try {
    raw = zlib.inflateSync(Buffer.concat(idat));
  } catch (e) {
    return fail(`corrupt PNG image data (${(e as Error).message})`);
  }

  const bitsPerPixel = channels * bitDepth;
  const bpp = Math.max(1, bitsPerPixel >> 3); // the filters' "corresponding byte to the left" distance
  const samples = bitDepth === 16 ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * channels);
  const passes = header.interlaced ? ADAM7 : [[0, 0, 1, 1]];
  let offset = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil((width - x0) / dx);
    const h = Math.ceil((height - y0) / dy);
    if (w <= 0 || h <= 0) continue; // a pass that holds no pixels has no scanlines either
    const stride = Math.ceil((w * bitsPerPixel) / 8);
    if (offset + h * (stride + 1) > raw.length) fail('PNG image data is shorter than the image');
    const rows = unfilter(raw.subarray(offset, offset + h * (stride + 1)), h, stride, bpp, fail);
    offset += h * (stride + 1);
    for (let y = 0; y < h; y++) {
      const row = rows.subarray(y * stride, (y + 1) * stride);
      for (let x = 0; x < w; x++) {
        const out = ((y0 + y * dy) * width + x0 + x * dx) * channels;
        for (let c = 0; c < channels; c++) samples[out + c] = sample(row, x * channels + c, bitDepth);
      }
    }
  }
  return { ...header, channels, data: samples };
}

/** Sample i of an unfiltered scanline: packed MSB first below 8 bits, big-endian at 16. */
function sample(row: Uint8Array, i: number, bitDepth: number): number {
  if (bitDepth === 8) return row[i];
  if (bitDepth === 16) return (row[2 * i] << 8) | row[2 * i + 1];
  const perByte = 8 / bitDepth;
  const shift = 8 - bitDepth * ((i % perByte) + 1);
  return (row[Math.floor(i / perByte)] >> shift) & ((1 << bitDepth) - 1);
}

/** Reverses the five scanline filters (PNG spec section 9); each row starts with its filter type byte. */
function unfilter(data: Uint8Array, h: number, stride: number, bpp: number, fail: (why: string) => never): Uint8Array {
  const out = new Uint8Array(h * stride);
  for (let y = 0; y < h; y++) {
    const type = data[y * (stride + 1)];
    const src = data.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = out.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? out.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      let pred: number;
      switch (type) {
        case 0: pred = 0; break;
        case 1: pred = a; break;
        case 2: pred = b; break;
        case 3: pred = (a + b) >> 1; break;
        case 4: pred = paeth(a, b, c); break;
        default: return fail(`invalid PNG filter type ${type} on scanline ${y}`);
      }
      cur[i] = (src[i] + pred) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * The palette indices of an indexed PNG as one channel; an 8-bit-or-less gray PNG (a label map stored as gray)
 * gives its gray channel. Anything else is an error naming the file.
 */
export function decodePngIndices(buf: Buffer, file: string): { data: Uint8Array; width: number; height: number } {
  const header = readPngHeader(buf);
  if (!header) throw new Error(`Cannot decode image ${file}: palette:'index' needs a PNG file`);
  const grayOk = (header.colourType === 0 || header.colourType === 4) && header.bitDepth <= 8;
  if (header.colourType !== 3 && !grayOk) {
    throw new Error(`Cannot decode image ${file}: palette:'index' needs an indexed or 8-bit gray PNG, got ${describePng(header)}`);
  }
  const png = decodePngSamples(buf, file);
  const data = png.data as Uint8Array;
  if (png.channels === 1) return { data, width: png.width, height: png.height };
  return { data: data.filter((_, i) => i % png.channels === 0), width: png.width, height: png.height };
}

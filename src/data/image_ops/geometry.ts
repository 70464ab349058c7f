// Resize, crop (with padding) and flip of an image and its label maps, as one lazy view: each output pixel
// is computed once, from the source, only where it survives the crop. Resizing follows
// torch.nn.functional.interpolate (align_corners=False, no antialias): 'bilinear' for the image, 'nearest'
// for labels, so label maps only ever hold values of the source. Padding is black (0) in the image and 255
// (ignore) in the labels.

/**
 * Pixels in one of the two layouts the pipeline uses: bytes (0..255) interleaved HWC, as decoded, or float32
 * planes (CHW) in [0, 1], as everything after the first geometric pass.
 */
export interface Pixels { data: Uint8Array | Float32Array; width: number; height: number; channels: number }
export type FloatPixels = Pixels & { data: Float32Array };
/** An image and label maps of the same height and width (HW, one byte per pixel). */
export interface Labelled { image: Pixels; labels: Uint8Array[] }

export const IGNORE = 255;

/**
 * One axis of the view. Output index j reads grid index g = a*j + b, outside [0, grid) it is padding;
 * the grid is the source axis resized to `grid` samples.
 */
interface Axis { src: number; grid: number; a: 1 | -1; b: number; size: number }

const identity = (n: number): Axis => ({ src: n, grid: n, a: 1, b: 0, size: n });
const isIdentity = (x: Axis) => x.grid === x.src && x.a === 1 && x.b === 0 && x.size === x.src;

export class View {
  private x: Axis;
  private y: Axis;

  constructor(private source: Labelled) {
    const { width, height } = source.image;
    if (source.image.data.length !== width * height * source.image.channels) {
      throw new Error(`image data holds ${source.image.data.length} values, not ${width}x${height}x${source.image.channels}`);
    }
    for (const l of source.labels) {
      if (l.length !== width * height) throw new Error(`label map of ${l.length} pixels does not match its ${width}x${height} image`);
    }
    this.x = identity(source.image.width);
    this.y = identity(source.image.height);
  }

  get width(): number { return this.x.size; }
  get height(): number { return this.y.size; }

  /** Resize to height x width (a resize after a crop or a flip first computes what is pending). */
  resize(height: number, width: number): void {
    if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
      throw new RangeError(`resize needs a positive integer size, got ${height}x${width}`);
    }
    if (!isIdentity(this.x) || !isIdentity(this.y)) this.source = this.materialize();
    this.x = { ...identity(this.source.image.width), grid: width, size: width };
    this.y = { ...identity(this.source.image.height), grid: height, size: height };
  }

  /** The window at (top, left) of height x width; parts beyond the current image are padding. */
  crop(top: number, left: number, height: number, width: number): void {
    this.y = { ...this.y, b: this.y.b + this.y.a * top, size: height };
    this.x = { ...this.x, b: this.x.b + this.x.a * left, size: width };
  }

  hflip(): void {
    this.x = { ...this.x, a: this.x.a === 1 ? -1 : 1, b: this.x.b + this.x.a * (this.x.size - 1) };
  }

  /** The view's pixels: the image as float32 CHW planes in [0, 1], the labels as bytes. */
  materialize(): { image: FloatPixels; labels: Uint8Array[] } {
    const { image, labels } = this.source;
    const [w, h, c] = [this.x.size, this.y.size, image.channels];
    const src = image.data;
    // Strides of the source: bytes are HWC, floats CHW.
    const bytes = src instanceof Uint8Array;
    const [ps, rs, cs] = bytes ? [c, image.width * c, 1] : [1, image.width, image.width * image.height];
    // Bytes become [0, 1] by division, as torchvision's to_tensor: a pixel copied unchanged matches it exactly.
    const divisor = bytes ? 255 : 1;
    const cols = bilinear(this.x, ps);
    const rows = bilinear(this.y, rs);
    const out = new Float32Array(w * h * c);
    for (let k = 0; k < c; k++) {
      for (let j = 0; j < h; j++) {
        if (rows.i0[j] < 0) continue; // padding: new arrays are zero
        const r0 = k * cs + rows.i0[j];
        const r1 = k * cs + rows.i1[j];
        const v1 = rows.l1[j];
        const v0 = 1 - v1;
        const o = (k * h + j) * w;
        for (let i = 0; i < w; i++) {
          const c0 = cols.i0[i];
          if (c0 < 0) continue;
          const c1 = cols.i1[i];
          const u1 = cols.l1[i];
          const u0 = 1 - u1;
          const top = u0 * src[r0 + c0] + u1 * src[r0 + c1];
          const bottom = u0 * src[r1 + c0] + u1 * src[r1 + c1];
          out[o + i] = (v0 * top + v1 * bottom) / divisor;
        }
      }
    }
    const nx = nearest(this.x);
    const ny = nearest(this.y);
    const outLabels = labels.map((lab) => sample(lab, image.width, nx, ny));
    return { image: { data: out, width: w, height: h, channels: c }, labels: outLabels };
  }
}

/** Label map values at rows ny x columns nx of a map `width` wide; -1 reads as 255. */
function sample(lab: Uint8Array, width: number, nx: Int32Array, ny: Int32Array): Uint8Array {
  const [w, h] = [nx.length, ny.length];
  const m = new Uint8Array(w * h).fill(IGNORE);
  for (let j = 0; j < h; j++) {
    if (ny[j] < 0) continue;
    const r = ny[j] * width;
    const o = j * w;
    for (let i = 0; i < w; i++) {
      const x = nx[i];
      if (x >= 0) m[o + i] = lab[r + x];
    }
  }
  return m;
}

/**
 * Per output index: offsets (source index x `stride`) of the two source samples and the weight of the second;
 * i0 = -1 marks padding.
 */
function bilinear(x: Axis, stride: number): { i0: Int32Array; i1: Int32Array; l1: Float32Array } {
  const i0 = new Int32Array(x.size);
  const i1 = new Int32Array(x.size);
  const l1 = new Float32Array(x.size);
  // float32 arithmetic as PyTorch's CPU kernel: scale = in/out, src = scale * (dst + 0.5) - 0.5, clamped at 0.
  const f = Math.fround;
  const scale = f(x.src / x.grid);
  for (let j = 0; j < x.size; j++) {
    const g = x.a * j + x.b;
    if (g < 0 || g >= x.grid) {
      i0[j] = -1;
      continue;
    }
    if (x.grid === x.src) {
      i0[j] = i1[j] = g * stride;
      continue;
    }
    const s = Math.max(f(f(scale * f(g + 0.5)) - 0.5), 0);
    const k = Math.floor(s);
    i0[j] = k * stride;
    i1[j] = (k < x.src - 1 ? k + 1 : k) * stride;
    l1[j] = f(s - k);
  }
  return { i0, i1, l1 };
}

/** Source index per output index as PyTorch's 'nearest' (floor(dst * in/out) in float32); -1 marks padding. */
function nearest(x: Axis): Int32Array {
  const idx = new Int32Array(x.size);
  const scale = Math.fround(x.src / x.grid);
  for (let j = 0; j < x.size; j++) {
    const g = x.a * j + x.b;
    if (g < 0 || g >= x.grid) idx[j] = -1;
    else if (x.grid === x.src) idx[j] = g;
    else if (x.grid === 2 * x.src) idx[j] = g >> 1;
    else idx[j] = Math.min(Math.floor(Math.fround(g * scale)), x.src - 1);
  }
  return idx;
}

/** A label map resized by PyTorch's 'nearest' rule. */
export function resizeLabel(map: Uint8Array, width: number, height: number, toWidth: number, toHeight: number): Uint8Array {
  const nx = nearest({ ...identity(width), grid: toWidth, size: toWidth });
  const ny = nearest({ ...identity(height), grid: toHeight, size: toHeight });
  return sample(map, width, nx, ny);
}

// Colour adjustments of float32 RGB planes (CHW) in [0, 1], in place, with the semantics of torchvision's
// functional ops on float tensors (torchvision/transforms/functional_tensor.py, 0.14): adjust_brightness,
// adjust_contrast, adjust_saturation, adjust_hue, and ColorJitter's random order and factor ranges.
import type { Rng } from '../random.js';
import type { FloatPixels } from './geometry.js';

const gray = (r: number, g: number, b: number) => Math.fround(0.2989 * r + 0.587 * g + 0.114 * b);
const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** The plane size, checking the image is RGB. */
function rgb(img: FloatPixels, what: string): number {
  if (img.channels !== 3) throw new Error(`${what} needs an RGB image, got ${img.channels} channel(s)`);
  return img.width * img.height;
}

/** clamp(f * x). */
export function adjustBrightness(img: FloatPixels, f: number): void {
  rgb(img, 'brightness');
  const d = img.data;
  for (let i = 0; i < d.length; i++) d[i] = clamp01(f * d[i]);
}

/** Blend with the mean grey level of the whole image. */
export function adjustContrast(img: FloatPixels, f: number): void {
  const n = rgb(img, 'contrast');
  const d = img.data;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += gray(d[i], d[n + i], d[2 * n + i]);
  const mean = (1 - f) * Math.fround(sum / n);
  for (let i = 0; i < d.length; i++) d[i] = clamp01(f * d[i] + mean);
}

/** Blend each pixel with its own grey level. */
export function adjustSaturation(img: FloatPixels, f: number): void {
  const n = rgb(img, 'saturation');
  const d = img.data;
  for (let i = 0; i < n; i++) {
    const m = (1 - f) * gray(d[i], d[n + i], d[2 * n + i]);
    d[i] = clamp01(f * d[i] + m);
    d[n + i] = clamp01(f * d[n + i] + m);
    d[2 * n + i] = clamp01(f * d[2 * n + i] + m);
  }
}

/** Rotate the hue by `f` turns (f in [-0.5, 0.5]) through HSV, as torchvision's _rgb2hsv/_hsv2rgb. */
export function adjustHue(img: FloatPixels, f: number): void {
  if (!(f >= -0.5 && f <= 0.5)) throw new RangeError(`hue factor ${f} is not in [-0.5, 0.5]`);
  const n = rgb(img, 'hue');
  const d = img.data;
  for (let i = 0; i < n; i++) {
    const [r, g, b] = [d[i], d[n + i], d[2 * n + i]];
    const maxc = Math.max(r, g, b);
    const minc = Math.min(r, g, b);
    const cr = maxc - minc;
    const s = maxc === minc ? 0 : cr / maxc;
    let h = 0;
    if (maxc !== minc) {
      const [rc, gc, bc] = [(maxc - r) / cr, (maxc - g) / cr, (maxc - b) / cr];
      h = maxc === r ? bc - gc : maxc === g ? 2 + rc - bc : 4 + gc - rc;
      h = (h / 6 + 1) % 1;
    }
    h = (((h + f) % 1) + 1) % 1; // Python's %: the sign of the divisor
    const v = maxc;
    const k = Math.floor(h * 6);
    const fr = h * 6 - k;
    const p = clamp01(v * (1 - s));
    const q = clamp01(v * (1 - s * fr));
    const t = clamp01(v * (1 - s * (1 - fr)));
    let out: [number, number, number];
    switch (k % 6) {
      case 0: out = [v, t, p]; break;
      case 1: out = [q, v, p]; break;
      case 2: out = [p, v, t]; break;
      case 3: out = [p, q, v]; break;
      case 4: out = [t, p, v]; break;
      default: out = [v, p, q];
    }
    [d[i], d[n + i], d[2 * n + i]] = out;
  }
}

/** A factor range: x means [max(0, 1 - x), 1 + x] (hue: [-x, x]), or an explicit [lo, hi]. */
export type Range = number | [number, number];
export interface JitterOptions { brightness?: Range; contrast?: Range; saturation?: Range; hue?: Range }

function range(v: Range | undefined, hue: boolean): [number, number] | null {
  if (v === undefined) return null;
  const [lo, hi] = Array.isArray(v) ? v : hue ? [-v, v] : [Math.max(0, 1 - v), 1 + v];
  // A degenerate range is no adjustment at all, as in torchvision (factor 1, or hue 0).
  return lo === hi && lo === (hue ? 0 : 1) ? null : [lo, hi];
}

/**
 * torchvision ColorJitter: the four adjustments in a random order, each with a factor drawn uniformly from its
 * range. Draws: the order (a permutation of 4), then one factor per configured adjustment.
 */
export function colorJitter(img: FloatPixels, o: JitterOptions, rng: Rng): void {
  const ranges = [range(o.brightness, false), range(o.contrast, false), range(o.saturation, false), range(o.hue, true)];
  const order = rng.permutation(4);
  const factors = ranges.map((r) => (r ? rng.uniform(r[0], r[1]) : null));
  const ops = [adjustBrightness, adjustContrast, adjustSaturation, adjustHue];
  for (const k of order) {
    const f = factors[k];
    if (f !== null) ops[k](img, f);
  }
}

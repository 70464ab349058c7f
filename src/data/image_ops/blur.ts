// Gaussian blur of float32 CHW planes, as torchvision's gaussian_blur on float tensors (normalised sampled
// Gaussian, reflect padding), done as two 1-D passes instead of one 2-D convolution.
import type { FloatPixels } from './geometry.js';

/** Odd kernel size covering +-3 sigma. */
export const kernelSize = (sigma: number) => 2 * Math.ceil(3 * sigma) + 1;

/** torchvision's _get_gaussian_kernel1d. */
export function gaussianKernel(size: number, sigma: number): Float64Array {
  const half = (size - 1) / 2;
  const k = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const x = (i - half) / sigma;
    sum += k[i] = Math.exp(-0.5 * x * x);
  }
  return k.map((v) => v / sum);
}

/** Index of mirror padding without repeating the edge (numpy 'reflect'), for any distance outside. */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
}

/** Blurred copy of `img` (float32 planes, CHW). */
export function gaussianBlur(img: FloatPixels, sigma: number): FloatPixels {
  if (!(sigma > 0)) throw new RangeError(`blur sigma must be positive, got ${sigma}`);
  const size = kernelSize(sigma);
  const k = gaussianKernel(size, sigma);
  const half = (size - 1) / 2;
  const { width: w, height: h, channels: c, data } = img;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(data.length);
  const xs = Int32Array.from({ length: w + 2 * half }, (_, i) => reflect(i - half, w));
  const ys = Int32Array.from({ length: h + 2 * half }, (_, i) => reflect(i - half, h) * w);
  for (let ch = 0; ch < c; ch++) {
    const plane = ch * w * h;
    for (let y = 0; y < h; y++) {
      const row = plane + y * w;
      for (let x = 0; x < w; x++) {
        let acc = 0;
        for (let t = 0; t < size; t++) acc += k[t] * data[row + xs[x + t]];
        tmp[y * w + x] = acc;
      }
    }
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let acc = 0;
        for (let t = 0; t < size; t++) acc += k[t] * tmp[ys[y + t] + x];
        out[plane + y * w + x] = acc;
      }
    }
  }
  return { ...img, data: out };
}

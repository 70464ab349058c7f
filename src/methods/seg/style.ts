// Re-styling source images toward the target domain (claim 4): Fourier domain adaptation (FDA, Yang & Soatto
// 2020) and colour-statistics transfer (Reinhard et al. 2001, in CIELAB). Images are [N, 3, H, W] RGB in
// [0, 1]; source image i is re-styled toward target image i. Results are clamped to [0, 1].
import * as torch from '../../torch/index.js';
import type { Tensor } from '../../torch/index.js';
import type { SegConfig } from './config.js';

function sameShape(src: Tensor, trg: Tensor, what: string): void {
  if (src.shape.join() !== trg.shape.join()) throw new Error(`${what}: source [${src.shape}] and target [${trg.shape}] batches differ in shape`);
}

// |k| < b along an axis of n frequencies in fft2's unshifted order (0, 1, ..., -2, -1).
function lowBand(n: number, b: number): boolean[] {
  return Array.from({ length: n }, (_, i) => Math.min(i, n - i) < b);
}

/**
 * FDA: the source's Fourier amplitude at frequencies |ky| < b and |kx| < b, b = floor(beta * min(H, W)),
 * is replaced by the target's; the phase stays the source's. The window is symmetric, so the result is real;
 * beta = 0 changes nothing. (FDA's NumPy code swaps |k| <= b, which swaps the mean even at beta = 0.)
 */
export function fda(src: Tensor, trg: Tensor, beta: number): Tensor {
  sameShape(src, trg, 'fda');
  return torch.noGrad(() => torch.scope(() => {
    const [h, w] = src.shape.slice(2);
    const b = Math.floor(beta * Math.min(h, w));
    const rows = torch.tensor(lowBand(h, b), { shape: [h, 1] });
    const cols = torch.tensor(lowBand(w, b), { shape: [1, w] });
    const fs = torch.fft.fft2(src);
    const amplitude = torch.where(rows.logicalAnd(cols), torch.fft.fft2(trg).abs(), fs.abs());
    return torch.fft.ifft2(torch.polar(amplitude, fs.angle())).real().clamp(0, 1);
  }));
}

// sRGB (D65) <-> CIE XYZ <-> CIELAB, as the CIE and IEC 61966-2-1 define them.
const rgbToXyz = [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]];
const whiteD65 = [0.95047, 1, 1.08883];
const delta = 6 / 29;

// out[n, i, h, w] = sum_j m[i][j] x[n, j, h, w]
const mix = (m: Tensor, x: Tensor): Tensor => torch.einsum('ij,njhw->nihw', m, x);
const column = (v: number[], like: Tensor): Tensor => torch.tensor(v, { shape: [1, 3, 1, 1] }).to(like);

export function rgbToLab(rgb: Tensor): Tensor {
  return torch.scope(() => {
    const linear = torch.where(rgb.le(0.04045), rgb.div(12.92), rgb.add(0.055).div(1.055).clamp(0).pow(2.4));
    const t = mix(torch.tensor(rgbToXyz).to(rgb), linear).div(column(whiteD65, rgb));
    const f = torch.where(t.gt(delta ** 3), t.clamp(delta ** 3).pow(1 / 3), t.div(3 * delta ** 2).add(4 / 29));
    const [fx, fy, fz] = f.split(1, 1);
    return torch.cat([fy.mul(116).sub(16), fx.sub(fy).mul(500), fy.sub(fz).mul(200)], 1);
  });
}

export function labToRgb(lab: Tensor): Tensor {
  return torch.scope(() => {
    const [l, a, b] = lab.split(1, 1);
    const fy = l.add(16).div(116);
    const f = torch.cat([fy.add(a.div(500)), fy, fy.sub(b.div(200))], 1);
    const t = torch.where(f.gt(delta), f.pow(3), f.sub(4 / 29).mul(3 * delta ** 2));
    const xyzToRgb = torch.linalg.inv(torch.tensor(rgbToXyz, { dtype: 'float64' })).to(lab);
    const linear = mix(xyzToRgb, t.mul(column(whiteD65, lab)));
    return torch.where(linear.le(0.0031308), linear.mul(12.92), linear.clamp(0).pow(1 / 2.4).mul(1.055).sub(0.055));
  });
}

/** Reinhard's transfer in CIELAB: each source channel takes the target image's per-channel mean and std. */
export function colourTransfer(src: Tensor, trg: Tensor): Tensor {
  sameShape(src, trg, 'colourTransfer');
  return torch.noGrad(() => torch.scope(() => {
    const s = rgbToLab(src);
    const t = rgbToLab(trg);
    const moments = (x: Tensor) => [x.mean([2, 3], true), x.std([2, 3], { unbiased: false, keepdim: true })];
    const [ms, ss] = moments(s);
    const [mt, st] = moments(t);
    return labToRgb(s.sub(ms).div(ss.add(1e-6)).mul(st).add(mt)).clamp(0, 1);
  }));
}

/** The source batch re-styled as the config says; 'folder' images were translated beforehand, so pass through. */
export function stylize(style: SegConfig['style'], src: Tensor, trg: Tensor): Tensor {
  if (style.kind === 'fda') return fda(src, trg, style.beta);
  if (style.kind === 'colour') return colourTransfer(src, trg);
  return src;
}

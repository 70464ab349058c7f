// The perturbations that make the student's and the teacher's copies of a target batch differ: colour jitter,
// Gaussian blur and additive Gaussian noise, with random values per image drawn from torch's generator (so
// torch.manualSeed reproduces them). Images are [N, 3, H, W] RGB in [0, 1].
import * as torch from '../../torch/index.js';
import { F, type Tensor } from '../../torch/index.js';
import type { NoiseConfig } from './config.js';

/** A perturbed copy of `images`: jitter (brightness, contrast, saturation), blur, then clamp(sigma randn, +-c). */
export function perturb(images: Tensor, spec: NoiseConfig): Tensor {
  return torch.noGrad(() => torch.scope(() => {
    let x = jitter(images, spec.jitter);
    if (spec.blur.p > 0) x = blur(x, spec.blur.p, spec.blur.sigma);
    const { sigma, clamp } = spec.gaussian;
    return sigma > 0 ? x.add(torch.randnLike(x).mul(sigma).clamp(-clamp, clamp)) : x.clone();
  }));
}

// ITU-R 601 luma, as torchvision's rgb_to_grayscale.
export function grayscale(x: Tensor): Tensor {
  const w = torch.tensor([0.299, 0.587, 0.114], { shape: [1, 3, 1, 1] }).to(x);
  return x.mul(w).sum(1, true);
}

// Per-image factors uniform in [1 - s, 1 + s], shaped to broadcast over [N, C, H, W].
const factors = (x: Tensor, s: number): Tensor => torch.rand([x.shape[0], 1, 1, 1]).to(x).mul(2 * s).add(1 - s);
// torchvision's _blend: factor * img + (1 - factor) * other, clamped to [0, 1].
const blend = (img: Tensor, other: Tensor, f: Tensor): Tensor => img.sub(other).mul(f).add(other).clamp(0, 1);

/** Brightness, contrast and saturation as torchvision's ColorJitter adjusts them, in that fixed order. */
export function jitter(x: Tensor, o: NoiseConfig['jitter']): Tensor {
  if (o.brightness > 0) x = x.mul(factors(x, o.brightness)).clamp(0, 1);
  if (o.contrast > 0) x = blend(x, grayscale(x).mean([1, 2, 3], true), factors(x, o.contrast));
  if (o.saturation > 0) x = blend(x, grayscale(x), factors(x, o.saturation));
  return x;
}

/**
 * Blurs each image with probability p by a Gaussian of sigma uniform in [lo, hi] (reflected borders). All
 * images share one support of radius ceil(3 hi), each kernel normalised over it; an image not blurred gets the
 * unit impulse. One grouped separable convolution does the whole batch.
 */
export function blur(x: Tensor, p: number, [lo, hi]: [number, number]): Tensor {
  const [n, c, h, w] = x.shape;
  const r = Math.max(1, Math.ceil(3 * hi));
  const sigma = torch.rand([n, 1]).mul(hi - lo).add(lo).clamp(1e-3);
  const on = torch.rand([n, 1]).lt(p);
  const offsets = torch.arange(-r, r + 1).float().view(1, -1);
  const gauss = offsets.square().div(sigma.square().mul(-2)).exp();
  const impulse = offsets.eq(0).float().expand(n, -1);
  const k = torch.where(on, gauss.div(gauss.sum(1, true)), impulse).unsqueeze(1).expand(n, c, -1).reshape(n * c, 2 * r + 1).to(x);
  const padded = F.pad(x.reshape(1, n * c, h, w), [r, r, r, r], 'reflect');
  const vertical = F.conv2d(padded, k.view(n * c, 1, 2 * r + 1, 1), null, { groups: n * c });
  return F.conv2d(vertical, k.view(n * c, 1, 1, 2 * r + 1), null, { groups: n * c }).view(n, c, h, w);
}

// Atmosphere and camera, all differentiable in their parameters: exponential fog by depth (any pixel layout),
// then exposure, vignetting, Gaussian blur, sensor noise and gamma on images [B, 3, H, W].
import * as torch from '../torch/index.js';
import { F, type Tensor } from '../torch/index.js';
import type { Intrinsics } from './camera.js';
import type { RenderParams } from './params.js';

/** Distance at which escaping rays (sky) meet the fog. */
export const SKY_DISTANCE = 1000;

/**
 * c exp(-density d) + fogColor (1 - exp(-density d)) for an image [B, 3, ...], d = depth [B, ...] (SKY_DISTANCE
 * where hit is 0).
 */
export function applyFog(image: Tensor, depth: Tensor, hit: Tensor, density: Tensor, color: Tensor): Tensor {
  const d = depth.mul(hit).add(hit.rsub(1).mul(SKY_DISTANCE));
  const keep = d.mul(density).neg().exp().unsqueeze(1);
  const fog = color.view(1, 3, ...depth.shape.slice(1).map(() => 1));
  return image.sub(fog).mul(keep).add(fog);
}

export function applyExposure(image: Tensor, ev: Tensor): Tensor {
  return image.mul(ev.mul(Math.LN2).exp());
}

/** 1 - strength r^2, r = distance from each scene's principal point over the image's half diagonal. */
export function applyVignetting(image: Tensor, strength: Tensor, Ks: Intrinsics[]): Tensor {
  const [B, , H, W] = image.shape;
  const dtype = image.dtype;
  const col = (f: (k: Intrinsics) => number) => torch.tensor(Float64Array.from(Ks, f), { shape: [B, 1, 1], dtype });
  const u = torch.arange(0, W, 1, { dtype }).view(1, 1, W).sub(col((k) => k.cx));
  const v = torch.arange(0, H, 1, { dtype }).view(1, H, 1).sub(col((k) => k.cy));
  const r2 = u.mul(u).add(v.mul(v)).div((W * W + H * H) / 4);
  return image.mul(r2.mul(strength).rsub(1).unsqueeze(1));
}

/**
 * Separable Gaussian blur with a differentiable sigma (pixels). The kernel reaches 3 sigma (of the current value:
 * the weights beyond hold under 0.3% of the mass, so the cut barely depends on sigma, and small blurs stay cheap).
 */
export function applyBlur(image: Tensor, sigma: Tensor): Tensor {
  const radius = Math.max(1, Math.ceil(3 * sigma.item()));
  const C = image.shape[1];
  const k = torch.arange(-radius, radius + 1, 1, { dtype: image.dtype });
  const w = k.mul(k).div(sigma.mul(sigma).mul(-2)).exp();
  const kernel = w.div(w.sum());
  const horizontal = kernel.view(1, 1, 1, -1).expand(C, 1, 1, 2 * radius + 1);
  const vertical = kernel.view(1, 1, -1, 1).expand(C, 1, 2 * radius + 1, 1);
  const x = F.conv2d(F.pad(image, [radius, radius, 0, 0], 'replicate'), horizontal, null, { groups: C });
  return F.conv2d(F.pad(x, [0, 0, radius, radius], 'replicate'), vertical, null, { groups: C });
}

/** Adds sigma x a fixed standard-normal draw (seeded per scene, so renders are reproducible). */
export function applyNoise(image: Tensor, sigma: Tensor, draws: Tensor): Tensor {
  return image.add(draws.mul(sigma));
}

/** Clamps to the sensor's range and encodes with 1/gamma (a floor keeps the derivative finite at black). */
export function applyGamma(image: Tensor, gamma: Tensor): Tensor {
  return image.clamp(1e-5, 1).pow(gamma.reciprocal());
}

/** The camera after the image is formed: exposure, vignetting, blur, noise, gamma. */
export function applyCamera(image: Tensor, params: RenderParams, Ks: Intrinsics[], noiseDraws: Tensor): Tensor {
  return torch.scope(() => {
    const v = (name: string) => params.value(name);
    let x = applyExposure(image, v('camera.exposure'));
    x = applyVignetting(x, v('camera.vignetting'), Ks);
    x = applyBlur(x, v('camera.blur'));
    x = applyNoise(x, v('camera.noise'), noiseDraws);
    return applyGamma(x, v('camera.gamma'));
  });
}

// The real-vs-rendered distance used to pick the best θ and to report tuning: the unbiased squared kernel MMD
// between N renders (fixed scenes) and N real images (a fixed subset), on fixed features (features.ts), with a
// Gaussian kernel whose bandwidth is the median pairwise distance of the real images' features (fixed for a run).
// mmd is the MMD of the average of the colour and the random-net kernels, i.e. the mean of the two MMDs.
import * as torch from '../../torch/index.js';
import type { Tensor } from '../../torch/index.js';
import { render } from '../../render/render.js';
import type { RenderParams } from '../../render/params.js';
import { deriveSeed } from '../../render/random.js';
import type { SceneKind } from './config.js';
import { colorFeatures, RandomFeatureNet } from './features.js';
import { makeScene } from './scenes.js';

/** The median of the pairwise Euclidean distances between the rows of x [N, F] (N >= 2). */
export function medianDistance(x: Tensor): number {
  return torch.scope(() => {
    const n = x.shape[0];
    const d = torch.cdist(x, x);
    const upper = torch.ones([n, n], { dtype: 'bool' }).triu(1);
    const v = Float64Array.from(d.maskedSelect(upper).to('float64').toTypedArray() as Float64Array).sort();
    const k = v.length >> 1;
    return v.length % 2 === 1 ? v[k] : (v[k - 1] + v[k]) / 2;
  });
}

/** Unbiased squared MMD between samples x [N, F] and y [M, F] (N, M >= 2), kernel exp(-|a - b|^2 / (2 sigma^2)). */
export function mmd2(x: Tensor, y: Tensor, sigma: number): number {
  return torch.scope(() => {
    const k = (a: Tensor, b: Tensor) => torch.cdist(a, b).square().div(-2 * sigma * sigma).exp();
    const within = (a: Tensor) => {
      const n = a.shape[0];
      return k(a, a).mul(torch.eye(n, n, { dtype: a.dtype }).neg().add(1)).sum().div(n * (n - 1)); // off the diagonal
    };
    return within(x).add(within(y)).sub(k(x, y).mean().mul(2)).item();
  });
}

export interface Distance { mmd: number; mmdColor: number; mmdNet: number }

export class Evaluator {
  private readonly net = new RandomFeatureNet();
  private readonly real: { color: Tensor; net: Tensor };
  private readonly sigma: { color: number; net: number };
  private readonly seeds: number[];

  /**
   * real: the fixed real images [N, 3, H, W] in [0, 1]; renders are N scenes of `kind` from seeds derived from
   * `seed`, the same at every evaluation.
   */
  constructor(real: Tensor, private readonly kind: SceneKind, private readonly size: [number, number], seed: number) {
    this.real = { color: torch.keepTensor(colorFeatures(real)), net: torch.keepTensor(this.net.features(real)) };
    this.sigma = { color: medianDistance(this.real.color), net: medianDistance(this.real.net) };
    this.seeds = Array.from({ length: real.shape[0] }, (_, i) => deriveSeed(seed, `eval:${i}`));
  }

  /** The evaluation renders [N, 3, H, W] with θ = params, without gradients. */
  renders(params: RenderParams, batch = 16): Tensor {
    return torch.noGrad(() => torch.cat(Array.from({ length: Math.ceil(this.seeds.length / batch) }, (_, b) =>
      render(this.seeds.slice(b * batch, (b + 1) * batch).map((s) => makeScene(this.kind, s, this.size)), params).rgb)));
  }

  /** Distance between renders [N, 3, H, W] and the real images. */
  distance(renders: Tensor): Distance {
    return torch.scope(() => {
      const mmdColor = mmd2(colorFeatures(renders), this.real.color, this.sigma.color);
      const mmdNet = mmd2(this.net.features(renders), this.real.net, this.sigma.net);
      return { mmd: (mmdColor + mmdNet) / 2, mmdColor, mmdNet };
    });
  }
}

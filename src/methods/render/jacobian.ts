// Claim 2's partial derivatives, explicitly (for inspection and tests; training lets autograd form their product):
//   first:  d pixel / d θ for every pixel of every rendered image and every θ entry (the render Jacobian),
//   second: d loss / d pixel for every pixel of every rendered image,
//   third:  d loss / d θ = sum over pixels of second x first (the chain rule).
// θ entries are the elements of θ's unconstrained leaves (RenderParams.parameters()), which the θ step updates.
import * as torch from '../../torch/index.js';
import type { Tensor } from '../../torch/index.js';
import type { RenderParams } from '../../render/params.js';
import { scoreRendered, type Classifier } from './networks.js';
import { thetaLoss, type Reduction, type ThetaLoss } from './losses.js';

export interface Jacobian {
  /** [pixels, entries]: pixels are the elements of the rendered [m, 3, H, W] images in order. */
  matrix: Tensor;
  /** 'name' for a scalar entry, 'name[i]' for element i of a vector one. */
  entries: string[];
}

/** Entry labels of the named θ entries, in order. */
export function entryLabels(params: RenderParams, names: string[]): string[] {
  return names.flatMap((name) => {
    const shape = params.spec(name).shape;
    return shape.length === 0 ? [name] : Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => `${name}[${i}]`);
  });
}

/**
 * The first partial of `rgb` (rendered from `params`, with its autograd graph) with respect to the named entries:
 * one reverse-mode gradient per pixel (row). Forward mode through double backward would take one pass per entry
 * instead, but libtorch cannot differentiate grid_sample's backward, which the texture lookup uses.
 */
export function renderJacobian(rgb: Tensor, params: RenderParams, names: string[]): Jacobian {
  return torch.scope(() => {
    const leaves = names.map((name) => params.parameters()[params.names().indexOf(name)]);
    const pixels = rgb.flatten();
    const rows = Array.from({ length: pixels.shape[0] }, (_, p) => torch.scope(() => {
      const grads = torch.autograd.grad(pixels.select(0, p), leaves, { retainGraph: true, allowUnused: true });
      return torch.cat(grads.map((g, i) => (g ?? torch.zerosLike(leaves[i])).flatten()));
    }));
    return { matrix: torch.stack(rows), entries: entryLabels(params, names) };
  });
}

/**
 * The second partial: d(θ loss)/d pixel for every pixel of the rendered images [m, 3, H, W] (same shape), as the
 * θ step scores them: in one batch with the n real images.
 */
export function pixelGradient(classifier: Classifier, rendered: Tensor, real: Tensor, reduction: Reduction, kind: ThetaLoss): Tensor {
  return torch.scope(() => {
    const x = rendered.detach().requiresGrad_(true);
    const [g] = torch.autograd.grad(thetaLoss(scoreRendered(classifier, x, real), real.shape[0], reduction, kind), x);
    return g!;
  });
}

/** The third partial: sum over pixels of (second partial x first partial), one value per entry. */
export function chainRule(jacobian: Jacobian, pixelGrad: Tensor): Tensor {
  return pixelGrad.flatten().unsqueeze(0).matmul(jacobian.matrix).squeeze(0);
}

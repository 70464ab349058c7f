// The classifier loss of claims 2-3 and the θ step's loss. Every image gets one sub-loss, the binary cross-entropy
// of its logits (averaged over its patches for PatchGAN) against its label, real = 1 and rendered = 0; the
// classifier loss is the sum or the mean of the m + n sub-losses.
import * as torch from '../../torch/index.js';
import { F, type Tensor } from '../../torch/index.js';
import type { RenderConfig } from './config.js';

export type Reduction = RenderConfig['reduction'];
export type ThetaLoss = RenderConfig['theta']['loss'];

/** Logits [B, P] -> per-image sub-losses [B] against a constant label (1 real, 0 rendered). */
export function subLosses(logits: Tensor, label: 0 | 1): Tensor {
  const target = label === 1 ? torch.onesLike(logits) : torch.zerosLike(logits);
  return F.binaryCrossEntropyWithLogits(logits, target, { reduction: 'none' }).mean(1);
}

/** Claim 3: the sum, or the mean, of the sub-losses of all `count` images (count = m + n). */
function reduce(sum: Tensor, count: number, reduction: Reduction): Tensor {
  return reduction === 'sum' ? sum : sum.div(count);
}

/** The classifier loss over m rendered and n real images. */
export function classifierLoss(renderedLogits: Tensor, realLogits: Tensor, reduction: Reduction): Tensor {
  const sum = subLosses(renderedLogits, 0).sum().add(subLosses(realLogits, 1).sum());
  return reduce(sum, renderedLogits.shape[0] + realLogits.shape[0], reduction);
}

/**
 * The loss θ descends, from the classifier's scores of the m rendered images, reduced over the same m + n images
 * as the classifier loss (the n real sub-losses do not depend on θ, so they are left out):
 *   nonsaturating: the rendered images labelled real, -log D(x) (the usual generator loss);
 *   minimax: minus the classifier loss's rendered terms, log(1 - D(x)).
 */
export function thetaLoss(renderedLogits: Tensor, realCount: number, reduction: Reduction, kind: ThetaLoss): Tensor {
  const sum = kind === 'nonsaturating' ? subLosses(renderedLogits, 1).sum() : subLosses(renderedLogits, 0).sum().neg();
  return reduce(sum, renderedLogits.shape[0] + realCount, reduction);
}

/** Share of images the classifier gets right (logits averaged over patches; > 0 means real). */
export function accuracy(logits: Tensor, label: 0 | 1): number {
  return torch.noGrad(() => {
    const score = logits.mean(1);
    return (label === 1 ? score.gt(0) : score.le(0)).to('float32').mean().item();
  });
}

// Losses and schedules of the confidence-weighted mean teacher (claims 2, 4, 5), after the uncertainty-aware
// mean teacher (UA-MT, Yu et al. 2019): teacher confidence per pixel, a consistency loss over confident
// pixels with a ramped weight, and the supervised cross-entropy.
import * as torch from '../../torch/index.js';
import { F, type Tensor } from '../../torch/index.js';

export const ignoreIndex = 255;

/** UA-MT's sigmoid_rampup: exp(-5 (1 - t / length)^2) with t clipped to [0, length]; 1 when length is 0. */
export function rampup(t: number, length: number): number {
  if (length === 0) return 1;
  const phase = 1 - Math.min(Math.max(t, 0), length) / length;
  return Math.exp(-5 * phase * phase);
}

/** lambda(t) = lambdaMax * exp(-5 (1 - t / T)^2), the weight of the consistency loss at step t. */
export function consistencyWeight(t: number, lambdaMax: number, length: number): number {
  return lambdaMax * rampup(t, length);
}

/** A threshold moving from start to end along the same ramp (UA-MT: entropy 0.75 ln C -> ln C). */
export function rampedThreshold(t: number, start: number, end: number, length: number): number {
  return start + (end - start) * rampup(t, length);
}

/** The mean of K passes' softmax: logits [K * N, C, H, W] (pass-major) -> probabilities [N, C, H, W]. */
export function meanSoftmax(logits: Tensor, passes: number): Tensor {
  return torch.scope(() => {
    const [kn, ...rest] = logits.shape;
    if (kn % passes !== 0) throw new Error(`meanSoftmax: ${kn} maps are not ${passes} passes of one batch`);
    return F.softmax(logits, 1).view(passes, kn / passes, ...rest).mean(0);
  });
}

/** Entropy -sum_c p log p over dim 1 (natural log; 0 log 0 = 0): [N, C, H, W] -> [N, H, W]. */
export function entropy(probs: Tensor): Tensor {
  return torch.scope(() => probs.mul(probs.clamp(1e-30).log()).sum(1).neg());
}

export type ConfidenceMode = 'entropy' | 'maxprob' | 'none';

/**
 * 1 where the teacher is confident, else 0, [N, H, W] float: entropy below `threshold` (nats), or maximum
 * probability at or above it; 'none' trusts every pixel.
 */
export function confidenceMask(probs: Tensor, mode: ConfidenceMode, threshold: number): Tensor {
  return torch.noGrad(() => torch.scope(() => {
    if (mode === 'entropy') return entropy(probs).lt(threshold).to(probs);
    if (mode === 'maxprob') return probs.amax(1).ge(threshold).to(probs);
    if (mode === 'none') return torch.onesLike(probs.select(1, 0));
    throw new Error(`confidenceMask: unknown mode '${String(mode)}'`);
  }));
}

/**
 * Softmax MSE over confident pixels: sum over pixels of mask * mean_c (softmax(student) - teacher)^2, divided
 * by the mask's sum (UA-MT's sum(mask * d) / (C sum(mask))). 0 when no pixel is confident.
 */
export function softmaxMse(studentLogits: Tensor, teacherProbs: Tensor, mask: Tensor): Tensor {
  return torch.scope(() => {
    const perPixel = F.softmax(studentLogits, 1).sub(teacherProbs).square().mean(1);
    return perPixel.mul(mask).sum().div(mask.sum().clamp(1));
  });
}

/** Cross-entropy of the student against the teacher's most likely class, averaged over confident pixels. */
export function pseudoLabelCe(studentLogits: Tensor, teacherProbs: Tensor, mask: Tensor): Tensor {
  return torch.scope(() => {
    const perPixel = F.crossEntropy(studentLogits, teacherProbs.argmax(1), { reduction: 'none' });
    return perPixel.mul(mask).sum().div(mask.sum().clamp(1));
  });
}

/** Supervised cross-entropy over labelled pixels (label 255 is ignored); 0 when none is labelled. */
export function segLoss(logits: Tensor, labels: Tensor): Tensor {
  return torch.scope(() => {
    const perPixel = F.crossEntropy(logits, labels.long(), { reduction: 'none', ignoreIndex });
    return perPixel.sum().div(labels.ne(ignoreIndex).sum().clamp(1));
  });
}

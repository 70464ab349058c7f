// torch.nn.functional as `F`: convolution, normalisation, pooling, resampling, activations and losses.
// Argument order and defaults follow PyTorch's Python signatures; options come as a trailing object.
import { aten, Tensor, type Scalar } from './tensor.js';

type Pair = number | [number, number];
export type Reduction = 'none' | 'mean' | 'sum';

const reductionCode = (r: Reduction): number => {
  const c = { none: 0, mean: 1, sum: 2 }[r];
  if (c === undefined) throw new TypeError(`reduction must be 'none', 'mean' or 'sum', got '${String(r)}'`);
  return c;
};

const op = {
  conv2d: aten('aten::conv2d'), convT2d: aten('aten::conv_transpose2d.input'), linear: aten('aten::linear'),
  batchNorm: aten('aten::batch_norm'), groupNorm: aten('aten::group_norm'), layerNorm: aten('aten::layer_norm'),
  instanceNorm: aten('aten::instance_norm'), dropout: aten('aten::dropout'), dropout2d: aten('aten::feature_dropout'),
  maxPool2d: aten('aten::max_pool2d'), maxPool2dIdx: aten<[Tensor, Tensor]>('aten::max_pool2d_with_indices'),
  avgPool2d: aten('aten::avg_pool2d'), adaptiveAvgPool2d: aten('aten::adaptive_avg_pool2d'),
  adaptiveMaxPool2d: aten<[Tensor, Tensor]>('aten::adaptive_max_pool2d'),
  bilinear: aten('aten::upsample_bilinear2d.vec'), nearest: aten('aten::upsample_nearest2d.vec'),
  bicubic: aten('aten::upsample_bicubic2d.vec'), gridSampler: aten('aten::grid_sampler'),
  affineGrid: aten('aten::affine_grid_generator'), pixelShuffle: aten('aten::pixel_shuffle'),
  pixelUnshuffle: aten('aten::pixel_unshuffle'), im2col: aten('aten::im2col'), col2im: aten('aten::col2im'),
  oneHot: aten('aten::one_hot'), pad: aten('aten::pad'),
  softmax: aten('aten::softmax.int'), logSoftmax: aten('aten::log_softmax.int'),
  crossEntropy: aten('aten::cross_entropy_loss'), nllLoss: aten('aten::nll_loss_nd'),
  bceLogits: aten('aten::binary_cross_entropy_with_logits'), bce: aten('aten::binary_cross_entropy'),
  mse: aten('aten::mse_loss'), l1: aten('aten::l1_loss'), smoothL1: aten('aten::smooth_l1_loss'), huber: aten('aten::huber_loss'),
  klDiv: aten('aten::kl_div'),
  leakyRelu: aten('aten::leaky_relu'), gelu: aten('aten::gelu'), elu: aten('aten::elu'), hardtanh: aten('aten::hardtanh'),
  silu: aten('aten::silu'), softplus: aten('aten::softplus'), mish: aten('aten::mish'), hardswish: aten('aten::hardswish'),
  hardsigmoid: aten('aten::hardsigmoid'), prelu: aten('aten::prelu'), logSigmoid: aten('aten::log_sigmoid'),
  cosineSimilarity: aten('aten::cosine_similarity'), clampMin: aten('aten::clamp_min'),
  linalgNorm: aten('aten::linalg_vector_norm'),
};

const pair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : v);

// ---- convolution and linear ----
export interface Conv2dOptions { stride?: Pair; padding?: Pair; dilation?: Pair; groups?: number }
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, o: Conv2dOptions = {}): Tensor {
  return op.conv2d(input, weight, bias, pair(o.stride ?? 1), pair(o.padding ?? 0), pair(o.dilation ?? 1), o.groups ?? 1);
}
export interface ConvTranspose2dOptions extends Conv2dOptions { outputPadding?: Pair }
export function convTranspose2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, o: ConvTranspose2dOptions = {}): Tensor {
  return op.convT2d(input, weight, bias, pair(o.stride ?? 1), pair(o.padding ?? 0), pair(o.outputPadding ?? 0), o.groups ?? 1,
    pair(o.dilation ?? 1));
}
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor { return op.linear(input, weight, bias); }

// ---- normalisation ----
export interface BatchNormOptions { weight?: Tensor | null; bias?: Tensor | null; training?: boolean; momentum?: number; eps?: number }
/** F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps). */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, o: BatchNormOptions = {}): Tensor {
  return op.batchNorm(input, o.weight ?? null, o.bias ?? null, runningMean, runningVar, o.training ?? false, o.momentum ?? 0.1,
    o.eps ?? 1e-5, true);
}
export function groupNorm(input: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  return op.groupNorm(input, numGroups, weight, bias, eps, true);
}
export function layerNorm(input: Tensor, normalizedShape: number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  return op.layerNorm(input, normalizedShape, weight, bias, eps, true);
}
export interface InstanceNormOptions { runningMean?: Tensor | null; runningVar?: Tensor | null; weight?: Tensor | null;
  bias?: Tensor | null; useInputStats?: boolean; momentum?: number; eps?: number }
export function instanceNorm(input: Tensor, o: InstanceNormOptions = {}): Tensor {
  return op.instanceNorm(input, o.weight ?? null, o.bias ?? null, o.runningMean ?? null, o.runningVar ?? null,
    o.useInputStats ?? true, o.momentum ?? 0.1, o.eps ?? 1e-5, true);
}
export function normalize(input: Tensor, p = 2, dim = 1, eps = 1e-12): Tensor {
  return input.div(op.clampMin(op.linalgNorm(input, p, [dim], true, null), eps).expandAs(input));
}

// ---- dropout ----
export function dropout(input: Tensor, p = 0.5, training = true): Tensor { return op.dropout(input, p, training); }
/** Zeroes whole channels (F.dropout2d). */
export function dropout2d(input: Tensor, p = 0.5, training = true): Tensor { return op.dropout2d(input, p, training); }

// ---- pooling ----
export interface Pool2dOptions { stride?: Pair | null; padding?: Pair; dilation?: Pair; ceilMode?: boolean }
export function maxPool2d(input: Tensor, kernelSize: Pair, o: Pool2dOptions = {}): Tensor {
  return op.maxPool2d(input, pair(kernelSize), o.stride == null ? [] : pair(o.stride), pair(o.padding ?? 0), pair(o.dilation ?? 1),
    o.ceilMode ?? false);
}
/** maxPool2d that also returns the flat argmax indices (return_indices=True). */
export function maxPool2dWithIndices(input: Tensor, kernelSize: Pair, o: Pool2dOptions = {}): [Tensor, Tensor] {
  return op.maxPool2dIdx(input, pair(kernelSize), o.stride == null ? [] : pair(o.stride), pair(o.padding ?? 0), pair(o.dilation ?? 1),
    o.ceilMode ?? false);
}
export interface AvgPool2dOptions { stride?: Pair | null; padding?: Pair; ceilMode?: boolean; countIncludePad?: boolean; divisorOverride?: number }
export function avgPool2d(input: Tensor, kernelSize: Pair, o: AvgPool2dOptions = {}): Tensor {
  return op.avgPool2d(input, pair(kernelSize), o.stride == null ? [] : pair(o.stride), pair(o.padding ?? 0), o.ceilMode ?? false,
    o.countIncludePad ?? true, o.divisorOverride ?? null);
}
export function adaptiveAvgPool2d(input: Tensor, outputSize: Pair): Tensor { return op.adaptiveAvgPool2d(input, pair(outputSize)); }
export function adaptiveMaxPool2d(input: Tensor, outputSize: Pair): Tensor { return op.adaptiveMaxPool2d(input, pair(outputSize))[0]; }

// ---- resampling ----
export interface InterpolateOptions {
  size?: Pair;
  scaleFactor?: number | [number, number];
  mode?: 'nearest' | 'bilinear' | 'bicubic';
  alignCorners?: boolean;
}
/** F.interpolate for 4-D input: exactly one of size or scaleFactor. */
export function interpolate(input: Tensor, o: InterpolateOptions): Tensor {
  if ((o.size === undefined) === (o.scaleFactor === undefined)) throw new TypeError('interpolate: give exactly one of size or scaleFactor');
  const size = o.size === undefined ? null : pair(o.size);
  const scales = o.scaleFactor === undefined ? null : pair(o.scaleFactor);
  const mode = o.mode ?? 'nearest';
  if (mode === 'nearest') {
    if (o.alignCorners !== undefined) throw new TypeError('interpolate: alignCorners only applies to bilinear and bicubic');
    return op.nearest(input, size, scales);
  }
  if (mode === 'bilinear') return op.bilinear(input, size, o.alignCorners ?? false, scales);
  if (mode === 'bicubic') return op.bicubic(input, size, o.alignCorners ?? false, scales);
  throw new TypeError(`interpolate: unknown mode '${String(mode)}'`);
}
export interface GridSampleOptions { mode?: 'bilinear' | 'nearest' | 'bicubic'; paddingMode?: 'zeros' | 'border' | 'reflection'; alignCorners?: boolean }
/** F.grid_sample: grid [N, Ho, Wo, 2] of (x, y) in [-1, 1]; alignCorners defaults to false as in PyTorch. */
export function gridSample(input: Tensor, grid: Tensor, o: GridSampleOptions = {}): Tensor {
  const mode = ['bilinear', 'nearest', 'bicubic'].indexOf(o.mode ?? 'bilinear');
  const padding = ['zeros', 'border', 'reflection'].indexOf(o.paddingMode ?? 'zeros');
  if (mode < 0 || padding < 0) throw new TypeError(`gridSample: bad mode '${o.mode}' or paddingMode '${o.paddingMode}'`);
  return op.gridSampler(input, grid, mode, padding, o.alignCorners ?? false);
}
/** F.affine_grid(theta [N,2,3], size [N,C,H,W]). */
export function affineGrid(theta: Tensor, size: number[], alignCorners = false): Tensor { return op.affineGrid(theta, size, alignCorners); }
export function pixelShuffle(input: Tensor, upscaleFactor: number): Tensor { return op.pixelShuffle(input, upscaleFactor); }
export function pixelUnshuffle(input: Tensor, downscaleFactor: number): Tensor { return op.pixelUnshuffle(input, downscaleFactor); }
export interface UnfoldOptions { dilation?: Pair; padding?: Pair; stride?: Pair }
/** F.unfold (im2col): [N, C*kh*kw, L]. */
export function unfold(input: Tensor, kernelSize: Pair, o: UnfoldOptions = {}): Tensor {
  return op.im2col(input, pair(kernelSize), pair(o.dilation ?? 1), pair(o.padding ?? 0), pair(o.stride ?? 1));
}
/** F.fold (col2im), the adjoint of unfold. */
export function fold(input: Tensor, outputSize: Pair, kernelSize: Pair, o: UnfoldOptions = {}): Tensor {
  return op.col2im(input, pair(outputSize), pair(kernelSize), pair(o.dilation ?? 1), pair(o.padding ?? 0), pair(o.stride ?? 1));
}
/** F.pad: pad lists last dimension first, (left, right, top, bottom, ...). */
export function pad(input: Tensor, padding: number[], mode: 'constant' | 'reflect' | 'replicate' | 'circular' = 'constant', value = 0): Tensor {
  return op.pad(input, padding, mode, mode === 'constant' ? value : null);
}
export function oneHot(t: Tensor, numClasses = -1): Tensor { return op.oneHot(t, numClasses); }

// ---- activations ----
export function softmax(input: Tensor, dim: number): Tensor { return op.softmax(input, dim, null); }
export function logSoftmax(input: Tensor, dim: number): Tensor { return op.logSoftmax(input, dim, null); }
export function relu(input: Tensor): Tensor { return input.relu(); }
export function relu6(input: Tensor): Tensor { return op.hardtanh(input, 0, 6); }
export function sigmoid(input: Tensor): Tensor { return input.sigmoid(); }
export function tanh(input: Tensor): Tensor { return input.tanh(); }
export function leakyRelu(input: Tensor, negativeSlope = 0.01): Tensor { return op.leakyRelu(input, negativeSlope); }
export function gelu(input: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor { return op.gelu(input, approximate); }
export function elu(input: Tensor, alpha = 1): Tensor { return op.elu(input, alpha, 1, 1); }
export function hardtanh(input: Tensor, minVal = -1, maxVal = 1): Tensor { return op.hardtanh(input, minVal, maxVal); }
export function silu(input: Tensor): Tensor { return op.silu(input); }
export function softplus(input: Tensor, beta = 1, threshold = 20): Tensor { return op.softplus(input, beta, threshold); }
export function mish(input: Tensor): Tensor { return op.mish(input); }
export function hardswish(input: Tensor): Tensor { return op.hardswish(input); }
export function hardsigmoid(input: Tensor): Tensor { return op.hardsigmoid(input); }
export function logSigmoid(input: Tensor): Tensor { return op.logSigmoid(input); }
export function prelu(input: Tensor, weight: Tensor): Tensor { return op.prelu(input, weight); }
export function cosineSimilarity(x1: Tensor, x2: Tensor, dim = 1, eps = 1e-8): Tensor { return op.cosineSimilarity(x1, x2, dim, eps); }

// ---- losses ----
export interface CrossEntropyOptions { weight?: Tensor | null; ignoreIndex?: number; reduction?: Reduction; labelSmoothing?: number }
/** F.cross_entropy on logits [N, C, ...] and class indices [N, ...] (or class probabilities of the input's shape). */
export function crossEntropy(input: Tensor, target: Tensor, o: CrossEntropyOptions = {}): Tensor {
  return op.crossEntropy(input, target, o.weight ?? null, reductionCode(o.reduction ?? 'mean'), o.ignoreIndex ?? -100,
    o.labelSmoothing ?? 0);
}
export function nllLoss(input: Tensor, target: Tensor, o: Omit<CrossEntropyOptions, 'labelSmoothing'> = {}): Tensor {
  return op.nllLoss(input, target, o.weight ?? null, reductionCode(o.reduction ?? 'mean'), o.ignoreIndex ?? -100);
}
export interface BceOptions { weight?: Tensor | null; posWeight?: Tensor | null; reduction?: Reduction }
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, o: BceOptions = {}): Tensor {
  return op.bceLogits(input, target, o.weight ?? null, o.posWeight ?? null, reductionCode(o.reduction ?? 'mean'));
}
export function binaryCrossEntropy(input: Tensor, target: Tensor, o: Omit<BceOptions, 'posWeight'> = {}): Tensor {
  return op.bce(input, target, o.weight ?? null, reductionCode(o.reduction ?? 'mean'));
}
export function mseLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor { return op.mse(input, target, reductionCode(reduction)); }
export function l1Loss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor { return op.l1(input, target, reductionCode(reduction)); }
export function smoothL1Loss(input: Tensor, target: Tensor, reduction: Reduction = 'mean', beta = 1): Tensor {
  return op.smoothL1(input, target, reductionCode(reduction), beta);
}
export function huberLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean', delta = 1): Tensor {
  return op.huber(input, target, reductionCode(reduction), delta);
}
/** F.kl_div(input = log-probabilities, target); 'batchmean' divides the sum by the batch size. */
export function klDiv(input: Tensor, target: Tensor, reduction: Reduction | 'batchmean' = 'mean', logTarget = false): Tensor {
  if (reduction === 'batchmean') return op.klDiv(input, target, reductionCode('sum'), logTarget).div(input.shape[0]);
  return op.klDiv(input, target, reductionCode(reduction), logTarget);
}

export type { Scalar };

// F (torch.nn.functional) against PyTorch 1.13's outputs (test/fixtures/ops, scripts/fixtures/ops.py):
// float32 within 1e-5 relative (1e-6 absolute), integers exact, shapes and dtypes equal.
import * as torch from '../src/torch/index.js';
import { F, type Tensor } from '../src/torch/index.js';
import { testGroup, type CaseFn } from './helpers/fixtures.js';

const seeded = <T>(seed: number, fn: () => T): T => { torch.manualSeed(seed); return fn(); };

testGroup('conv', {
  conv2d: (x, w) => F.conv2d(x, w),
  conv2d_bias_stride_pad: (x, w, b) => F.conv2d(x, w, b, { stride: 2, padding: 1 }),
  conv2d_pair_args: (x, w) => F.conv2d(x, w, null, { stride: [2, 1], padding: [1, 2] }),
  conv2d_dilation: (x, w) => F.conv2d(x, w, null, { padding: 2, dilation: 2 }),
  conv2d_groups: (x, w, b) => F.conv2d(x, w, b, { padding: 1, groups: 2 }),
  conv2d_depthwise: (x, w) => F.conv2d(x, w, null, { groups: 4 }),
  conv_transpose2d: (x, w) => F.convTranspose2d(x, w),
  conv_transpose2d_stride: (x, w, b) => F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }),
  conv_transpose2d_groups_dilation: (x, w) => F.convTranspose2d(x, w, null, { groups: 2, dilation: 2, stride: [1, 2] }),
  linear: (x, w, b) => F.linear(x, w, b),
  linear_nobias_3d: (x, w) => F.linear(x, w),
});

testGroup('norm', {
  batch_norm_eval: (x, m, v, weight, bias) => F.batchNorm(x, m, v, { weight, bias, training: false }),
  // Training updates the running statistics in place: PyTorch's updated values are goldens too.
  batch_norm_train: (x, m, v, weight, bias) => [F.batchNorm(x, m, v, { weight, bias, training: true, momentum: 0.2 }), m, v],
  batch_norm_no_stats: (x) => F.batchNorm(x, null, null, { training: true, eps: 1e-3 }),
  batch_norm_2d_input: (x, m, v) => [F.batchNorm(x, m, v, { training: true }), m, v],
  group_norm: (x, w, b) => F.groupNorm(x, 3, w, b),
  group_norm_plain: (x) => F.groupNorm(x, 2, null, null, 1e-3),
  layer_norm: (x, w, b) => F.layerNorm(x, [3, 4], w, b),
  layer_norm_last: (x) => F.layerNorm(x, [4]),
  instance_norm: (x) => F.instanceNorm(x),
  instance_norm_affine: (x, weight, bias) => F.instanceNorm(x, { weight, bias, eps: 1e-3 }),
  normalize: (x) => F.normalize(x),
  normalize_p1_dim0: (x) => F.normalize(x, 1, 0),
  dropout_eval: (x) => F.dropout(x, 0.5, false),
  dropout_seeded: (x) => seeded(11, () => F.dropout(x, 0.3)),
  dropout2d_seeded: (x) => seeded(12, () => F.dropout2d(x, 0.5)),
});

testGroup('pool', {
  max_pool2d: (x) => F.maxPool2d(x, 2),
  max_pool2d_stride_pad: (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1 }),
  max_pool2d_ceil: (x) => F.maxPool2d(x, 2, { ceilMode: true }),
  max_pool2d_dilation: (x) => F.maxPool2d(x, [2, 3], { stride: 1, dilation: 2 }),
  max_pool2d_indices: (x) => F.maxPool2dWithIndices(x, 2),
  avg_pool2d: (x) => F.avgPool2d(x, 2),
  avg_pool2d_pad_exclude: (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }),
  avg_pool2d_pad_include: (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1 }),
  avg_pool2d_ceil: (x) => F.avgPool2d(x, 2, { ceilMode: true }),
  avg_pool2d_divisor: (x) => F.avgPool2d(x, 2, { divisorOverride: 3 }),
  adaptive_avg_pool2d: (x) => F.adaptiveAvgPool2d(x, [3, 4]),
  adaptive_avg_pool2d_global: (x) => F.adaptiveAvgPool2d(x, 1),
  adaptive_max_pool2d: (x) => F.adaptiveMaxPool2d(x, [3, 2]),
});

const gridSamples: Record<string, CaseFn> = {};
for (const mode of ['bilinear', 'nearest'] as const) {
  for (const paddingMode of ['zeros', 'border', 'reflection'] as const) {
    for (const alignCorners of [false, true]) {
      gridSamples[`grid_sample_${mode}_${paddingMode}_${alignCorners ? 'ac' : 'noac'}`] = (x: Tensor, g: Tensor) =>
        F.gridSample(x, g, { mode, paddingMode, alignCorners });
    }
  }
}

testGroup('resample', {
  interp_nearest_size: (x) => F.interpolate(x, { size: [6, 7] }),
  interp_nearest_scale: (x) => F.interpolate(x, { scaleFactor: 2 }),
  interp_nearest_down: (x) => F.interpolate(x, { scaleFactor: 0.6 }),
  interp_bilinear_size: (x) => F.interpolate(x, { size: [7, 3], mode: 'bilinear' }),
  interp_bilinear_size_ac: (x) => F.interpolate(x, { size: [7, 3], mode: 'bilinear', alignCorners: true }),
  interp_bilinear_scale: (x) => F.interpolate(x, { scaleFactor: 1.5, mode: 'bilinear' }),
  interp_bilinear_scale_ac: (x) => F.interpolate(x, { scaleFactor: [1.5, 0.5], mode: 'bilinear', alignCorners: true }),
  interp_bicubic: (x) => F.interpolate(x, { size: [6, 8], mode: 'bicubic' }),
  pixel_shuffle: (x) => F.pixelShuffle(x, 2),
  pixel_unshuffle: (x) => F.pixelUnshuffle(x, 2),
  unfold: (x) => F.unfold(x, 2),
  unfold_options: (x) => F.unfold(x, [2, 3], { dilation: [2, 1], padding: 1, stride: 2 }),
  fold: (x) => F.fold(x, [4, 5], 2),
  one_hot: (t) => F.oneHot(t, 5),
  one_hot_infer: (t) => F.oneHot(t),
  affine_grid: (th) => F.affineGrid(th, [2, 1, 3, 4], false),
  affine_grid_ac: (th) => F.affineGrid(th, [2, 1, 3, 4], true),
  grid_sample_bicubic: (x, g) => F.gridSample(x, g, { mode: 'bicubic', alignCorners: false }),
  ...gridSamples,
});

testGroup('activation', {
  softmax: (x) => F.softmax(x, 1),
  softmax_last: (x) => F.softmax(x, -1),
  log_softmax: (x) => F.logSoftmax(x, 1),
  log_softmax_last: (x) => F.logSoftmax(x, -1),
  relu: (x) => F.relu(x),
  relu6: (x) => F.relu6(x),
  sigmoid: (x) => F.sigmoid(x),
  tanh: (x) => F.tanh(x),
  leaky_relu: (x) => F.leakyRelu(x, 0.2),
  leaky_relu_default: (x) => F.leakyRelu(x),
  gelu: (x) => F.gelu(x),
  gelu_tanh: (x) => F.gelu(x, 'tanh'),
  elu: (x) => F.elu(x, 0.7),
  hardtanh: (x) => F.hardtanh(x, -2, 1.5),
  silu: (x) => F.silu(x),
  softplus: (x) => F.softplus(x, 2, 3),
  mish: (x) => F.mish(x),
  hardswish: (x) => F.hardswish(x),
  hardsigmoid: (x) => F.hardsigmoid(x),
  log_sigmoid: (x) => F.logSigmoid(x),
  prelu: (x, w) => F.prelu(x, w),
  cosine_similarity: (a, b) => F.cosineSimilarity(a, b),
  cosine_similarity_dim: (a, b) => F.cosineSimilarity(a, b, -1),
});

const logSoftmax = (x: Tensor) => F.logSoftmax(x, 1);
testGroup('loss', {
  cross_entropy: (x, t) => F.crossEntropy(x, t),
  cross_entropy_ignore: (x, t) => F.crossEntropy(x, t, { ignoreIndex: -1 }),
  cross_entropy_weight: (x, t, weight) => F.crossEntropy(x, t, { weight }),
  cross_entropy_weight_ignore: (x, t, weight) => F.crossEntropy(x, t, { weight, ignoreIndex: -1 }),
  cross_entropy_none: (x, t) => F.crossEntropy(x, t, { ignoreIndex: -1, reduction: 'none' }),
  cross_entropy_sum: (x, t) => F.crossEntropy(x, t, { reduction: 'sum' }),
  cross_entropy_smoothing: (x, t, weight) => F.crossEntropy(x, t, { weight, labelSmoothing: 0.1 }),
  cross_entropy_spatial: (x, t) => F.crossEntropy(x, t),
  cross_entropy_probs: (x, t) => F.crossEntropy(x, t),
  nll_loss: (x, t) => F.nllLoss(logSoftmax(x), t),
  nll_loss_weight_ignore: (x, t, weight) => F.nllLoss(logSoftmax(x), t, { weight, ignoreIndex: -1 }),
  nll_loss_none: (x, t) => F.nllLoss(x, t, { reduction: 'none' }),
  bce_with_logits: (x, t) => F.binaryCrossEntropyWithLogits(x, t),
  bce_with_logits_pos_weight: (x, t, posWeight) => F.binaryCrossEntropyWithLogits(x, t, { posWeight }),
  bce_with_logits_weight_none: (x, t, weight) => F.binaryCrossEntropyWithLogits(x, t, { weight, reduction: 'none' }),
  bce: (x, t) => F.binaryCrossEntropy(x, t),
  mse_loss: (a, b) => F.mseLoss(a, b),
  mse_loss_sum: (a, b) => F.mseLoss(a, b, 'sum'),
  mse_loss_none: (a, b) => F.mseLoss(a, b, 'none'),
  l1_loss: (a, b) => F.l1Loss(a, b),
  l1_loss_none: (a, b) => F.l1Loss(a, b, 'none'),
  smooth_l1_loss: (a, b) => F.smoothL1Loss(a, b),
  smooth_l1_loss_beta: (a, b) => F.smoothL1Loss(a, b, 'sum', 0.5),
  huber_loss: (a, b) => F.huberLoss(a, b, 'mean', 0.5),
  kl_div: (x, t) => F.klDiv(logSoftmax(x), t, 'mean'),
  kl_div_batchmean: (x, t) => F.klDiv(logSoftmax(x), t, 'batchmean'),
  kl_div_sum_log_target: (x, t) => F.klDiv(logSoftmax(x), t, 'sum', true),
  kl_div_none: (x, t) => F.klDiv(logSoftmax(x), t, 'none'),
});

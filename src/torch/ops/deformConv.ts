// torchvision.ops.deform_conv2d: convolution whose taps sample the input at learned offsets (v1), optionally
// scaled by a learned mask (v2). Differentiable w.r.t. input, offset, mask, weight and bias.
import { Tensor } from '../tensor.js';
import { vision } from './native.js';
import { checkFloat, checkShape, pair, type Pair } from './validate.js';

const op = 'deformConv2d';

/**
 * input [N, C, H, W], offset [N, 2*g*kh*kw, outH, outW] as (dy, dx) per tap of each of g offset groups, weight
 * [outC, C/groups, kh, kw] (groups = C / weight.shape[1]), mask [N, g*kh*kw, outH, outW].
 */
export function deformConv2d(input: Tensor, offset: Tensor, weight: Tensor, bias: Tensor | null = null, stride: Pair = 1,
  padding: Pair = 0, dilation: Pair = 1, mask: Tensor | null = null): Tensor {
  const [sh, sw] = pair(op, 'stride', stride, 1);
  const [ph, pw] = pair(op, 'padding', padding, 0);
  const [dh, dw] = pair(op, 'dilation', dilation, 1);
  checkShape(op, 'input', input, [null, null, null, null]);
  checkFloat(op, 'input', input);
  checkShape(op, 'weight', weight, [null, null, null, null]);
  checkFloat(op, 'weight', weight, input);
  const [n, c, height, width] = input.shape;
  const [outC, cPerGroup, kh, kw] = weight.shape;
  if (cPerGroup === 0 || c % cPerGroup !== 0 || outC % (c / cPerGroup) !== 0) {
    throw new Error(`${op}: weight [${weight.shape.join(', ')}] does not fit ${c} input channels in whole groups`);
  }
  const groups = c / cPerGroup;
  const outH = Math.floor((height + 2 * ph - dh * (kh - 1) - 1) / sh) + 1;
  const outW = Math.floor((width + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
  if (outH <= 0 || outW <= 0) throw new Error(`${op}: the output would be empty (${outH}x${outW})`);
  const taps = kh * kw;
  const offsetGroups = offset.ndim === 4 ? offset.shape[1] / (2 * taps) : 0;
  if (!Number.isInteger(offsetGroups) || offsetGroups < 1 || c % offsetGroups !== 0) {
    throw new Error(`${op}: offset.shape[1] must be 2*g*${kh}*${kw} for a number of offset groups g dividing ${c}, got shape [${offset.shape.join(', ')}]`);
  }
  checkShape(op, 'offset', offset, [n, 2 * offsetGroups * taps, outH, outW]);
  checkFloat(op, 'offset', offset, input);
  if (mask) {
    checkShape(op, 'mask', mask, [n, offsetGroups * taps, outH, outW]);
    checkFloat(op, 'mask', mask, input);
  }
  if (bias) {
    checkShape(op, 'bias', bias, [outC]);
    checkFloat(op, 'bias', bias, input);
  }
  return new Tensor(vision.visionDeformConv2d(input.handle, weight.handle, offset.handle, mask?.handle ?? null,
    bias?.handle ?? null, [sh, sw, ph, pw, dh, dw, groups, offsetGroups]));
}

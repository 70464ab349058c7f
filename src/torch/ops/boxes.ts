// torchvision.ops box utilities on [N, 4] (x1, y1, x2, y2) boxes: boxIou, nms, batchedNms.
import { noGrad } from '../autograd.js';
import { scope } from '../scope.js';
import { Tensor } from '../tensor.js';
import { vision } from './native.js';
import { checkFloat, checkShape } from './validate.js';

/** Areas of [N, 4] xyxy boxes. */
export function boxArea(boxes: Tensor): Tensor {
  checkShape('boxArea', 'boxes', boxes, [null, 4]);
  return scope(() => boxes.select(1, 2).sub(boxes.select(1, 0)).mul(boxes.select(1, 3).sub(boxes.select(1, 1))));
}

/** torchvision.ops.box_iou: [N, M] intersection over union; differentiable (composite of ATen ops). */
export function boxIou(a: Tensor, b: Tensor): Tensor {
  checkShape('boxIou', 'a', a, [null, 4]);
  checkShape('boxIou', 'b', b, [null, 4]);
  return scope(() => {
    const lt = a.slice(1, 0, 2).unsqueeze(1).maximum(b.slice(1, 0, 2).unsqueeze(0));
    const rb = a.slice(1, 2, 4).unsqueeze(1).minimum(b.slice(1, 2, 4).unsqueeze(0));
    const wh = rb.sub(lt).clamp(0);
    const inter = wh.select(2, 0).mul(wh.select(2, 1));
    const union = boxArea(a).unsqueeze(1).add(boxArea(b).unsqueeze(0)).sub(inter);
    return inter.div(union);
  });
}

function checkNmsArgs(op: string, boxes: Tensor, scores: Tensor, iouThreshold: number): void {
  checkShape(op, 'boxes', boxes, [null, 4]);
  checkFloat(op, 'boxes', boxes);
  checkShape(op, 'scores', scores, [boxes.shape[0]]);
  checkFloat(op, 'scores', scores, boxes);
  if (!Number.isFinite(iouThreshold)) throw new Error(`${op}: iouThreshold must be a finite number`);
}

/**
 * torchvision.ops.nms: indices (int64) of the boxes kept, by decreasing score. A box is dropped when its IoU with
 * a kept, higher-scoring box exceeds iouThreshold; equal scores keep index order.
 */
export function nms(boxes: Tensor, scores: Tensor, iouThreshold: number): Tensor {
  checkNmsArgs('nms', boxes, scores, iouThreshold);
  return new Tensor(vision.visionNms(boxes.handle, scores.handle, iouThreshold));
}

/**
 * torchvision.ops.batched_nms: NMS within each category of idxs, never across. Shifts each category's boxes by
 * idx * (max coordinate + 1) so boxes of different categories cannot overlap, then runs one nms.
 */
export function batchedNms(boxes: Tensor, scores: Tensor, idxs: Tensor, iouThreshold: number): Tensor {
  checkNmsArgs('batchedNms', boxes, scores, iouThreshold);
  checkShape('batchedNms', 'idxs', idxs, [boxes.shape[0]]);
  if (!idxs.dtype.startsWith('int') && idxs.dtype !== 'uint8') throw new Error(`batchedNms: idxs must be an integer tensor, got ${idxs.dtype}`);
  if (boxes.shape[0] === 0) return nms(boxes, scores, iouThreshold);
  return scope(() => noGrad(() => {
    const offsets = idxs.to(boxes.dtype).mul(boxes.max().add(1));
    return nms(boxes.add(offsets.unsqueeze(1)), scores, iouThreshold);
  }));
}

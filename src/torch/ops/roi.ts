// torchvision.ops.roi_align and roi_pool: fixed-size features of boxes on a [N, C, H, W] map, with gradients
// w.r.t. the map (boxes get none, as in torchvision).
import { cat } from '../functions.js';
import { full, zeros } from '../creation.js';
import { scope } from '../scope.js';
import { Tensor } from '../tensor.js';
import { vision } from './native.js';
import { checkFloat, checkShape, pair, type Pair } from './validate.js';

/** Boxes as [K, 5] rows (batch index, x1, y1, x2, y2), or one [Ki, 4] tensor per image. */
export type RoiBoxes = Tensor | Tensor[];

/** torchvision's convert_boxes_to_roi_format: per-image [Ki, 4] boxes to [K, 5] rows with their image index. */
export function boxesToRois(boxes: Tensor[], dtype: Tensor['dtype'] = 'float32'): Tensor {
  boxes.forEach((b, i) => checkShape('boxesToRois', `boxes[${i}]`, b, [null, 4]));
  if (boxes.length === 0) return zeros([0, 5], { dtype });
  return scope(() => cat(boxes.map((b, i) => cat([full([b.shape[0], 1], i, { dtype: b.dtype }), b], 1)), 0));
}

// The rois in the input's dtype, checked against the input's batch.
function roisFor(op: string, input: Tensor, boxes: RoiBoxes): Tensor {
  checkShape(op, 'input', input, [null, null, null, null]);
  checkFloat(op, 'input', input);
  if (Array.isArray(boxes)) {
    if (boxes.length > input.shape[0]) throw new Error(`${op}: ${boxes.length} box tensors for a batch of ${input.shape[0]}`);
    return boxesToRois(boxes, input.dtype).to(input.dtype);
  }
  checkShape(op, 'boxes', boxes, [null, 5]);
  return boxes.to(input.dtype);
}

/**
 * torchvision.ops.roi_align: average of bilinear samples in each of outputSize bins per box -> [K, C, h, w].
 * samplingRatio <= 0 takes ceil(box size / bins) samples per bin; aligned shifts boxes by -0.5 pixel.
 */
export function roiAlign(input: Tensor, boxes: RoiBoxes, outputSize: Pair, spatialScale = 1, samplingRatio = -1,
  aligned = false): Tensor {
  const [h, w] = pair('roiAlign', 'outputSize', outputSize, 1);
  if (!Number.isInteger(samplingRatio)) throw new Error(`roiAlign: samplingRatio must be an integer, got ${samplingRatio}`);
  return scope(() => new Tensor(vision.visionRoiAlign(input.handle, roisFor('roiAlign', input, boxes).handle, h, w,
    spatialScale, samplingRatio, aligned)));
}

/** torchvision.ops.roi_pool: max over each bin of the box rounded to whole pixels -> [K, C, h, w]. */
export function roiPool(input: Tensor, boxes: RoiBoxes, outputSize: Pair, spatialScale = 1): Tensor {
  const [h, w] = pair('roiPool', 'outputSize', outputSize, 1);
  return scope(() => new Tensor(vision.visionRoiPool(input.handle, roisFor('roiPool', input, boxes).handle, h, w, spatialScale)));
}

// torchvision.ops for the engine: detection box utilities, RoI pooling and deformable convolution.
export { boxArea, boxIou, nms, batchedNms } from './boxes.js';
export { roiAlign, roiPool, boxesToRois, type RoiBoxes } from './roi.js';
export { deformConv2d } from './deformConv.js';
export type { Pair } from './validate.js';

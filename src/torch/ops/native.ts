// The addon's detection-op exports (native/src/vision.cc). Callers validate arguments first.
import { native, type Handle } from '../native.js';

export interface VisionAddon {
  visionNms(boxes: Handle, scores: Handle, iouThreshold: number): Handle;
  visionRoiAlign(input: Handle, rois: Handle, pooledH: number, pooledW: number, spatialScale: number,
    samplingRatio: number, aligned: boolean): Handle;
  visionRoiPool(input: Handle, rois: Handle, pooledH: number, pooledW: number, spatialScale: number): Handle;
  /** params: strideH, strideW, padH, padW, dilationH, dilationW, weightGroups, offsetGroups. */
  visionDeformConv2d(input: Handle, weight: Handle, offset: Handle, mask: Handle | null, bias: Handle | null,
    params: number[]): Handle;
}

export const vision = native as unknown as VisionAddon;

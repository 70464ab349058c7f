// Inputs of the drawing helpers: any image as 8-bit RGB, and single-channel maps (labels, depth, error).
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import { rawFromTensor, type RawImage } from './image.js';

/** One value per pixel, row-major. */
export interface Plane { data: ArrayLike<number>; width: number; height: number }

/** A new 8-bit RGB copy of an image: gray is replicated, alpha dropped, 16-bit reduced (round(v / 257)). */
export function toRgb8(img: RawImage | Tensor): RawImage {
  const src = img instanceof torch.Tensor ? rawFromTensor(img) : img;
  const { width, height, channels, data } = src;
  const scale = data instanceof Uint16Array ? 1 / 257 : 1;
  const out = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) {
      out[3 * p + c] = Math.round(data[p * channels + (channels >= 3 ? c : 0)] * scale);
    }
  }
  return { data: out, width, height, channels: 3 };
}

/**
 * A map as one value per pixel: a 1-channel RawImage, or an HW / 1xHW tensor converted to `dtype`
 * (int32 for labels, so an int64 -1 stays -1; float32 for depth and error). `what` names it in errors.
 */
export function toPlane(map: RawImage | Tensor, dtype: 'int32' | 'float32', what: string): Plane {
  if (!(map instanceof torch.Tensor)) {
    if (map.channels !== 1) throw new Error(`${what}: expected a 1-channel image, got ${map.channels} channels`);
    return map;
  }
  const shape = map.shape;
  if (!(shape.length === 2 || (shape.length === 3 && shape[0] === 1))) {
    throw new Error(`${what}: expected an HxW or 1xHxW tensor, got shape [${shape}]`);
  }
  const [height, width] = shape.slice(-2);
  return torch.scope(() => {
    const t = map.detach().cpu().reshape([height, width]).to(dtype).contiguous();
    const data = dtype === 'int32' ? new Int32Array(t.toTypedArray() as Int32Array) : new Float32Array(t.toTypedArray() as Float32Array);
    return { data, width, height };
  });
}

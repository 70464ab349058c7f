// Segmentation maps as colours: the Cityscapes palette and label overlays.
import type { Tensor } from '../torch/index.js';
import type { RawImage } from './image.js';
import { CITYSCAPES_PALETTE, type Rgb } from './classes.js';
import { toPlane, toRgb8 } from './pixels.js';

export { CITYSCAPES_CLASSES, CITYSCAPES_PALETTE, type Rgb } from './classes.js';

/** Label map (1-channel RawImage, or HW / 1xHW integer tensor) -> RGB; labels outside the palette are black. */
export function colorizeLabels(labels: RawImage | Tensor, palette: readonly Rgb[] = CITYSCAPES_PALETTE): RawImage {
  const { data, width, height } = toPlane(labels, 'int32', 'colorizeLabels');
  const out = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const colour = palette[data[p]];
    if (colour) out.set(colour, 3 * p);
  }
  return { data: out, width, height, channels: 3 };
}

/** Blends label colours over an image: (1 - alpha) * image + alpha * colour, rounded; unlabelled pixels keep the image. */
export function overlayLabels(image: RawImage | Tensor, labels: RawImage | Tensor,
  opts: { alpha?: number; palette?: readonly Rgb[] } = {}): RawImage {
  const alpha = opts.alpha ?? 0.5;
  const palette = opts.palette ?? CITYSCAPES_PALETTE;
  const out = toRgb8(image);
  const map = toPlane(labels, 'int32', 'overlayLabels');
  if (map.width !== out.width || map.height !== out.height) {
    throw new Error(`overlayLabels: labels are ${map.width}x${map.height}, the image ${out.width}x${out.height}`);
  }
  for (let p = 0; p < out.width * out.height; p++) {
    const colour = palette[map.data[p]];
    if (!colour) continue;
    for (let c = 0; c < 3; c++) out.data[3 * p + c] = Math.round((1 - alpha) * out.data[3 * p + c] + alpha * colour[c]);
  }
  return out;
}

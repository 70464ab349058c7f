// Camera effects the renderer does not model, which set the synthetic benchmark's target domain apart the way
// real cameras differ from a renderer: radial lens distortion, a defocus (disc) blur, JPEG compression.
import * as torch from '../../torch/index.js';
import { F, type Tensor } from '../../torch/index.js';
import { decodeImage, encodeImage, type RawImage } from '../../io/image.js';

export interface Distortion { k1: number; k2: number }

/**
 * Radial distortion: output pixel p shows the input at c + (p - c)(1 + k1 r^2 + k2 r^4), with c the image centre
 * and r = |p - c| / (half the image diagonal). Negative k1 (barrel) keeps every sample inside the image.
 * Returns the sampling grid [1, H, W, 2] for grid_sample with align_corners (pixel centres at integers).
 */
export function distortionGrid(height: number, width: number, d: Distortion, dtype: torch.DType = 'float32'): Tensor {
  return torch.scope(() => {
    const cx = (width - 1) / 2, cy = (height - 1) / 2, half = Math.hypot(width, height) / 2;
    const u = torch.arange(0, width, 1, { dtype: 'float64' }).sub(cx).div(half).view(1, width).expand([height, width]);
    const v = torch.arange(0, height, 1, { dtype: 'float64' }).sub(cy).div(half).view(height, 1).expand([height, width]);
    const r2 = u.square().add(v.square());
    const s = r2.mul(d.k1).add(r2.square().mul(d.k2)).add(1);
    // Pixel x -> grid coordinate 2 x / (W - 1) - 1.
    const gx = u.mul(s).mul(half).add(cx).mul(2 / (width - 1)).sub(1);
    const gy = v.mul(s).mul(half).add(cy).mul(2 / (height - 1)).sub(1);
    return torch.stack([gx, gy], -1).unsqueeze(0).to(dtype);
  });
}

/**
 * Distorts images or maps [B, C, H, W] (any dtype): bilinear for images, nearest for label, instance and depth
 * maps, so labels stay labels and stay aligned with the image.
 */
export function distort(x: Tensor, d: Distortion, mode: 'bilinear' | 'nearest'): Tensor {
  return torch.scope(() => {
    const [B, , H, W] = x.shape;
    const float = torch.isFloatingPoint(x.dtype) ? x : x.to('float64');
    const grid = distortionGrid(H, W, d, float.dtype).expand([B, H, W, 2]);
    const out = F.gridSample(float, grid, { mode, paddingMode: 'border', alignCorners: true });
    return out.to(x.dtype);
  });
}

/** Defocus blur: the mean over a disc of `radius` pixels (replicated edges); [B, C, H, W]. */
export function defocusBlur(x: Tensor, radius: number): Tensor {
  if (!(radius > 0)) return x;
  return torch.scope(() => {
    const k = Math.ceil(radius);
    const w: number[] = [];
    for (let i = -k; i <= k; i++) for (let j = -k; j <= k; j++) w.push(i * i + j * j <= radius * radius ? 1 : 0);
    const total = w.reduce((a, b) => a + b, 0);
    const C = x.shape[1];
    const kernel = torch.tensor(Float64Array.from(w, (v) => v / total), { shape: [1, 1, 2 * k + 1, 2 * k + 1], dtype: x.dtype })
      .expand([C, 1, 2 * k + 1, 2 * k + 1]).contiguous();
    return F.conv2d(F.pad(x, [k, k, k, k], 'replicate'), kernel, null, { groups: C });
  });
}

/** The image after JPEG compression at `quality` (1-100), decoded back to 8-bit RGB. */
export async function jpegRoundTrip(image: RawImage, quality: number): Promise<RawImage> {
  return decodeImage(await encodeImage(image, 'jpeg', { quality }), { channels: 3, name: 'jpeg round trip' });
}

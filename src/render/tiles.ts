// The ray caster works on screen tiles: rays are stored tile by tile, so that a primitive is tested only against
// the tiles its outline covers, and per-pixel work before the camera effects stays in this layout. This file
// owns the layout ([B, tiles, raysPerTile], rays row-major inside a tile) and the camera rays.
import * as torch from '../torch/index.js';
import type { DType, Tensor } from '../torch/index.js';
import type { Intrinsics } from './camera.js';

export interface TileGrid {
  width: number;
  height: number;
  tileW: number;
  tileH: number;
  /** Tiles across and down (the last ones may hang over the image edge). */
  tilesX: number;
  tilesY: number;
  /** Tiles per image, and rays per tile. */
  tiles: number;
  raysPerTile: number;
}

export function tileGrid(width: number, height: number, tileW = 16, tileH = 8): TileGrid {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`render: width and height must be positive integers, got ${width}x${height}`);
  }
  const tilesX = Math.ceil(width / tileW);
  const tilesY = Math.ceil(height / tileH);
  return { width, height, tileW, tileH, tilesX, tilesY, tiles: tilesX * tilesY, raysPerTile: tileW * tileH };
}

/**
 * Camera rays K^-1 [u, v, 1] split by axis: x depends only on the pixel column and y only on the row, so per
 * tile they are [B * tiles, tileW] and [B * tiles, tileH] (z is 1: a hit's ray parameter is its depth).
 */
export function cameraRayAxes(g: TileGrid, Ks: Intrinsics[], dtype: DType): { x: Tensor; y: Tensor } {
  const B = Ks.length;
  const x = new Float64Array(B * g.tiles * g.tileW);
  const y = new Float64Array(B * g.tiles * g.tileH);
  for (let b = 0, ix = 0, iy = 0; b < B; b++) {
    const K = Ks[b];
    for (let ty = 0; ty < g.tilesY; ty++) {
      for (let tx = 0; tx < g.tilesX; tx++) {
        for (let i = 0; i < g.tileW; i++) x[ix++] = (tx * g.tileW + i - K.cx) / K.fx;
        for (let i = 0; i < g.tileH; i++) y[iy++] = (ty * g.tileH + i - K.cy) / K.fy;
      }
    }
  }
  return { x: torch.tensor(x, { shape: [B * g.tiles, g.tileW], dtype }), y: torch.tensor(y, { shape: [B * g.tiles, g.tileH], dtype }) };
}

/** Every camera ray's x and y in tile layout, [B * tiles, raysPerTile] each, from cameraRayAxes. */
export function cameraRays(g: TileGrid, axes: { x: Tensor; y: Tensor }): [Tensor, Tensor] {
  const n = axes.x.shape[0];
  return [axes.x.unsqueeze(1).expand(n, g.tileH, g.tileW).reshape(n, g.raysPerTile),
    axes.y.unsqueeze(2).expand(n, g.tileH, g.tileW).reshape(n, g.raysPerTile)];
}

/** Tile layout [B, ...C, tiles, raysPerTile] (or [B, ...C, tiles * raysPerTile]) -> image [B, ...C, H, W]. */
export function tilesToImage(t: Tensor, g: TileGrid, channels: number[] = []): Tensor {
  const B = t.shape[0];
  const c = channels.length;
  const dims = [...channels.keys()].map((i) => i + 1);
  return t.reshape(B, ...channels, g.tilesY, g.tilesX, g.tileH, g.tileW).permute(0, ...dims, c + 1, c + 3, c + 2, c + 4)
    .reshape(B, ...channels, g.tilesY * g.tileH, g.tilesX * g.tileW).narrow(c + 1, 0, g.height).narrow(c + 2, 0, g.width)
    .contiguous();
}

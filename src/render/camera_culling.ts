// Which (tile, primitive) pairs camera rays must test: each primitive's bounding box is clipped to the near plane,
// projected, and its outline (convex hull) decides the tiles it covers. Plain JavaScript over primitives,
// written to allocate little: it runs for every primitive of every rendered scene.
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import type { Intrinsics } from './camera.js';
import type { CompiledPrimitive, CompiledScenes } from './compile.js';
import type { TileGrid } from './tiles.js';

// The 12 edges of a box as pairs of corner indices (corner bit k = sign of axis k).
const EDGES = [0, 1, 2, 3, 4, 5, 6, 7, 0, 2, 1, 3, 4, 6, 5, 7, 0, 4, 1, 5, 2, 6, 3, 7];
const corners = new Float64Array(24);
const points = new Float64Array(40); // up to 8 corners + 12 edge crossings, as (u, v)
const hullIdx = new Int32Array(42);

/** Projects the primitive's bounding box clipped to z >= near into `points`; returns the number of points. */
function project(p: CompiledPrimitive, K: Intrinsics, near: number): number {
  const A = p.A, e = p.extent, c = p.centre;
  let kept = 0;
  for (let k = 0; k < 8; k++) {
    const lx = (k & 1 ? 1 : -1) * e[0], ly = (k & 2 ? 1 : -1) * e[1], lz = (k & 4 ? 1 : -1) * e[2];
    corners[3 * k] = c[0] + A[0] * lx + A[1] * ly + A[2] * lz;
    corners[3 * k + 1] = c[1] + A[3] * lx + A[4] * ly + A[5] * lz;
    corners[3 * k + 2] = c[2] + A[6] * lx + A[7] * ly + A[8] * lz;
    if (corners[3 * k + 2] >= near) kept++;
  }
  let n = 0;
  const put = (x: number, y: number, z: number) => {
    points[2 * n] = K.fx * (x / z) + K.cx;
    points[2 * n + 1] = K.fy * (y / z) + K.cy;
    n++;
  };
  for (let k = 0; k < 8; k++) if (corners[3 * k + 2] >= near) put(corners[3 * k], corners[3 * k + 1], corners[3 * k + 2]);
  if (kept === 8 || kept === 0) return n;
  // Crossing the near plane: the clipped polytope's vertices are the kept corners plus the edge crossings.
  for (let i = 0; i < 24; i += 2) {
    const a = 3 * EDGES[i], b = 3 * EDGES[i + 1];
    const za = corners[a + 2] - near, zb = corners[b + 2] - near;
    if (za * zb < 0) {
      const s = za / (za - zb);
      put(corners[a] + s * (corners[b] - corners[a]), corners[a + 1] + s * (corners[b + 1] - corners[a + 1]), near);
    }
  }
  return n;
}

/** Convex hull of points[0 .. n) by the monotone chain; writes vertex indices (counter-clockwise) to hullIdx. */
function hull(n: number): number {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => points[2 * a] - points[2 * b] || points[2 * a + 1] - points[2 * b + 1]);
  const cross = (o: number, a: number, b: number) => (points[2 * a] - points[2 * o]) * (points[2 * b + 1] - points[2 * o + 1])
    - (points[2 * a + 1] - points[2 * o + 1]) * (points[2 * b] - points[2 * o]);
  let h = 0;
  for (const pass of [order, order.slice().reverse()]) {
    const start = h;
    for (const q of pass) {
      while (h >= start + 2 && cross(hullIdx[h - 2], hullIdx[h - 1], q) <= 0) h--;
      hullIdx[h++] = q;
    }
    h--;
  }
  return h;
}

/** The x extent of the convex hull (h vertices in hullIdx) within the band y0 <= y <= y1, or null if it misses. */
function bandExtent(h: number, y0: number, y1: number): [number, number] | null {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < h; i++) {
    const a = hullIdx[i], b = hullIdx[(i + 1) % h];
    const ax = points[2 * a], ay = points[2 * a + 1], bx = points[2 * b], by = points[2 * b + 1];
    if (ay >= y0 && ay <= y1) { lo = Math.min(lo, ax); hi = Math.max(hi, ax); }
    for (const y of [y0, y1]) {
      if ((ay - y) * (by - y) < 0) {
        const x = ax + ((y - ay) / (by - ay)) * (bx - ax);
        lo = Math.min(lo, x); hi = Math.max(hi, x);
      }
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * Jobs for the camera rays, int32 [J, 2] (tile in B * tiles, primitive): every tile whose pixel centres (one pixel
 * wider) the primitive's outline reaches.
 */
export function cameraJobs(c: CompiledScenes, Ks: Intrinsics[], g: TileGrid, near: number): Tensor {
  const jobs: number[] = [];
  const pixelsToTiles = (lo: number, hi: number, max: number, size: number) =>
    [Math.floor(Math.max(0, Math.ceil(lo) - 1) / size), Math.floor(Math.min(max - 1, Math.floor(hi) + 1) / size)];
  c.prims.forEach((p, index) => {
    const n = project(p, Ks[p.scene], near);
    if (n === 0) return;
    let u0 = Infinity, u1 = -Infinity, v0 = Infinity, v1 = -Infinity;
    for (let i = 0; i < n; i++) {
      u0 = Math.min(u0, points[2 * i]); u1 = Math.max(u1, points[2 * i]);
      v0 = Math.min(v0, points[2 * i + 1]); v1 = Math.max(v1, points[2 * i + 1]);
    }
    if (u1 < -1 || v1 < -1 || u0 > g.width || v0 > g.height) return;
    const [tx0, tx1] = pixelsToTiles(u0, u1, g.width, g.tileW);
    const [ty0, ty1] = pixelsToTiles(v0, v1, g.height, g.tileH);
    const base = p.scene * g.tiles;
    // Small footprints take their whole rectangle; larger ones follow the outline row by row of tiles.
    const h = (tx1 - tx0 + 1) * (ty1 - ty0 + 1) > 4 && n >= 3 ? hull(n) : 0;
    for (let ty = ty0; ty <= ty1; ty++) {
      let from = tx0, to = tx1;
      if (h >= 3) {
        const e = bandExtent(h, ty * g.tileH - 1, (ty + 1) * g.tileH);
        if (!e) continue;
        [from, to] = pixelsToTiles(e[0], e[1], g.width, g.tileW);
      }
      for (let tx = from; tx <= to; tx++) jobs.push(base + ty * g.tilesX + tx, index);
    }
  });
  return torch.tensor(Int32Array.from(jobs), { shape: [jobs.length / 2, 2] });
}

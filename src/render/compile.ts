// Flattens a batch of scenes into per-primitive tables in each scene's camera frame: what the culling (in
// JavaScript) and the ray caster and shader (as tensors, gathered by primitive index) read.
import * as torch from '../torch/index.js';
import type { DType, Tensor } from '../torch/index.js';
import { matMul, matVec, transpose, type Mat3, type Vec3 } from './math.js';
import { MAX_CAPS, type Primitive, type PrimitiveKind, type Scene } from './primitives.js';
import { hash32 } from './random.js';

/** The four intersection kernels: spheres are ellipsoids with equal semi-axes. */
export const KERNELS = ['plane', 'box', 'quadric', 'cylinder'] as const;
export type Kernel = (typeof KERNELS)[number];
const kernelOf: Record<PrimitiveKind, number> = { plane: 0, box: 1, sphere: 2, ellipsoid: 2, cylinder: 3 };

/** Columns of `geometry`: M (row-major), the local frame's ray origin for rays from the camera centre. */
export const GEO = { m: 0, o: 9, width: 12 } as const;
/**
 * Columns of `attrs`: a one-hot of the kernel, class, instance, material, tint, half-extents, texture offset, and
 * per cap (axis x, y, z, cosMin, material, class, tint). Ids are stored as floats (exact below 2^24): per-pixel work
 * then needs no integer or boolean tensors, which are several times slower on the CPU.
 */
export const ATTR = { kernel: 0, classId: 4, instance: 5, material: 6, tint: 7, size: 10, texOffset: 13, caps: 16, capWidth: 9,
  width: 16 + 9 * MAX_CAPS } as const;

export interface CompiledPrimitive {
  scene: number;
  kernel: number;
  /** Camera -> scaled local: p_local = M (p_cam - centre); the primitive is the unit shape in that frame. */
  M: Mat3;
  /** Scaled local -> camera rotation-and-scale (M's inverse). */
  A: Mat3;
  centre: Vec3;
  /** Local-frame half-extents of the bounding box (a plane's thickness is 0), and the primitive's size. */
  extent: Vec3;
  size: Vec3;
  castsShadow: boolean;
}

export interface CompiledScenes {
  prims: CompiledPrimitive[];
  /** Index of each scene's first primitive in `prims`. */
  offsets: number[];
  /** Per primitive rows: GEO and ATTR columns. */
  geometry: Tensor;
  attrs: Tensor;
  /**
   * The ray caster's inputs (raycast.ts), per row: the kernel index, int32 [P]; the half-extents [P, 3]; the scene,
   * int32 [P]; and for the tile culling, float64 [P, 15]: A (row-major), the centre and the bounding box's extent.
   */
  kernels: Tensor;
  size: Tensor;
  scene: Tensor;
  outline: Tensor;
  /** Per scene, the global indices of primitives that cast shadows, padded with -1: int32 [B, maxCasters]. */
  casters: Tensor;
  hasCaps: boolean;
}

// Writes one primitive's table rows at row `row` and returns what the culling needs.
function compilePrimitive(scene: Scene, index: number, p: Primitive, sceneIndex: number, row: number,
  geo: Float64Array, attr: Float64Array): CompiledPrimitive {
  const { R, t } = scene.camera;
  const rc = matVec(R, p.center);
  const centre: Vec3 = [rc[0] + t[0], rc[1] + t[1], rc[2] + t[2]];
  // Camera -> local rotation is (R Q)^T; scaling by the half-extents makes the shape the unit one.
  const camFromLocal = matMul(R, p.rotation);
  const localFromCam = transpose(camFromLocal);
  const s = p.size;
  const M = localFromCam.map((v, i) => v / s[Math.floor(i / 3)]) as Mat3;
  const A = camFromLocal.map((v, i) => v * s[i % 3]) as Mat3;
  const o = matVec(M, centre);
  const extent: Vec3 = p.kind === 'plane' ? [1, 1, 0] : [1, 1, 1];
  const g = row * GEO.width, a = row * ATTR.width;
  geo.set(M, g + GEO.m);
  geo.set([-o[0], -o[1], -o[2]], g + GEO.o);
  // Texture offsets differ per primitive and scene seed, so no two surfaces share a noise pattern.
  const h = hash32((scene.seed * 1000003 + index) >>> 0);
  attr.set(p.tint, a + ATTR.tint);
  attr.set(s, a + ATTR.size);
  attr.set([h % 997, hash32(h) % 991, hash32(h + 1) % 983].map((v) => v * 0.3719183), a + ATTR.texOffset);
  attr[a + ATTR.kernel + kernelOf[p.kind]] = 1;
  attr.set([p.classId, p.instanceId, p.material], a + ATTR.classId);
  for (let k = 0; k < MAX_CAPS; k++) {
    const cap = p.caps?.[k];
    // An absent cap has cosMin 2, which no cosine exceeds.
    attr.set(cap ? [...cap.axis, cap.cosMin, cap.material, cap.classId, ...(cap.tint ?? [1, 1, 1])] : [0, 0, 1, 2, 0, 0, 1, 1, 1],
      a + ATTR.caps + ATTR.capWidth * k);
  }
  return { scene: sceneIndex, kernel: kernelOf[p.kind], M, A, centre, extent, size: s, castsShadow: p.castsShadow ?? true };
}

export function compileScenes(scenes: Scene[], dtype: DType): CompiledScenes {
  // One row at least, so that scenes with no primitives still gather safely.
  const rows = Math.max(1, scenes.reduce((n, s) => n + s.primitives.length, 0));
  const geo = new Float64Array(rows * GEO.width);
  const attr = new Float64Array(rows * ATTR.width);
  const prims: CompiledPrimitive[] = [];
  const offsets: number[] = [];
  scenes.forEach((scene, b) => {
    offsets.push(prims.length);
    scene.primitives.forEach((p, i) => prims.push(compilePrimitive(scene, i, p, b, prims.length, geo, attr)));
  });
  const perScene: number[][] = scenes.map(() => []);
  prims.forEach((p, i) => { if (p.castsShadow) perScene[p.scene].push(i); });
  const width = Math.max(1, ...perScene.map((l) => l.length));
  const casters = new Int32Array(scenes.length * width).fill(-1);
  perScene.forEach((l, b) => casters.set(l, b * width));
  const attrs = torch.tensor(attr, { shape: [rows, ATTR.width], dtype });
  const outline = new Float64Array(rows * 15);
  prims.forEach((p, i) => outline.set([...p.A, ...p.centre, ...p.extent], 15 * i));
  return {
    prims, offsets, attrs,
    geometry: torch.tensor(geo, { shape: [rows, GEO.width], dtype }),
    // The padding row of a batch without primitives is never tested.
    kernels: torch.tensor(Int32Array.from({ length: rows }, (_, i) => prims[i]?.kernel ?? 0)),
    scene: torch.tensor(Int32Array.from({ length: rows }, (_, i) => prims[i]?.scene ?? 0)),
    outline: torch.tensor(outline, { shape: [rows, 15] }),
    size: attrs.narrow(1, ATTR.size, 3).contiguous(),
    casters: torch.tensor(casters, { shape: [scenes.length, width] }),
    hasCaps: scenes.some((sc) => sc.primitives.some((p) => (p.caps?.length ?? 0) > 0)),
  };
}

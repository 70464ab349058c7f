// Closest-hit ray casting against the compiled analytic primitives, by the addon's CPU kernel
// (native/src/raycast.cc): camera rays per screen tile, shadow rays per block of rays. Visibility is discrete
// and is not differentiated. This file checks the arguments (the kernel only guards memory safety).
import * as torch from '../torch/index.js';
import { native, type Handle } from '../torch/native.js';
import { Tensor, type DType } from '../torch/index.js';
import type { Intrinsics } from './camera.js';
import type { TileGrid } from './tiles.js';

type V3 = [Tensor, Tensor, Tensor];

interface RaycastAddon {
  raycastCamera(geometry: Handle, kernels: Handle, outline: Handle, scene: Handle, K: Handle, x: Handle, y: Handle,
    size: [number, number], near: number): [Handle, Handle, Handle];
  raycastShadows(geometry: Handle, kernels: Handle, size: Handle, casters: Handle, surface: Handle[], prim: Handle, block: number,
    light: Handle, frames: Handle | null, boxes: Handle | null): Handle;
}
const addon = native as unknown as RaycastAddon;

/** The ray parameter of a miss (the kernel's kMiss). Finite, so that penalties add up without inf - inf. */
export const MISS = 1e30;

/**
 * What the kernel reads of the primitives (compile.ts): geometry rows [P, GEO.width] (float32 or float64) and the
 * kernel of each row, int32 [P] (KERNELS order).
 */
export interface RayPrimitives { geometry: Tensor; kernels: Tensor }
/**
 * Camera rays also read, for the tile culling, each row's scene (int32 [P]) and bounding box in the camera frame
 * (float64 [P, 15]: A row-major, whose columns are the half-axes; the centre; the local half-extents).
 */
export interface CameraPrimitives extends RayPrimitives { scene: Tensor; outline: Tensor }
/** Shadow rays also read each row's half-extents [P, 3] and each scene's casters, int32 [B, C] padded with -1. */
export interface ShadowPrimitives extends RayPrimitives { size: Tensor; casters: Tensor }

/** Per camera ray, [blocks, raysPerBlock] each. */
export interface CameraHits {
  /** The closest hit's ray parameter, which is its depth (rays are (x, y, 1)); 0 on misses. */
  depth: Tensor;
  /** 1 where a primitive is hit, else 0 (the geometry's dtype). */
  hit: Tensor;
  /** int64 index of the primitive hit (the larger one on a tie), -1 on misses. */
  prim: Tensor;
}

/** The camera hits the shadow rays start from, [N] or any shape of N elements each. */
export interface ShadowSurface { position: V3; normal: V3; depth: Tensor; hit: Tensor; prim: Tensor }

/**
 * The light per scene, camera frame: a directional light's unit direction towards it [B, 3], its frames [B, 3, 3]
 * (rows u, v, w = direction) and each caster's box in that frame [B, 2, 3, C] (centres, then half-sizes, per
 * axis); or a point light's position [B, 3].
 */
export type ShadowLight = { direction: Tensor; frames: Tensor; boxes: Tensor } | { position: Tensor };

function check(op: string, name: string, t: Tensor, dtype: DType, shape: (number | null)[]): void {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${name} must be a Tensor`);
  const s = t.shape;
  if (t.dtype !== dtype) throw new Error(`${op}: ${name} must be ${dtype}, got ${t.dtype}`);
  if (s.length !== shape.length || shape.some((n, i) => n !== null && n !== s[i])) {
    throw new Error(`${op}: ${name} must have shape [${shape.map((n) => n ?? '*').join(', ')}], got [${s.join(', ')}]`);
  }
}

/** A per-ray plane: any shape of n elements. */
function checkPlane(op: string, name: string, t: Tensor, dtype: DType, n: number): void {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${name} must be a Tensor`);
  if (t.dtype !== dtype) throw new Error(`${op}: ${name} must be ${dtype}, got ${t.dtype}`);
  if (t.numel() !== n) throw new Error(`${op}: ${name} must have ${n} elements (one per ray), got ${t.numel()}`);
}

function checkPrimitives(op: string, p: RayPrimitives): [DType, number] {
  if (!(p.geometry instanceof Tensor)) throw new TypeError(`${op}: geometry must be a Tensor`);
  const dtype = p.geometry.dtype;
  if (dtype !== 'float32' && dtype !== 'float64') throw new Error(`${op}: geometry must be float32 or float64, got ${dtype}`);
  check(op, 'geometry', p.geometry, dtype, [null, 12]);
  const P = p.geometry.shape[0];
  check(op, 'kernels', p.kernels, 'int32', [P]);
  return [dtype, P];
}

// The kernel runs on the CPU: tensors elsewhere (CUDA) are copied there, and results go back to `device`.
const onCpu = (t: Tensor): Tensor => (t.device === 'cpu' ? t : t.cpu()).contiguous();
const back = (t: Tensor, device: string): Tensor => (device === 'cpu' ? t : t.to({ device }));

/**
 * Camera rays of B images of `grid`'s size, tile by tile: ray (i, j) of tile b is (x[b, j], y[b, i], 1) from the
 * camera centre (x [B * tiles, tileW], y [B * tiles, tileH], tiles.ts). Each primitive is tested in the tiles its
 * projected bounding box covers (intrinsics per scene); hits nearer than `near` do not count.
 */
export function castCameraRays(p: CameraPrimitives, Ks: Intrinsics[], grid: TileGrid, rays: { x: Tensor; y: Tensor }, near: number): CameraHits {
  const op = 'castCameraRays';
  const [dtype, P] = checkPrimitives(op, p);
  check(op, 'scene', p.scene, 'int32', [P]);
  check(op, 'outline', p.outline, 'float64', [P, 15]);
  const tiles = Ks.length * grid.tiles;
  check(op, 'x', rays.x, dtype, [tiles, grid.tileW]);
  check(op, 'y', rays.y, dtype, [tiles, grid.tileH]);
  if (!Number.isFinite(near)) throw new Error(`${op}: near must be a finite number, got ${near}`);
  const K = torch.tensor(Float64Array.from(Ks.flatMap((k) => [k.fx, k.fy, k.cx, k.cy])), { shape: [Ks.length, 4] });
  const device = rays.x.device;
  const [depth, hit, prim] = addon.raycastCamera(onCpu(p.geometry).handle, onCpu(p.kernels).handle, onCpu(p.outline).handle,
    onCpu(p.scene).handle, K.handle, onCpu(rays.x).handle, onCpu(rays.y).handle, [grid.width, grid.height], near)
    .map((h) => back(new Tensor(h), device));
  return { depth, hit, prim };
}

/**
 * Shadow rays from the camera hits towards one light, in blocks of `block` consecutive rays (all of one scene):
 * 1 where the light reaches the point, 0 in shadow, [N] flat. Only hits facing the light are tested properly; the
 * culling of casters per block looks at those rays alone.
 */
export function castShadowRays(p: ShadowPrimitives, s: ShadowSurface, light: ShadowLight, block: number): Tensor {
  const op = 'castShadowRays';
  const [dtype, P] = checkPrimitives(op, p);
  check(op, 'size', p.size, dtype, [P, 3]);
  check(op, 'casters', p.casters, 'int32', [null, null]);
  const [B, C] = p.casters.shape;
  checkPlane(op, 'depth', s.depth, dtype, s.depth instanceof Tensor ? s.depth.numel() : 0);
  const N = s.depth.numel();
  const planes = [...s.position, ...s.normal, s.depth, s.hit];
  const names = ['position x', 'position y', 'position z', 'normal x', 'normal y', 'normal z', 'depth', 'hit'];
  planes.forEach((t, i) => checkPlane(op, names[i], t, dtype, N));
  checkPlane(op, 'prim', s.prim, 'int64', N);
  if (!(Number.isInteger(block) && block > 0 && N % (B * block) === 0)) {
    throw new Error(`${op}: ${N} rays do not split into blocks of ${block} for ${B} scenes`);
  }
  const directional = 'direction' in light;
  const where = directional ? light.direction : light.position;
  check(op, directional ? 'light direction' : 'light position', where, dtype, [B, 3]);
  if (directional) {
    check(op, 'light frames', light.frames, dtype, [B, 3, 3]);
    check(op, 'caster boxes', light.boxes, dtype, [B, 2, 3, C]);
  }
  const device = s.depth.device;
  const flat = (t: Tensor) => onCpu(t.reshape(-1)).handle;
  return back(new Tensor(addon.raycastShadows(onCpu(p.geometry).handle, onCpu(p.kernels).handle, onCpu(p.size).handle,
    onCpu(p.casters).handle, planes.map(flat), flat(s.prim), block, onCpu(where).handle,
    directional ? onCpu(light.frames).handle : null, directional ? onCpu(light.boxes).handle : null)), device);
}

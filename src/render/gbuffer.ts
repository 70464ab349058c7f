// The visibility pass: closest hits of the camera rays, then per pixel the surface's position, normal, labels,
// material and texture coordinates, and (optionally) whether each light reaches it. Nothing here is
// differentiated; shading.ts turns it into colour with the parameters θ. Everything is in tile layout
// [B, tiles, raysPerTile] (tiles.ts).
import * as torch from '../torch/index.js';
import type { DType, Tensor } from '../torch/index.js';
import type { Intrinsics } from './camera.js';
import { ATTR, GEO, type CompiledScenes } from './compile.js';
import { cameraJobs } from './camera_culling.js';
import { shadowJobs, type LightGeometry } from './shadow_culling.js';
import { MAX_CAPS } from './primitives.js';
import { castRays, MISS } from './raycast.js';
import { cameraRayAxes, cameraRays, type TileGrid } from './tiles.js';

type V3 = [Tensor, Tensor, Tensor];

/** Per-pixel surface data in tile layout, each [B, tiles, raysPerTile] (int64 labels, the render dtype otherwise). */
export interface GBuffer {
  /** 1 where a primitive is hit, 0 where the ray escapes. */
  hit: Tensor;
  /** Depth along the camera z axis in metres; 0 where nothing is hit. */
  depth: Tensor;
  /** Camera-frame hit point, unit normal facing the camera (0 where nothing is hit), unit ray direction. */
  position: V3;
  normal: V3;
  rayDir: V3;
  classId: Tensor;
  instance: Tensor;
  material: Tensor;
  /** Per-object colour multiplier; object-frame coordinates in metres; a per-surface texture offset. */
  tint: V3;
  texCoord: V3;
  texOffset: V3;
  /** Per light: 1 where the light reaches the surface, 0 in its shadow (all 1 without shadows). */
  lit: Tensor[];
}

export interface VisibilityOptions {
  missClass: number[];
  /** Camera-frame light geometry per light, for shadow rays; empty for no shadows. */
  shadowLights: LightGeometry[];
  near: number;
}

// Per-pixel logic is arithmetic on floats: comparisons make boolean tensors, and where() and boolean ops are
// several times slower than arithmetic on the CPU. A mask is 0/1; step(q) is 1 where q > 0, else 0.
const dot = (a: V3, b: V3): Tensor => a[0].mul(b[0]).addcmul(a[1], b[1]).addcmul(a[2], b[2]);
const scaleV = (a: V3, s: Tensor): V3 => [a[0].mul(s), a[1].mul(s), a[2].mul(s)];
const step = (q: Tensor): Tensor => q.sign().relu();
/** a where mask is 1, b where it is 0. */
const choose = (mask: Tensor, a: Tensor, b: Tensor): Tensor => b.add(a.sub(b).mul(mask));

// Local-frame normal of the unit shape of each kernel at local point p; w holds the kernel one-hot per pixel.
function localNormal(p: V3, w: Tensor[]): V3 {
  const [wPlane, wBox, wQuad, wCyl] = w;
  const ax = p.map((x) => x.abs()) as V3;
  const top = ax[0].maximum(ax[1]).maximum(ax[2]);
  const r = p[0].mul(p[0]).addcmul(p[1], p[1]).sqrt();
  const onCap = step(ax[2].sub(r)).mul(wCyl);
  const side = wCyl.sub(onCap);
  // Box: the axis of the largest coordinate; cylinder: radial on the side, axial on a cap; plane: +z.
  return [0, 1, 2].map((i) => {
    const boxN = p[i].sign().mul(top.sub(ax[i]).sign().rsub(1)).mul(wBox);
    const n = boxN.addcmul(p[i], wQuad);
    if (i < 2) return n.addcmul(p[i], side);
    return n.add(p[2].sign().mul(onCap)).add(wPlane);
  }) as V3;
}

export function visibility(c: CompiledScenes, Ks: Intrinsics[], g: TileGrid, o: VisibilityOptions, dtype: DType): GBuffer {
  return torch.scope(() => torch.noGrad(() => {
    const B = Ks.length, NB = B * g.tiles, S = g.raysPerTile;
    const axes = cameraRayAxes(g, Ks, dtype);
    const cast = castRays({ ...axes, tileW: g.tileW, tileH: g.tileH }, c, cameraJobs(c, Ks, g, o.near), S, o.near, true);
    const primPlus = cast.prim!.view(NB, S);
    const hit = primPlus.sign();
    const t = cast.t.view(NB, S).mul(hit);
    // Each pixel's primitive row, gathered from transposed tables (one contiguous row per column).
    const idx = primPlus.sub(1).clamp(0, null).to('int64').flatten();
    const rowsOf = (table: Tensor) => table.t().contiguous().indexSelect(1, idx).view(table.shape[1], NB, S);
    const geo = rowsOf(c.geometry), attr = rowsOf(c.attrs);
    const col = (i: number) => attr.select(0, i);
    const [dx, dy] = cameraRays(g, axes);
    const position: V3 = [dx.mul(t), dy.mul(t), t];
    // Local point M p + M(0 - centre), its normal, and the normal back in the camera frame (M^T n: M scales).
    const m = Array.from({ length: 9 }, (_, i) => geo.select(0, GEO.m + i));
    const local = [0, 1, 2].map((r) => position[0].mul(m[3 * r]).addcmul(position[1], m[3 * r + 1])
      .addcmul(position[2], m[3 * r + 2]).add(geo.select(0, GEO.o + r))) as V3;
    const nl = localNormal(local, [0, 1, 2, 3].map((k) => col(ATTR.kernel + k)));
    let normal = [0, 1, 2].map((j) => nl[0].mul(m[j]).addcmul(nl[1], m[3 + j]).addcmul(nl[2], m[6 + j])) as V3;
    // Unit length, facing the camera (planes are two-sided), zero on misses.
    const facing = step(dot(normal, position)).mul(-2).add(1);
    normal = scaleV(normal, dot(normal, normal).clamp(1e-24, null).rsqrt().mul(facing).mul(hit));

    let material = col(ATTR.material), classId = col(ATTR.classId);
    let tint = [0, 1, 2].map((i) => col(ATTR.tint + i));
    if (c.hasCaps) {
      const ulen = dot(local, local).clamp(1e-24, null).rsqrt();
      for (let k = 0; k < MAX_CAPS; k++) {
        const a = ATTR.caps + ATTR.capWidth * k;
        const cos = local[0].mul(col(a)).addcmul(local[1], col(a + 1)).addcmul(local[2], col(a + 2)).mul(ulen);
        const inCap = step(cos.sub(col(a + 3)));
        material = choose(inCap, col(a + 4), material);
        classId = choose(inCap, col(a + 5), classId);
        tint = tint.map((x, i) => choose(inCap, col(a + 6 + i), x));
      }
    }
    const missClass = torch.tensor(Float64Array.from(o.missClass), { shape: [B, 1, 1], dtype });
    const lit = o.shadowLights.map((light) => shadowMask(c, g, position, normal, t, hit, primPlus, light));
    const rlen = dx.mul(dx).addcmul(dy, dy).add(1).rsqrt();
    const img = (x: Tensor) => x.reshape(B, g.tiles, S);
    return {
      hit: img(hit), depth: img(t), position: position.map(img) as V3, normal: normal.map(img) as V3,
      rayDir: [img(dx.mul(rlen)), img(dy.mul(rlen)), img(rlen)],
      classId: choose(img(hit), img(classId), missClass).to('int64'), instance: img(col(ATTR.instance).mul(hit)).to('int64'),
      material: img(material.mul(hit)).to('int64'),
      tint: tint.map(img) as V3,
      texCoord: [0, 1, 2].map((i) => img(local[i].mul(attr.select(0, ATTR.size + i)))) as V3,
      texOffset: [0, 1, 2].map((i) => img(attr.select(0, ATTR.texOffset + i))) as V3,
      lit: lit.map(img),
    };
  }));
}

/** 1 where the light reaches a hit point facing it (tile layout [B * tiles, S]), by shadow rays towards the light. */
function shadowMask(c: CompiledScenes, g: TileGrid, position: V3, normal: V3, t: Tensor, hit: Tensor, primPlus: Tensor,
  light: LightGeometry): Tensor {
  return torch.scope(() => {
    const [NB, S] = t.shape;
    const B = NB / g.tiles;
    // Start slightly off the surface, more so far away where float32 positions are coarser.
    const origin = position.map((p, i) => p.addcmul(normal[i], t.mul(5e-4).add(2e-4))) as V3;
    const perBlock = (x: Tensor) => x.expand(B, g.tiles, 1).reshape(NB, 1);
    const directional = 'direction' in light;
    const dir = directional ? light.direction.map(perBlock) as V3 : light.position.map((p, i) => perBlock(p).sub(origin[i])) as V3;
    // Only hit points facing the light need a shadow ray (the others are dark anyway); the culling gets each block's
    // sphere around those and the range of primitives they lie on.
    const skip = hit.mul(step(dot(normal, dir))).rsub(1);
    const away = skip.mul(MISS);
    const lo = origin.map((x) => x.add(away).amin(1, true)), hi = origin.map((x) => x.sub(away).amax(1, true));
    const extent = lo.map((l, i) => hi[i].sub(l).clamp(0, 1e6)) as V3;
    const prim = primPlus.sub(1);
    const first = prim.sub(away).amax(1, true), last = prim.add(away).amin(1, true);
    const view = (x: Tensor) => x.view(B, g.tiles, 1);
    const jobs = shadowJobs(c, {
      centre: lo.map((l, i) => view(l.add(hi[i]).mul(0.5))) as V3,
      radius: view(dot(extent, extent).sqrt().mul(0.5)),
      only: view(choose(first.sub(last).abs().sign(), torch.fullLike(first, -1), first)),
      active: view(hi[0].sub(lo[0]).add(1).sign().relu()),
    }, light);
    const cast = castRays({ origin, dir }, c, jobs, S, 0, false);
    return step(cast.t.view(NB, S).sub(directional ? MISS / 2 : 1));
  });
}

// The visibility pass: closest hits of the camera rays, then per pixel the surface's position, normal, labels,
// material and texture coordinates, and (optionally) whether each light reaches it. Nothing here is
// differentiated; shading.ts turns it into colour with the parameters θ. Everything is in tile layout
// [B, tiles, raysPerTile] (tiles.ts).
import * as torch from '../torch/index.js';
import type { DType, Tensor } from '../torch/index.js';
import type { Intrinsics } from './camera.js';
import type { Vec3 } from './math.js';
import { ATTR, GEO, type CompiledScenes } from './compile.js';
import { shadowLight, type LightGeometry } from './shadow_culling.js';
import { MAX_CAPS } from './primitives.js';
import { castCameraRays, castShadowRays } from './raycast.js';
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
/**
 * Rays per shadow-ray block: half a tile (16 x 4). Half tiles keep each block's origins closer together, so fewer
 * casters pass the culling (measured: 13% less work than whole tiles, and more than quarter tiles).
 */
const SHADOW_BLOCK = 64;

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
    const { depth: t, hit, prim } = castCameraRays(c, Ks, g, axes, o.near);
    const [dx, dy] = cameraRays(g, axes);
    const position: V3 = [dx.mul(t), dy.mul(t), t];
    // Inner scopes keep few temporaries alive at a time: held in bulk, they would make V8 collect garbage over
    // and over (the engine reports native memory to it).
    const surface = torch.scope(() => {
      // Each pixel's value of a table column, gathered once per column into a contiguous plane (the per-pixel
      // arithmetic is several times faster on those than on strided views of one gather of whole rows).
      const idx = prim.clamp(0, null).flatten();
      const gathered = new Map<string, Tensor>();
      const column = (table: Tensor, name: string, i: number) => {
        const key = `${name}${i}`;
        let v = gathered.get(key);
        if (!v) gathered.set(key, v = table.select(1, i).contiguous().indexSelect(0, idx).view(NB, S));
        return v;
      };
      const col = (i: number) => column(c.attrs, 'a', i);
      // Local point M p + M(0 - centre), its normal, and the normal back in the camera frame (M^T n: M scales).
      const m = Array.from({ length: 9 }, (_, i) => column(c.geometry, 'g', GEO.m + i));
      const local = [0, 1, 2].map((r) => position[0].mul(m[3 * r]).addcmul(position[1], m[3 * r + 1])
        .addcmul(position[2], m[3 * r + 2]).add(column(c.geometry, 'g', GEO.o + r))) as V3;
      const normal = torch.scope(() => {
        const nl = localNormal(local, [0, 1, 2, 3].map((k) => col(ATTR.kernel + k)));
        const n = [0, 1, 2].map((j) => nl[0].mul(m[j]).addcmul(nl[1], m[3 + j]).addcmul(nl[2], m[6 + j])) as V3;
        // Unit length, facing the camera (planes are two-sided), zero on misses.
        const facing = step(dot(n, position)).mul(-2).add(1);
        return scaleV(n, dot(n, n).clamp(1e-24, null).rsqrt().mul(facing).mul(hit));
      });
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
      return {
        normal, material: material.mul(hit), classId, instance: col(ATTR.instance).mul(hit), tint,
        texCoord: [0, 1, 2].map((i) => local[i].mul(col(ATTR.size + i))),
        texOffset: [0, 1, 2].map((i) => col(ATTR.texOffset + i)),
      };
    });
    const normal = surface.normal;
    const missClass = torch.tensor(Float64Array.from(o.missClass), { shape: [B, 1, 1], dtype });
    const lit = o.shadowLights.map((light) =>
      castShadowRays(c, { position, normal, depth: t, hit, prim }, shadowLight(c, light, dtype), SHADOW_BLOCK).view(NB, S));
    const rlen = dx.mul(dx).addcmul(dy, dy).add(1).rsqrt();
    const img = (x: Tensor) => x.reshape(B, g.tiles, S);
    return {
      hit: img(hit), depth: img(t), position: position.map(img) as V3, normal: normal.map(img) as V3,
      rayDir: [img(dx.mul(rlen)), img(dy.mul(rlen)), img(rlen)],
      classId: choose(img(hit), img(surface.classId), missClass).to('int64'), instance: img(surface.instance).to('int64'),
      material: img(surface.material).to('int64'), tint: surface.tint.map(img) as V3,
      texCoord: surface.texCoord.map(img) as V3, texOffset: surface.texOffset.map(img) as V3,
      lit: lit.map(img),
    };
  }));
}

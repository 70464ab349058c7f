// Which (ray block, primitive) pairs shadow rays must test, as tensor ops over blocks x shadow casters. A block
// whose rays all start on one primitive skips it: a convex surface cannot shadow itself where it faces the light.
//  - Directional light: in a frame (u, v, w) with w towards the light, a shadow ray keeps its (u, v), so a
//    primitive can shade a block only if their (u, v) boxes overlap and the primitive reaches above the block's
//    lowest ray origin in w.
//  - Point light: the primitive's box, grown by the block's radius, must meet the segment from the block's centre
//    to the light.
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import { ATTR, GEO, KERNELS, type CompiledScenes } from './compile.js';
import { cross, dot, normalize, type Vec3 } from './math.js';
import type { Jobs } from './raycast.js';

type V3 = [Tensor, Tensor, Tensor];

/** The light as seen from each scene's camera (camera frame): a unit direction towards it, or its position. */
export type LightGeometry = { direction: Vec3[] } | { position: Vec3[] };

/** Per block, [B, blocks, 1] each: the one primitive all its shadow rays start on (else -1); 1 if it has rays. */
export interface BlockPrims { only: Tensor; active: Tensor }

/** A right-handed frame (u, v, w) with w = the given unit vector. */
export function lightFrame(w: Vec3): [Vec3, Vec3, Vec3] {
  const u = normalize(cross(w, Math.abs(w[1]) < 0.9 ? [0, 1, 0] : [1, 0, 0]));
  return [u, cross(w, u), w];
}

/** Jobs from a keep mask [B, blocks, casters] (1 = test), split by kernel. */
function jobsFrom(c: CompiledScenes, keep: Tensor): Jobs {
  const [, T, P] = keep.shape;
  const found = keep.gt(0.5).nonzero();
  const block = found.select(1, 0).mul(T).add(found.select(1, 1));
  const prim = c.casters.flatten().indexSelect(0, found.select(1, 0).mul(P).add(found.select(1, 2)));
  const kernel = c.kernels.indexSelect(0, prim);
  return KERNELS.map((_, k) => {
    const sel = kernel.eq(k).nonzero().flatten();
    return { block: block.indexSelect(0, sel), prim: prim.indexSelect(0, sel) };
  });
}

/** 1 where the caster is real and is not the block's only primitive, [B, blocks, casters]. */
function eligible(c: CompiledScenes, blocks: BlockPrims): Tensor {
  const [B, P] = c.casters.shape;
  const self = c.casters.to(blocks.only.dtype).view(B, 1, P).sub(blocks.only).sign().abs();
  return self.mul(blocks.active).mul(c.casterMask.unsqueeze(1));
}

/**
 * Directional light: `lo` and `hi` hold each block's box of shadow-ray origins in the light frames of
 * lightFrame(direction) ([B, blocks, 1] per axis).
 */
export function directionalShadowJobs(c: CompiledScenes, lo: V3, hi: V3, blocks: BlockPrims, directions: Vec3[]): Jobs {
  return torch.scope(() => torch.noGrad(() => {
    const [B, P] = c.casters.shape;
    // Each caster's box in its scene's light frame: centre . e +- sum_j |A_j . e| (A's columns are the half-axes).
    const frames = directions.map(lightFrame);
    const mid = new Float64Array(3 * B * P), half = new Float64Array(3 * B * P);
    const ids = c.casters.to('int32').contiguous().toTypedArray() as Int32Array;
    const mask = c.casterMask.to('float64').contiguous().toTypedArray() as Float64Array;
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < P; k++) {
        if (mask[b * P + k] === 0) continue;
        const p = c.prims[ids[b * P + k]];
        frames[b].forEach((e, axis) => {
          let h = 0;
          for (let j = 0; j < 3; j++) h += Math.abs(p.A[j] * e[0] + p.A[3 + j] * e[1] + p.A[6 + j] * e[2]) * p.extent[j];
          mid[(axis * B + b) * P + k] = dot(p.centre, e);
          half[(axis * B + b) * P + k] = h;
        });
      }
    }
    const dtype = lo[0].dtype;
    const axis = (a: Float64Array, i: number) => torch.tensor(a.subarray(i * B * P, (i + 1) * B * P), { shape: [B, 1, P], dtype });
    const low = [0, 1, 2].map((i) => axis(mid, i).sub(axis(half, i)));
    const high = [0, 1, 2].map((i) => axis(mid, i).add(axis(half, i)));
    // Overlap in u and in v, and the caster reaching above the block's lowest origin in w.
    const gap = high[0].sub(lo[0]).minimum(hi[0].sub(low[0])).minimum(high[1].sub(lo[1])).minimum(hi[1].sub(low[1]))
      .minimum(high[2].sub(lo[2]));
    return jobsFrom(c, gap.sign().add(1).sign().mul(eligible(c, blocks)));
  }));
}

/** Point light: `centre` and `radius` bound each block's shadow-ray origins ([B, blocks, 1]). */
export function pointShadowJobs(c: CompiledScenes, centre: V3, radius: Tensor, blocks: BlockPrims, positions: Vec3[]): Jobs {
  return torch.scope(() => torch.noGrad(() => {
    const [B, P] = c.casters.shape;
    const idx = c.casters.flatten();
    const dtype = radius.dtype;
    // Per caster columns, [B, 1, P] each.
    const column = (table: Tensor, i: number) => table.narrow(1, i, 1).indexSelect(0, idx).view(B, 1, P);
    const m = (r: number, k: number) => column(c.geometry, GEO.m + 3 * r + k);
    const light = [0, 1, 2].map((i) => torch.tensor(Float64Array.from(positions, (p) => p[i]), { shape: [B, 1, 1], dtype }));
    const v = light.map((p, i) => p.sub(centre[i]));
    const flat = column(c.attrs, ATTR.kernel).rsub(1); // a plane's box has no thickness
    let near: Tensor | null = null, far: Tensor | null = null;
    // Slab test of the segment centre + s v, s in [0, 1], against the box grown by the radius (scaled local frame).
    for (let r = 0; r < 3; r++) {
      const cl = centre[0].mul(m(r, 0)).add(centre[1].mul(m(r, 1))).add(centre[2].mul(m(r, 2))).add(column(c.geometry, GEO.o + r));
      const vl = v[0].mul(m(r, 0)).add(v[1].mul(m(r, 1))).add(v[2].mul(m(r, 2)));
      const h = radius.div(column(c.attrs, ATTR.size + r)).add(r === 2 ? flat : 1);
      const inv = vl.add(1e-30).reciprocal();
      const a = h.add(cl).neg().mul(inv), b = h.sub(cl).mul(inv);
      const lo = a.minimum(b), hi = a.maximum(b);
      near = near ? near.maximum(lo) : lo.clamp(0, null);
      far = far ? far.minimum(hi) : hi.clamp(null, 1);
    }
    return jobsFrom(c, near!.sub(far!).sign().relu().rsub(1).mul(eligible(c, blocks)));
  }));
}

// Closest-hit ray casting against analytic primitives, vectorised over jobs (a block of rays x one primitive)
// and processed in cache-sized chunks. Runs without autograd: visibility is discrete and is not differentiated.
import * as torch from '../torch/index.js';
import { aten, type Tensor } from '../torch/index.js';
import { GEO, KERNELS, type CompiledScenes } from './compile.js';

/** Per kernel (KERNELS order): the ray block and the global primitive index of each job, int64 [J] each. */
export type Jobs = { block: Tensor; prim: Tensor }[];

/** The ray parameter of a miss. Finite, so that penalties add up without inf - inf. */
export const MISS = 1e30;
/** Ray-primitive tests per chunk: temporaries of this many floats stay in cache (measured ~2.5x faster). */
const CHUNK = 131072;

const scatterReduce_ = aten<void>('aten::scatter_reduce_.two');

type V3 = [Tensor, Tensor, Tensor];

/**
 * Rays in blocks of S. Camera rays start at the camera centre with direction (x, y, 1), x varying along a tile's
 * columns and y along its rows ([blocks, tileW], [blocks, tileH]); other rays give origin per ray [blocks, S] and
 * direction per ray or per block ([blocks, 1]: parallel rays, e.g. towards a directional light).
 */
export type RayBlocks = { x: Tensor; y: Tensor; tileW: number; tileH: number } | { origin: V3; dir: V3 };

// The kernels are branch-free arithmetic: comparisons make boolean tensors, and those ops are several times
// slower than arithmetic on the CPU. A miss adds fails(q) x MISS, where q > 0 holds all the conditions of a hit
// (combined as a minimum) and fails(q) is 0 where q > 0, else 1 or 2.
const fails = (q: Tensor): Tensor => q.sign().rsub(1);
// Ray directions get TINY added (toLocal): a ray parallel to a slab or an axis then gives huge finite
// parameters, never inf or NaN (inf x 0), so no sanitising pass is needed.
const TINY = 1e-30;

const dot = (a: V3, b: V3): Tensor => a[0].mul(b[0]).addcmul(a[1], b[1]).addcmul(a[2], b[2]);

/** Entry parameter of rays o + t d into the unit sphere, MISS where there is none beyond tmin. */
function quadric(o: V3, d: V3, tmin: number): Tensor {
  const a = dot(d, d), b = dot(o, d), c = dot(o, o).sub(1);
  const disc = b.mul(b).sub(a.mul(c));
  const t = b.add(disc.relu().sqrt()).div(a.neg());
  return t.add(fails(disc.minimum(t.sub(tmin))).mul(MISS));
}

/**
 * The slab |x| <= 1 along one axis: the ray is inside it for t in [-(a + b), b - a], a = o / d, b = 1 / |d|.
 * Returns (a + b, b - a), the negated entry and the exit.
 */
function slab(o: Tensor, d: Tensor): [Tensor, Tensor] {
  const inv = d.reciprocal();
  const a = o.mul(inv), b = inv.abs();
  return [a.add(b), b.sub(a)];
}

/** Entry into the cube [-1, 1]^3 by the slab method. */
function box(o: V3, d: V3, tmin: number): Tensor {
  const [x, y, z] = [0, 1, 2].map((k) => slab(o[k], d[k]));
  const negNear = x[0].minimum(y[0]).minimum(z[0]), far = x[1].minimum(y[1]).minimum(z[1]);
  // Hit: far >= near and near > tmin.
  return fails(far.add(negNear).minimum(negNear.add(tmin).neg())).mul(MISS).sub(negNear);
}

/** Hit of the square |x|, |y| <= 1 in the plane z = 0. */
function plane(o: V3, d: V3, tmin: number): Tensor {
  const t = d[2].reciprocal().mul(o[2].neg());
  const x = t.mul(d[0]).add(o[0]).abs(), y = t.mul(d[1]).add(o[1]).abs();
  return t.add(fails(x.rsub(1).minimum(y.rsub(1)).minimum(t.sub(tmin))).mul(MISS));
}

/** Entry into the capped cylinder x^2 + y^2 <= 1, |z| <= 1. */
function cylinder(o: V3, d: V3, tmin: number): Tensor {
  const a = d[0].mul(d[0]).addcmul(d[1], d[1]).add(TINY);
  const b = d[0].mul(o[0]).addcmul(d[1], o[1]);
  const c = o[0].mul(o[0]).addcmul(o[1], o[1]).sub(1);
  const disc = b.mul(b).sub(a.mul(c));
  const root = disc.relu().sqrt();
  const s1 = b.add(root).div(a.neg()), s2 = root.sub(b).div(a);
  const [negZ, zFar] = slab(o[2], d[2]);
  const near = s1.maximum(negZ.neg()), far = s2.minimum(zFar);
  return near.add(fails(disc.minimum(far.sub(near)).minimum(near.sub(tmin))).mul(MISS));
}

const kernels = [plane, box, quadric, cylinder];

/** The rays of the given blocks in the primitives' local frames (geometry rows g, one per job). */
function toLocal(rays: RayBlocks, g: Tensor, blk: Tensor): { o: V3; d: V3 } {
  const col = (i: number) => g.narrow(1, i, 1);
  const m = (r: number, c: number) => col(GEO.m + 3 * r + c);
  const o0 = [0, 1, 2].map((r) => col(GEO.o + r)) as V3;
  const J = blk.shape[0];
  if ('x' in rays) {
    // Local direction M (x, y, 1): a column part plus a row part, broadcast over the tile.
    const x = rays.x.indexSelect(0, blk), y = rays.y.indexSelect(0, blk);
    const d = [0, 1, 2].map((r) => x.mul(m(r, 0)).add(m(r, 2).add(TINY)).view(J, 1, rays.tileW)
      .add(y.mul(m(r, 1)).view(J, rays.tileH, 1)).view(J, -1)) as V3;
    return { o: o0, d };
  }
  // M v + c as one chain of fused multiply-adds from c.
  const apply = (v: V3, c: V3 | number): V3 => [0, 1, 2].map((r) => (typeof c === 'number' ? torch.fullLike(m(r, 0), c) : c[r])
    .addcmul(v[0], m(r, 0)).addcmul(v[1], m(r, 1)).addcmul(v[2], m(r, 2))) as V3;
  return { o: apply(rays.origin.map((t) => t.indexSelect(0, blk)) as V3, o0),
    d: apply(rays.dir.map((t) => t.indexSelect(0, blk)) as V3, TINY) };
}

export interface CastResult {
  /** Closest ray parameter per ray, [blocks * S]; MISS where nothing is hit. */
  t: Tensor;
  /** 1 + the global primitive index of the closest hit, 0 for none, as floats; only when asked for. */
  prim: Tensor | null;
}

/** Casts every block's rays against its jobs' primitives; returns the closest hit per ray. */
export function castRays(rays: RayBlocks, c: CompiledScenes, jobs: Jobs, S: number, tmin: number, wantPrim: boolean): CastResult {
  // Scopes free each chunk's temporaries at once: held to the end, they would also make V8 collect garbage
  // over and over (the engine reports native memory to it).
  return torch.scope(() => torch.noGrad(() => {
    const blocks = ('x' in rays ? rays.x : rays.dir[0]).shape[0];
    const dtype = c.geometry.dtype;
    const lane = torch.arange(0, S);
    const best = torch.full([blocks * S], MISS, { dtype });
    const done: { t: Tensor; idx: Tensor; prm: Tensor }[] = [];
    const rows = Math.max(1, Math.floor(CHUNK / S));
    KERNELS.forEach((_, k) => {
      const list = jobs[k];
      const J = list.block.shape[0];
      for (let start = 0; start < J; start += rows) {
        const n = Math.min(rows, J - start);
        const chunk = torch.scope(() => {
          const blk = list.block.narrow(0, start, n), prm = list.prim.narrow(0, start, n);
          const { o, d } = toLocal(rays, c.geometry.indexSelect(0, prm), blk);
          const t = kernels[k](o, d, tmin);
          const idx = blk.unsqueeze(1).mul(S).add(lane).flatten();
          scatterReduce_(best, 0, idx, t.flatten(), 'amin', true);
          return wantPrim ? { t, idx, prm } : null;
        });
        if (chunk) done.push(chunk);
      }
    });
    if (!wantPrim) return { t: best, prim: null };
    // The winner per ray: among jobs that reach the minimum (t - best = 0), the largest primitive index + 1; then
    // 0 where the minimum is a miss.
    const prim = torch.zeros([blocks * S], { dtype });
    for (const { t, idx, prm } of done) {
      torch.scope(() => {
        const isBest = t.sub(best.gather(0, idx).view(t.shape)).sign().rsub(1);
        scatterReduce_(prim, 0, idx, isBest.mul(prm.add(1).to(dtype).unsqueeze(1)).flatten(), 'amax', true);
      });
    }
    return { t: best, prim: prim.mul(best.rsub(MISS / 2).sign().relu()) };
  }));
}

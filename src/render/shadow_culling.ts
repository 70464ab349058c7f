// Which (ray block, primitive) pairs shadow rays must test, as tensor ops over blocks x shadow casters: a
// primitive can shade a block only if its box, grown by the block's radius, meets the segment from the block's
// centre towards the light (a half-line for a directional light). A block whose rays all start on one
// primitive skips it: a convex surface cannot shadow itself where it faces the light.
import * as torch from '../torch/index.js';
import type { Tensor } from '../torch/index.js';
import { ATTR, GEO, KERNELS, type CompiledScenes } from './compile.js';
import { MISS, type Jobs } from './raycast.js';

type V3 = [Tensor, Tensor, Tensor];

export interface ShadowBlocks {
  /** Centre and radius of the shadow-ray origins of each block, [B, blocks, 1]. */
  centre: V3;
  radius: Tensor;
  /** The one primitive all of the block's rays start on, or -1; 0 for blocks with no shadow rays, else 1. */
  only: Tensor;
  active: Tensor;
}

/** The light per scene, [B, 1, 1] per component: a unit direction towards it, or its position. */
export type LightGeometry = { direction: V3 } | { position: V3 };

export function shadowJobs(c: CompiledScenes, blocks: ShadowBlocks, light: LightGeometry): Jobs {
  return torch.scope(() => torch.noGrad(() => {
    const [B, P] = c.casters.shape;
    const T = blocks.radius.shape[1];
    const idx = c.casters.flatten();
    // Per caster columns, [B, 1, P] each.
    const column = (table: Tensor, i: number) => table.narrow(1, i, 1).indexSelect(0, idx).view(B, 1, P);
    const m = (r: number, k: number) => column(c.geometry, GEO.m + 3 * r + k);
    const ct = blocks.centre;
    const directional = 'direction' in light;
    const v: V3 = directional ? light.direction : light.position.map((p, i) => p.sub(ct[i])) as V3;
    const flat = column(c.attrs, ATTR.kernel).rsub(1); // a plane's box has no thickness
    let lo: Tensor | null = null, hi: Tensor | null = null;
    for (let r = 0; r < 3; r++) {
      const cl = ct[0].mul(m(r, 0)).add(ct[1].mul(m(r, 1))).add(ct[2].mul(m(r, 2))).add(column(c.geometry, GEO.o + r));
      const vl = v[0].mul(m(r, 0)).add(v[1].mul(m(r, 1))).add(v[2].mul(m(r, 2)));
      const h = blocks.radius.div(column(c.attrs, ATTR.size + r)).add(r === 2 ? flat : 1);
      const inv = vl.add(1e-30).reciprocal();
      const a = h.add(cl).neg().mul(inv), b = h.sub(cl).mul(inv);
      const near = a.minimum(b), far = a.maximum(b);
      lo = lo ? lo.maximum(near) : near.clamp(0, null);
      hi = hi ? hi.minimum(far) : far.clamp(null, directional ? MISS : 1);
    }
    const meets = lo!.sub(hi!).sign().relu().rsub(1);
    const self = idx.to(meets.dtype).view(B, 1, P).sub(blocks.only).sign().abs();
    const keep = meets.mul(self).mul(blocks.active).mul(c.casterMask.unsqueeze(1));
    const found = keep.gt(0.5).nonzero();
    const block = found.select(1, 0).mul(T).add(found.select(1, 1));
    const prim = c.casters.flatten().indexSelect(0, found.select(1, 0).mul(P).add(found.select(1, 2)));
    const kernel = c.kernels.indexSelect(0, prim);
    return KERNELS.map((_, k) => {
      const sel = kernel.eq(k).nonzero().flatten();
      return { block: block.indexSelect(0, sel), prim: prim.indexSelect(0, sel) };
    });
  }));
}

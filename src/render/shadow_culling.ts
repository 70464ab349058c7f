// What the shadow-ray kernel (raycast.ts) needs to cull casters per block of rays, from the light geometry. A block
// whose rays all start on one primitive skips it: a convex surface cannot shadow itself where it faces the light.
//  - Directional light: in a frame (u, v, w) with w towards the light, a shadow ray keeps its (u, v), so a
//    primitive can shade a block only if their (u, v) boxes overlap and the primitive reaches above the block's
//    lowest ray origin in w. Each caster's box in that frame is computed here; the kernel does the tests.
//  - Point light: the primitive's box, grown by the block's radius, must meet the segment from the block's centre
//    to the light (all in the kernel).
import * as torch from '../torch/index.js';
import type { DType } from '../torch/index.js';
import type { CompiledScenes } from './compile.js';
import { cross, dot, normalize, type Vec3 } from './math.js';
import type { ShadowLight } from './raycast.js';

/** The light as seen from each scene's camera (camera frame): a unit direction towards it, or its position. */
export type LightGeometry = { direction: Vec3[] } | { position: Vec3[] };

/** A right-handed frame (u, v, w) with w = the given unit vector. */
export function lightFrame(w: Vec3): [Vec3, Vec3, Vec3] {
  const u = normalize(cross(w, Math.abs(w[1]) < 0.9 ? [0, 1, 0] : [1, 0, 0]));
  return [u, cross(w, u), w];
}

const perScene = (v: Vec3[], dtype: DType) => torch.tensor(Float64Array.from(v.flat()), { shape: [v.length, 3], dtype });

/** The kernel's light tensors for the scenes of `c`. */
export function shadowLight(c: CompiledScenes, light: LightGeometry, dtype: DType): ShadowLight {
  if (!('direction' in light)) return { position: perScene(light.position, dtype) };
  const [B, P] = c.casters.shape;
  const frames = light.direction.map(lightFrame);
  // Each caster's box in its scene's light frame: centre . e +- sum_j |A_j . e| (A's columns are the half-axes).
  const boxes = new Float64Array(B * 2 * 3 * P);
  const ids = c.casters.toTypedArray() as Int32Array;
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < P; k++) {
      const id = ids[b * P + k];
      if (id < 0) continue;
      const p = c.prims[id];
      frames[b].forEach((e, axis) => {
        let h = 0;
        for (let j = 0; j < 3; j++) h += Math.abs(p.A[j] * e[0] + p.A[3 + j] * e[1] + p.A[6 + j] * e[2]) * p.extent[j];
        boxes[((b * 2) * 3 + axis) * P + k] = dot(p.centre, e);
        boxes[((b * 2 + 1) * 3 + axis) * P + k] = h;
      });
    }
  }
  return {
    direction: perScene(light.direction, dtype),
    frames: torch.tensor(Float64Array.from(frames.flat(2)), { shape: [B, 3, 3], dtype }),
    boxes: torch.tensor(boxes, { shape: [B, 2, 3, P], dtype }),
  };
}

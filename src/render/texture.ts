// Procedural texture: value noise, differentiable in its coordinates (gradients reach the texture scale) and
// deterministic (a fixed lattice; per-surface offsets come from the scene seed). 3-D noise is built from 2-D
// noise: each integer z takes a differently shifted copy of one 2-D lattice, and z blends linearly between
// neighbouring copies. All samples come from one bilinear grid_sample, which is vectorised on the CPU (measured
// about 5x faster than the trilinear 3-D one). The lattice is periodic and coordinates are wrapped here:
// libtorch 1.13's gradient of grid_sample with reflection padding is wrong for some coordinates (e.g. 1.5).
import * as torch from '../torch/index.js';
import { F, type DType, type Tensor } from '../torch/index.js';
import { Rng } from './random.js';

/** The lattice repeats every PERIOD cells along x and y. */
const PERIOD = 256;
/**
 * Shift of the 2-D lattice per unit of z, in cells. Not round numbers (nor are the octave factor and shifts, or
 * the texture offsets in compile.ts): round scene sizes and scales would otherwise land samples exactly on
 * lattice lines, where bilinear lookups have kinks.
 */
const SHIFT = [37.17319, 19.31271];
const lattices = new Map<DType, Tensor>();

function lattice(dtype: DType): Tensor {
  let t = lattices.get(dtype);
  if (!t) {
    const rng = new Rng(0x5eed);
    const base = Float64Array.from({ length: PERIOD * PERIOD }, () => rng.next());
    // One extra row and column repeating the first, so interpolation wraps across the period seamlessly.
    const n = PERIOD + 1;
    const v = Float64Array.from({ length: n * n }, (_, i) => base[(Math.floor(i / n) % PERIOD) * PERIOD + ((i % n) % PERIOD)]);
    t = torch.keepTensor(torch.tensor(v, { shape: [1, 1, n, n], dtype }));
    lattices.set(dtype, t);
  }
  return t;
}

/** Lattice coordinates -> grid_sample's [-1, 1] (align_corners: -1 and 1 are the first and the repeated line). */
const wrap = (c: Tensor): Tensor => {
  const u = c.div(PERIOD);
  return u.sub(u.floor().detach()).mul(2).sub(1);
};

/**
 * Octaves of value noise at points (x, y, z) of any common shape, in [0, 1]: octave k samples at
 * 2.0317^k (x, y, z) + a fixed shift, with weight 2^-k (normalised).
 */
export function fbm(x: Tensor, y: Tensor, z: Tensor, octaves = 2): Tensor {
  const shape = x.shape;
  const us: Tensor[] = [], vs: Tensor[] = [], blends: Tensor[] = [];
  for (let k = 0; k < octaves; k++) {
    const f = 2.0317 ** k, shift = 7.3191 * k;
    const [px, py, pz] = [x, y, z].map((c) => (k === 0 ? c : c.mul(f).add(shift)).reshape(-1));
    const zi = pz.floor().detach();
    blends.push(pz.sub(zi));
    // Lattice positions in slices zi and zi + 1 (the second is the first moved by one slice's shift).
    const u = px.add(zi.mul(SHIFT[0])), v = py.add(zi.mul(SHIFT[1]));
    us.push(u, u.add(SHIFT[0]));
    vs.push(v, v.add(SHIFT[1]));
  }
  const grid = torch.stack([wrap(torch.cat(us)), wrap(torch.cat(vs))], -1).view(1, 1, -1, 2);
  const samples = F.gridSample(lattice(x.dtype), grid, { mode: 'bilinear', paddingMode: 'border', alignCorners: true })
    .view(octaves, 2, -1);
  let total = 0;
  let out: Tensor | null = null;
  for (let k = 0; k < octaves; k++) {
    const [a, b] = [samples.select(0, k).select(0, 0), samples.select(0, k).select(0, 1)];
    const n = a.add(b.sub(a).mul(blends[k])).mul(2 ** -k);
    out = out ? out.add(n) : n;
    total += 2 ** -k;
  }
  return out!.div(total).view(shape);
}

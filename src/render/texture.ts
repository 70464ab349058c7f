// Procedural texture: value noise (random values on a periodic 3-D lattice, trilinearly interpolated) read with
// one grid_sample call, so it is cheap and differentiable in its coordinates (gradients reach the texture
// scale). Deterministic: the lattice comes from a fixed seed, per-surface offsets from the scene seed.
import * as torch from '../torch/index.js';
import { F, type DType, type Tensor } from '../torch/index.js';
import { Rng } from './random.js';

/** The lattice repeats every PERIOD units along each axis. */
const PERIOD = 32;
const lattices = new Map<DType, Tensor>();

function lattice(dtype: DType): Tensor {
  let t = lattices.get(dtype);
  if (!t) {
    const rng = new Rng(0x5eed);
    const base = Float64Array.from({ length: PERIOD ** 3 }, () => rng.next());
    // One extra plane per axis repeating the first, so interpolation wraps across the period seamlessly.
    const n = PERIOD + 1;
    const v = new Float64Array(n ** 3);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        for (let k = 0; k < n; k++) v[(i * n + j) * n + k] = base[((i % PERIOD) * PERIOD + (j % PERIOD)) * PERIOD + (k % PERIOD)];
      }
    }
    t = torch.keepTensor(torch.tensor(v, { shape: [1, 1, n, n, n], dtype }));
    lattices.set(dtype, t);
  }
  return t;
}

/** Lattice coordinates -> grid_sample's [-1, 1] (align_corners: -1 and 1 are the first and the repeated plane). */
const wrap = (c: Tensor): Tensor => {
  const u = c.div(PERIOD);
  return u.sub(u.floor().detach()).mul(2).sub(1);
};

/**
 * Octaves of value noise at points (x, y, z) of any common shape, in [0, 1]: octave k samples at
 * 2.03^k (x, y, z) + a fixed shift, with weight 2^-k (normalised).
 */
export function fbm(x: Tensor, y: Tensor, z: Tensor, octaves = 2): Tensor {
  const shape = x.shape;
  const coords = [x, y, z].map((c) => {
    const levels = Array.from({ length: octaves }, (_, k) => (k === 0 ? c : c.mul(2.03 ** k).add(7.31 * k)).reshape(1, -1));
    return wrap(torch.cat(levels, 0));
  });
  const grid = torch.stack(coords, -1).view(1, 1, octaves, -1, 3);
  const samples = F.gridSample(lattice(x.dtype), grid, { mode: 'bilinear', paddingMode: 'border', alignCorners: true })
    .view(octaves, -1);
  const weights = Array.from({ length: octaves }, (_, k) => 2 ** -k);
  const total = weights.reduce((a, b) => a + b, 0);
  const w = torch.tensor(Float64Array.from(weights, (v) => v / total), { shape: [octaves, 1], dtype: x.dtype });
  return samples.mul(w).sum(0).view(shape);
}

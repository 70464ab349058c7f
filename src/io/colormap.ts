// Perceptual colormaps for depth and error maps.
import type { Tensor } from '../torch/index.js';
import type { RawImage } from './image.js';
import { toPlane } from './pixels.js';

// matplotlib's magma and viridis (lib/matplotlib/_cm_listed.py, CC0), 256 RGB entries each, as the bytes that
// cmap(x, bytes=True) gives: trunc(255 * v).
const MAGMA_HEX =
  '00000300000400000601000701010901010b02020d02020f03031104031304041505041706051907051b08061d09071f' +
  '0a07220b08240c09260d0a280e0a2a0f0b2c100c2f110c31120d33140d35150e38160e3a170f3c180f3f1a10411b1044' +
  '1c10461e10491f114b20114d2211502311522511552611572811592a115c2b115e2d10602f1062301065321067341068' +
  '350f6a370f6c390f6e3b0f6f3c0f713e0f72400f73420f74430f75450f76470f774810784a10794b10794d117a4f117b' +
  '50127b52127c53137c55137d57147d58157e5a157e5b167e5d177e5e177f60187f61187f63197f651a80661a80681b80' +
  '691c806b1c806c1d806e1e816f1e81711f81731f817420817621817721817922817a22817c23817e24817f2481812581' +
  '8225818426818526818727818928818a28818c29808d29808f2a80912a80922b80942b80952c80972c7f992d7f9a2d7f' +
  '9c2e7f9e2e7e9f2f7ea12f7ea3307ea4307da6317da7317da9327cab337cac337bae347bb0347bb1357ab3357ab53679' +
  'b63679b83778b93778bb3877bd3977be3976c03a75c23a75c33b74c53c74c63c73c83d72ca3e72cb3e71cd3f70ce4070' +
  'd0416fd1426ed3426dd4436dd6446cd7456bd9466ada4769dc4869dd4968de4a67e04b66e14c66e24d65e44e64e55063' +
  'e65162e75262e85461ea5560eb5660ec585fed595fee5b5eee5d5def5e5df0605df1615cf2635cf3655cf3675bf4685b' +
  'f56a5bf56c5bf66e5bf6705bf7715bf7735cf8755cf8775cf9795cf97b5df97d5dfa7f5efa805efa825ffb8460fb8660' +
  'fb8861fb8a62fc8c63fc8e63fc9064fc9265fc9366fd9567fd9768fd9969fd9b6afd9d6bfd9f6cfda16efda26ffda470' +
  'fea671fea873feaa74feac75feae76feaf78feb179feb37bfeb57cfeb77dfeb97ffebb80febc82febe83fec085fec286' +
  'fec488fec689fec78bfec98dfecb8efdcd90fdcf92fdd193fdd295fdd497fdd698fdd89afdda9cfddc9dfddd9ffddfa1' +
  'fde1a3fce3a5fce5a6fce6a8fce8aafceaacfcecaefceeb0fcf0b1fcf1b3fcf3b5fcf5b7fbf7b9fbf9bbfbfabdfbfcbf';
const VIRIDIS_HEX =
  '44015444025544035745055845065a45085b46095c460b5e460c5f460e61470f62471163471265471466471567471669' +
  '47186a48196b481a6c481c6e481d6f481e70482071482172482273482374472575472676472777472878472a79472b7a' +
  '472c7b462d7c462f7c46307d46317e45327f45347f453580453681443781443982433a83433b83433c84423d84423e85' +
  '4240854141864142864043874044873f45873f47883e48883e49893d4a893d4b893d4c893c4d8a3c4e8a3b508a3b518a' +
  '3a528b3a538b39548b39558b38568b38578c37588c37598c365a8c365b8c355c8c355d8c345e8d345f8d33608d33618d' +
  '32628d32638d31648d31658d31668d30678d30688d2f698d2f6a8d2e6b8e2e6c8e2e6d8e2d6e8e2d6f8e2c708e2c718e' +
  '2c728e2b738e2b748e2a758e2a768e2a778e29788e29798e287a8e287a8e287b8e277c8e277d8e277e8e267f8e26808e' +
  '26818e25828e25838d24848d24858d24868d23878d23888d23898d22898d228a8d228b8d218c8d218d8c218e8c208f8c' +
  '20908c20918c1f928c1f938b1f948b1f958b1f968b1e978a1e988a1e998a1e998a1e9a891e9b891e9c891e9d881e9e88' +
  '1e9f881ea0871fa1871fa2861fa38620a48520a58521a68521a78422a78423a88323a98224aa8225ab8126ac8127ad80' +
  '28ae7f29af7f2ab07e2bb17d2cb17d2eb27c2fb37b30b47a32b57a33b67935b77836b87738b97639b9763bba753dbb74' +
  '3ebc7340bd7242be7144be7045bf6f47c06e49c16d4bc26c4dc26b4fc36951c46853c56755c66657c66559c7645bc862' +
  '5ec96160c96062ca5f64cb5d67cc5c69cc5b6bcd596dce5870ce5672cf5574d05477d05279d1517cd24f7ed24e81d34c' +
  '83d34b86d44988d5478bd5468dd64490d64392d74195d73f97d83e9ad83c9dd93a9fd938a2da37a5da35a7db33aadb32' +
  'addc30afdc2eb2dd2cb5dd2bb7dd29bade27bdde26bfdf24c2df22c5df21c7e01fcae01ecde01dcfe11cd2e11bd4e11a' +
  'd7e219dae218dce218dfe318e1e318e4e318e7e419e9e419ece41aeee51bf1e51cf3e51ef6e61ff8e621fae622fde724';

const lut = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
export const COLORMAPS = { magma: lut(MAGMA_HEX), viridis: lut(VIRIDIS_HEX) } as const;
export type ColormapName = keyof typeof COLORMAPS;

/**
 * Values -> colours as matplotlib maps them: t = (v - lo) / (hi - lo) clipped to [0,1], entry min(floor(256 t), 255).
 * Non-finite values are black.
 */
export function applyColormap(values: ArrayLike<number>, width: number, height: number, lo: number, hi: number,
  colormap: ColormapName = 'magma'): RawImage {
  const table = COLORMAPS[colormap];
  if (!table) throw new Error(`unknown colormap '${colormap}' (expected ${Object.keys(COLORMAPS).join(' or ')})`);
  const out = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const v = values[p];
    if (!Number.isFinite(v)) continue;
    const t = hi > lo ? Math.min(Math.max((v - lo) / (hi - lo), 0), 1) : 0;
    const k = 3 * Math.min(Math.floor(t * 256), 255);
    out.set(table.subarray(k, k + 3), 3 * p);
  }
  return { data: out, width, height, channels: 3 };
}

function finiteRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) { lo = Math.min(lo, values[i]); hi = Math.max(hi, values[i]); }
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}

/**
 * A depth map (1-channel RawImage or HW / 1xHW tensor) in colour. min/max are depths (default: the map's finite
 * range). inverse (default) colours by 1 / depth, so near is bright, as Monodepth2 shows disparity; then depths
 * <= 0 count as invalid. Invalid pixels are black.
 */
export function colorizeDepth(depth: RawImage | Tensor,
  opts: { min?: number; max?: number; colormap?: ColormapName; inverse?: boolean } = {}): RawImage {
  const { data, width, height } = toPlane(depth, 'float32', 'colorizeDepth');
  const inverse = opts.inverse ?? true;
  const recip = (d: number | undefined) => (d === undefined ? undefined : d > 0 ? 1 / d : NaN);
  const values = inverse ? Float64Array.from(data, recip as (d: number) => number) : data;
  // 1 / depth reverses the order: the far bound becomes the low end.
  let [lo, hi] = inverse ? [recip(opts.max), recip(opts.min)] : [opts.min, opts.max];
  if (lo === undefined || hi === undefined) {
    const [mn, mx] = finiteRange(values);
    lo ??= mn;
    hi ??= mx;
  }
  return applyColormap(values, width, height, lo, hi, opts.colormap ?? 'magma');
}

/** An error map (>= 0) in magma from 0 to `max` (default: its largest finite value); non-finite pixels are black. */
export function colorizeError(err: RawImage | Tensor, opts: { max?: number } = {}): RawImage {
  const { data, width, height } = toPlane(err, 'float32', 'colorizeError');
  return applyColormap(data, width, height, 0, opts.max ?? finiteRange(data)[1], 'magma');
}

// The fuzzer proper, run by test/fuzz.test.ts in a child process so that a native crash shows up as the
// child's exit signal. Usage: node fuzz_child.js <seed> <calls> <lastCallFile>. It makes random calls across
// the public API, raw ATen operators and the addon itself, writes each call to lastCallFile before making it
// (so a crash names its culprit), and prints one JSON line: counts of successes, Error failures and
// anything thrown that is not an Error. Without arguments (as when the test runner picks up every file
// under test/) it does nothing.
import { writeFileSync } from 'node:fs';
import * as torch from '../src/torch/index.js';
import { native } from '../src/torch/native.js';
import { Inputs, Pool, Rng, schemaTypes } from './helpers/fuzz_inputs.js';

// Real operator names: those behind the public API plus kernels it does not reach (sparse, quantized,
// linear algebra, losses with index inputs, sampling, ...).
const operators = `add.Tensor sub.Tensor mul.Tensor div.Tensor_mode pow.Tensor_Scalar addmm addmv addbmm baddbmm mm bmm matmul dot outer
kron cross tensordot linear bilinear conv1d conv2d conv3d conv_transpose2d.input convolution max_pool1d max_pool2d max_pool3d avg_pool1d
avg_pool2d adaptive_avg_pool2d adaptive_max_pool2d max_unpool2d embedding embedding_bag ctc_loss.IntList nll_loss nll_loss2d
cross_entropy_loss binary_cross_entropy binary_cross_entropy_with_logits kl_div mse_loss smooth_l1_loss huber_loss margin_ranking_loss
cosine_embedding_loss triplet_margin_loss multilabel_margin_loss multi_margin_loss batch_norm group_norm layer_norm instance_norm
native_batch_norm dropout feature_dropout alpha_dropout softmax.int log_softmax.int _softmax gelu glu elu leaky_relu rrelu hardtanh prelu
celu selu upsample_bilinear2d.vec upsample_nearest2d.vec upsample_bicubic2d.vec grid_sampler affine_grid_generator pixel_shuffle
pixel_unshuffle im2col col2im pad constant_pad_nd reflection_pad2d one_hot index_select index_add index_copy index_fill.int_Scalar
index.Tensor index_put_ put_ take take_along_dim gather scatter.src scatter_add scatter_reduce.two masked_fill.Scalar masked_scatter
masked_select nonzero where.self as_strided unfold diag diagonal diag_embed trace tril triu roll flip rot90 repeat repeat_interleave.Tensor
expand reshape view permute transpose.int narrow select.int slice.Tensor split.Tensor chunk unbind.int cat stack squeeze.dim unsqueeze
flatten.using_ints unflatten.int movedim.int sum.dim_IntList mean.dim prod.dim_int cumsum cumprod logcumsumexp max.dim min.dim amax amin
argmax argmin sort.stable topk kthvalue median.dim mode std.correction var.correction norm.ScalarOpt_dim linalg_vector_norm
linalg_matrix_norm logsumexp histc bincount bucketize.Tensor searchsorted.Tensor _unique2 unique_consecutive unique_dim multinomial
normal.Tensor_Tensor bernoulli poisson randint.low randperm rand randn zeros ones full empty.memory_format empty_strided arange.start_step
linspace logspace eye.m tensor_split.indices to.dtype_layout to.dtype clone contiguous copy_ fill_.Scalar zero_ resize_ set_.source_Tensor
clamp clamp_ lerp.Scalar addcmul addcdiv where.ScalarOther fmod.Scalar remainder.Scalar floor_divide bitwise_and.Tensor
bitwise_left_shift.Tensor logical_not isnan nan_to_num cdist pdist cosine_similarity pairwise_distance linalg_inv linalg_solve linalg_det
linalg_cholesky linalg_qr linalg_svd linalg_eigh linalg_pinv linalg_lstsq cholesky_solve triangular_solve lu_unpack fft_fft fft_ifft
fft_rfft fft_irfft fft_fft2 fft_rfft2 fft_irfft2 fft_fftn fft_fftshift stft istft einsum meshgrid.indexing cartesian_prod combinations
trapezoid.x cummax cummin diff searchsorted.Scalar histogram.bin_ct segment_reduce view_as_real view_as_complex real imag angle polar
complex quantize_per_tensor dequantize.self int_repr _to_copy to_sparse to_dense sparse_coo_tensor.indices native_layer_norm
native_group_norm channel_shuffle native_dropout fractional_max_pool2d adaptive_max_pool1d max_pool2d_with_indices avg_pool3d
upsample_trilinear3d.vec grid_sampler_2d embedding_renorm_ logit erfinv polygamma mvlgamma digamma igamma special_zeta lgamma sinc
xlogy.Tensor hypot nextafter ldexp.Tensor frexp.Tensor copysign.Tensor heaviside gcd lcm bitwise_right_shift.Tensor
count_nonzero.dim_IntList block_diag atleast_3d hsplit.int vsplit.int tile swapaxes narrow_copy index_reduce renorm cov corrcoef vander
tril_indices triu_indices`.split(/\s+/).filter(Boolean);

// Addon entry points fuzzed directly with forged handles, bad dtype codes and bad operator ids.
const nativeCalls = ['dispose', 'isLive', 'call', 'schema', 'binary', 'unary', 'backward', 'grad', 'getGrad', 'setGrad', 'autogradInfo',
  'requiresGrad', 'fromBuffer', 'toBuffer', 'item', 'shape', 'strides', 'scalarType', 'device', 'dim', 'numel', 'isContiguous',
  'manualSeed', 'setRngState', 'setNumThreads', 'opHandle'] as const;

// args are drawn first so the call can be logged before it runs; a Tensor member gets `this` as args[0].
interface Target { name: string; args: (inp: Inputs) => unknown[]; run: (args: unknown[]) => unknown }

function functionsOf(prefix: string, mod: object): Target[] {
  return Object.entries(mod).filter(([, f]) => typeof f === 'function' && f !== torch.Tensor)
    .map(([k, f]) => ({ name: `${prefix}${k}`, args: (inp: Inputs) => inp.args(5), run: (a: unknown[]) => (f as (...x: unknown[]) => unknown)(...a) }));
}

function tensorMembers(): Target[] {
  const out: Target[] = [];
  const self = (inp: Inputs): unknown => (inp.rng.chance(0.9) ? inp.pool.any() : inp.junk());
  for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(torch.Tensor.prototype))) {
    if (name === 'constructor') continue;
    const { get, set, value } = d;
    if (get) out.push({ name: `get ${name}`, args: (inp) => [self(inp)], run: (a) => get.call(a[0]) });
    if (set) out.push({ name: `set ${name}`, args: (inp) => [self(inp), inp.plausible()], run: (a) => set.call(a[0], a[1]) });
    if (typeof value === 'function') {
      out.push({ name: `.${name}`, args: (inp) => [self(inp), ...inp.args(4)], run: (a) => value.apply(a[0], a.slice(1)) });
    }
  }
  return out;
}

function operatorTargets(): Target[] {
  return operators.map((q) => {
    const f = torch.aten<unknown>(`aten::${q}`);
    const dot = q.indexOf('.');
    const types = schemaTypes(native.schema(native.opHandle(`aten::${dot < 0 ? q : q.slice(0, dot)}`, dot < 0 ? '' : q.slice(dot + 1))));
    return { name: `aten::${q}`, args: (inp: Inputs) => inp.schemaArgs(types), run: (a: unknown[]) => f(...a) };
  });
}

function nativeTargets(): Target[] {
  const forged = (inp: Inputs): unknown => (inp.rng.chance(0.7) ? inp.pool.any().handle : inp.junk());
  return nativeCalls.map((n) => ({
    name: `native.${n}`,
    args: (inp: Inputs) => Array.from({ length: inp.rng.int(6) }, () => (inp.rng.chance(0.6) ? forged(inp) : inp.junk())),
    run: (a: unknown[]) => (native[n] as (...x: unknown[]) => unknown)(...a),
  }));
}

function describe(v: unknown, depth = 0): string {
  if (v instanceof torch.Tensor) return v.isDisposed ? 'Tensor<disposed>' : `Tensor<${v.dtype}${JSON.stringify(v.shape)}${v.device}>`;
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}...` : v);
  if (typeof v === 'symbol' || typeof v === 'function') return String(v);
  if (Array.isArray(v)) return v.length > 8 ? `Array(${v.length})` : `[${v.map((e) => describe(e, depth + 1)).join(', ')}]`;
  if (v !== null && typeof v === 'object' && depth < 2 && Object.getPrototypeOf(v) === Object.prototype) {
    return `{${Object.entries(v).map(([k, e]) => `${k}: ${describe(e, depth + 1)}`).join(', ')}}`;
  }
  if (v !== null && typeof v === 'object') return `<${Object.prototype.toString.call(v)}>`;
  return String(v);
}

/** Reads a result back the ways a user would, so data paths (toBuffer, item, printing) are fuzzed too. */
function touch(r: unknown, inp: Inputs): void {
  if (Array.isArray(r)) { r.forEach((e) => touch(e, inp)); return; }
  if (!(r instanceof torch.Tensor) || r.isDisposed || r.numel() > 10000) return;
  const readers = [() => r.toTypedArray(), () => r.tolist(), () => r.toString(), () => r.item(), () => r.grad, () => r.sum().backward()];
  inp.rng.pick(readers)();
  if (inp.rng.chance(0.05)) inp.pool.tensors[inp.rng.int(inp.pool.tensors.length)] = torch.keepTensor(r);
}

function main(seed: number, calls: number, lastCallFile: string): void {
  torch.setNumThreads(1);
  torch.manualSeed(seed);
  const rng = new Rng(seed);
  const inp = new Inputs(rng, new Pool(rng));
  const groups: [number, Target[]][] = [
    [0.35, tensorMembers()],
    [0.25, [...functionsOf('torch.', torch), ...functionsOf('F.', torch.F), ...functionsOf('autograd.', torch.autograd),
      ...functionsOf('linalg.', torch.linalg), ...functionsOf('fft.', torch.fft), ...functionsOf('cuda.', torch.cuda),
      { name: 'new Tensor', args: (i) => [i.junk()], run: (a) => new torch.Tensor(a[0] as number) }]],
    [0.33, operatorTargets()],
    [0.07, nativeTargets()],
  ];
  const counts = { calls: 0, ok: 0, errors: 0, nonErrors: 0 };
  const nonErrorSamples: string[] = [];
  const started = Date.now();
  for (let i = 0; i < calls; i++) {
    if (i % 500 === 499) inp.pool.refill();
    let k = rng.next();
    const group = groups.find(([w]) => (k -= w) < 0)?.[1] ?? groups[0][1];
    const target = rng.pick(group);
    let desc = target.name;
    try {
      torch.scope(() => {
        const args = target.args(inp);
        desc = `${target.name}(${args.map((v) => describe(v)).join(', ')})`;
        writeFileSync(lastCallFile, `call ${i}: ${desc}`);
        touch(target.run(args), inp);
      });
      counts.ok++;
    } catch (e) {
      if (e instanceof Error) counts.errors++;
      else {
        counts.nonErrors++;
        if (nonErrorSamples.length < 10) nonErrorSamples.push(`${desc}: ${describe(e)}`);
      }
    }
    counts.calls++;
    torch.setGradEnabled(true);
    if (torch.getNumThreads() !== 1) torch.setNumThreads(1);
    inp.pool.trim(10000);
  }
  console.log(JSON.stringify({ ...counts, nonErrorSamples, ms: Date.now() - started }));
}

if (process.argv.length >= 5) main(Number(process.argv[2]), Number(process.argv[3]), process.argv[4]);

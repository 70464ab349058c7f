// Closest-hit ray casting of the renderer's analytic primitives on the CPU (src/render/raycast.ts): camera rays
// per screen tile against the primitives culled to that tile (tile_culling.h), and shadow rays per block of rays against the shadow
// casters that the block's culling keeps. Visibility is not differentiated, so this is plain arithmetic.
//
// The arithmetic is the tensor formulas it replaced, operation by operation and in the render dtype (float32 or
// float64), so renders stayed the same: a fused multiply-add exactly where the tensor code had addcmul (whose
// vectorised CPU kernel fuses; measured) and nowhere else (binding.gyp sets -ffp-contract=off), minimum/maximum/
// relu let NaN through as ATen's do, sign(NaN) is 0, and a miss is t + fails x MISS, compared with MISS / 2. It
// departs from them only for a ray parallel to a face (towardsFace), where they gave NaN or an infinite depth.
// Arguments are validated in TypeScript; the checks here only guard memory safety.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cmath>
#include <vector>

#include "bindings.h"
#include "guard.h"
#include "handle.h"
#include "tile_culling.h"

namespace shiftkit {
namespace {

constexpr double kMiss = 1e30;  // src/render/raycast.ts MISS
// Added to local ray directions, so that a ray parallel to a slab or an axis gives huge finite parameters. Rounding
// absorbs it where a component sums terms that cancel to exactly 0, so the slabs and the plane also take the
// reciprocal through towardsFace.
constexpr double kTiny = 1e-30;
constexpr int64_t kGeoWidth = 12;  // compile.ts GEO: M (row-major, 9), then the camera centre in the local frame (3)
enum Kernel { kPlane = 0, kBox = 1, kQuadric = 2, kCylinder = 3 };  // compile.ts KERNELS

// The per-ray helpers are forced inline, so that they take the instruction set of the clone they are used in.
#define RAY_INLINE inline __attribute__((always_inline))
// The loops over rays are compiled twice, with the FMA instruction and without (std::fma then calls libm), and
// the CPU picks one at load time: the results are the same, the first much faster.
#define RAY_CLONES __attribute__((target_clones("fma", "default")))

template <typename T> RAY_INLINE T sgn(T q) { return q > 0 ? T(1) : (q < 0 ? T(-1) : T(0)); }
// 0 where q > 0 (every condition of a hit holds), 1 or 2 otherwise.
template <typename T> RAY_INLINE T fails(T q) { return T(1) - sgn(q); }
template <typename T> RAY_INLINE T minimum(T a, T b) { return (a < b || a != a) ? a : b; }
template <typename T> RAY_INLINE T maximum(T a, T b) { return (a > b || a != a) ? a : b; }
template <typename T> RAY_INLINE T relu(T a) { return a < 0 ? T(0) : a; }
// a[0] b[0] + a[1] b[1] + a[2] b[2] as the tensor code's mul, addcmul, addcmul.
template <typename T> RAY_INLINE T dot3(T a0, T a1, T a2, T b0, T b1, T b2) { return std::fma(a2, b2, std::fma(a1, b1, a0 * b0)); }
// c + M_r . v as the tensor code's addcmul chain starting from c.
template <typename T> RAY_INLINE T affine(T c, const T* mRow, const T* v) {
  return std::fma(v[2], mRow[2], std::fma(v[1], mRow[1], std::fma(v[0], mRow[0], c)));
}

// Entry parameter of the ray o + t d into each unit shape in its local frame; >= MISS / 2 for no hit beyond tmin.

// 1 / d for the component d of a ray's local direction across the plane x = 0, where the ray is at x = o. A ray
// parallel to it (|d| <= kTiny) is taken to move towards it by kTiny: 1 / 0 would make the slab's o / d + |1 / d|
// inf - inf = NaN, and a huge negative plane parameter would spoil the miss encoding t + fails x MISS.
template <typename T> RAY_INLINE T towardsFace(T d, T o) {
  return T(1) / (std::abs(d) <= T(kTiny) ? std::copysign(T(kTiny), -o) : d);
}

// The plane z = 0 within |x|, |y| <= 1.
template <typename T> RAY_INLINE T plane(const T* o, const T* d, T tmin) {
  T t = towardsFace(d[2], o[2]) * (-o[2]);
  T x = std::abs(t * d[0] + o[0]), y = std::abs(t * d[1] + o[1]);
  return t + fails(minimum(minimum(T(1) - x, T(1) - y), t - tmin)) * T(kMiss);
}

// The slab |x| <= 1 along one axis: the ray is inside it for t in [-negEntry, exit].
template <typename T> RAY_INLINE void slab(T o, T d, T& negEntry, T& exit) {
  T inv = towardsFace(d, o);
  T a = o * inv, b = std::abs(inv);
  negEntry = a + b;
  exit = b - a;
}

// The cube [-1, 1]^3 by the slab method.
template <typename T> RAY_INLINE T box(const T* o, const T* d, T tmin) {
  T n0, f0, n1, f1, n2, f2;
  slab(o[0], d[0], n0, f0);
  slab(o[1], d[1], n1, f1);
  slab(o[2], d[2], n2, f2);
  T negNear = minimum(minimum(n0, n1), n2), far = minimum(minimum(f0, f1), f2);
  return fails(minimum(far + negNear, -(negNear + tmin))) * T(kMiss) - negNear;
}

// The unit sphere (spheres and ellipsoids).
template <typename T> RAY_INLINE T quadric(const T* o, const T* d, T tmin) {
  T a = dot3(d[0], d[1], d[2], d[0], d[1], d[2]);
  T b = dot3(o[0], o[1], o[2], d[0], d[1], d[2]);
  T c = dot3(o[0], o[1], o[2], o[0], o[1], o[2]) - T(1);
  T disc = b * b - a * c;
  T t = (b + std::sqrt(relu(disc))) / (-a);
  return t + fails(minimum(disc, t - tmin)) * T(kMiss);
}

// The capped cylinder x^2 + y^2 <= 1, |z| <= 1.
template <typename T> RAY_INLINE T cylinder(const T* o, const T* d, T tmin) {
  T a = std::fma(d[1], d[1], d[0] * d[0]) + T(kTiny);
  T b = std::fma(d[1], o[1], d[0] * o[0]);
  T c = std::fma(o[1], o[1], o[0] * o[0]) - T(1);
  T disc = b * b - a * c;
  T root = std::sqrt(relu(disc));
  T s1 = (b + root) / (-a), s2 = (root - b) / a;
  T negZ, zFar;
  slab(o[2], d[2], negZ, zFar);
  T near = maximum(s1, -negZ), far = minimum(s2, zFar);
  return near + fails(minimum(minimum(disc, far - near), near - tmin)) * T(kMiss);
}

template <int K, typename T> RAY_INLINE T intersect(const T* o, const T* d, T tmin) {
  if constexpr (K == kPlane) return plane(o, d, tmin);
  if constexpr (K == kBox) return box(o, d, tmin);
  if constexpr (K == kQuadric) return quadric(o, d, tmin);
  if constexpr (K == kCylinder) return cylinder(o, d, tmin);
}

template <typename T> RAY_INLINE T intersect(int32_t kernel, const T* o, const T* d, T tmin) {
  switch (kernel) {
    case kPlane: return intersect<kPlane>(o, d, tmin);
    case kBox: return intersect<kBox>(o, d, tmin);
    case kQuadric: return intersect<kQuadric>(o, d, tmin);
    default: return intersect<kCylinder>(o, d, tmin);
  }
}

// ---------------------------------------------------------------- camera rays

template <typename T> struct CameraArgs {
  const T* geometry;
  const int32_t* kernels;
  std::vector<int64_t> start;  // the primitives each tile tests (tile_culling.h)
  std::vector<int32_t> prims;
  const T* x;  // [tiles, W]: camera rays are (x, y, 1), x by tile column and y by tile row
  const T* y;  // [tiles, H]
  int64_t tiles, W, H;
  T near;
};

// One primitive against one tile's rays (local directions: a column part plus a row part). The winner is the
// closest hit (NaN sticks, as in ATen's amin), ties going to the larger primitive index.
template <int K, typename T>
RAY_INLINE void scanTile(const CameraArgs<T>& a, int32_t p, const T* col, const T* row, T* best, int32_t* win) {
  const T* o = a.geometry + p * kGeoWidth + 9;
  const int64_t W = a.W, H = a.H;
  for (int64_t i = 0; i < H; i++) {
    for (int64_t j = 0; j < W; j++) {
      const T d[3] = {col[j] + row[i], col[W + j] + row[H + i], col[2 * W + j] + row[2 * H + i]};
      const T t = intersect<K>(o, d, a.near);
      T& b = best[i * W + j];
      if (t < b || t != t) {
        b = t;
        win[i * W + j] = p;
      } else if (t == b && p > win[i * W + j]) {
        win[i * W + j] = p;
      }
    }
  }
}

template <typename T>
RAY_CLONES void cameraTiles(const CameraArgs<T>& a, int64_t t0, int64_t t1, T* depth, T* hitOut, int64_t* primOut) {
  const int64_t W = a.W, H = a.H, S = W * H;
  std::vector<T> best(S), col(3 * W), row(3 * H);
  std::vector<int32_t> win(S);
  for (int64_t tile = t0; tile < t1; tile++) {
    std::fill(best.begin(), best.end(), T(kMiss));
    std::fill(win.begin(), win.end(), -1);
    for (int64_t k = a.start[tile]; k < a.start[tile + 1]; k++) {
      const int32_t p = a.prims[k];
      const T* m = a.geometry + p * kGeoWidth;
      // Local direction M (x, y, 1) = (x m0 + (m2 + TINY)) + y m1.
      for (int r = 0; r < 3; r++) {
        for (int64_t j = 0; j < W; j++) col[r * W + j] = a.x[tile * W + j] * m[3 * r] + (m[3 * r + 2] + T(kTiny));
        for (int64_t i = 0; i < H; i++) row[r * H + i] = a.y[tile * H + i] * m[3 * r + 1];
      }
      switch (a.kernels[p]) {
        case kPlane: scanTile<kPlane>(a, p, col.data(), row.data(), best.data(), win.data()); break;
        case kBox: scanTile<kBox>(a, p, col.data(), row.data(), best.data(), win.data()); break;
        case kQuadric: scanTile<kQuadric>(a, p, col.data(), row.data(), best.data(), win.data()); break;
        default: scanTile<kCylinder>(a, p, col.data(), row.data(), best.data(), win.data()); break;
      }
    }
    for (int64_t s = 0; s < S; s++) {
      const bool hit = T(kMiss / 2) - best[s] > 0;
      depth[tile * S + s] = best[s] * T(hit ? 1 : 0);
      hitOut[tile * S + s] = T(hit ? 1 : 0);
      primOut[tile * S + s] = hit ? win[s] : -1;
    }
  }
}

// ---------------------------------------------------------------- shadow rays

template <typename T> struct ShadowArgs {
  const T* geometry;
  const int32_t* kernels;
  const T* size;           // [P, 3] half-extents (point lights' culling)
  const int32_t* casters;  // [B, C], padded with -1
  int64_t C;
  // The camera hits, [N] each: position, normal (0 on misses), depth, primitive index (-1 on misses).
  const T* position[3];
  const T* normal[3];
  const T* depth;
  const T* hit;
  const int64_t* prim;
  int64_t block, blocksPerScene;
  bool directional;
  const T* light;   // [B, 3]: unit direction towards the light, or its position (camera frame)
  const T* frames;  // [B, 3, 3] directional: the light frame's axes (u, v, w = direction) as rows
  const T* boxes;   // [B, 2, 3, C] directional: each caster's box in that frame, centres then half-sizes per axis
};

// Whether caster k can shade a block of shadow rays: overlap of the (u, v) boxes of the block's ray origins and
// the caster, and the caster reaching above the lowest origin in w.
template <typename T> RAY_INLINE bool keepDirectional(const ShadowArgs<T>& a, int64_t scene, int64_t k, const T* lo, const T* hi) {
  const T* mid = a.boxes + scene * 6 * a.C;
  const T* half = mid + 3 * a.C;
  T low[3], high[3];
  for (int i = 0; i < 3; i++) {
    low[i] = mid[i * a.C + k] - half[i * a.C + k];
    high[i] = mid[i * a.C + k] + half[i * a.C + k];
  }
  T gap = minimum(minimum(minimum(minimum(high[0] - lo[0], hi[0] - low[0]), high[1] - lo[1]), hi[1] - low[1]), high[2] - lo[2]);
  return !(gap < 0);
}

// Point light: whether the caster's box, grown by the block's radius, meets the segment from the block's centre to
// the light (slab test in the scaled local frame; a plane's box has no thickness).
template <typename T> RAY_INLINE bool keepPoint(const ShadowArgs<T>& a, int32_t p, const T* centre, T radius, const T* v) {
  const T* m = a.geometry + p * kGeoWidth;
  T near = 0, far = 0;
  for (int r = 0; r < 3; r++) {
    T cl = centre[0] * m[3 * r] + centre[1] * m[3 * r + 1] + centre[2] * m[3 * r + 2] + m[9 + r];
    T vl = v[0] * m[3 * r] + v[1] * m[3 * r + 1] + v[2] * m[3 * r + 2];
    T h = radius / a.size[3 * p + r] + ((r == 2 && a.kernels[p] == kPlane) ? T(0) : T(1));
    T inv = T(1) / (vl + T(kTiny));
    T s0 = -(h + cl) * inv, s1 = (h - cl) * inv;
    T lo = minimum(s0, s1), hi = maximum(s0, s1);
    if (r == 0) {
      near = lo != lo ? lo : (lo < 0 ? T(0) : lo);
      far = hi != hi ? hi : (hi > 1 ? T(1) : hi);
    } else {
      near = maximum(near, lo);
      far = minimum(far, hi);
    }
  }
  return !(near - far > 0);
}

template <typename T> RAY_CLONES void shadowBlocks(const ShadowArgs<T>& a, int64_t b0, int64_t b1, T* lit) {
  const int64_t S = a.block;
  const T threshold = a.directional ? T(kMiss / 2) : T(1);
  std::vector<T> origin(3 * S), dir(3 * S), localDir;
  std::vector<int32_t> kept;
  for (int64_t blk = b0; blk < b1; blk++) {
    const int64_t scene = blk / a.blocksPerScene, first = blk * S;
    const T* L = a.light + 3 * scene;
    // Shadow rays start slightly off the surface, more so far away where float32 positions are coarser. Only hit
    // points facing the light need one (the rest are "away"); the culling looks at those rays only.
    T lo[3], hi[3], primLo = 0, primHi = 0;
    const T* F = a.directional ? a.frames + 9 * scene : nullptr;
    for (int64_t s = 0; s < S; s++) {
      const int64_t n = first + s;
      const T offset = a.depth[n] * T(5e-4) + T(2e-4);
      for (int i = 0; i < 3; i++) {
        origin[i * S + s] = std::fma(a.normal[i][n], offset, a.position[i][n]);
        dir[i * S + s] = a.directional ? L[i] : L[i] - origin[i * S + s];
      }
      const T facing = dot3(a.normal[0][n], a.normal[1][n], a.normal[2][n], dir[s], dir[S + s], dir[2 * S + s]);
      const T away = (T(1) - a.hit[n] * (facing > 0 ? T(1) : T(0))) * T(kMiss);
      T coord[3];
      for (int i = 0; i < 3; i++) {
        coord[i] = F ? dot3(origin[s], origin[S + s], origin[2 * S + s], F[3 * i], F[3 * i + 1], F[3 * i + 2]) : origin[i * S + s];
      }
      const T pr = static_cast<T>(a.prim[n]);
      for (int i = 0; i < 3; i++) {
        lo[i] = s == 0 ? coord[i] + away : minimum(lo[i], coord[i] + away);
        hi[i] = s == 0 ? coord[i] - away : maximum(hi[i], coord[i] - away);
      }
      primLo = s == 0 ? pr + away : minimum(primLo, pr + away);
      primHi = s == 0 ? pr - away : maximum(primHi, pr - away);
    }
    kept.clear();
    if (primHi - primLo + T(1) > 0) {
      // A block whose rays all start on one primitive skips it: a convex surface cannot shadow itself where it
      // faces the light.
      const T only = primLo + (T(-1) - primLo) * sgn(primHi - primLo);
      T centre[3], v[3], radius = 0;
      if (!a.directional) {
        T e[3];
        for (int i = 0; i < 3; i++) {
          centre[i] = (lo[i] + hi[i]) * T(0.5);
          const T x = hi[i] - lo[i];
          e[i] = x != x ? x : (x < 0 ? T(0) : (x > T(1e6) ? T(1e6) : x));
          v[i] = L[i] - centre[i];
        }
        radius = std::sqrt(dot3(e[0], e[1], e[2], e[0], e[1], e[2])) * T(0.5);
      }
      for (int64_t k = 0; k < a.C; k++) {
        const int32_t p = a.casters[scene * a.C + k];
        if (p < 0 || sgn(static_cast<T>(p) - only) == 0) continue;
        if (a.directional ? keepDirectional(a, scene, k, lo, hi) : keepPoint(a, p, centre, radius, v)) kept.push_back(p);
      }
    }
    // A directional light's rays are parallel: their local direction is one per caster.
    if (a.directional) {
      localDir.resize(3 * kept.size());
      for (size_t q = 0; q < kept.size(); q++) {
        const T* m = a.geometry + kept[q] * kGeoWidth;
        for (int r = 0; r < 3; r++) localDir[3 * q + r] = affine(T(kTiny), m + 3 * r, L);
      }
    }
    // Any hit below the threshold decides: later tests can only lower the closest parameter (or make it NaN),
    // which leaves the ray in shadow.
    for (int64_t s = 0; s < S; s++) {
      const T org[3] = {origin[s], origin[S + s], origin[2 * S + s]}, to[3] = {dir[s], dir[S + s], dir[2 * S + s]};
      T best = T(kMiss);
      for (size_t q = 0; q < kept.size() && best - threshold > 0; q++) {
        const T* m = a.geometry + kept[q] * kGeoWidth;
        T o[3], dl[3];
        for (int r = 0; r < 3; r++) o[r] = affine(m[9 + r], m + 3 * r, org);
        if (!a.directional) {
          for (int r = 0; r < 3; r++) dl[r] = affine(T(kTiny), m + 3 * r, to);
        }
        const T t = intersect(a.kernels[kept[q]], o, a.directional ? &localDir[3 * q] : dl, T(0));
        if (t < best || t != t) best = t;
      }
      lit[first + s] = best - threshold > 0 ? T(1) : T(0);
    }
  }
}

template <typename T> void castCamera(const CameraArgs<T>& a, T* depth, T* hit, int64_t* prim) {
  at::parallel_for(0, a.tiles, 4, [&](int64_t t0, int64_t t1) { cameraTiles(a, t0, t1, depth, hit, prim); });
}

template <typename T> void castShadows(const ShadowArgs<T>& a, int64_t blocks, T* lit) {
  at::parallel_for(0, blocks, 8, [&](int64_t b0, int64_t b1) { shadowBlocks(a, b0, b1, lit); });
}

// ---------------------------------------------------------------- bindings

const at::Tensor& tensorArg(const Napi::CallbackInfo& info, size_t i, const char* op) { return unwrap(info.Env(), info[i], op); }

void expect(const at::Tensor& t, c10::ScalarType dtype, at::IntArrayRef shape, const char* what) {
  TORCH_CHECK(t.device().is_cpu() && t.scalar_type() == dtype && t.sizes() == shape && t.is_contiguous(), what,
              ": expected a contiguous CPU tensor of dtype ", c10::toString(dtype), " and shape ", shape, ", got ",
              t.scalar_type(), " ", t.sizes());
}

// raycastCamera(geometry [P, 12], kernels int32 [P], outline float64 [P, 15], scene int32 [P], K float64 [B, 4],
// x [B * tiles, tileW], y [B * tiles, tileH], [width, height], near) -> [depth, hit, prim int64 (-1 on misses)], each
// [B * tiles, tileH * tileW]. outline and K are tile_culling.h's.
Napi::Value RaycastCamera(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* op = "raycastCamera";
  const at::Tensor &geometry = tensorArg(info, 0, op), &kernels = tensorArg(info, 1, op), &outline = tensorArg(info, 2, op);
  const at::Tensor &scene = tensorArg(info, 3, op), &K = tensorArg(info, 4, op), &x = tensorArg(info, 5, op), &y = tensorArg(info, 6, op);
  if (!info[7].IsArray() || info[7].As<Napi::Array>().Length() != 2 || !info[8].IsNumber()) {
    throw Napi::TypeError::New(env, "raycastCamera: expected the image size [width, height] and near");
  }
  const int64_t width = info[7].As<Napi::Array>().Get(0u).As<Napi::Number>().Int64Value();
  const int64_t height = info[7].As<Napi::Array>().Get(1u).As<Napi::Number>().Int64Value();
  const double near = info[8].As<Napi::Number>().DoubleValue();
  return guarded(env, op, [&] {
    const auto dtype = geometry.scalar_type();
    TORCH_CHECK(dtype == at::kFloat || dtype == at::kDouble, "geometry must be float32 or float64");
    TORCH_CHECK(geometry.dim() == 2 && K.dim() == 2 && x.dim() == 2 && y.dim() == 2, "bad tensor ranks");
    const int64_t P = geometry.size(0), B = K.size(0), W = x.size(1), H = y.size(1);
    TORCH_CHECK(width > 0 && height > 0 && W > 0 && H > 0 && B > 0, "bad image or tile size");
    const TileLayout g{width, height, W, H, (width + W - 1) / W, (height + H - 1) / H};
    const int64_t tiles = B * g.tilesX * g.tilesY;
    expect(geometry, dtype, {P, kGeoWidth}, "geometry");
    expect(kernels, at::kInt, {P}, "kernels");
    expect(outline, at::kDouble, {P, 15}, "outline");
    expect(scene, at::kInt, {P}, "scene");
    expect(K, at::kDouble, {B, 4}, "K");
    expect(x, dtype, {tiles, W}, "x");
    expect(y, dtype, {tiles, H}, "y");
    const int32_t *kern = kernels.data_ptr<int32_t>(), *sc = scene.data_ptr<int32_t>();
    for (int64_t p = 0; p < P; p++) {
      TORCH_CHECK(kern[p] >= 0 && kern[p] <= kCylinder, "kernels: unknown kernel ", kern[p]);
      TORCH_CHECK(sc[p] >= 0 && sc[p] < B, "scene: entry ", p, " is out of range");
    }
    at::Tensor depth = at::empty({tiles, W * H}, geometry.options());
    at::Tensor hit = at::empty({tiles, W * H}, geometry.options());
    at::Tensor prim = at::empty({tiles, W * H}, geometry.options().dtype(at::kLong));
    AT_DISPATCH_FLOATING_TYPES(dtype, "raycastCamera", [&] {
      CameraArgs<scalar_t> a{geometry.data_ptr<scalar_t>(), kern, {}, {}, x.data_ptr<scalar_t>(), y.data_ptr<scalar_t>(),
                             tiles, W, H, static_cast<scalar_t>(near)};
      cullTiles(outline.data_ptr<double>(), sc, P, K.data_ptr<double>(), B, g, near, a.start, a.prims);
      castCamera(a, depth.data_ptr<scalar_t>(), hit.data_ptr<scalar_t>(), prim.data_ptr<int64_t>());
    });
    Napi::Array out = Napi::Array::New(env, 3);
    out.Set(0u, wrap(env, depth));
    out.Set(1u, wrap(env, hit));
    out.Set(2u, wrap(env, prim));
    return out;
  });
}

// raycastShadows(geometry [P, 12], kernels int32 [P], size [P, 3], casters int32 [B, C], surface [8] (position x, y,
// z, normal x, y, z, depth, hit; [N] each), prim int64 [N], block, light [B, 3], frames [B, 3, 3] | null,
// boxes [B, 2, 3, C] | null) -> lit [N]; frames and boxes are given for a directional light, null for a point light.
Napi::Value RaycastShadows(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* op = "raycastShadows";
  const at::Tensor &geometry = tensorArg(info, 0, op), &kernels = tensorArg(info, 1, op), &size = tensorArg(info, 2, op);
  const at::Tensor& casters = tensorArg(info, 3, op);
  if (!info[4].IsArray() || info[4].As<Napi::Array>().Length() != 8) {
    throw Napi::TypeError::New(env, "raycastShadows: surface must be an array of 8 tensors");
  }
  std::vector<at::Tensor> surface;
  for (uint32_t i = 0; i < 8; i++) surface.push_back(unwrap(env, info[4].As<Napi::Array>().Get(i), op));
  const at::Tensor& prim = tensorArg(info, 5, op);
  if (!info[6].IsNumber()) throw Napi::TypeError::New(env, "raycastShadows: block must be a number");
  const int64_t block = info[6].As<Napi::Number>().Int64Value();
  const at::Tensor& light = tensorArg(info, 7, op);
  const bool directional = !(info[8].IsNull() || info[8].IsUndefined());
  at::Tensor frames = directional ? unwrap(env, info[8], op) : at::Tensor();
  at::Tensor boxes = directional ? unwrap(env, info[9], op) : at::Tensor();
  return guarded(env, op, [&] {
    const auto dtype = geometry.scalar_type();
    TORCH_CHECK(dtype == at::kFloat || dtype == at::kDouble, "geometry must be float32 or float64");
    TORCH_CHECK(geometry.dim() == 2 && casters.dim() == 2 && prim.dim() == 1, "bad tensor ranks");
    const int64_t P = geometry.size(0), B = casters.size(0), C = casters.size(1), N = prim.size(0);
    expect(geometry, dtype, {P, kGeoWidth}, "geometry");
    expect(kernels, at::kInt, {P}, "kernels");
    expect(size, dtype, {P, 3}, "size");
    expect(casters, at::kInt, {B, C}, "casters");
    for (const at::Tensor& t : surface) expect(t, dtype, {N}, "surface");
    expect(prim, at::kLong, {N}, "prim");
    expect(light, dtype, {B, 3}, "light");
    if (directional) {
      expect(frames, dtype, {B, 3, 3}, "frames");
      expect(boxes, dtype, {B, 2, 3, C}, "boxes");
    }
    TORCH_CHECK(block > 0 && B > 0 && N % (B * block) == 0, "the rays must split into blocks of ", block, " per scene");
    const int32_t* kern = kernels.data_ptr<int32_t>();
    for (int64_t p = 0; p < P; p++) TORCH_CHECK(kern[p] >= 0 && kern[p] <= kCylinder, "kernels: unknown kernel ", kern[p]);
    const int32_t* cast = casters.data_ptr<int32_t>();
    for (int64_t i = 0; i < B * C; i++) TORCH_CHECK(cast[i] >= -1 && cast[i] < P, "casters: entry ", i, " is out of range");
    const int64_t* pr = prim.data_ptr<int64_t>();
    for (int64_t n = 0; n < N; n++) TORCH_CHECK(pr[n] >= -1 && pr[n] < P, "prim: entry ", n, " is out of range");
    at::Tensor lit = at::empty({N}, geometry.options());
    AT_DISPATCH_FLOATING_TYPES(dtype, "raycastShadows", [&] {
      ShadowArgs<scalar_t> a{};
      a.geometry = geometry.data_ptr<scalar_t>();
      a.kernels = kern;
      a.size = size.data_ptr<scalar_t>();
      a.casters = cast;
      a.C = C;
      for (int i = 0; i < 3; i++) {
        a.position[i] = surface[i].data_ptr<scalar_t>();
        a.normal[i] = surface[3 + i].data_ptr<scalar_t>();
      }
      a.depth = surface[6].data_ptr<scalar_t>();
      a.hit = surface[7].data_ptr<scalar_t>();
      a.prim = pr;
      a.block = block;
      a.blocksPerScene = N / block / B;
      a.directional = directional;
      a.light = light.data_ptr<scalar_t>();
      a.frames = directional ? frames.data_ptr<scalar_t>() : nullptr;
      a.boxes = directional ? boxes.data_ptr<scalar_t>() : nullptr;
      castShadows(a, N / block, lit.data_ptr<scalar_t>());
    });
    return wrap(env, lit);
  });
}

}  // namespace

void initRaycast(Napi::Env env, Napi::Object exports) {
  exports.Set("raycastCamera", Napi::Function::New(env, RaycastCamera, "raycastCamera"));
  exports.Set("raycastShadows", Napi::Function::New(env, RaycastShadows, "raycastShadows"));
}

}  // namespace shiftkit

// torchvision's detection operators on CPU: nms, roi_align, roi_pool and deform_conv2d. The differentiable
// ones are torch::autograd::Functions, so gradients flow through the ordinary autograd graph. Sampling and
// boundary rules follow torchvision 0.14 exactly (tests compare against its goldens); the loops are ours.
// Arguments are validated in TypeScript (src/torch/ops/); the checks here only guard memory safety.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "bindings.h"
#include "guard.h"
#include "handle.h"

namespace shiftkit {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The backward kernels compute plain tensors with no graph of their own. Under createGraph (grad mode on
// during backward) a second derivative would silently be zero, so it is refused, as torchvision does.
void refuseDoubleBackward(const char* op) {
  TORCH_CHECK(!c10::GradMode::is_enabled(), op, ": double backward (createGraph through this op) is not supported");
}

// ---------------------------------------------------------------- nms

template <typename T>
at::Tensor nmsKernel(const at::Tensor& boxes, const at::Tensor& scores, double threshold) {
  const int64_t n = boxes.size(0);
  at::Tensor b = boxes.contiguous();
  const T* p = b.data_ptr<T>();
  // ATen's own stable sort: ties keep index order, as torchvision's kernel gets from the same call.
  at::Tensor orderT = std::get<1>(scores.sort(/*stable=*/true, 0, /*descending=*/true)).contiguous();
  const int64_t* order = orderT.data_ptr<int64_t>();
  std::vector<T> area(n);
  for (int64_t i = 0; i < n; i++) area[i] = (p[4 * i + 2] - p[4 * i]) * (p[4 * i + 3] - p[4 * i + 1]);
  std::vector<char> suppressed(n, 0);
  std::vector<int64_t> keep;
  for (int64_t a = 0; a < n; a++) {
    const int64_t i = order[a];
    if (suppressed[i]) continue;
    keep.push_back(i);
    for (int64_t c = a + 1; c < n; c++) {
      const int64_t j = order[c];
      if (suppressed[j]) continue;
      T w = std::max(T(0), std::min(p[4 * i + 2], p[4 * j + 2]) - std::max(p[4 * i], p[4 * j]));
      T h = std::max(T(0), std::min(p[4 * i + 3], p[4 * j + 3]) - std::max(p[4 * i + 1], p[4 * j + 1]));
      T inter = w * h;
      if (inter / (area[i] + area[j] - inter) > threshold) suppressed[j] = 1;
    }
  }
  at::Tensor out = at::empty({static_cast<int64_t>(keep.size())}, at::kLong);
  std::copy(keep.begin(), keep.end(), out.data_ptr<int64_t>());
  return out;
}

at::Tensor nms(const at::Tensor& boxes, const at::Tensor& scores, double threshold) {
  TORCH_CHECK(boxes.dim() == 2 && boxes.size(1) == 4 && scores.dim() == 1 && scores.size(0) == boxes.size(0),
              "boxes must be [N, 4] and scores [N]");
  TORCH_CHECK(boxes.scalar_type() == scores.scalar_type(), "boxes and scores must have the same dtype");
  at::Tensor result;
  AT_DISPATCH_FLOATING_TYPES(boxes.scalar_type(), "nms", [&] { result = nmsKernel<scalar_t>(boxes, scores, threshold); });
  return result;
}

// ---------------------------------------------------------------- roi_align

// The image a RoI row names, checked before the cast: NaN or huge values would be undefined behaviour.
template <typename T>
int64_t batchIndex(T value, int64_t batch) {
  TORCH_CHECK(value >= 0 && value < batch, "box batch index ", value, " is outside the input batch of ", batch);
  return static_cast<int64_t>(value);
}

// The pooled grid of one RoI on the feature map, as torchvision's roi_align lays it out.
template <typename T>
struct AlignGrid {
  int64_t batch;
  T startH, startW, binH, binW;
  int gridH, gridW;  // samples per bin along each axis
};

template <typename T>
AlignGrid<T> alignGrid(const T* roi, int64_t batch, T scale, int64_t pooledH, int64_t pooledW, int64_t sampling,
                       bool aligned) {
  AlignGrid<T> g;
  g.batch = batchIndex(roi[0], batch);
  // Half-pixel shift when aligned: pixel centres sit at integer + 0.5 in box coordinates.
  T shift = aligned ? T(0.5) : T(0);
  g.startW = roi[1] * scale - shift;
  g.startH = roi[2] * scale - shift;
  T width = roi[3] * scale - shift - g.startW;
  T height = roi[4] * scale - shift - g.startH;
  if (!aligned) {  // legacy behaviour: malformed boxes become 1x1
    width = std::max(width, T(1));
    height = std::max(height, T(1));
  }
  g.binH = height / static_cast<T>(pooledH);
  g.binW = width / static_cast<T>(pooledW);
  // A malformed aligned box has negative extent: no samples, so its bins pool to zero.
  g.gridH = sampling > 0 ? static_cast<int>(sampling) : std::max(static_cast<int>(std::ceil(height / pooledH)), 0);
  g.gridW = sampling > 0 ? static_cast<int>(sampling) : std::max(static_cast<int>(std::ceil(width / pooledW)), 0);
  return g;
}

// Four pixels and weights of one bilinear sample; all weights zero outside [-1, size].
template <typename T>
struct Corners {
  int64_t pos[4] = {0, 0, 0, 0};
  T w[4] = {0, 0, 0, 0};
};

template <typename T>
Corners<T> alignCorners(int64_t height, int64_t width, T y, T x) {
  Corners<T> c;
  if (!(y >= -1.0 && y <= height && x >= -1.0 && x <= width)) return c;
  y = std::max(y, T(0));
  x = std::max(x, T(0));
  int64_t y0 = static_cast<int64_t>(y), x0 = static_cast<int64_t>(x), y1, x1;
  if (y0 >= height - 1) {  // clamp to the last row, weight all on it
    y0 = y1 = height - 1;
    y = static_cast<T>(y0);
  } else {
    y1 = y0 + 1;
  }
  if (x0 >= width - 1) {
    x0 = x1 = width - 1;
    x = static_cast<T>(x0);
  } else {
    x1 = x0 + 1;
  }
  T ly = y - y0, lx = x - x0, hy = 1 - ly, hx = 1 - lx;
  c.pos[0] = y0 * width + x0;
  c.pos[1] = y0 * width + x1;
  c.pos[2] = y1 * width + x0;
  c.pos[3] = y1 * width + x1;
  c.w[0] = hy * hx;
  c.w[1] = hy * lx;
  c.w[2] = ly * hx;
  c.w[3] = ly * lx;
  return c;
}

// Every sample of one RoI, bins in (ph, pw) order, samples within a bin contiguous; shared by all channels.
template <typename T>
std::vector<Corners<T>> alignSamples(const AlignGrid<T>& g, int64_t height, int64_t width, int64_t pooledH,
                                     int64_t pooledW) {
  std::vector<Corners<T>> out;
  out.reserve(pooledH * pooledW * g.gridH * g.gridW);
  for (int64_t ph = 0; ph < pooledH; ph++) {
    for (int64_t pw = 0; pw < pooledW; pw++) {
      for (int iy = 0; iy < g.gridH; iy++) {
        T y = g.startH + ph * g.binH + static_cast<T>(iy + .5f) * g.binH / static_cast<T>(g.gridH);
        for (int ix = 0; ix < g.gridW; ix++) {
          T x = g.startW + pw * g.binW + static_cast<T>(ix + .5f) * g.binW / static_cast<T>(g.gridW);
          out.push_back(alignCorners(height, width, y, x));
        }
      }
    }
  }
  return out;
}

struct RoiArgs {
  int64_t pooledH, pooledW;
  double scale;
};

// Calls fn(n, grid, samples) for each RoI n in turn; fn parallelises over channels, which never collide.
template <typename T, typename Fn>
void forEachAlignedRoi(const at::Tensor& rois, const at::IntArrayRef inputSize, const RoiArgs& a, int64_t sampling,
                       bool aligned, Fn&& fn) {
  const T* r = rois.data_ptr<T>();
  for (int64_t n = 0; n < rois.size(0); n++) {
    AlignGrid<T> g = alignGrid<T>(r + 5 * n, inputSize[0], static_cast<T>(a.scale), a.pooledH, a.pooledW, sampling, aligned);
    fn(n, g, alignSamples(g, inputSize[2], inputSize[3], a.pooledH, a.pooledW));
  }
}

template <typename T>
void roiAlignForward(const at::Tensor& input, const at::Tensor& rois, const RoiArgs& a, int64_t sampling, bool aligned,
                     at::Tensor& out) {
  const int64_t C = input.size(1), HW = input.size(2) * input.size(3), bins = a.pooledH * a.pooledW;
  const T* in = input.data_ptr<T>();
  T* o = out.data_ptr<T>();
  forEachAlignedRoi<T>(rois, input.sizes(), a, sampling, aligned, [&](int64_t n, const AlignGrid<T>& g, const auto& s) {
    const int64_t perBin = static_cast<int64_t>(g.gridH) * g.gridW;
    const T count = static_cast<T>(std::max<int64_t>(perBin, 1));  // an empty grid pools to zero
    at::parallel_for(0, C, 1, [&](int64_t c0, int64_t c1) {
      for (int64_t c = c0; c < c1; c++) {
        const T* plane = in + (g.batch * C + c) * HW;
        for (int64_t bin = 0; bin < bins; bin++) {
          T sum = 0;
          for (int64_t k = bin * perBin; k < (bin + 1) * perBin; k++) {
            const Corners<T>& q = s[k];
            sum += q.w[0] * plane[q.pos[0]] + q.w[1] * plane[q.pos[1]] + q.w[2] * plane[q.pos[2]] + q.w[3] * plane[q.pos[3]];
          }
          o[(n * C + c) * bins + bin] = sum / count;
        }
      }
    });
  });
}

template <typename T>
void roiAlignBackward(const at::Tensor& gradOut, const at::Tensor& rois, const RoiArgs& a, int64_t sampling,
                      bool aligned, at::Tensor& gradIn) {
  const int64_t C = gradIn.size(1), HW = gradIn.size(2) * gradIn.size(3), bins = a.pooledH * a.pooledW;
  const T* go = gradOut.data_ptr<T>();
  T* gi = gradIn.data_ptr<T>();
  forEachAlignedRoi<T>(rois, gradIn.sizes(), a, sampling, aligned, [&](int64_t n, const AlignGrid<T>& g, const auto& s) {
    const int64_t perBin = static_cast<int64_t>(g.gridH) * g.gridW;
    const T count = static_cast<T>(perBin);
    at::parallel_for(0, C, 1, [&](int64_t c0, int64_t c1) {
      for (int64_t c = c0; c < c1; c++) {
        T* plane = gi + (g.batch * C + c) * HW;
        for (int64_t bin = 0; bin < bins; bin++) {
          const T grad = go[(n * C + c) * bins + bin];
          for (int64_t k = bin * perBin; k < (bin + 1) * perBin; k++) {
            const Corners<T>& q = s[k];
            for (int e = 0; e < 4; e++) plane[q.pos[e]] += grad * q.w[e] / count;
          }
        }
      }
    });
  });
}

struct RoiAlignFunction : public torch::autograd::Function<RoiAlignFunction> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& input, const at::Tensor& rois, int64_t pooledH,
                            int64_t pooledW, double scale, int64_t sampling, bool aligned) {
    RoiArgs a{pooledH, pooledW, scale};
    at::Tensor in = input.contiguous(), r = rois.contiguous();
    at::Tensor out = at::zeros({r.size(0), in.size(1), pooledH, pooledW}, in.options());
    AT_DISPATCH_FLOATING_TYPES(in.scalar_type(), "roi_align", [&] { roiAlignForward<scalar_t>(in, r, a, sampling, aligned, out); });
    ctx->save_for_backward({r});
    ctx->saved_data["size"] = input.sizes().vec();
    ctx->saved_data["args"] = std::vector<int64_t>{pooledH, pooledW, sampling, aligned};
    ctx->saved_data["scale"] = scale;
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    refuseDoubleBackward("roi_align");
    at::Tensor rois = ctx->get_saved_variables()[0];
    auto args = ctx->saved_data["args"].toIntVector();
    RoiArgs a{args[0], args[1], ctx->saved_data["scale"].toDouble()};
    at::Tensor go = grads[0].contiguous();
    at::Tensor gi = at::zeros(ctx->saved_data["size"].toIntVector(), go.options());
    AT_DISPATCH_FLOATING_TYPES(go.scalar_type(), "roi_align backward",
                               [&] { roiAlignBackward<scalar_t>(go, rois, a, args[2], args[3] != 0, gi); });
    return {gi, at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

// ---------------------------------------------------------------- roi_pool

// A box coordinate rounded to a whole pixel; absurd values are clamped so the integer maths cannot overflow.
template <typename T>
int64_t pixelOf(T v) {
  return std::isnan(v) ? 0 : static_cast<int64_t>(std::clamp<T>(std::round(v), -1e9, 1e9));
}

// Max over each bin of the rounded RoI; argmax holds the flat pixel index in its plane, -1 for an empty bin.
template <typename T>
void roiPoolForward(const at::Tensor& input, const at::Tensor& rois, const RoiArgs& a, at::Tensor& out,
                    at::Tensor& argmax) {
  const int64_t C = input.size(1), H = input.size(2), W = input.size(3), bins = a.pooledH * a.pooledW;
  const T* in = input.data_ptr<T>();
  const T* r = rois.data_ptr<T>();
  T* o = out.data_ptr<T>();
  int64_t* am = argmax.data_ptr<int64_t>();
  const T scale = static_cast<T>(a.scale);
  for (int64_t n = 0; n < rois.size(0); n++) {
    const T* roi = r + 5 * n;
    const int64_t b = batchIndex(roi[0], input.size(0));
    const int64_t x0 = pixelOf(roi[1] * scale), y0 = pixelOf(roi[2] * scale);
    const int64_t x1 = pixelOf(roi[3] * scale), y1 = pixelOf(roi[4] * scale);
    const T binH = static_cast<T>(std::max<int64_t>(y1 - y0 + 1, 1)) / static_cast<T>(a.pooledH);
    const T binW = static_cast<T>(std::max<int64_t>(x1 - x0 + 1, 1)) / static_cast<T>(a.pooledW);
    at::parallel_for(0, C, 1, [&](int64_t c0, int64_t c1) {
      for (int64_t c = c0; c < c1; c++) {
        const T* plane = in + (b * C + c) * H * W;
        for (int64_t ph = 0; ph < a.pooledH; ph++) {
          const int64_t hs = std::clamp<int64_t>(static_cast<int64_t>(std::floor(ph * binH)) + y0, 0, H);
          const int64_t he = std::clamp<int64_t>(static_cast<int64_t>(std::ceil((ph + 1) * binH)) + y0, 0, H);
          for (int64_t pw = 0; pw < a.pooledW; pw++) {
            const int64_t ws = std::clamp<int64_t>(static_cast<int64_t>(std::floor(pw * binW)) + x0, 0, W);
            const int64_t we = std::clamp<int64_t>(static_cast<int64_t>(std::ceil((pw + 1) * binW)) + x0, 0, W);
            T best = (he <= hs || we <= ws) ? T(0) : -std::numeric_limits<float>::max();
            int64_t arg = -1;
            for (int64_t h = hs; h < he; h++) {
              for (int64_t w = ws; w < we; w++) {
                if (plane[h * W + w] > best) {
                  best = plane[h * W + w];
                  arg = h * W + w;
                }
              }
            }
            o[(n * C + c) * bins + ph * a.pooledW + pw] = best;
            am[(n * C + c) * bins + ph * a.pooledW + pw] = arg;
          }
        }
      }
    });
  }
}

template <typename T>
void roiPoolBackward(const at::Tensor& gradOut, const at::Tensor& rois, const at::Tensor& argmax, at::Tensor& gradIn) {
  const int64_t C = gradIn.size(1), HW = gradIn.size(2) * gradIn.size(3), bins = argmax.size(2) * argmax.size(3);
  const T* go = gradOut.data_ptr<T>();
  const T* r = rois.data_ptr<T>();
  const int64_t* am = argmax.data_ptr<int64_t>();
  T* gi = gradIn.data_ptr<T>();
  for (int64_t n = 0; n < rois.size(0); n++) {
    const int64_t b = static_cast<int64_t>(r[5 * n]);
    at::parallel_for(0, C, 1, [&](int64_t c0, int64_t c1) {
      for (int64_t c = c0; c < c1; c++) {
        for (int64_t k = (n * C + c) * bins; k < (n * C + c + 1) * bins; k++) {
          if (am[k] >= 0) gi[(b * C + c) * HW + am[k]] += go[k];
        }
      }
    });
  }
}

struct RoiPoolFunction : public torch::autograd::Function<RoiPoolFunction> {
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& input, const at::Tensor& rois, int64_t pooledH,
                            int64_t pooledW, double scale) {
    RoiArgs a{pooledH, pooledW, scale};
    at::Tensor in = input.contiguous(), r = rois.contiguous();
    at::Tensor out = at::zeros({r.size(0), in.size(1), pooledH, pooledW}, in.options());
    at::Tensor argmax = at::full(out.sizes(), -1, in.options().dtype(at::kLong));
    AT_DISPATCH_FLOATING_TYPES(in.scalar_type(), "roi_pool", [&] { roiPoolForward<scalar_t>(in, r, a, out, argmax); });
    ctx->save_for_backward({r, argmax});
    ctx->saved_data["size"] = input.sizes().vec();
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    refuseDoubleBackward("roi_pool");
    auto saved = ctx->get_saved_variables();
    at::Tensor go = grads[0].contiguous();
    at::Tensor gi = at::zeros(ctx->saved_data["size"].toIntVector(), go.options());
    AT_DISPATCH_FLOATING_TYPES(go.scalar_type(), "roi_pool backward",
                               [&] { roiPoolBackward<scalar_t>(go, saved[0], saved[1], gi); });
    return {gi, at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

// ---------------------------------------------------------------- deform_conv2d

struct DeformArgs {
  int64_t strideH, strideW, padH, padW, dilH, dilW, weightGroups, offsetGroups;
  bool useMask;
};

// Shapes of one deformable convolution, derived once from the inputs.
struct DeformShape {
  int64_t batch, channels, height, width, kh, kw, outH, outW;
  int64_t taps() const { return kh * kw; }
  int64_t outPixels() const { return outH * outW; }
};

DeformShape deformShape(const at::Tensor& input, const at::Tensor& weight, const DeformArgs& a) {
  DeformShape s{input.size(0), input.size(1), input.size(2), input.size(3), weight.size(2), weight.size(3), 0, 0};
  s.outH = (s.height + 2 * a.padH - (a.dilH * (s.kh - 1) + 1)) / a.strideH + 1;
  s.outW = (s.width + 2 * a.padW - (a.dilW * (s.kw - 1) + 1)) / a.strideW + 1;
  return s;
}

// Bilinear value with zeros outside the image; nothing at all at or beyond one pixel past the border.
template <typename T>
T deformSample(const T* plane, int64_t height, int64_t width, T y, T x) {
  if (!(y > -1 && y < height && x > -1 && x < width)) return 0;  // NaN fails every comparison
  const int64_t y0 = static_cast<int64_t>(std::floor(y)), x0 = static_cast<int64_t>(std::floor(x));
  const int64_t y1 = y0 + 1, x1 = x0 + 1;
  const T ly = y - y0, lx = x - x0, hy = 1 - ly, hx = 1 - lx;
  auto at = [&](int64_t yy, int64_t xx) { return (yy >= 0 && yy < height && xx >= 0 && xx < width) ? plane[yy * width + xx] : T(0); };
  return hy * hx * at(y0, x0) + hy * lx * at(y0, x1) + ly * hx * at(y1, x0) + ly * lx * at(y1, x1);
}

// d(sample)/dy (alongY) or d(sample)/dx, with torchvision's floor-based corner choice at integer points.
template <typename T>
T deformSampleSlope(const T* plane, int64_t height, int64_t width, T y, T x, bool alongY) {
  // Every corner lies outside beyond this range (and NaN lands here): zero, without casting wild values.
  if (!(y > -2 && y < height && x > -2 && x < width)) return 0;
  const int64_t y0 = static_cast<int64_t>(std::floor(y)), x0 = static_cast<int64_t>(std::floor(x));
  const int64_t y1 = y0 + 1, x1 = x0 + 1;
  auto at = [&](int64_t yy, int64_t xx) { return (yy >= 0 && yy < height && xx >= 0 && xx < width) ? plane[yy * width + xx] : T(0); };
  if (alongY) {
    const T lx = x - x0;
    return lx * (at(y1, x1) - at(y0, x1)) + (1 - lx) * (at(y1, x0) - at(y0, x0));
  }
  const T ly = y - y0;
  return ly * (at(y1, x1) - at(y1, x0)) + (1 - ly) * (at(y0, x1) - at(y0, x0));
}

// Where tap (i, j) of output pixel (oy, ox) samples for offset group `grp` of image b, and its mask value.
template <typename T>
struct DeformTap {
  T y, x, m;
};

template <typename T>
DeformTap<T> deformTap(const T* offset, const T* mask, const DeformShape& s, const DeformArgs& a, int64_t grp,
                       int64_t i, int64_t j, int64_t oy, int64_t ox) {
  const int64_t L = s.outPixels(), tap = i * s.kw + j, pix = oy * s.outW + ox;
  const T* off = offset + grp * 2 * s.taps() * L;
  DeformTap<T> t;
  t.y = static_cast<T>(oy * a.strideH - a.padH + i * a.dilH) + off[2 * tap * L + pix];
  t.x = static_cast<T>(ox * a.strideW - a.padW + j * a.dilW) + off[(2 * tap + 1) * L + pix];
  t.m = a.useMask ? mask[(grp * s.taps() + tap) * L + pix] : T(1);
  return t;
}

// Calls fn(channel, column row, output pixel, tap) for every tap of image b; parallel over channels.
template <typename T, typename Fn>
void forEachTap(const at::Tensor& offset, const at::Tensor& mask, const DeformShape& s, const DeformArgs& a, int64_t b,
                Fn&& fn) {
  const T* off = offset.data_ptr<T>() + b * offset.stride(0);
  const T* msk = a.useMask ? mask.data_ptr<T>() + b * mask.stride(0) : nullptr;
  const int64_t perGroup = s.channels / a.offsetGroups;
  at::parallel_for(0, s.channels, 1, [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; c++) {
      for (int64_t i = 0; i < s.kh; i++) {
        for (int64_t j = 0; j < s.kw; j++) {
          for (int64_t oy = 0; oy < s.outH; oy++) {
            for (int64_t ox = 0; ox < s.outW; ox++) {
              fn(c, (c * s.kh + i) * s.kw + j, oy * s.outW + ox, deformTap(off, msk, s, a, c / perGroup, i, j, oy, ox));
            }
          }
        }
      }
    }
  });
}

// columns [C*kh*kw, outH*outW] of image b: masked bilinear samples at the offset taps.
template <typename T>
void deformIm2col(const at::Tensor& input, const at::Tensor& offset, const at::Tensor& mask, const DeformShape& s,
                  const DeformArgs& a, int64_t b, at::Tensor& columns) {
  const T* in = input.data_ptr<T>() + b * input.stride(0);
  T* col = columns.data_ptr<T>();
  const int64_t L = s.outPixels(), HW = s.height * s.width;
  forEachTap<T>(offset, mask, s, a, b, [&](int64_t c, int64_t row, int64_t pix, const DeformTap<T>& t) {
    col[row * L + pix] = t.m * deformSample(in + c * HW, s.height, s.width, t.y, t.x);
  });
}

// Scatters column gradients back to the input pixels: the transpose of the bilinear sampling.
template <typename T>
void deformCol2im(const at::Tensor& gradCol, const at::Tensor& offset, const at::Tensor& mask, const DeformShape& s,
                  const DeformArgs& a, int64_t b, at::Tensor& gradInput) {
  const T* gc = gradCol.data_ptr<T>();
  T* gi = gradInput.data_ptr<T>() + b * gradInput.stride(0);
  const int64_t L = s.outPixels(), HW = s.height * s.width;
  forEachTap<T>(offset, mask, s, a, b, [&](int64_t c, int64_t row, int64_t pix, const DeformTap<T>& t) {
    if (!(t.y > -1 && t.y < s.height && t.x > -1 && t.x < s.width)) return;  // touches no pixel
    const T g = t.m * gc[row * L + pix];
    const int64_t yb = static_cast<int64_t>(t.y), xb = static_cast<int64_t>(t.x);  // truncation, as torchvision
    for (int64_t yy = yb - 1; yy <= yb + 1; yy++) {
      for (int64_t xx = xb - 1; xx <= xb + 1; xx++) {
        const T dy = std::abs(t.y - static_cast<T>(yy)), dx = std::abs(t.x - static_cast<T>(xx));
        if (yy >= 0 && yy < s.height && xx >= 0 && xx < s.width && dy < 1 && dx < 1) {
          gi[c * HW + yy * s.width + xx] += (1 - dy) * (1 - dx) * g;
        }
      }
    }
  });
}

// Offset and mask gradients of image b: for each (group, tap, pixel) a sum over the group's channels.
template <typename T>
void deformCoordGrad(const at::Tensor& gradCol, const at::Tensor& input, const at::Tensor& offset,
                     const at::Tensor& mask, const DeformShape& s, const DeformArgs& a, int64_t b,
                     at::Tensor& gradOffset, at::Tensor& gradMask) {
  const T* gc = gradCol.data_ptr<T>();
  const T* in = input.data_ptr<T>() + b * input.stride(0);
  const T* off = offset.data_ptr<T>() + b * offset.stride(0);
  const T* msk = a.useMask ? mask.data_ptr<T>() + b * mask.stride(0) : nullptr;
  T* gOff = gradOffset.data_ptr<T>() + b * gradOffset.stride(0);
  T* gMask = a.useMask ? gradMask.data_ptr<T>() + b * gradMask.stride(0) : nullptr;
  const int64_t L = s.outPixels(), HW = s.height * s.width, K = s.taps(), perGroup = s.channels / a.offsetGroups;
  at::parallel_for(0, a.offsetGroups * K, 1, [&](int64_t k0, int64_t k1) {
    for (int64_t gk = k0; gk < k1; gk++) {
      const int64_t grp = gk / K, tap = gk % K, i = tap / s.kw, j = tap % s.kw;
      for (int64_t oy = 0; oy < s.outH; oy++) {
        for (int64_t ox = 0; ox < s.outW; ox++) {
          const int64_t pix = oy * s.outW + ox;
          const DeformTap<T> t = deformTap(off, msk, s, a, grp, i, j, oy, ox);
          T gy = 0, gx = 0, gm = 0;
          for (int64_t c = grp * perGroup; c < (grp + 1) * perGroup; c++) {
            const T* plane = in + c * HW;
            const T g = gc[(c * K + tap) * L + pix];
            gy += t.m * g * deformSampleSlope(plane, s.height, s.width, t.y, t.x, true);
            gx += t.m * g * deformSampleSlope(plane, s.height, s.width, t.y, t.x, false);
            if (a.useMask) gm += g * deformSample(plane, s.height, s.width, t.y, t.x);
          }
          gOff[(grp * 2 * K + 2 * tap) * L + pix] = gy;
          gOff[(grp * 2 * K + 2 * tap + 1) * L + pix] = gx;
          if (a.useMask) gMask[(grp * K + tap) * L + pix] = gm;
        }
      }
    }
  });
}

// The weight as [groups, outC/groups, C/groups*kh*kw], matching the columns' row order.
at::Tensor groupedWeight(const at::Tensor& weight, int64_t groups) { return weight.reshape({groups, weight.size(0) / groups, -1}); }

at::Tensor groupedColumns(const at::Tensor& columns, int64_t groups) { return columns.view({groups, -1, columns.size(1)}); }

struct DeformConvFunction : public torch::autograd::Function<DeformConvFunction> {
  // mask and bias are empty tensors when absent (useMask, hasBias say so).
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& input, const at::Tensor& weight,
                            const at::Tensor& offset, const at::Tensor& mask, const at::Tensor& bias,
                            std::vector<int64_t> params, bool useMask, bool hasBias) {
    DeformArgs a{params[0], params[1], params[2], params[3], params[4], params[5], params[6], params[7], useMask};
    at::Tensor in = input.contiguous(), w = weight.contiguous(), off = offset.contiguous(), m = mask.contiguous();
    DeformShape s = deformShape(in, w, a);
    at::Tensor out = at::empty({s.batch, w.size(0), s.outH, s.outW}, in.options());
    at::Tensor columns = at::empty({s.channels * s.taps(), s.outPixels()}, in.options());
    at::Tensor wg = groupedWeight(w, a.weightGroups);
    for (int64_t b = 0; b < s.batch; b++) {
      AT_DISPATCH_FLOATING_TYPES(in.scalar_type(), "deform_conv2d", [&] { deformIm2col<scalar_t>(in, off, m, s, a, b, columns); });
      out[b].view({a.weightGroups, -1, s.outPixels()}).copy_(at::bmm(wg, groupedColumns(columns, a.weightGroups)));
    }
    if (hasBias) out.add_(bias.view({1, -1, 1, 1}));
    ctx->save_for_backward({in, w, off, m});
    ctx->saved_data["params"] = params;
    ctx->saved_data["useMask"] = useMask;
    ctx->saved_data["hasBias"] = hasBias;
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    refuseDoubleBackward("deform_conv2d");
    auto saved = ctx->get_saved_variables();
    const at::Tensor &in = saved[0], &w = saved[1], &off = saved[2], &m = saved[3];
    auto p = ctx->saved_data["params"].toIntVector();
    DeformArgs a{p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], ctx->saved_data["useMask"].toBool()};
    DeformShape s = deformShape(in, w, a);
    at::Tensor go = grads[0].contiguous();
    at::Tensor gradIn = at::zeros_like(in), gradOff = at::zeros_like(off), gradMask = at::zeros_like(m);
    at::Tensor gradW = at::zeros_like(w), gwg = groupedWeight(gradW, a.weightGroups);
    at::Tensor wgT = groupedWeight(w, a.weightGroups).transpose(1, 2);
    at::Tensor columns = at::empty({s.channels * s.taps(), s.outPixels()}, in.options());
    for (int64_t b = 0; b < s.batch; b++) {
      at::Tensor gob = go[b].view({a.weightGroups, -1, s.outPixels()});
      at::Tensor gradCol = at::bmm(wgT, gob).view({-1, s.outPixels()}).contiguous();
      AT_DISPATCH_FLOATING_TYPES(in.scalar_type(), "deform_conv2d backward", [&] {
        deformCol2im<scalar_t>(gradCol, off, m, s, a, b, gradIn);
        deformCoordGrad<scalar_t>(gradCol, in, off, m, s, a, b, gradOff, gradMask);
        deformIm2col<scalar_t>(in, off, m, s, a, b, columns);
      });
      gwg.baddbmm_(gob, groupedColumns(columns, a.weightGroups).transpose(1, 2));
    }
    at::Tensor gradBias = ctx->saved_data["hasBias"].toBool() ? go.sum({0, 2, 3}) : at::Tensor();
    return {gradIn, gradW, gradOff, a.useMask ? gradMask : at::Tensor(), gradBias, at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

// ---------------------------------------------------------------- bindings

int64_t intArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(name) + ": expected a number");
  return info[i].As<Napi::Number>().Int64Value();
}

double numberArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(name) + ": expected a number");
  return info[i].As<Napi::Number>().DoubleValue();
}

// visionNms(boxes, scores, iouThreshold)
Napi::Value Nms(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::Tensor& boxes = unwrap(env, info[0], "nms");
  const at::Tensor& scores = unwrap(env, info[1], "nms");
  double threshold = numberArg(info, 2, "nms");
  return guarded(env, "nms", [&] {
    at::NoGradGuard noGrad;
    return wrap(env, nms(boxes.detach(), scores.detach(), threshold));
  });
}

void checkRois(const at::Tensor& input, const at::Tensor& rois) {
  TORCH_CHECK(input.dim() == 4 && rois.dim() == 2 && rois.size(1) == 5, "input must be [N, C, H, W] and rois [K, 5]");
  TORCH_CHECK(input.scalar_type() == rois.scalar_type(), "input and rois must have the same dtype");
  TORCH_CHECK(input.device().is_cpu() && rois.device().is_cpu(), "only CPU tensors are supported");
}

// visionRoiAlign(input, rois, pooledH, pooledW, spatialScale, samplingRatio, aligned)
Napi::Value RoiAlign(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::Tensor& input = unwrap(env, info[0], "roi_align");
  const at::Tensor& rois = unwrap(env, info[1], "roi_align");
  int64_t ph = intArg(info, 2, "roi_align"), pw = intArg(info, 3, "roi_align");
  double scale = numberArg(info, 4, "roi_align");
  int64_t sampling = intArg(info, 5, "roi_align");
  bool aligned = info[6].ToBoolean().Value();
  return guarded(env, "roi_align", [&] {
    checkRois(input, rois);
    TORCH_CHECK(ph > 0 && pw > 0, "output size must be positive");
    return wrap(env, RoiAlignFunction::apply(input, rois.detach(), ph, pw, scale, sampling, aligned));
  });
}

// visionRoiPool(input, rois, pooledH, pooledW, spatialScale)
Napi::Value RoiPool(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::Tensor& input = unwrap(env, info[0], "roi_pool");
  const at::Tensor& rois = unwrap(env, info[1], "roi_pool");
  int64_t ph = intArg(info, 2, "roi_pool"), pw = intArg(info, 3, "roi_pool");
  double scale = numberArg(info, 4, "roi_pool");
  return guarded(env, "roi_pool", [&] {
    checkRois(input, rois);
    TORCH_CHECK(ph > 0 && pw > 0, "output size must be positive");
    return wrap(env, RoiPoolFunction::apply(input, rois.detach(), ph, pw, scale));
  });
}

// visionDeformConv2d(input, weight, offset, mask | null, bias | null, [strideH, strideW, padH, padW, dilH, dilW,
// weightGroups, offsetGroups])
Napi::Value DeformConv2d(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::Tensor& input = unwrap(env, info[0], "deform_conv2d");
  const at::Tensor& weight = unwrap(env, info[1], "deform_conv2d");
  const at::Tensor& offset = unwrap(env, info[2], "deform_conv2d");
  bool useMask = !(info[3].IsNull() || info[3].IsUndefined());
  bool hasBias = !(info[4].IsNull() || info[4].IsUndefined());
  at::Tensor mask = useMask ? unwrap(env, info[3], "deform_conv2d") : at::empty({0}, input.options());
  at::Tensor bias = hasBias ? unwrap(env, info[4], "deform_conv2d") : at::empty({0}, input.options());
  if (!info[5].IsArray() || info[5].As<Napi::Array>().Length() != 8) {
    throw Napi::TypeError::New(env, "deform_conv2d: expected 8 integer parameters");
  }
  std::vector<int64_t> params;
  for (uint32_t i = 0; i < 8; i++) params.push_back(info[5].As<Napi::Array>().Get(i).As<Napi::Number>().Int64Value());
  return guarded(env, "deform_conv2d", [&] {
    TORCH_CHECK(input.dim() == 4 && weight.dim() == 4 && offset.dim() == 4 && (!useMask || mask.dim() == 4),
                "input, weight, offset and mask must be 4-d");
    TORCH_CHECK(input.device().is_cpu(), "only CPU tensors are supported");
    DeformArgs a{params[0], params[1], params[2], params[3], params[4], params[5], params[6], params[7], useMask};
    TORCH_CHECK(a.strideH > 0 && a.strideW > 0 && a.dilH > 0 && a.dilW > 0 && a.padH >= 0 && a.padW >= 0,
                "bad stride, padding or dilation");
    TORCH_CHECK(a.weightGroups > 0 && a.offsetGroups > 0 && input.size(1) % a.offsetGroups == 0 &&
                    input.size(1) == weight.size(1) * a.weightGroups && weight.size(0) % a.weightGroups == 0,
                "channel counts do not match the groups");
    DeformShape s = deformShape(input, weight, a);
    TORCH_CHECK(s.outH > 0 && s.outW > 0, "output size would be empty");
    TORCH_CHECK(offset.sizes() == at::IntArrayRef({s.batch, 2 * a.offsetGroups * s.taps(), s.outH, s.outW}),
                "offset has the wrong shape");
    TORCH_CHECK(!useMask || mask.sizes() == at::IntArrayRef({s.batch, a.offsetGroups * s.taps(), s.outH, s.outW}),
                "mask has the wrong shape");
    TORCH_CHECK(!hasBias || bias.sizes() == at::IntArrayRef({weight.size(0)}), "bias has the wrong shape");
    return wrap(env, DeformConvFunction::apply(input, weight, offset, mask, bias, params, useMask, hasBias));
  });
}

}  // namespace

void initVision(Napi::Env env, Napi::Object exports) {
  exports.Set("visionNms", Napi::Function::New(env, Nms, "visionNms"));
  exports.Set("visionRoiAlign", Napi::Function::New(env, RoiAlign, "visionRoiAlign"));
  exports.Set("visionRoiPool", Napi::Function::New(env, RoiPool, "visionRoiPool"));
  exports.Set("visionDeformConv2d", Napi::Function::New(env, DeformConv2d, "visionDeformConv2d"));
}

}  // namespace shiftkit

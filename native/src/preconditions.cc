#include "preconditions.h"

#include <ATen/ATen.h>

#include <unordered_map>

namespace shiftkit {
namespace {

// The embedding_bag kernels walk `offsets` as bag boundaries into `indices` and `weight` rows unchecked
// (an empty 2-D offsets tensor segfaults); F.embedding_bag's own checks, plus order and range of values.
// Arguments: weight, indices, offsets, scale_grad_by_freq, mode, sparse, per_sample_weights, include_last_offset.
void embeddingBag(const torch::jit::Stack& s) {
  const at::Tensor& weight = s[0].toTensor();
  const at::Tensor& indices = s[1].toTensor();
  const at::Tensor& offsets = s[2].toTensor();
  TORCH_CHECK(weight.dim() == 2, "embedding_bag: weight has to be a 2-D tensor, got ", weight.dim(), "-D");
  TORCH_CHECK(indices.dim() == 1 && offsets.dim() == 1, "embedding_bag: indices and offsets have to be 1-D tensors");
  auto type = indices.scalar_type();
  TORCH_CHECK((type == at::kLong || type == at::kInt) && offsets.scalar_type() == type,
              "embedding_bag: indices and offsets have to be int64 or int32 tensors of the same dtype");
  int64_t mode = s[4].toInt();
  TORCH_CHECK(mode >= 0 && mode <= 2, "embedding_bag: mode has to be 0 (sum), 1 (mean) or 2 (max), got ", mode);
  if (s[7].toBool()) TORCH_CHECK(offsets.numel() > 0, "embedding_bag: include_last_offset needs at least one offset");
  if (offsets.numel() > 0) {
    at::Tensor o = offsets.to(at::kLong);
    TORCH_CHECK(o[0].item<int64_t>() == 0, "embedding_bag: offsets[0] has to be 0");
    TORCH_CHECK(o[-1].item<int64_t>() <= indices.numel(), "embedding_bag: offsets[-1] can not exceed the number of indices");
    TORCH_CHECK(o.numel() < 2 || o.diff().ge(0).all().item<bool>(), "embedding_bag: offsets have to be non-decreasing");
  }
  if (indices.numel() > 0) {
    TORCH_CHECK(indices.min().item<int64_t>() >= 0 && indices.max().item<int64_t>() < weight.size(0),
                "embedding_bag: indices have to be in [0, ", weight.size(0), ")");
  }
  if (s[6].isTensor()) {
    const at::Tensor& w = s[6].toTensor();
    TORCH_CHECK(mode == 0, "embedding_bag: per_sample_weights only work with mode 0 (sum)");
    TORCH_CHECK(w.sizes() == indices.sizes() && w.scalar_type() == weight.scalar_type(),
                "embedding_bag: per_sample_weights have to match indices in shape and weight in dtype");
  }
}

// pixel_shuffle computes `channels % (factor * factor)`: a factor of 2^32 overflows the square to 0 and the
// remainder raises SIGFPE. Arguments: self, factor.
void pixelShuffle(const torch::jit::Stack& s) {
  int64_t factor = s[1].toInt();
  TORCH_CHECK(factor > 0 && factor <= 3037000499, "pixel_shuffle: the factor has to be in [1, 3037000499], got ", factor);
}

const std::unordered_map<std::string, Precondition> checks = {
    {"aten::embedding_bag", embeddingBag},
    {"aten::_embedding_bag", embeddingBag},
    {"aten::_embedding_bag_forward_only", embeddingBag},
    {"aten::pixel_shuffle", pixelShuffle},
    {"aten::pixel_unshuffle", pixelShuffle},
};

}  // namespace

Precondition preconditionFor(const std::string& name) {
  auto it = checks.find(name);
  return it == checks.end() ? nullptr : it->second;
}

}  // namespace shiftkit

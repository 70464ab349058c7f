// Argument checks some ATen kernels leave to PyTorch's Python layer and then rely on: without them a bad
// call reads or divides out of bounds and kills the process instead of raising. dispatch.cc runs the check
// for an operator on its converted arguments just before calling it.
#pragma once
#include <ATen/core/stack.h>

#include <string>

namespace shiftkit {

// Throws c10::Error when the arguments would crash the kernel.
using Precondition = void (*)(const torch::jit::Stack& args);

// The check for an operator (its name without the overload, e.g. "aten::embedding_bag"), or nullptr.
Precondition preconditionFor(const std::string& name);

}  // namespace shiftkit

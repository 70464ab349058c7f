// Process-wide runtime settings: threads, random seeds and generator state, devices, versions.
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/csrc/api/include/torch/version.h>

#include <cmath>
#include <mutex>

#include "bindings.h"
#include "guard.h"
#include "handle.h"
#include "numbers.h"

namespace shiftkit {
namespace {

// Past a few hundred threads OpenMP spends minutes creating them, or aborts the process when it cannot;
// no machine this runs on has that many cores.
constexpr double kMaxThreads = 1024;

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double n = info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : 0;
  if (!isIntegerIn(n, 1, kMaxThreads)) {
    throw Napi::RangeError::New(env, "setNumThreads: expected an integer from 1 to 1024");
  }
  guarded(env, "setNumThreads", [&] { at::set_num_threads(static_cast<int>(n)); });
  return env.Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_threads());
}

Napi::Value ManualSeed(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) throw Napi::TypeError::New(env, "manualSeed: expected a number");
  double seed = info[0].As<Napi::Number>().DoubleValue();
  // The largest double below 2^64: uint64_t holds every integer up to it.
  if (!isIntegerIn(seed, 0, std::nextafter(18446744073709551616.0, 0.0))) {
    throw Napi::RangeError::New(env, "manualSeed: expected a non-negative integer");
  }
  guarded(env, "manualSeed", [&] { at::manual_seed(static_cast<uint64_t>(seed)); });
  return env.Undefined();
}

// The CPU generator's full state (a uint8 tensor), for checkpoints that must resume bit-exactly.
Napi::Value GetRngState(const Napi::CallbackInfo& info) {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  return wrap(info.Env(), gen.get_state());
}

Napi::Value SetRngState(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::Tensor& state = unwrap(env, info[0], "setRngState");
  guarded(env, "setRngState", [&] {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(state);
  });
  return env.Undefined();
}

Napi::Value CudaDeviceCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::detail::getCUDAHooks().getNumGPUs());
}

Napi::Value BuildInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("torchVersion", TORCH_VERSION);
  out.Set("parallelInfo", at::get_parallel_info());
  out.Set("hasCuda", at::hasCUDA());
  out.Set("hasMkldnn", at::hasMKLDNN());
  return out;
}

}  // namespace

void initRuntime(Napi::Env env, Napi::Object exports) {
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads, "getNumThreads"));
  exports.Set("manualSeed", Napi::Function::New(env, ManualSeed, "manualSeed"));
  exports.Set("getRngState", Napi::Function::New(env, GetRngState, "getRngState"));
  exports.Set("setRngState", Napi::Function::New(env, SetRngState, "setRngState"));
  exports.Set("cudaDeviceCount", Napi::Function::New(env, CudaDeviceCount, "cudaDeviceCount"));
  exports.Set("buildInfo", Napi::Function::New(env, BuildInfo, "buildInfo"));
}

}  // namespace shiftkit

// Autograd entry points that are not ATen operators: backward, grad, .grad and grad mode.
#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/variable.h>

#include "bindings.h"
#include "guard.h"
#include "handle.h"

namespace shiftkit {
namespace {

std::vector<at::Tensor> tensorList(Napi::Env env, const Napi::Value& v, const char* what, bool allowNull) {
  if (!v.IsArray()) throw Napi::TypeError::New(env, std::string(what) + ": expected an array of tensors");
  Napi::Array a = v.As<Napi::Array>();
  std::vector<at::Tensor> out;
  for (uint32_t i = 0; i < a.Length(); i++) {
    Napi::Value e = a.Get(i);
    out.push_back(allowNull && (e.IsNull() || e.IsUndefined()) ? at::Tensor() : unwrap(env, e, what));
  }
  return out;
}

c10::optional<bool> optionalBool(const Napi::Value& v) {
  if (v.IsBoolean()) return v.As<Napi::Boolean>().Value();
  return c10::nullopt;
}

// backward(tensors, gradTensors | null, retainGraph?, createGraph, inputs?)
Napi::Value Backward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto tensors = tensorList(env, info[0], "backward", false);
  auto grads = info[1].IsArray() ? tensorList(env, info[1], "backward", true) : std::vector<at::Tensor>();
  auto inputs = info[4].IsArray() ? tensorList(env, info[4], "backward", false) : std::vector<at::Tensor>();
  guarded(env, "backward", [&] {
    torch::autograd::backward(tensors, grads, optionalBool(info[2]), info[3].ToBoolean().Value(), inputs);
  });
  return env.Undefined();
}

// grad(outputs, inputs, gradOutputs | null, retainGraph?, createGraph, allowUnused)
Napi::Value Grad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto outputs = tensorList(env, info[0], "autograd.grad", false);
  auto inputs = tensorList(env, info[1], "autograd.grad", false);
  auto gradOutputs = info[2].IsArray() ? tensorList(env, info[2], "autograd.grad", true) : std::vector<at::Tensor>();
  auto result = guarded(env, "autograd.grad", [&] {
    return torch::autograd::grad(outputs, inputs, gradOutputs, optionalBool(info[3]), info[4].ToBoolean().Value(),
                                 info[5].ToBoolean().Value());
  });
  Napi::Array out = Napi::Array::New(env, result.size());
  for (size_t i = 0; i < result.size(); i++) out.Set(i, wrap(env, result[i]));
  return out;
}

Napi::Value GetGrad(const Napi::CallbackInfo& info) {
  return wrap(info.Env(), unwrap(info.Env(), info[0], "grad").grad());
}

Napi::Value SetGrad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::Tensor& t = unwrap(env, info[0], "grad");
  if (info[1].IsNull() || info[1].IsUndefined()) {
    t.mutable_grad() = at::Tensor();
    return env.Undefined();
  }
  const at::Tensor& g = unwrap(env, info[1], "grad");
  if (g.sizes() != t.sizes() || g.scalar_type() != t.scalar_type() || g.device() != t.device()) {
    throw Napi::Error::New(env, "grad: assigned grad must match the tensor's shape, dtype and device");
  }
  t.mutable_grad() = g;
  return env.Undefined();
}

Napi::Value AutogradInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::Tensor& t = unwrap(env, info[0], "autogradInfo");
  Napi::Object out = Napi::Object::New(env);
  out.Set("requiresGrad", t.requires_grad());
  out.Set("isLeaf", t.is_leaf());
  const auto& fn = t.grad_fn();
  out.Set("gradFn", fn ? Napi::Value(Napi::String::New(env, fn->name())) : env.Null());
  return out;
}

Napi::Value RequiresGrad(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), unwrap(info.Env(), info[0], "requiresGrad").requires_grad());
}

Napi::Value SetGradEnabled(const Napi::CallbackInfo& info) {
  bool previous = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(info[0].ToBoolean().Value());
  return Napi::Boolean::New(info.Env(), previous);
}

Napi::Value IsGradEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), c10::GradMode::is_enabled());
}

}  // namespace

void initAutograd(Napi::Env env, Napi::Object exports) {
  exports.Set("backward", Napi::Function::New(env, Backward, "backward"));
  exports.Set("grad", Napi::Function::New(env, Grad, "grad"));
  exports.Set("getGrad", Napi::Function::New(env, GetGrad, "getGrad"));
  exports.Set("setGrad", Napi::Function::New(env, SetGrad, "setGrad"));
  exports.Set("autogradInfo", Napi::Function::New(env, AutogradInfo, "autogradInfo"));
  exports.Set("requiresGrad", Napi::Function::New(env, RequiresGrad, "requiresGrad"));
  exports.Set("setGradEnabled", Napi::Function::New(env, SetGradEnabled, "setGradEnabled"));
  exports.Set("isGradEnabled", Napi::Function::New(env, IsGradEnabled, "isGradEnabled"));
}

}  // namespace shiftkit

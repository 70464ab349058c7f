// Unboxed calls for the hottest elementwise operators. The boxed dispatcher path (dispatch.cc) costs about
// a microsecond per call in argument stacks and boxing; these call ATen's C++ functions directly.
#include <ATen/ops/abs.h>
#include <ATen/ops/add.h>
#include <ATen/ops/div.h>
#include <ATen/ops/exp.h>
#include <ATen/ops/log.h>
#include <ATen/ops/mul.h>
#include <ATen/ops/neg.h>
#include <ATen/ops/relu.h>
#include <ATen/ops/sigmoid.h>
#include <ATen/ops/sqrt.h>
#include <ATen/ops/sub.h>
#include <ATen/ops/tanh.h>

#include "bindings.h"
#include "guard.h"
#include "handle.h"

namespace shiftkit {
namespace {

enum Binary { kAdd, kSub, kMul, kDiv };
enum Unary { kNeg, kAbs, kExp, kLog, kSqrt, kRelu, kSigmoid, kTanh };

at::Tensor binary(int code, const at::Tensor& a, const at::Tensor& b) {
  switch (code) {
    case kAdd: return at::add(a, b);
    case kSub: return at::sub(a, b);
    case kMul: return at::mul(a, b);
    case kDiv: return at::div(a, b);
  }
  throw std::invalid_argument("unknown binary op code");
}

at::Tensor unary(int code, const at::Tensor& a) {
  switch (code) {
    case kNeg: return at::neg(a);
    case kAbs: return at::abs(a);
    case kExp: return at::exp(a);
    case kLog: return at::log(a);
    case kSqrt: return at::sqrt(a);
    case kRelu: return at::relu(a);
    case kSigmoid: return at::sigmoid(a);
    case kTanh: return at::tanh(a);
  }
  throw std::invalid_argument("unknown unary op code");
}

const char* const kBinaryNames[] = {"add", "sub", "mul", "div"};
const char* const kUnaryNames[] = {"neg", "abs", "exp", "log", "sqrt", "relu", "sigmoid", "tanh"};

int opCode(const Napi::CallbackInfo& info, int count) {
  int code = info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : -1;
  if (code < 0 || code >= count) throw Napi::RangeError::New(info.Env(), "fast op: bad operator code");
  return code;
}

// binary(code, a, b)
Napi::Value Binary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int code = opCode(info, 4);
  const at::Tensor& a = unwrap(env, info[1], kBinaryNames[code]);
  const at::Tensor& b = unwrap(env, info[2], kBinaryNames[code]);
  return guarded(env, kBinaryNames[code], [&] { return wrap(env, binary(code, a, b)); });
}

// unary(code, a)
Napi::Value Unary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int code = opCode(info, 8);
  const at::Tensor& a = unwrap(env, info[1], kUnaryNames[code]);
  return guarded(env, kUnaryNames[code], [&] { return wrap(env, unary(code, a)); });
}

Napi::Value Names(Napi::Env env, const char* const* names, size_t n) {
  Napi::Array out = Napi::Array::New(env, n);
  for (size_t i = 0; i < n; i++) out.Set(i, names[i]);
  return out;
}

}  // namespace

void initFastOps(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", Napi::Function::New(env, Binary, "binary"));
  exports.Set("unary", Napi::Function::New(env, Unary, "unary"));
  exports.Set("binaryNames", Names(env, kBinaryNames, 4));
  exports.Set("unaryNames", Names(env, kUnaryNames, 8));
}

}  // namespace shiftkit

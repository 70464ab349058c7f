// Tensors to and from JavaScript memory, and tensor metadata.
#include <ATen/ops/empty.h>
#include <c10/core/ScalarType.h>

#include <cmath>
#include <cstring>

#include "bindings.h"
#include "guard.h"
#include "handle.h"
#include "numbers.h"

namespace shiftkit {
namespace {

std::vector<int64_t> intArray(Napi::Env env, const Napi::Value& v, const char* what) {
  if (!v.IsArray()) throw Napi::TypeError::New(env, std::string(what) + ": shape must be an array of integers");
  Napi::Array a = v.As<Napi::Array>();
  std::vector<int64_t> out;
  for (uint32_t i = 0; i < a.Length(); i++) {
    Napi::Value e = a.Get(i);
    if (!e.IsNumber()) throw Napi::TypeError::New(env, std::string(what) + ": shape must be an array of integers");
    double d = e.As<Napi::Number>().DoubleValue();
    if (!isIntegerIn(d, 0, kMaxSafeInteger)) {
      throw Napi::RangeError::New(env, std::string(what) + ": shape entries must be non-negative integers");
    }
    out.push_back(static_cast<int64_t>(d));
  }
  return out;
}

c10::ScalarType scalarType(Napi::Env env, const Napi::Value& v, const char* what) {
  if (!v.IsNumber()) throw Napi::TypeError::New(env, std::string(what) + ": dtype code must be a number");
  double code = v.As<Napi::Number>().DoubleValue();
  if (!isIntegerIn(code, 0, static_cast<double>(c10::ScalarType::NumOptions) - 1)) {
    throw Napi::RangeError::New(env, std::string(what) + ": unknown dtype code");
  }
  return static_cast<c10::ScalarType>(static_cast<int>(code));
}

// fromBuffer(bytes: ArrayBuffer | TypedArray, shape, dtypeCode): one copy into libtorch-owned memory.
Napi::Value FromBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const uint8_t* data;
  size_t length;
  if (info[0].IsTypedArray()) {
    auto ta = info[0].As<Napi::TypedArray>();
    data = static_cast<const uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
    length = ta.ByteLength();
  } else if (info[0].IsArrayBuffer()) {
    auto ab = info[0].As<Napi::ArrayBuffer>();
    data = static_cast<const uint8_t*>(ab.Data());
    length = ab.ByteLength();
  } else {
    throw Napi::TypeError::New(env, "fromBuffer: expected a TypedArray or ArrayBuffer");
  }
  auto shape = intArray(env, info[1], "fromBuffer");
  auto dtype = scalarType(env, info[2], "fromBuffer");
  return guarded(env, "fromBuffer", [&] {
    at::Tensor t = at::empty(shape, at::TensorOptions().dtype(dtype));
    if (t.nbytes() != length) {
      throw Napi::RangeError::New(env, "fromBuffer: " + std::to_string(length) + " bytes given, shape and dtype need " +
                                           std::to_string(t.nbytes()));
    }
    if (length > 0) std::memcpy(t.data_ptr(), data, length);
    return wrap(env, t);
  });
}

// toBuffer(t): an ArrayBuffer over the tensor's own memory when it is contiguous on the CPU (no copy; it
// keeps the storage alive), else over a contiguous CPU copy.
Napi::Value ToBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::Tensor& src = unwrap(env, info[0], "toBuffer");
  return guarded(env, "toBuffer", [&]() -> Napi::Value {
    at::Tensor t = src.device().is_cpu() ? src.contiguous() : src.to(at::kCPU).contiguous();
    if (t.nbytes() == 0) return Napi::ArrayBuffer::New(env, 0);
    auto* keep = new at::Tensor(t.detach());
    return Napi::ArrayBuffer::New(env, keep->data_ptr(), keep->nbytes(),
                                  [](Napi::Env, void*, at::Tensor* k) { delete k; }, keep);
  });
}

Napi::Value Item(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::Tensor& t = unwrap(env, info[0], "item");
  return guarded(env, "item", [&]() -> Napi::Value {
    c10::Scalar s = t.item();
    if (s.isBoolean()) return Napi::Boolean::New(env, s.toBool());
    if (s.isComplex()) throw Napi::Error::New(env, "item: complex tensors have no JavaScript number value");
    return Napi::Number::New(env, s.toDouble());
  });
}

Napi::Value Shape(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto sizes = unwrap(env, info[0], "shape").sizes();
  Napi::Array out = Napi::Array::New(env, sizes.size());
  for (size_t i = 0; i < sizes.size(); i++) out.Set(i, Napi::Number::New(env, static_cast<double>(sizes[i])));
  return out;
}

Napi::Value Strides(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto strides = unwrap(env, info[0], "stride").strides();
  Napi::Array out = Napi::Array::New(env, strides.size());
  for (size_t i = 0; i < strides.size(); i++) out.Set(i, Napi::Number::New(env, static_cast<double>(strides[i])));
  return out;
}

Napi::Value ScalarTypeOf(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<int>(unwrap(info.Env(), info[0], "dtype").scalar_type()));
}

Napi::Value DeviceOf(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), unwrap(info.Env(), info[0], "device").device().str());
}

Napi::Value Dim(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(unwrap(info.Env(), info[0], "dim").dim()));
}

Napi::Value Numel(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(unwrap(info.Env(), info[0], "numel").numel()));
}

Napi::Value IsContiguous(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), unwrap(info.Env(), info[0], "isContiguous").is_contiguous());
}

}  // namespace

void initData(Napi::Env env, Napi::Object exports) {
  exports.Set("fromBuffer", Napi::Function::New(env, FromBuffer, "fromBuffer"));
  exports.Set("toBuffer", Napi::Function::New(env, ToBuffer, "toBuffer"));
  exports.Set("item", Napi::Function::New(env, Item, "item"));
  exports.Set("shape", Napi::Function::New(env, Shape, "shape"));
  exports.Set("strides", Napi::Function::New(env, Strides, "strides"));
  exports.Set("scalarType", Napi::Function::New(env, ScalarTypeOf, "scalarType"));
  exports.Set("device", Napi::Function::New(env, DeviceOf, "device"));
  exports.Set("dim", Napi::Function::New(env, Dim, "dim"));
  exports.Set("numel", Napi::Function::New(env, Numel, "numel"));
  exports.Set("isContiguous", Napi::Function::New(env, IsContiguous, "isContiguous"));
}

}  // namespace shiftkit

// Calls any ATen operator by its schema name through c10's dispatcher (the boxed calling path TorchScript
// uses), so autograd, type promotion and device dispatch are libtorch's own. JavaScript arguments are
// converted by the schema's declared argument types; results come back as tensor handles or JS values.
#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/ivalue.h>
#include <ATen/core/stack.h>

#include <cmath>
#include <vector>

#include "bindings.h"
#include "guard.h"
#include "handle.h"
#include "numbers.h"
#include "preconditions.h"

namespace shiftkit {
namespace {

struct OpEntry {
  c10::OperatorHandle handle;
  std::string name;
  // In-place ops return their first argument: JavaScript keeps its own object instead of a new handle.
  bool returnsAlias;
  // Checks the kernel needs but does not make itself (see preconditions.h); usually none.
  Precondition precondition;
};

std::vector<OpEntry> registry;

[[noreturn]] void argError(Napi::Env env, const OpEntry& op, const c10::Argument& arg, const std::string& why) {
  throw Napi::TypeError::New(env, op.name + ": argument '" + arg.name() + "' " + why);
}

int64_t toInt(Napi::Env env, const OpEntry& op, const c10::Argument& arg, const Napi::Value& v) {
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (!isIntegerIn(d, -kMaxSafeInteger, kMaxSafeInteger)) {
      argError(env, op, arg, "must be an integer, got " + std::to_string(d));
    }
    return static_cast<int64_t>(d);
  }
  if (v.IsBigInt()) {
    bool lossless = false;
    int64_t i = v.As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless) argError(env, op, arg, "is out of the int64 range");
    return i;
  }
  argError(env, op, arg, "must be an integer");
}

int64_t toEnum(Napi::Env env, const OpEntry& op, const c10::Argument& arg, const Napi::Value& v, int64_t count) {
  int64_t code = toInt(env, op, arg, v);
  if (code < 0 || code >= count) argError(env, op, arg, "is not a valid code (" + std::to_string(code) + ")");
  return code;
}

double toDouble(Napi::Env env, const OpEntry& op, const c10::Argument& arg, const Napi::Value& v) {
  if (!v.IsNumber()) argError(env, op, arg, "must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

bool toBool(Napi::Env env, const OpEntry& op, const c10::Argument& arg, const Napi::Value& v) {
  if (!v.IsBoolean()) argError(env, op, arg, "must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

c10::Scalar toScalar(Napi::Env env, const OpEntry& op, const c10::Argument& arg, const Napi::Value& v) {
  if (v.IsBoolean()) return c10::Scalar(v.As<Napi::Boolean>().Value());
  if (v.IsBigInt()) return c10::Scalar(toInt(env, op, arg, v));
  if (!v.IsNumber()) argError(env, op, arg, "must be a number or boolean");
  double d = v.As<Napi::Number>().DoubleValue();
  // JavaScript has one number type: integral values act as Python ints for type promotion.
  if (isIntegerIn(d, -kMaxSafeInteger, kMaxSafeInteger)) {
    return c10::Scalar(static_cast<int64_t>(d));
  }
  return c10::Scalar(d);
}

Napi::Array asArray(Napi::Env env, const OpEntry& op, const c10::Argument& arg, const Napi::Value& v) {
  if (!v.IsArray()) argError(env, op, arg, "must be an array");
  return v.As<Napi::Array>();
}

// Kernels index an int[N] argument up to N without checking its length (reflection_pad2d reads
// padding[3] of an empty list), so the length is checked here: N, or one value meaning N copies (as a
// bare number does), or empty where the schema's own default is empty (pooling's stride=[]). int[1] only
// says a bare int is accepted (sum's dim): any length goes.
void checkFixedLength(Napi::Env env, const OpEntry& op, const c10::Argument& arg, std::vector<int64_t>& out) {
  size_t n = *arg.N();
  if (out.size() == n || n == 1) return;
  if (out.size() == 1) {
    out.assign(n, out[0]);
    return;
  }
  const auto& def = arg.default_value();
  bool emptyDefault = def && def->isIntList() && def->toIntList().empty();
  if (out.empty() && emptyDefault) return;
  argError(env, op, arg, "must have " + std::to_string(n) + " elements, got " + std::to_string(out.size()));
}

c10::IValue toList(Napi::Env env, const OpEntry& op, const c10::Argument& arg, const c10::TypePtr& elem,
                   const Napi::Value& v) {
  switch (elem->kind()) {
    case c10::TypeKind::IntType:
    case c10::TypeKind::SymIntType: {
      std::vector<int64_t> out;
      if (v.IsNumber() && arg.N()) {  // int[2] stride=3 means [3, 3], as in Python
        out.assign(*arg.N(), toInt(env, op, arg, v));
      } else {
        Napi::Array a = asArray(env, op, arg, v);
        for (uint32_t i = 0; i < a.Length(); i++) out.push_back(toInt(env, op, arg, a.Get(i)));
      }
      if (arg.N()) checkFixedLength(env, op, arg, out);
      return c10::IValue(out);
    }
    case c10::TypeKind::FloatType: {
      std::vector<double> out;
      Napi::Array a = asArray(env, op, arg, v);
      for (uint32_t i = 0; i < a.Length(); i++) out.push_back(toDouble(env, op, arg, a.Get(i)));
      return c10::IValue(out);
    }
    case c10::TypeKind::BoolType: {
      c10::List<bool> out;
      Napi::Array a = asArray(env, op, arg, v);
      for (uint32_t i = 0; i < a.Length(); i++) out.push_back(toBool(env, op, arg, a.Get(i)));
      if (arg.N() && out.size() != *arg.N()) argError(env, op, arg, "must have " + std::to_string(*arg.N()) + " elements");
      return c10::IValue(out);
    }
    case c10::TypeKind::TensorType: {
      c10::List<at::Tensor> out;
      Napi::Array a = asArray(env, op, arg, v);
      for (uint32_t i = 0; i < a.Length(); i++) out.push_back(unwrap(env, a.Get(i), op.name.c_str()));
      return c10::IValue(out);
    }
    case c10::TypeKind::OptionalType: {  // Tensor?[] (advanced indexing)
      c10::List<c10::optional<at::Tensor>> out;
      Napi::Array a = asArray(env, op, arg, v);
      for (uint32_t i = 0; i < a.Length(); i++) {
        Napi::Value e = a.Get(i);
        if (e.IsNull() || e.IsUndefined()) {
          out.push_back(c10::nullopt);
        } else {
          out.push_back(unwrap(env, e, op.name.c_str()));
        }
      }
      return c10::IValue(out);
    }
    default:
      argError(env, op, arg, "has an unsupported list type " + elem->str());
  }
}

c10::IValue toIValue(Napi::Env env, const OpEntry& op, const c10::Argument& arg, const c10::TypePtr& type,
                     const Napi::Value& v) {
  switch (type->kind()) {
    case c10::TypeKind::TensorType:
      return unwrap(env, v, op.name.c_str());
    case c10::TypeKind::OptionalType:
      if (v.IsNull() || v.IsUndefined()) return c10::IValue();
      return toIValue(env, op, arg, type->castRaw<c10::OptionalType>()->getElementType(), v);
    case c10::TypeKind::IntType:
    case c10::TypeKind::SymIntType:
      return toInt(env, op, arg, v);
    // Enumerations travel as ints; libtorch trusts them as array indices, so an unknown code would read
    // out of bounds (or be silently accepted) instead of raising.
    case c10::TypeKind::ScalarTypeType:
      return toEnum(env, op, arg, v, static_cast<int64_t>(c10::ScalarType::NumOptions));
    case c10::TypeKind::LayoutType: {
      int64_t layout = toEnum(env, op, arg, v, static_cast<int64_t>(c10::Layout::NumOptions));
      // PyTorch's private torch._mkldnn layout: its factories overrun the heap for uint8, bfloat16, qint8 ...
      if (layout == static_cast<int64_t>(c10::Layout::Mkldnn)) argError(env, op, arg, "may not be the mkldnn layout");
      return layout;
    }
    case c10::TypeKind::MemoryFormatType:
      return toEnum(env, op, arg, v, static_cast<int64_t>(c10::MemoryFormat::NumOptions));
    case c10::TypeKind::FloatType:
      return toDouble(env, op, arg, v);
    case c10::TypeKind::BoolType:
      return toBool(env, op, arg, v);
    case c10::TypeKind::NumberType:
      return toScalar(env, op, arg, v);
    case c10::TypeKind::StringType:
      if (!v.IsString()) argError(env, op, arg, "must be a string");
      return c10::IValue(v.As<Napi::String>().Utf8Value());
    case c10::TypeKind::DeviceObjType:
      if (!v.IsString()) argError(env, op, arg, "must be a device string such as 'cpu' or 'cuda:0'");
      return c10::IValue(c10::Device(v.As<Napi::String>().Utf8Value()));
    case c10::TypeKind::ListType:
      return toList(env, op, arg, type->castRaw<c10::ListType>()->getElementType(), v);
    default:
      argError(env, op, arg, "has an unsupported type " + type->str());
  }
}

Napi::Value fromIValue(Napi::Env env, const c10::IValue& v) {
  if (v.isTensor()) return wrap(env, v.toTensor());
  if (v.isNone()) return env.Null();
  if (v.isDouble()) return Napi::Number::New(env, v.toDouble());
  if (v.isInt()) return Napi::Number::New(env, static_cast<double>(v.toInt()));
  if (v.isBool()) return Napi::Boolean::New(env, v.toBool());
  if (v.isScalar()) return Napi::Number::New(env, v.toScalar().toDouble());
  if (v.isTensorList()) {
    auto list = v.toTensorList();
    Napi::Array out = Napi::Array::New(env, list.size());
    for (size_t i = 0; i < list.size(); i++) out.Set(i, wrap(env, list.get(i)));
    return out;
  }
  if (v.isIntList()) {
    auto list = v.toIntVector();
    Napi::Array out = Napi::Array::New(env, list.size());
    for (size_t i = 0; i < list.size(); i++) out.Set(i, Napi::Number::New(env, static_cast<double>(list[i])));
    return out;
  }
  if (v.isTuple()) {
    const auto& elems = v.toTupleRef().elements();
    Napi::Array out = Napi::Array::New(env, elems.size());
    for (size_t i = 0; i < elems.size(); i++) out.Set(i, fromIValue(env, elems[i]));
    return out;
  }
  if (v.isString()) return Napi::String::New(env, v.toStringRef());
  throw Napi::Error::New(env, std::string("unsupported return type ") + v.tagKind());
}

// opHandle(name, overload) -> id, resolved once per op.
Napi::Value OpHandle(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString() || !info[1].IsString()) throw Napi::TypeError::New(env, "opHandle(name, overload)");
  std::string name = info[0].As<Napi::String>();
  std::string overload = info[1].As<Napi::String>();
  std::string full = overload.empty() ? name : name + "." + overload;
  auto handle = c10::Dispatcher::singleton().findSchema({name, overload});
  if (!handle) throw Napi::Error::New(env, "unknown operator " + full);
  const auto& returns = handle->schema().returns();
  bool alias = returns.size() == 1 && returns[0].alias_info() && returns[0].alias_info()->isWrite();
  registry.push_back(OpEntry{*handle, full, alias, preconditionFor(name)});
  return Napi::Number::New(env, static_cast<double>(registry.size() - 1));
}

// call(id, ...args): missing trailing arguments take the schema's defaults.
Napi::Value Call(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) throw Napi::TypeError::New(env, "call: expected an operator id");
  int64_t id = info[0].As<Napi::Number>().Int64Value();
  if (id < 0 || id >= static_cast<int64_t>(registry.size())) throw Napi::RangeError::New(env, "call: bad operator id");
  const OpEntry& op = registry[id];
  const auto& args = op.handle.schema().arguments();
  size_t given = info.Length() - 1;
  if (given > args.size()) {
    throw Napi::TypeError::New(env, op.name + ": expected at most " + std::to_string(args.size()) + " arguments, got " +
                                        std::to_string(given));
  }
  return guarded(env, op.name, [&]() -> Napi::Value {
    torch::jit::Stack stack;
    stack.reserve(args.size());
    for (size_t i = 0; i < args.size(); i++) {
      const c10::Argument& arg = args[i];
      Napi::Value v = i < given ? info[i + 1] : env.Undefined();
      if (v.IsUndefined()) {
        if (arg.default_value()) {
          stack.push_back(*arg.default_value());
          continue;
        }
        if (arg.type()->kind() != c10::TypeKind::OptionalType) argError(env, op, arg, "is required");
      }
      // real_type keeps ScalarType, Layout and MemoryFormat apart from plain int.
      stack.push_back(toIValue(env, op, arg, arg.real_type(), v));
    }
    if (op.precondition) op.precondition(stack);
    op.handle.callBoxed(&stack);
    if (op.returnsAlias) return env.Undefined();
    if (stack.size() == 1) return fromIValue(env, stack[0]);
    Napi::Array out = Napi::Array::New(env, stack.size());
    for (size_t i = 0; i < stack.size(); i++) out.Set(i, fromIValue(env, stack[i]));
    return out;
  });
}

Napi::Value Schema(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t id = info[0].ToNumber().Int64Value();
  if (id < 0 || id >= static_cast<int64_t>(registry.size())) throw Napi::RangeError::New(env, "schema: bad operator id");
  std::stringstream ss;
  ss << registry[id].handle.schema();
  return Napi::String::New(env, ss.str());
}

}  // namespace

void initDispatch(Napi::Env env, Napi::Object exports) {
  exports.Set("opHandle", Napi::Function::New(env, OpHandle, "opHandle"));
  exports.Set("call", Napi::Function::New(env, Call, "call"));
  exports.Set("schema", Napi::Function::New(env, Schema, "schema"));
}

}  // namespace shiftkit

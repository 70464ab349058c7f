// JavaScript ownership of libtorch tensors.
//
// A tensor crosses into JavaScript as a number: a slot index plus a generation, into this thread's table of
// live tensors. Creating one allocates no V8 object (a napi External with a finalizer cost more than the
// elementwise op itself), a stale or forged number is detected by its generation, and `dispose` frees the
// tensor at once. The JavaScript Tensor object owns the number; its FinalizationRegistry is the backstop.
// Live bytes (each storage once, however many handles view it) are reported to V8 so its garbage collector sees
// native memory pressure.
#pragma once
#include <napi.h>
#include <ATen/core/Tensor.h>

namespace shiftkit {

Napi::Value wrap(Napi::Env env, at::Tensor tensor);
// The tensor of a handle number or of an object holding one as `handle` (a JavaScript Tensor); throws a
// TypeError naming `what` for anything else, disposed tensors included.
const at::Tensor& unwrap(Napi::Env env, const Napi::Value& value, const char* what);

}  // namespace shiftkit

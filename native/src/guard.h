// Turns every C++ exception escaping a binding into a JavaScript Error that names the operation,
// so no call from JavaScript can take the process down.
#pragma once
#include <napi.h>
#include <c10/util/Exception.h>

#include <exception>
#include <string>

namespace shiftkit {

template <typename Fn>
auto guarded(Napi::Env env, const std::string& name, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Napi::Error&) {
    throw;
  } catch (const c10::Error& e) {
    throw Napi::Error::New(env, name + ": " + e.what_without_backtrace());
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, name + ": " + e.what());
  }
}

}  // namespace shiftkit

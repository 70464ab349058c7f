// The addon's entry point: allocator tuning, then every file's exports.
#include <malloc.h>

#include <cstdio>
#include <mutex>
#include <set>
#include <string>

#include <c10/util/Exception.h>

#include "bindings.h"

namespace shiftkit {

// A training loop frees and reallocates the same large activation buffers every step. With glibc's
// defaults each one is an mmap/munmap pair plus page faults (measured 48 ms vs 33 ms per step on the
// spec's benchmark); keeping freed memory in the heap makes the steady state allocation-free.
void tuneAllocator() {
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

// libtorch's default handler logs warnings through glog, which first prints "Logging before
// InitGoogleLogging()" and a C++ source location. Print each distinct warning once, plainly, as Python's
// default warning filter does.
class OnceWarningHandler : public c10::WarningHandler {
 public:
  void process(const c10::SourceLocation&, const std::string& msg, const bool) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (seen_.insert(msg).second) std::fprintf(stderr, "libtorch warning: %s\n", msg.c_str());
  }

 private:
  std::mutex mutex_;
  std::set<std::string> seen_;
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  tuneAllocator();
  static OnceWarningHandler warnings;
  c10::Warning::set_warning_handler(&warnings);
  initHandle(env, exports);
  initDispatch(env, exports);
  initAutograd(env, exports);
  initData(env, exports);
  initRuntime(env, exports);
  initFastOps(env, exports);
  initVision(env, exports);
  initRaycast(env, exports);
  return exports;
}

}  // namespace shiftkit

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return shiftkit::Init(env, exports); }

NODE_API_MODULE(shiftkit_addon, InitAddon)

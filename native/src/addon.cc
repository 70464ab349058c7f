// The addon's entry point: allocator tuning, then every file's exports.
#include <malloc.h>

#include "bindings.h"

namespace shiftkit {

// A training loop frees and reallocates the same large activation buffers every step. With glibc's
// defaults each one is an mmap/munmap pair plus page faults (measured 48 ms vs 33 ms per step on the
// spec's benchmark); keeping freed memory in the heap makes the steady state allocation-free.
void tuneAllocator() {
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  tuneAllocator();
  initHandle(env, exports);
  initDispatch(env, exports);
  initAutograd(env, exports);
  initData(env, exports);
  initRuntime(env, exports);
  initFastOps(env, exports);
  initVision(env, exports);
  return exports;
}

}  // namespace shiftkit

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return shiftkit::Init(env, exports); }

NODE_API_MODULE(shiftkit_addon, InitAddon)

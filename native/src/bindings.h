// Each source file registers its own exports; addon.cc calls these in turn.
#pragma once
#include <napi.h>

namespace shiftkit {
void initHandle(Napi::Env env, Napi::Object exports);    // handle.cc: tensor handles, dispose, memory statistics
void initDispatch(Napi::Env env, Napi::Object exports);  // dispatch.cc: every ATen operator by name
void initAutograd(Napi::Env env, Napi::Object exports);  // autograd.cc: backward, grad, grad mode
void initData(Napi::Env env, Napi::Object exports);      // data.cc: tensors to and from JavaScript memory
void initRuntime(Napi::Env env, Napi::Object exports);   // runtime.cc: threads, seeds, devices
void initFastOps(Napi::Env env, Napi::Object exports);  // fastops.cc: unboxed hot elementwise ops
void initVision(Napi::Env env, Napi::Object exports);   // vision.cc: torchvision's detection ops (nms, roi_align, ...)
void initRaycast(Napi::Env env, Napi::Object exports);  // raycast.cc: the renderer's camera and shadow rays
}  // namespace shiftkit

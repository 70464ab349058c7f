#include "handle.h"

#include <cstdlib>
#include <unordered_map>
#include <vector>

#include "bindings.h"
#include "numbers.h"

namespace shiftkit {
namespace {

constexpr double kSlotBits = 4194304.0;  // 2^22 slots; the generation lives above them

struct Slot {
  at::Tensor tensor;
  uint32_t generation = 1;
  // The storage this handle was counted under (the tensor's storage when wrapped), or nullptr.
  const c10::StorageImpl* storage = nullptr;
};

// Live bytes count each storage once, however many handles (views) share it: counted per storage, views of one
// big tensor would look like many copies to V8 and set off full garbage collections. The weak pointer keeps the
// StorageImpl object (not its data) alive while counted, so its address cannot be reused by another storage.
struct StorageCount {
  c10::weak_intrusive_ptr<c10::StorageImpl> pin;
  int64_t handles;
  int64_t bytes;
};

// One table per thread: each Node worker has its own environment and its own tensors.
struct Table {
  std::vector<Slot> slots;
  std::vector<uint32_t> free;
  std::unordered_map<const c10::StorageImpl*, StorageCount> storages;
  int64_t liveTensors = 0;
  int64_t liveBytes = 0;
  // V8 hears of native bytes in steps of at least 1 MiB: a call per tiny tensor would cost more than the op.
  int64_t unreportedBytes = 0;
};
thread_local Table table;

void reportBytes(Napi::Env env, int64_t delta) {
  table.unreportedBytes += delta;
  if (std::llabs(table.unreportedBytes) > (1 << 20)) {
    int64_t unused;
    napi_adjust_external_memory(env, table.unreportedBytes, &unused);
    table.unreportedBytes = 0;
  }
}

// The slot a handle names, or nullptr for anything that is not a live handle.
Slot* slotOf(const Napi::Value& value) {
  if (!value.IsNumber()) return nullptr;
  double id = value.As<Napi::Number>().DoubleValue();
  if (!isIntegerIn(id, 0, kMaxSafeInteger)) return nullptr;
  auto generation = static_cast<uint64_t>(id / kSlotBits);
  auto index = static_cast<uint64_t>(id - static_cast<double>(generation) * kSlotBits);
  if (index >= table.slots.size()) return nullptr;
  Slot& slot = table.slots[index];
  return slot.generation == generation && slot.tensor.defined() ? &slot : nullptr;
}

void countStorage(Napi::Env env, Slot& slot) {
  if (!slot.tensor.has_storage()) return;
  const c10::Storage& storage = slot.tensor.storage();
  slot.storage = storage.unsafeGetStorageImpl();
  auto found = table.storages.find(slot.storage);
  if (found != table.storages.end()) {
    found->second.handles++;
    return;
  }
  const auto bytes = static_cast<int64_t>(storage.nbytes());
  table.storages.emplace(slot.storage, StorageCount{storage.getWeakStorageImpl(), 1, bytes});
  table.liveBytes += bytes;
  reportBytes(env, bytes);
}

void uncountStorage(Napi::Env env, Slot& slot) {
  if (slot.storage == nullptr) return;
  auto found = table.storages.find(slot.storage);
  slot.storage = nullptr;
  if (--found->second.handles > 0) return;
  table.liveBytes -= found->second.bytes;
  reportBytes(env, -found->second.bytes);
  table.storages.erase(found);
}

void release(Napi::Env env, Slot& slot, uint32_t index) {
  uncountStorage(env, slot);
  slot.tensor.reset();
  slot.generation++;
  table.liveTensors--;
  table.free.push_back(index);
}

// dispose(handle): frees the tensor now; a stale handle (already disposed) is a no-op.
Napi::Value Dispose(const Napi::CallbackInfo& info) {
  Slot* slot = slotOf(info[0]);
  if (slot != nullptr) release(info.Env(), *slot, static_cast<uint32_t>(slot - table.slots.data()));
  return info.Env().Undefined();
}

Napi::Value IsLive(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), slotOf(info[0]) != nullptr);
}

Napi::Value MemoryStats(const Napi::CallbackInfo& info) {
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("liveTensors", Napi::Number::New(info.Env(), static_cast<double>(table.liveTensors)));
  out.Set("liveBytes", Napi::Number::New(info.Env(), static_cast<double>(table.liveBytes)));
  return out;
}

}  // namespace

Napi::Value wrap(Napi::Env env, at::Tensor tensor) {
  if (!tensor.defined()) return env.Null();
  uint32_t index;
  if (!table.free.empty()) {
    index = table.free.back();
    table.free.pop_back();
  } else {
    if (table.slots.size() >= static_cast<size_t>(kSlotBits)) {
      throw Napi::Error::New(env, "too many live tensors (4,194,304): dispose tensors or use torch.scope");
    }
    index = static_cast<uint32_t>(table.slots.size());
    table.slots.emplace_back();
  }
  Slot& slot = table.slots[index];
  slot.tensor = std::move(tensor);
  countStorage(env, slot);
  table.liveTensors++;
  return Napi::Number::New(env, static_cast<double>(slot.generation) * kSlotBits + index);
}

const at::Tensor& unwrap(Napi::Env env, const Napi::Value& value, const char* what) {
  // Operator arguments arrive as JavaScript Tensor objects, so an integer argument can never be mistaken
  // for a tensor's handle number; the engine's own bindings pass bare handles.
  Slot* slot = value.IsObject() ? slotOf(value.As<Napi::Object>().Get("handle")) : slotOf(value);
  if (slot == nullptr) {
    throw Napi::TypeError::New(env, std::string(what) + ": expected a live tensor (disposed, or not a tensor)");
  }
  return slot->tensor;
}

void initHandle(Napi::Env env, Napi::Object exports) {
  exports.Set("dispose", Napi::Function::New(env, Dispose, "dispose"));
  exports.Set("isLive", Napi::Function::New(env, IsLive, "isLive"));
  exports.Set("memoryStats", Napi::Function::New(env, MemoryStats, "memoryStats"));
}

}  // namespace shiftkit

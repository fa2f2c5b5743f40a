// An index from 64-bit keys (FNV-1a term and word keys) to their positions in
// the caller's key array: open addressing with linear probing in a table at
// most half full. The index holds positions only; the caller keeps the keys
// and passes them to Find. Of repeated keys, the first is found. Concurrent
// Find calls are safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace caredesk::feedback {

class KeyIndex {
 public:
  static constexpr uint32_t kAbsent = 0xFFFFFFFF;

  void Build(std::span<const uint64_t> keys) {
    size_t capacity = 16;
    while (capacity < keys.size() * 2) capacity *= 2;
    slots_.assign(capacity, kAbsent);
    mask_ = capacity - 1;
    for (uint32_t i = 0; i < keys.size(); ++i) {
      size_t slot = SlotOf(keys[i]);
      while (slots_[slot] != kAbsent && keys[slots_[slot]] != keys[i]) slot = (slot + 1) & mask_;
      if (slots_[slot] == kAbsent) slots_[slot] = i;
    }
  }

  // The position of `key` in `keys` (the array Build saw), or kAbsent.
  uint32_t Find(std::span<const uint64_t> keys, uint64_t key) const {
    if (slots_.empty()) return kAbsent;
    size_t slot = SlotOf(key);
    while (true) {
      const uint32_t index = slots_[slot];
      if (index == kAbsent || keys[index] == key) return index;
      slot = (slot + 1) & mask_;
    }
  }

 private:
  size_t SlotOf(uint64_t key) const { return static_cast<size_t>((key ^ (key >> 29)) & mask_); }

  std::vector<uint32_t> slots_;
  uint64_t mask_ = 0;
};

}  // namespace caredesk::feedback

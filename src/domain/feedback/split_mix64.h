// SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", 2014): a tiny
// generator whose output sequence is fixed by its seed on every platform, unlike the
// distributions of <random>. Used wherever training needs reproducible randomness.
//
// Thread-compatible value type; DealFolds is pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace caredesk::feedback {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Fisher–Yates shuffle of `items` (the slight modulo bias does not matter here).
  template <class T>
  void Shuffle(std::span<T> items) {
    for (size_t i = 0; i + 1 < items.size(); ++i) {
      const size_t j = i + static_cast<size_t>(Next() % (items.size() - i));
      std::swap(items[i], items[j]);
    }
  }

 private:
  uint64_t state_;
};

// The fold of each of `n` items dealt into `folds` folds (> 0) whose sizes differ by at most one;
// which item goes where is a shuffle seeded by `seed`.
inline std::vector<size_t> DealFolds(size_t n, size_t folds, uint64_t seed) {
  std::vector<size_t> fold_of(n);
  for (size_t i = 0; i < n; ++i) fold_of[i] = i % folds;
  SplitMix64(seed).Shuffle(std::span<size_t>(fold_of));
  return fold_of;
}

}  // namespace caredesk::feedback

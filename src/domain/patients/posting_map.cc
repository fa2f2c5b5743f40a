#include "domain/patients/posting_map.h"

#include <algorithm>
#include <cassert>

namespace caredesk {
namespace {

constexpr size_t kMinCapacity = 16;
// Linear probing stays short up to about 3/4 full.
constexpr double kMaxLoad = 0.75;
constexpr double kReserveLoad = 0.7;

// splitmix64's finalizer: keys such as dates or packed id pairs are far from uniform.
uint64_t Mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

}  // namespace

size_t PostingMap::Home(uint64_t key) const {
  // Multiply-shift maps the hash onto any capacity, not only powers of two.
  return static_cast<size_t>((static_cast<unsigned __int128>(Mix(key)) * buckets_.size()) >> 64);
}

size_t PostingMap::Probe(uint64_t key) const {
  const size_t capacity = buckets_.size();
  size_t i = Home(key);
  while (buckets_[i].value != kEmpty && buckets_[i].key() != key) {
    if (++i == capacity) i = 0;
  }
  return i;
}

void PostingMap::Prefetch(uint64_t key) const {
  if (!buckets_.empty()) __builtin_prefetch(&buckets_[Home(key)]);
}

void PostingMap::Reserve(size_t keys) {
  const size_t wanted = std::max(kMinCapacity, static_cast<size_t>(keys / kReserveLoad) + 1);
  if (wanted > buckets_.size()) Rehash(wanted);
}

void PostingMap::Rehash(size_t capacity) {
  std::vector<Bucket> old = std::move(buckets_);
  buckets_.assign(capacity, Bucket{});
  for (const Bucket& bucket : old) {
    if (bucket.value != kEmpty) buckets_[Probe(bucket.key())] = bucket;
  }
}

uint32_t PostingMap::NewList(uint32_t a, uint32_t b) {
  uint32_t index;
  if (!free_lists_.empty()) {
    index = free_lists_.back();
    free_lists_.pop_back();
  } else {
    index = static_cast<uint32_t>(lists_.size());
    lists_.emplace_back();
  }
  lists_[index] = {std::min(a, b), std::max(a, b)};
  return kListTag | index;
}

void PostingMap::Insert(uint64_t key, uint32_t value) {
  assert(value <= kMaxValue);
  if (buckets_.empty() || static_cast<double>(size_ + 1) > buckets_.size() * kMaxLoad) {
    Rehash(std::max(kMinCapacity, buckets_.size() * 2));
  }
  const size_t b = Probe(key);
  uint32_t& slot = buckets_[b].value;
  if (slot == kEmpty) {
    buckets_[b].set_key(key);
    slot = value;
    ++size_;
  } else if ((slot & kListTag) == 0) {
    if (slot != value) slot = NewList(slot, value);
  } else {
    std::vector<uint32_t>& list = lists_[slot & ~kListTag];
    auto it = std::lower_bound(list.begin(), list.end(), value);
    if (it == list.end() || *it != value) list.insert(it, value);
  }
}

bool PostingMap::Erase(uint64_t key, uint32_t value) {
  if (buckets_.empty()) return false;
  const size_t b = Probe(key);
  uint32_t& slot = buckets_[b].value;
  if (slot == kEmpty) return false;
  if ((slot & kListTag) == 0) {
    if (slot != value) return false;
    EraseBucket(b);
    --size_;
    return true;
  }
  const uint32_t index = slot & ~kListTag;
  std::vector<uint32_t>& list = lists_[index];
  auto it = std::lower_bound(list.begin(), list.end(), value);
  if (it == list.end() || *it != value) return false;
  list.erase(it);
  if (list.size() == 1) {  // back to an inline value
    slot = list.front();
    std::vector<uint32_t>().swap(list);
    free_lists_.push_back(index);
  }
  return true;
}

void PostingMap::EraseBucket(size_t hole) {
  // Backward shift: pull later members of the probe run into the hole when their home allows.
  const size_t capacity = buckets_.size();
  size_t j = hole;
  while (true) {
    if (++j == capacity) j = 0;
    if (buckets_[j].value == kEmpty) break;
    const size_t home = Home(buckets_[j].key());
    // The entry at j may move to `hole` when `hole` lies cyclically within [home, j).
    const bool movable = home <= j ? (home <= hole && hole < j) : (hole >= home || hole < j);
    if (movable) {
      buckets_[hole] = buckets_[j];
      hole = j;
    }
  }
  buckets_[hole].value = kEmpty;
}

std::span<const uint32_t> PostingMap::Find(uint64_t key) const {
  if (buckets_.empty()) return {};
  const size_t b = Probe(key);
  const uint32_t& slot = buckets_[b].value;
  if (slot == kEmpty) return {};
  if ((slot & kListTag) == 0) return {&slot, 1};
  return lists_[slot & ~kListTag];
}

size_t PostingMap::MemoryUsage() const {
  size_t bytes = buckets_.capacity() * sizeof(Bucket) +
                 lists_.capacity() * sizeof(std::vector<uint32_t>) +
                 free_lists_.capacity() * sizeof(uint32_t);
  for (const std::vector<uint32_t>& list : lists_) bytes += list.capacity() * sizeof(uint32_t);
  return bytes;
}

}  // namespace caredesk

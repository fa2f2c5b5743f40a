// PostingMap: a compact hash multimap from 64-bit keys to sorted sets of 32-bit values, the
// building block of PatientIndex's postings (name pairs, birth dates, phones, e-mails, MRNs) and
// of NameDictionary's fuzzy-lookup tables.
//
// Made for millions of keys most of which hold a single value: open addressing with linear
// probing over one flat array of 12-byte buckets (a probe touches one cache line; no per-key
// allocation); a key's only value is stored inline, and only keys with two or more values own a
// heap list. Erasing uses backward shift, so there are no tombstones.
//
// Thread-compatible: concurrent const calls are safe; mutation needs exclusive access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace caredesk {

class PostingMap {
 public:
  // Values must be below kMaxValue (the top bit tags list references).
  static constexpr uint32_t kMaxValue = 0x7FFFFFFF;

  PostingMap() = default;

  // Sizes the table for `keys` keys without rehashing.
  void Reserve(size_t keys);

  // Adds `value` to the set under `key`; no effect when already there.
  void Insert(uint64_t key, uint32_t value);

  // Removes `value` from the set under `key`; returns whether it was there. A key whose set
  // becomes empty is removed.
  bool Erase(uint64_t key, uint32_t value);

  // The values under `key` in ascending order; empty when none. The span stays valid until the
  // next mutation of the map.
  std::span<const uint32_t> Find(uint64_t key) const;

  // Starts loading the bucket where `key` would be, so that a batch of lookups can overlap
  // their cache misses: prefetch every key, then Find each.
  void Prefetch(uint64_t key) const;

  size_t key_count() const { return size_; }
  // Heap bytes held (capacity, not size).
  size_t MemoryUsage() const;

 private:
  static constexpr uint32_t kEmpty = 0xFFFFFFFF;
  static constexpr uint32_t kListTag = 0x80000000;

  // The key in two halves keeps the bucket at 12 bytes.
  struct Bucket {
    uint32_t key_low = 0;
    uint32_t key_high = 0;
    uint32_t value = kEmpty;  // kEmpty, an inline value, or kListTag | index into lists_

    uint64_t key() const { return (uint64_t{key_high} << 32) | key_low; }
    void set_key(uint64_t k) {
      key_low = static_cast<uint32_t>(k);
      key_high = static_cast<uint32_t>(k >> 32);
    }
  };
  static_assert(sizeof(Bucket) == 12);

  size_t Home(uint64_t key) const;
  // The bucket holding `key`, or the empty bucket ending its probe sequence.
  size_t Probe(uint64_t key) const;
  void Rehash(size_t capacity);
  void EraseBucket(size_t bucket);
  uint32_t NewList(uint32_t a, uint32_t b);

  std::vector<Bucket> buckets_;
  std::vector<std::vector<uint32_t>> lists_;
  std::vector<uint32_t> free_lists_;
  size_t size_ = 0;
};

}  // namespace caredesk

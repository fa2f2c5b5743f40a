// Every provider's busy intervals for slot search, held in memory per
// (provider, UTC day of the start) and kept true to the database through the
// calendar change log (storage migration 0003), so that changes made by
// another server process, or by hand, are seen too.
//
// A search calls Sync first: one query for the log rows after the last one
// seen (an index probe returning nothing while the calendar is unchanged),
// forgetting the days they name. Busy then answers from memory and fetches
// the days it does not hold in one query (a provider lacking any day of the
// span has the whole span read afresh). A fetch that raced a change is not
// kept: each day carries an epoch that a change bumps, and a fetched day is
// stored only if its epoch did not move while the query ran. Falling more
// than the log's length behind (a gap in the numbers), or a burst of more
// than kSyncBatch changes, forgets everything.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "domain/scheduling/schedule_model.h"
#include "storage/db.h"

namespace caredesk {

class BusyCache {
 public:
  static constexpr int kSyncBatch = 1000;
  // Held days before the cache starts afresh (500 providers x 2 years is 365,000).
  static constexpr size_t kMaxDays = 2'000'000;

  Status Sync(db::Connection& c);
  Result<std::vector<BusyInterval>> Busy(db::Connection& c, const std::vector<int64_t>& provider_ids, TimePoint from,
                                         TimePoint to);

  struct Stats {
    uint64_t held = 0;     // provider lookups answered from memory alone
    uint64_t fetched = 0;  // provider lookups that read days from the database
    uint64_t days_forgotten = 0;
    uint64_t flushes = 0;
  };
  Stats stats() const;

 private:
  struct Key {
    int64_t provider_id;
    int64_t day;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const noexcept {
      return std::hash<uint64_t>()(static_cast<uint64_t>(k.provider_id) * 0x9E3779B97F4A7C15ull ^
                                   static_cast<uint64_t>(k.day));
    }
  };
  using Day = std::vector<BusyInterval>;  // sorted by start

  void FlushLocked();

  // Searches read under a shared lock and copy what they need while holding
  // it; Sync and the storing of fetched days take it exclusively.
  mutable std::shared_mutex mu_;
  bool started_ = false;
  int64_t seen_ = 0;         // last change number applied
  uint64_t generation_ = 0;  // bumped when everything is forgotten
  std::unordered_map<Key, Day, KeyHash> days_;
  std::unordered_map<Key, uint64_t, KeyHash> epochs_;  // bumped per change of that day
  // Counted by readers under the shared lock, hence atomic.
  std::atomic<uint64_t> held_{0};
  std::atomic<uint64_t> fetched_{0};
  uint64_t days_forgotten_ = 0;  // under the exclusive lock, as is flushes_
  uint64_t flushes_ = 0;
};

}  // namespace caredesk

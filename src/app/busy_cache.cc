#include "app/busy_cache.h"

#include <algorithm>

#include "storage/appointment_repository.h"

namespace caredesk {
namespace {

constexpr int64_t kDayMs = 86'400'000;

int64_t DayOf(int64_t ms) { return ms >= 0 ? ms / kDayMs : -((-ms + kDayMs - 1) / kDayMs); }

}  // namespace

void BusyCache::FlushLocked() {
  days_.clear();
  epochs_.clear();
  ++generation_;
  ++stats_.flushes;
}

Status BusyCache::Sync(db::Connection& c) {
  int64_t after = 0;
  bool started = false;
  {
    std::lock_guard lock(mu_);
    started = started_;
    after = seen_;
  }
  if (!started) {
    // Nothing is held yet, so only the point to read on from is needed.
    CD_ASSIGN_OR_RETURN(int64_t head, db::AppointmentRepository::CalendarHead(c));
    std::lock_guard lock(mu_);
    if (!started_) {
      started_ = true;
      seen_ = head;
    }
    return Ok();
  }
  CD_ASSIGN_OR_RETURN(auto changes, db::AppointmentRepository::CalendarChangesAfter(c, after, kSyncBatch));
  if (changes.empty()) return Ok();
  std::lock_guard lock(mu_);
  if (changes.front().seq != after + 1 || changes.size() == static_cast<size_t>(kSyncBatch)) {
    FlushLocked();
  } else {
    for (const auto& ch : changes) {
      Key k{ch.provider_id, ch.day};
      stats_.days_forgotten += days_.erase(k);
      ++epochs_[k];
    }
    if (epochs_.size() > kMaxDays) FlushLocked();
  }
  seen_ = std::max(seen_, changes.back().seq);
  return Ok();
}

Result<std::vector<BusyInterval>> BusyCache::Busy(db::Connection& c, const std::vector<int64_t>& provider_ids,
                                                  TimePoint from, TimePoint to) {
  std::vector<BusyInterval> out;
  if (provider_ids.empty() || to <= from) return out;
  // An interval overlapping [from, to) starts on one of these days: no
  // appointment lasts a day or more (the bound the busy query keeps too).
  const int64_t first_day = DayOf(ToMillis(from)) - 1;
  const int64_t last_day = DayOf(ToMillis(to) - 1);
  const size_t n_days = static_cast<size_t>(last_day - first_day + 1);
  auto overlaps = [&](const BusyInterval& b) { return b.start < to && b.end > from; };

  // Under the lock: the days held, and which providers lack which days.
  std::vector<Day> held(provider_ids.size() * n_days);
  std::vector<int64_t> missing;  // providers lacking a day in [lo, hi]
  int64_t lo = last_day + 1, hi = first_day - 1;
  std::vector<Key> fetched_keys;
  std::vector<uint64_t> fetched_epochs;
  uint64_t generation = 0;
  {
    std::lock_guard lock(mu_);
    generation = generation_;
    for (size_t i = 0; i < provider_ids.size(); ++i) {
      bool lacks = false;
      for (size_t d = 0; d < n_days; ++d) {
        auto it = days_.find(Key{provider_ids[i], first_day + static_cast<int64_t>(d)});
        if (it == days_.end()) {
          lacks = true;
          lo = std::min(lo, first_day + static_cast<int64_t>(d));
          hi = std::max(hi, first_day + static_cast<int64_t>(d));
        } else {
          held[i * n_days + d] = it->second;
        }
      }
      if (lacks) missing.push_back(provider_ids[i]);
    }
    stats_.fetched += missing.size();
    stats_.held += provider_ids.size() - missing.size();
    for (int64_t p : missing) {
      for (int64_t d = lo; d <= hi; ++d) {
        Key k{p, d};
        auto e = epochs_.find(k);
        fetched_keys.push_back(k);
        fetched_epochs.push_back(e == epochs_.end() ? 0 : e->second);
      }
    }
  }

  // Held days, except those about to be read afresh.
  size_t held_intervals = 0;
  for (const Day& day : held) held_intervals += day ? day->size() : 0;
  out.reserve(held_intervals);
  std::vector<int64_t> refetch = missing;
  std::sort(refetch.begin(), refetch.end());
  for (size_t i = 0; i < provider_ids.size(); ++i) {
    bool refetched = std::binary_search(refetch.begin(), refetch.end(), provider_ids[i]);
    for (size_t d = 0; d < n_days; ++d) {
      int64_t day = first_day + static_cast<int64_t>(d);
      if (!held[i * n_days + d] || (refetched && day >= lo && day <= hi)) continue;
      for (const BusyInterval& b : *held[i * n_days + d]) {
        if (overlaps(b)) out.push_back(b);
      }
    }
  }
  if (missing.empty()) return out;

  // The lacking providers' whole days [lo, hi], in one query: each day read
  // is complete, so it can be held.
  CD_ASSIGN_OR_RETURN(auto fetched, db::AppointmentRepository::BusyStartingIn(c, missing, lo * kDayMs,
                                                                              (hi + 1) * kDayMs));
  std::unordered_map<Key, std::vector<BusyInterval>, KeyHash> by_day;
  by_day.reserve(fetched_keys.size());
  for (const Key& k : fetched_keys) by_day[k];
  for (const BusyInterval& b : fetched) {
    if (overlaps(b)) out.push_back(b);
    auto it = by_day.find(Key{b.provider_id, DayOf(ToMillis(b.start))});
    if (it != by_day.end()) it->second.push_back(b);
  }
  std::lock_guard lock(mu_);
  if (generation != generation_) return out;
  for (size_t i = 0; i < fetched_keys.size(); ++i) {
    const Key& k = fetched_keys[i];
    auto e = epochs_.find(k);
    if ((e == epochs_.end() ? 0 : e->second) != fetched_epochs[i]) continue;  // changed while reading
    auto& v = by_day[k];
    std::sort(v.begin(), v.end(), [](const BusyInterval& a, const BusyInterval& b) { return a.start < b.start; });
    days_[k] = std::make_shared<const std::vector<BusyInterval>>(std::move(v));
  }
  if (days_.size() > kMaxDays) FlushLocked();
  return out;
}

BusyCache::Stats BusyCache::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace caredesk

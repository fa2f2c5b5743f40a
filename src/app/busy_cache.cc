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
  ++flushes_;
}

Status BusyCache::Sync(db::Connection& c) {
  int64_t after = 0;
  bool started = false;
  {
    std::shared_lock lock(mu_);
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
      days_forgotten_ += days_.erase(k);
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
  auto overlaps = [&](const BusyInterval& b) { return b.start < to && b.end > from; };

  // Under the shared lock: the held intervals of each provider holding every
  // day of the span, and the epochs of the days the others will read afresh.
  std::vector<int64_t> missing;
  std::vector<Key> fetched_keys;
  std::vector<uint64_t> fetched_epochs;
  uint64_t generation = 0;
  {
    std::shared_lock lock(mu_);
    generation = generation_;
    std::vector<const Day*> days;
    for (int64_t provider_id : provider_ids) {
      days.clear();
      for (int64_t d = first_day; d <= last_day; ++d) {
        auto it = days_.find(Key{provider_id, d});
        if (it == days_.end()) break;
        days.push_back(&it->second);
      }
      if (days.size() == static_cast<size_t>(last_day - first_day + 1)) {
        for (const Day* day : days) {
          for (const BusyInterval& b : *day) {
            if (overlaps(b)) out.push_back(b);
          }
        }
        continue;
      }
      missing.push_back(provider_id);
      for (int64_t d = first_day; d <= last_day; ++d) {
        Key k{provider_id, d};
        auto e = epochs_.find(k);
        fetched_keys.push_back(k);
        fetched_epochs.push_back(e == epochs_.end() ? 0 : e->second);
      }
    }
  }
  fetched_.fetch_add(missing.size(), std::memory_order_relaxed);
  held_.fetch_add(provider_ids.size() - missing.size(), std::memory_order_relaxed);
  if (missing.empty()) return out;

  // The lacking providers' whole days, in one query: each day read is
  // complete, so it can be held.
  CD_ASSIGN_OR_RETURN(auto fetched, db::AppointmentRepository::BusyStartingIn(c, missing, first_day * kDayMs,
                                                                              (last_day + 1) * kDayMs));
  std::unordered_map<Key, Day, KeyHash> by_day;
  by_day.reserve(fetched_keys.size());
  for (const Key& k : fetched_keys) by_day[k];
  for (const BusyInterval& b : fetched) {
    if (overlaps(b)) out.push_back(b);
    auto it = by_day.find(Key{b.provider_id, DayOf(ToMillis(b.start))});
    if (it != by_day.end()) it->second.push_back(b);
  }
  std::unique_lock lock(mu_);
  if (generation != generation_) return out;
  for (size_t i = 0; i < fetched_keys.size(); ++i) {
    const Key& k = fetched_keys[i];
    auto e = epochs_.find(k);
    if ((e == epochs_.end() ? 0 : e->second) != fetched_epochs[i]) continue;  // changed while reading
    Day& day = by_day[k];
    std::sort(day.begin(), day.end(), [](const BusyInterval& a, const BusyInterval& b) { return a.start < b.start; });
    days_[k] = std::move(day);
  }
  if (days_.size() > kMaxDays) FlushLocked();
  return out;
}

BusyCache::Stats BusyCache::stats() const {
  std::shared_lock lock(mu_);
  return {held_.load(std::memory_order_relaxed), fetched_.load(std::memory_order_relaxed), days_forgotten_,
          flushes_};
}

}  // namespace caredesk

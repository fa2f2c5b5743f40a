#include "app/flow_events.h"

#include <vector>

#include "storage/encounter_repository.h"

namespace caredesk {

FlowEvents::~FlowEvents() { Stop(); }

void FlowEvents::Start(db::Pool& pool, std::chrono::milliseconds poll_every) {
  std::lock_guard lock(mu_);
  if (running_) return;
  running_ = true;
  stopping_ = false;
  thread_ = std::thread([this, &pool, poll_every] { Run(pool, poll_every); });
}

void FlowEvents::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  running_ = false;
}

int64_t FlowEvents::Subscribe(int64_t location_id, Callback cb) {
  std::lock_guard lock(mu_);
  int64_t id = next_id_++;
  subscribers_.emplace(id, std::make_pair(location_id, std::move(cb)));
  return id;
}

void FlowEvents::Unsubscribe(int64_t subscription) {
  std::lock_guard lock(mu_);
  subscribers_.erase(subscription);
}

void FlowEvents::Publish(int64_t location_id) {
  {
    std::lock_guard lock(mu_);
    if (running_) {
      dirty_.insert(location_id);
      cv_.notify_all();
      return;
    }
  }
  Deliver({location_id}, false);
}

void FlowEvents::NoteLatest(int64_t transition_id) {
  std::lock_guard lock(mu_);
  if (transition_id > latest_seen_) latest_seen_ = transition_id;
}

void FlowEvents::Deliver(const std::set<int64_t>& locations, bool all) {
  std::vector<Callback> targets;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, sub] : subscribers_) {
      if (all || locations.count(sub.first)) targets.push_back(sub.second);
    }
  }
  for (auto& cb : targets) cb();
}

void FlowEvents::Poll(db::Pool& pool) {
  int64_t latest = 0;
  {
    auto conn = pool.Acquire();
    auto r = db::EncounterRepository::LatestTransitionId(*conn);
    if (!r.ok()) return;
    latest = *r;
  }
  bool changed = false;
  {
    std::lock_guard lock(mu_);
    changed = latest_seen_ >= 0 && latest > latest_seen_;
    if (latest > latest_seen_) latest_seen_ = latest;
  }
  if (changed) Deliver({}, true);
}

void FlowEvents::Run(db::Pool& pool, std::chrono::milliseconds poll_every) {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, poll_every, [&] { return stopping_ || !dirty_.empty(); });
    if (stopping_) break;
    std::set<int64_t> batch;
    batch.swap(dirty_);
    lock.unlock();
    if (!batch.empty()) {
      Deliver(batch, false);
    } else {
      Poll(pool);
    }
    lock.lock();
  }
}

}  // namespace caredesk

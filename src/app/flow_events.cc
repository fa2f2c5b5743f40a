#include "app/flow_events.h"

#include <vector>

#include "storage/encounter_repository.h"

namespace caredesk {

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
  std::vector<Callback> targets;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, sub] : subscribers_) {
      if (sub.first == location_id) targets.push_back(sub.second);
    }
  }
  for (auto& cb : targets) cb();
}

void FlowEvents::PublishAll() {
  std::vector<Callback> targets;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, sub] : subscribers_) targets.push_back(sub.second);
  }
  for (auto& cb : targets) cb();
}

void FlowEvents::NoteLatest(int64_t transition_id) {
  std::lock_guard lock(mu_);
  if (transition_id > latest_seen_) latest_seen_ = transition_id;
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
    changed = latest_seen_ >= 0 && latest != latest_seen_;
    latest_seen_ = latest;
  }
  if (changed) PublishAll();
}

}  // namespace caredesk

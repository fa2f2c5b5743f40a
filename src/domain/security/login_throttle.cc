#include "domain/security/login_throttle.h"

#include <algorithm>

namespace caredesk {

int64_t LoginThrottle::Remaining(const Entry& e, TimePoint now) const {
  if (e.locked_until <= now) return 0;
  return std::chrono::duration_cast<std::chrono::seconds>(e.locked_until - now).count() + 1;
}

int64_t LoginThrottle::RetryAfterSeconds(const std::string& username, const std::string& address) {
  std::lock_guard lock(mu_);
  TimePoint now = clock_.Now();
  int64_t wait = 0;
  if (auto it = users_.find(username); it != users_.end()) wait = std::max(wait, Remaining(it->second, now));
  if (auto it = addresses_.find(address); it != addresses_.end()) wait = std::max(wait, Remaining(it->second, now));
  return wait;
}

void LoginThrottle::Fail(Entry& e, int limit, TimePoint now) {
  if (now - e.window_start > policy_.window) {
    e.failures = 0;
    e.window_start = now;
  }
  if (++e.failures >= limit) {
    auto lock = policy_.first_lockout * (int64_t{1} << std::min(e.lockouts, 12));
    lock = std::min<std::chrono::seconds>(lock, policy_.max_lockout);
    e.locked_until = now + lock;
    ++e.lockouts;
    e.failures = 0;
    e.window_start = now;
  }
}

void LoginThrottle::RecordFailure(const std::string& username, const std::string& address) {
  std::lock_guard lock(mu_);
  TimePoint now = clock_.Now();
  Fail(users_[username], policy_.max_failures_per_user, now);
  Fail(addresses_[address], policy_.max_failures_per_address, now);
}

void LoginThrottle::RecordSuccess(const std::string& username, const std::string& address) {
  std::lock_guard lock(mu_);
  users_.erase(username);
  // The address keeps its count: one good login must not reset a spray.
}

}  // namespace caredesk

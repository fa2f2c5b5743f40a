// Throttles password guessing per username and per client address: after
// too many failures inside a window, further attempts are refused until the
// lock-out ends; each further lock-out doubles. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace caredesk {

struct ThrottlePolicy {
  int max_failures_per_user = 5;
  int max_failures_per_address = 20;
  std::chrono::minutes window{15};
  std::chrono::seconds first_lockout{60};
  std::chrono::minutes max_lockout{60};
};

class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, ThrottlePolicy policy) : clock_(clock), policy_(policy) {}

  // Seconds to wait before another attempt for this user or address; 0 = go.
  int64_t RetryAfterSeconds(const std::string& username, const std::string& address);
  void RecordFailure(const std::string& username, const std::string& address);
  void RecordSuccess(const std::string& username, const std::string& address);

 private:
  struct Entry {
    int failures = 0;
    TimePoint window_start;
    TimePoint locked_until;
    int lockouts = 0;
  };
  void Fail(Entry& e, int limit, TimePoint now);
  int64_t Remaining(const Entry& e, TimePoint now) const;

  const Clock& clock_;
  ThrottlePolicy policy_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> users_;      // guarded by mu_
  std::unordered_map<std::string, Entry> addresses_;  // guarded by mu_
};

}  // namespace caredesk

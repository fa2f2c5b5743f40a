// The current time comes from an injected Clock so that tests can freeze it,
// also across a DST change. SystemClock is the only place that reads the real
// clock. Implementations are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace caredesk {

using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
};

// The real clock moved by an adjustable offset (zero unless changed). The
// server runs on one so that end-to-end tests started with --test-clock can
// move time on (a deadline falling due) without touching the machine's clock.
class OffsetClock final : public Clock {
 public:
  TimePoint Now() const override { return base_.Now() + std::chrono::milliseconds(offset_ms_.load()); }
  void Advance(std::chrono::milliseconds d) { offset_ms_ += d.count(); }
  void Reset() { offset_ms_ = 0; }
  std::chrono::milliseconds offset() const { return std::chrono::milliseconds(offset_ms_.load()); }

 private:
  SystemClock base_;
  std::atomic<int64_t> offset_ms_{0};
};

// A clock for tests: stands still until Set or Advance is called.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_ms_(start.time_since_epoch().count()) {}
  TimePoint Now() const override { return TimePoint(std::chrono::milliseconds(now_ms_.load())); }
  void Set(TimePoint t) { now_ms_ = t.time_since_epoch().count(); }
  void Advance(std::chrono::milliseconds d) { now_ms_ += d.count(); }

 private:
  std::atomic<int64_t> now_ms_;
};

inline int64_t ToMillis(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromMillis(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

}  // namespace caredesk

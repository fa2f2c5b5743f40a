// The access log: one JSON object per answered request, one per line:
//   {"ts":"2025-03-10T14:30:00.123Z","request_id":"…","method":"GET",
//    "route":"/api/v1/patients/{id}","path":"/api/v1/patients/42","status":200,
//    "duration_ms":1.250,"bytes_out":512,"client":"10.0.0.7","user":"jdoe"}
// The query string and bodies are never logged: they can hold patient names.
//
// Thread-safety: Write may be called from any thread. The default sinks sit
// behind an asynchronous spdlog logger with its own thread, so Write never
// blocks an I/O thread on the disk or a slow stdout; when its queue is full
// the oldest lines are dropped rather than stalling requests.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace spdlog {
class logger;
namespace details {
class thread_pool;
}
}  // namespace spdlog

namespace caredesk::http {

struct AccessLogOptions {
  bool enabled = true;  // false: no access log at all (benchmarks)
  // A logger to write to, used as is (its pattern should be "%v": the line is
  // already complete). When null, a logger on `path` is created.
  std::shared_ptr<spdlog::logger> logger;
  std::string path;  // append to this file; empty = stdout
  // The clock for "ts"; null = the system clock. Must outlive the AccessLog.
  const Clock* clock = nullptr;
};

// One line's worth of fields; the views only need to live during Write.
struct AccessRecord {
  std::string_view request_id;
  std::string_view method;
  std::string_view route;  // the route pattern, or "other", "static", ...
  std::string_view path;   // decoded path, without the query string
  int status = 0;
  double duration_ms = 0;
  uint64_t bytes_out = 0;
  std::string_view client;
  std::string_view user;
};

class AccessLog {
 public:
  // Opens the log described by `options`; null when options.enabled is false.
  // Fails with kUnavailable when the file cannot be opened.
  static Result<std::unique_ptr<AccessLog>> Open(const AccessLogOptions& options);

  AccessLog(std::shared_ptr<spdlog::logger> logger, const Clock* clock);
  ~AccessLog();  // flushes
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void Write(const AccessRecord& record);

  // The JSON line for `record` at time `now`, without a newline.
  static std::string Format(const AccessRecord& record, TimePoint now);

 private:
  std::shared_ptr<spdlog::details::thread_pool> thread_pool_;  // for loggers created by Open
  std::shared_ptr<spdlog::logger> logger_;
  const Clock* clock_;
};

}  // namespace caredesk::http

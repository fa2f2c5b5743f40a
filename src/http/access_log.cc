#include "http/access_log.h"

#include <ctime>
#include <iterator>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/async_logger.h>
#include <spdlog/details/thread_pool.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace caredesk::http {
namespace {

constexpr size_t kQueueLines = 8192;

const Clock& DefaultClock() {
  static const SystemClock clock;
  return clock;
}

// Appends `text` as a JSON string literal. Control characters are escaped;
// other bytes pass through (paths are decoded but refused if they hold
// control characters, see DecodeTarget).
void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out += ",\"";
  out += name;
  out += "\":";
  AppendJsonString(out, value);
}

}  // namespace

Result<std::unique_ptr<AccessLog>> AccessLog::Open(const AccessLogOptions& options) {
  if (!options.enabled) return std::unique_ptr<AccessLog>();
  if (options.logger) return std::make_unique<AccessLog>(options.logger, options.clock);
  spdlog::sink_ptr sink;
  try {
    if (options.path.empty()) {
      sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
    } else {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.path, /*truncate=*/false);
    }
  } catch (const spdlog::spdlog_ex& e) {
    return Error::Unavailable(fmt::format("cannot open the access log {}: {}", options.path, e.what()));
  }
  auto pool = std::make_shared<spdlog::details::thread_pool>(kQueueLines, 1);
  auto logger = std::make_shared<spdlog::async_logger>("access", std::move(sink), pool,
                                                       spdlog::async_overflow_policy::overrun_oldest);
  logger->set_pattern("%v");
  logger->set_level(spdlog::level::info);
  logger->flush_on(spdlog::level::info);  // on the logger's own thread: lines show up at once
  auto log = std::make_unique<AccessLog>(std::move(logger), options.clock);
  log->thread_pool_ = std::move(pool);
  return log;
}

AccessLog::AccessLog(std::shared_ptr<spdlog::logger> logger, const Clock* clock)
    : logger_(std::move(logger)), clock_(clock != nullptr ? clock : &DefaultClock()) {}

AccessLog::~AccessLog() {
  if (logger_) logger_->flush();
  logger_.reset();  // before the thread pool that drains it
}

void AccessLog::Write(const AccessRecord& record) {
  logger_->info(Format(record, clock_->Now()));
}

std::string AccessLog::Format(const AccessRecord& record, TimePoint now) {
  std::string out;
  out.reserve(256 + record.path.size());
  const int64_t ms = ToMillis(now);
  const int64_t seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  const std::tm utc = fmt::gmtime(static_cast<std::time_t>(seconds));
  fmt::format_to(std::back_inserter(out), "{{\"ts\":\"{:%Y-%m-%dT%H:%M:%S}.{:03}Z\"", utc, ms - seconds * 1000);
  AppendField(out, "request_id", record.request_id);
  AppendField(out, "method", record.method);
  AppendField(out, "route", record.route);
  AppendField(out, "path", record.path);
  fmt::format_to(std::back_inserter(out), ",\"status\":{},\"duration_ms\":{:.3f},\"bytes_out\":{}", record.status,
                 record.duration_ms, record.bytes_out);
  AppendField(out, "client", record.client);
  out += ",\"user\":";
  if (record.user.empty()) {
    out += "null";
  } else {
    AppendJsonString(out, record.user);
  }
  out += '}';
  return out;
}

}  // namespace caredesk::http

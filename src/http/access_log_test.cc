#include "http/access_log.h"

#include <sstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

namespace caredesk::http {
namespace {

AccessRecord SampleRecord() {
  return {.request_id = "req-1",
          .method = "GET",
          .route = "/api/v1/patients/{id}",
          .path = "/api/v1/patients/42",
          .status = 200,
          .duration_ms = 1.25,
          .bytes_out = 512,
          .client = "10.0.0.7",
          .user = "jdoe"};
}

TEST(AccessLog, FormatsOneJsonObject) {
  const TimePoint t = FromMillis(1741617000123);  // 2025-03-10T14:30:00.123Z
  const std::string line = AccessLog::Format(SampleRecord(), t);
  auto json = boost::json::parse(line).as_object();
  EXPECT_EQ(json["ts"].as_string(), "2025-03-10T14:30:00.123Z");
  EXPECT_EQ(json["request_id"].as_string(), "req-1");
  EXPECT_EQ(json["route"].as_string(), "/api/v1/patients/{id}");
  EXPECT_EQ(json["path"].as_string(), "/api/v1/patients/42");
  EXPECT_EQ(json["status"].as_int64(), 200);
  EXPECT_DOUBLE_EQ(json["duration_ms"].to_number<double>(), 1.25);
  EXPECT_EQ(json["bytes_out"].as_int64(), 512);
  EXPECT_EQ(json["client"].as_string(), "10.0.0.7");
  EXPECT_EQ(json["user"].as_string(), "jdoe");
}

TEST(AccessLog, EscapesAndNullsAnonymousUsers) {
  AccessRecord record = SampleRecord();
  record.path = "/a\"b\\c\x01";
  record.user = "";
  auto json = boost::json::parse(AccessLog::Format(record, FromMillis(0))).as_object();
  EXPECT_EQ(json["path"].as_string(), "/a\"b\\c\x01");
  EXPECT_TRUE(json["user"].is_null());
  EXPECT_EQ(json["ts"].as_string(), "1970-01-01T00:00:00.000Z");
}

TEST(AccessLog, WritesToTheGivenLoggerWithTheInjectedClock) {
  std::ostringstream out;
  auto logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  logger->set_pattern("%v");
  FakeClock clock(FromMillis(1741617000123));
  AccessLogOptions options;
  options.logger = logger;
  options.clock = &clock;
  auto log = AccessLog::Open(options);
  ASSERT_TRUE(log.ok());
  (*log)->Write(SampleRecord());
  EXPECT_EQ(out.str().substr(0, 36), "{\"ts\":\"2025-03-10T14:30:00.123Z\",\"re");
  EXPECT_EQ(out.str().back(), '\n');
}

TEST(AccessLog, IsNullWhenDisabled) {
  AccessLogOptions options;
  options.enabled = false;
  auto log = AccessLog::Open(options);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(*log, nullptr);
}

TEST(AccessLog, ReportsAnUnwritableFile) {
  AccessLogOptions options;
  options.path = "/dev/null/access.log";  // a file is no directory, even for root
  auto log = AccessLog::Open(options);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace caredesk::http

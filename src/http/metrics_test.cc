#include "http/metrics.h"

#include <gtest/gtest.h>

namespace caredesk::http {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

bool Contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TEST(Metrics, CountsByRouteAndStatusClass) {
  Metrics metrics;
  RouteSeriesIndex index(metrics, {{"GET", "/api/v1/patients/{id}"}});
  Metrics::Record(index.Find("GET", "/api/v1/patients/{id}"), 200, milliseconds(3));
  Metrics::Record(index.Find("GET", "/api/v1/patients/{id}"), 404, milliseconds(1));
  const std::string text = metrics.Render();
  EXPECT_TRUE(Contains(text, "# TYPE caredesk_http_requests_total counter\n"));
  EXPECT_TRUE(Contains(
      text, "caredesk_http_requests_total{method=\"GET\",route=\"/api/v1/patients/{id}\",status=\"2xx\"} 1\n"));
  EXPECT_TRUE(Contains(
      text, "caredesk_http_requests_total{method=\"GET\",route=\"/api/v1/patients/{id}\",status=\"4xx\"} 1\n"));
  EXPECT_TRUE(Contains(
      text, "caredesk_http_requests_total{method=\"GET\",route=\"/api/v1/patients/{id}\",status=\"5xx\"} 0\n"));
}

TEST(Metrics, RendersCumulativeHistogramBuckets) {
  Metrics metrics;
  RouteSeriesIndex index(metrics, {{"GET", "/healthz"}});
  auto& series = index.Find("GET", "/healthz");
  Metrics::Record(series, 200, microseconds(300));  // <= 0.0005
  Metrics::Record(series, 200, milliseconds(3));    // <= 0.005
  Metrics::Record(series, 200, std::chrono::seconds(9));  // +Inf only
  const std::string text = metrics.Render();
  const std::string labels = "{method=\"GET\",route=\"/healthz\"";
  EXPECT_TRUE(Contains(text, "caredesk_http_request_duration_seconds_bucket" + labels + ",le=\"0.0005\"} 1\n"));
  EXPECT_TRUE(Contains(text, "caredesk_http_request_duration_seconds_bucket" + labels + ",le=\"0.0025\"} 1\n"));
  EXPECT_TRUE(Contains(text, "caredesk_http_request_duration_seconds_bucket" + labels + ",le=\"0.005\"} 2\n"));
  EXPECT_TRUE(Contains(text, "caredesk_http_request_duration_seconds_bucket" + labels + ",le=\"5\"} 2\n"));
  EXPECT_TRUE(Contains(text, "caredesk_http_request_duration_seconds_bucket" + labels + ",le=\"+Inf\"} 3\n"));
  EXPECT_TRUE(Contains(text, "caredesk_http_request_duration_seconds_count" + labels + "} 3\n"));
  EXPECT_TRUE(Contains(text, "caredesk_http_request_duration_seconds_sum" + labels + "} 9.0033\n"));
}

TEST(Metrics, MapsUnknownRoutesAndMethodsToOther) {
  Metrics metrics;
  RouteSeriesIndex index(metrics, {{"GET", "/a"}});
  EXPECT_EQ(index.Find("GET", "/b").route, "other");
  EXPECT_EQ(index.Find("DELETE", "/a").route, "other");
  EXPECT_EQ(index.Find("DELETE", "/a").method, "DELETE");
  EXPECT_EQ(index.Find("BREW", "/a").method, "OTHER");
  // "other" is only rendered once it counts something.
  EXPECT_FALSE(Contains(metrics.Render(), "route=\"other\""));
  Metrics::Record(index.Find("GET", "/b"), 404, microseconds(10));
  EXPECT_TRUE(Contains(metrics.Render(),
                       "caredesk_http_requests_total{method=\"GET\",route=\"other\",status=\"4xx\"} 1\n"));
}

TEST(Metrics, RendersGaugesAtScrapeTime) {
  Metrics metrics;
  double in_use = 3;
  metrics.AddGauge("caredesk_db_pool_in_use", "Connections lent out.", [&] { return in_use; });
  metrics.ConnectionOpened();
  metrics.RequestStarted();
  in_use = 5;
  const std::string text = metrics.Render();
  EXPECT_TRUE(Contains(text, "# TYPE caredesk_db_pool_in_use gauge\ncaredesk_db_pool_in_use 5\n"));
  EXPECT_TRUE(Contains(text, "caredesk_http_connections_open 1\n"));
  EXPECT_TRUE(Contains(text, "caredesk_http_in_flight 1\n"));
}

TEST(Metrics, RendersCountersWithTheirLabelsUnderOneHeader) {
  Metrics metrics;
  double accepted = 7;
  metrics.AddCounter("caredesk_mllp_messages_total", "Messages.", [&] { return accepted; }, "ack", "AA");
  metrics.AddCounter("caredesk_mllp_refused_total", "Refused.", [] { return 1.0; });
  metrics.AddCounter("caredesk_mllp_messages_total", "Messages.", [] { return 2.0; }, "ack", "A\"R");
  accepted = 9;
  const std::string text = metrics.Render();
  EXPECT_TRUE(Contains(text,
                       "# HELP caredesk_mllp_messages_total Messages.\n# TYPE caredesk_mllp_messages_total counter\n"
                       "caredesk_mllp_messages_total{ack=\"AA\"} 9\n"
                       "caredesk_mllp_messages_total{ack=\"A\\\"R\"} 2\n"
                       "# HELP caredesk_mllp_refused_total Refused.\n# TYPE caredesk_mllp_refused_total counter\n"
                       "caredesk_mllp_refused_total 1\n"))
      << text;
  metrics.AddCounter("caredesk_mllp_refused_total", "Refused.", [] { return 4.0; });
  EXPECT_TRUE(Contains(metrics.Render(), "caredesk_mllp_refused_total 4\n"));
  EXPECT_FALSE(Contains(metrics.Render(), "caredesk_mllp_refused_total 1\n"));
}

TEST(Metrics, EscapesLabelValues) {
  Metrics metrics;
  RouteSeriesIndex index(metrics, {{"GET", "/a\"b\\c"}});
  EXPECT_TRUE(Contains(metrics.Render(), "route=\"/a\\\"b\\\\c\""));
}

}  // namespace
}  // namespace caredesk::http

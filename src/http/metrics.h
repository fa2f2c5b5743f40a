// Prometheus metrics of the HTTP layer, plus gauges the application adds.
//
// Exported series:
//   caredesk_http_requests_total{method,route,status}  counter; `status` is the
//       status class ("2xx", "4xx", ...), which keeps the series count fixed
//       per route and lets the counters live in a fixed array of atomics.
//   caredesk_http_request_duration_seconds{method,route}  histogram, buckets
//       0.0005 s .. 5 s; measured from the complete request head to the last
//       byte of the response written.
//   caredesk_http_in_flight               gauge: requests read, not yet answered
//   caredesk_http_connections_open        gauge
//   and every gauge registered with AddGauge and counter registered with
//   AddCounter, read at scrape time.
//
// `route` is the router's pattern ("/api/v1/patients/{id}"), never the raw
// path, so identifiers and names never become label values.
//
// Thread-safety: all members are thread-safe. Recording is lock-free (relaxed
// atomics on a per-route series); Series(), AddGauge(), AddCounter() and Render() take a
// mutex and belong to start-up and scrapes.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace caredesk::http {

// Upper bounds of the duration histogram buckets, in seconds (+Inf implied).
inline constexpr std::array<double, 13> kDurationBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                            0.1,    0.25,  0.5,    1,     2.5,  5};

class Metrics {
 public:
  // The counters of one (method, route) pair. Its address is stable for the
  // life of the Metrics, so the hot path keeps a pointer to it.
  struct alignas(64) RouteSeries {
    RouteSeries(std::string method_label, std::string route_label, bool always_rendered);

    const std::string method;
    const std::string route;
    // Preregistered series are rendered at zero; others once they count.
    const bool always_rendered;
    std::array<std::atomic<uint64_t>, 5> by_status_class{};              // 1xx .. 5xx
    std::array<std::atomic<uint64_t>, kDurationBuckets.size() + 1> by_bucket{};  // not cumulative
    std::atomic<uint64_t> duration_sum_ns{0};
  };

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // The series for (method, route), created on first use. `preregistered`
  // series are rendered even before they count anything.
  RouteSeries& Series(std::string_view method, std::string_view route, bool preregistered = true);

  // Counts one answered request on `series`. Lock-free.
  static void Record(RouteSeries& series, int status, std::chrono::nanoseconds duration);

  void ConnectionOpened() { connections_open_.fetch_add(1, std::memory_order_relaxed); }
  void ConnectionClosed() { connections_open_.fetch_sub(1, std::memory_order_relaxed); }
  void RequestStarted() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void RequestFinished() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }

  // Exports `read()` as a gauge named `name` (a valid Prometheus metric name,
  // e.g. "caredesk_db_pool_in_use"). `read` runs at every Render, on the
  // scraping thread, under an internal mutex: it must be quick and must not
  // call back into this Metrics. Adding the same name twice replaces it.
  void AddGauge(std::string name, std::string help, std::function<double()> read);

  // Exports `read()` as the counter `name` (`read` as for AddGauge, and never
  // decreasing), or as one series of it labelled `label_name`="`label_value`"
  // when label_name is given (a valid label name; the value is escaped). The
  // series of one name are rendered together under the help first given.
  // Adding the same name and label value twice replaces the first.
  void AddCounter(std::string name, std::string help, std::function<double()> read, std::string label_name = {},
                  std::string label_value = {});

  // The Prometheus text exposition format (version 0.0.4).
  std::string Render() const;

 private:
  mutable std::mutex mu_;  // guards the containers below, not the atomics
  std::vector<std::unique_ptr<RouteSeries>> series_;
  std::unordered_map<std::string, RouteSeries*> series_by_key_;  // "METHOD route"
  struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> read;
  };
  std::vector<Gauge> gauges_;
  struct Counter {
    std::string name;
    std::string help;
    std::string label_name;
    std::string label_value;
    std::function<double()> read;
  };
  std::vector<Counter> counters_;

  std::atomic<int64_t> in_flight_{0};
  std::atomic<int64_t> connections_open_{0};
};

// A read-only map from (method, route pattern) to the series to count on,
// built once from the known routes; lookups take no lock. Unknown pairs map to
// route "other" (with the method, or "OTHER" for unusual methods), so label
// values stay bounded whatever clients send. Thread-safe after construction.
class RouteSeriesIndex {
 public:
  // `routes` are (method, pattern) pairs; each gets a preregistered series.
  RouteSeriesIndex(Metrics& metrics, const std::vector<std::pair<std::string, std::string>>& routes);

  Metrics::RouteSeries& Find(std::string_view method, std::string_view route) const;

 private:
  struct TransparentHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using MethodList = std::vector<std::pair<std::string, Metrics::RouteSeries*>>;
  std::unordered_map<std::string, MethodList, TransparentHash, std::equal_to<>> by_route_;
  MethodList other_;  // route "other", per common method
  Metrics::RouteSeries* other_method_ = nullptr;
};

}  // namespace caredesk::http

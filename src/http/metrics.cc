#include "http/metrics.h"

#include <cassert>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

namespace caredesk::http {
namespace {

constexpr std::array<std::string_view, 5> kStatusClasses = {"1xx", "2xx", "3xx", "4xx", "5xx"};
constexpr std::array<std::string_view, 7> kCommonMethods = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
constexpr std::string_view kOtherRoute = "other";
constexpr std::string_view kOtherMethod = "OTHER";

// Bucket bounds in nanoseconds, so Record compares integers.
constexpr std::array<int64_t, kDurationBuckets.size()> BucketBoundsNs() {
  std::array<int64_t, kDurationBuckets.size()> out{};
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<int64_t>(kDurationBuckets[i] * 1e9);
  return out;
}
constexpr auto kBucketBoundsNs = BucketBoundsNs();

size_t StatusClassIndex(int status) {
  if (status < 100 || status > 599) return 4;  // nonsense counts as a server error
  return static_cast<size_t>(status / 100 - 1);
}

[[maybe_unused]] bool IsMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

void AppendLabelValue(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
}

// {method="GET",route="/x"  -- left open so callers can add labels.
void AppendRouteLabels(std::string& out, const Metrics::RouteSeries& series) {
  out += "{method=\"";
  AppendLabelValue(out, series.method);
  out += "\",route=\"";
  AppendLabelValue(out, series.route);
  out += '"';
}

void AppendNumber(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}

void AppendHeader(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

uint64_t Load(const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); }

uint64_t TotalCount(const Metrics::RouteSeries& s) {
  uint64_t total = 0;
  for (const auto& c : s.by_status_class) total += Load(c);
  return total;
}

}  // namespace

Metrics::RouteSeries::RouteSeries(std::string method_label, std::string route_label, bool always)
    : method(std::move(method_label)), route(std::move(route_label)), always_rendered(always) {}

Metrics::Metrics() = default;
Metrics::~Metrics() = default;

Metrics::RouteSeries& Metrics::Series(std::string_view method, std::string_view route, bool preregistered) {
  std::string key;
  key.reserve(method.size() + 1 + route.size());
  key.append(method).append(" ").append(route);
  std::lock_guard lock(mu_);
  auto it = series_by_key_.find(key);
  if (it != series_by_key_.end()) return *it->second;
  auto& series = series_.emplace_back(
      std::make_unique<RouteSeries>(std::string(method), std::string(route), preregistered));
  series_by_key_.emplace(std::move(key), series.get());
  return *series;
}

void Metrics::Record(RouteSeries& series, int status, std::chrono::nanoseconds duration) {
  series.by_status_class[StatusClassIndex(status)].fetch_add(1, std::memory_order_relaxed);
  const int64_t ns = duration.count();
  size_t bucket = 0;
  while (bucket < kBucketBoundsNs.size() && ns > kBucketBoundsNs[bucket]) ++bucket;
  series.by_bucket[bucket].fetch_add(1, std::memory_order_relaxed);
  series.duration_sum_ns.fetch_add(static_cast<uint64_t>(ns > 0 ? ns : 0), std::memory_order_relaxed);
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  assert(IsMetricName(name) && read);
  std::lock_guard lock(mu_);
  for (Gauge& g : gauges_) {
    if (g.name == name) {
      g.help = std::move(help);
      g.read = std::move(read);
      return;
    }
  }
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

void Metrics::AddCounter(std::string name, std::string help, std::function<double()> read, std::string label_name,
                         std::string label_value) {
  assert(IsMetricName(name) && read && (label_name.empty() || IsMetricName(label_name)));
  std::lock_guard lock(mu_);
  for (Counter& c : counters_) {
    if (c.name == name && c.label_name == label_name && c.label_value == label_value) {
      c.help = std::move(help);
      c.read = std::move(read);
      return;
    }
  }
  counters_.push_back(
      {std::move(name), std::move(help), std::move(label_name), std::move(label_value), std::move(read)});
}

std::string Metrics::Render() const {
  std::string out;
  std::lock_guard lock(mu_);
  out.reserve(256 + series_.size() * 1600);

  AppendHeader(out, "caredesk_http_requests_total",
               "HTTP requests answered, by method, route pattern and status class.", "counter");
  for (const auto& s : series_) {
    for (size_t c = 0; c < kStatusClasses.size(); ++c) {
      const uint64_t n = Load(s->by_status_class[c]);
      const bool render_zero = s->always_rendered && c > 0;  // 1xx only once seen
      if (n == 0 && !render_zero) continue;
      out += "caredesk_http_requests_total";
      AppendRouteLabels(out, *s);
      fmt::format_to(std::back_inserter(out), ",status=\"{}\"}} {}\n", kStatusClasses[c], n);
    }
  }

  AppendHeader(out, "caredesk_http_request_duration_seconds",
               "Time from the complete request head to the response written, by method and route pattern.",
               "histogram");
  for (const auto& s : series_) {
    if (!s->always_rendered && TotalCount(*s) == 0) continue;
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kDurationBuckets.size(); ++b) {
      cumulative += Load(s->by_bucket[b]);
      out += "caredesk_http_request_duration_seconds_bucket";
      AppendRouteLabels(out, *s);
      out += ",le=\"";
      if (b < kDurationBuckets.size()) {
        AppendNumber(out, kDurationBuckets[b]);
      } else {
        out += "+Inf";
      }
      fmt::format_to(std::back_inserter(out), "\"}} {}\n", cumulative);
    }
    out += "caredesk_http_request_duration_seconds_sum";
    AppendRouteLabels(out, *s);
    out += "} ";
    AppendNumber(out, static_cast<double>(Load(s->duration_sum_ns)) / 1e9);
    out += "\ncaredesk_http_request_duration_seconds_count";
    AppendRouteLabels(out, *s);
    fmt::format_to(std::back_inserter(out), "}} {}\n", cumulative);
  }

  AppendHeader(out, "caredesk_http_in_flight", "HTTP requests read and not yet answered.", "gauge");
  fmt::format_to(std::back_inserter(out), "caredesk_http_in_flight {}\n", in_flight_.load(std::memory_order_relaxed));
  AppendHeader(out, "caredesk_http_connections_open", "Open HTTP connections.", "gauge");
  fmt::format_to(std::back_inserter(out), "caredesk_http_connections_open {}\n",
                 connections_open_.load(std::memory_order_relaxed));

  for (const Gauge& g : gauges_) {
    AppendHeader(out, g.name, g.help, "gauge");
    out += g.name;
    out += ' ';
    AppendNumber(out, g.read());
    out += '\n';
  }
  // Counters, each name's series together, in the order the names were first added.
  for (size_t i = 0; i < counters_.size(); ++i) {
    const std::string& name = counters_[i].name;
    bool seen_before = false;
    for (size_t j = 0; j < i && !seen_before; ++j) seen_before = counters_[j].name == name;
    if (seen_before) continue;
    AppendHeader(out, name, counters_[i].help, "counter");
    for (size_t j = i; j < counters_.size(); ++j) {
      const Counter& c = counters_[j];
      if (c.name != name) continue;
      out += name;
      if (!c.label_name.empty()) {
        fmt::format_to(std::back_inserter(out), "{{{}=\"", c.label_name);
        AppendLabelValue(out, c.label_value);
        out += "\"}";
      }
      out += ' ';
      AppendNumber(out, c.read());
      out += '\n';
    }
  }
  return out;
}

RouteSeriesIndex::RouteSeriesIndex(Metrics& metrics,
                                   const std::vector<std::pair<std::string, std::string>>& routes) {
  for (const auto& [method, route] : routes) {
    by_route_[route].emplace_back(method, &metrics.Series(method, route));
  }
  for (std::string_view method : kCommonMethods) {
    other_.emplace_back(std::string(method), &metrics.Series(method, kOtherRoute, /*preregistered=*/false));
  }
  other_method_ = &metrics.Series(kOtherMethod, kOtherRoute, /*preregistered=*/false);
}

Metrics::RouteSeries& RouteSeriesIndex::Find(std::string_view method, std::string_view route) const {
  const MethodList* methods = &other_;
  if (auto it = by_route_.find(route); it != by_route_.end()) methods = &it->second;
  for (const auto& [m, series] : *methods) {
    if (m == method) return *series;
  }
  if (methods != &other_) {
    for (const auto& [m, series] : other_) {
      if (m == method) return *series;
    }
  }
  return *other_method_;
}

}  // namespace caredesk::http

// The service metrics a patient services manager watches, their definitions
// (shown in the UI beside each chart), and their series per local day, week
// or month ready for an SPC chart. Pure functions and value types;
// thread-safe.
//
// Each metric is a ratio of two sums per period: a rate (numerator events
// over denominator events), a mean (sum of durations over the count), or a
// rate per 1,000 visits. The chart follows the kind: a p chart for rates, a
// u chart for rates per 1,000, an XmR chart of the period means for
// durations (NHS Making Data Count).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/civil_time.h"
#include "core/status.h"
#include "domain/spc/spc_chart.h"

namespace caredesk::metrics {

enum class MetricId {
  kThirdNextAvailableDays,
  kNoShowRate,
  kCancellationRate,
  kLeadTimeDays,
  kUtilisation,
  kArrivalToProviderMinutes,
  kCycleTimeMinutes,
  kLwbsRate,
  kComplaintsPer1000Visits,
  kAcknowledgeHours,
  kResolveDays,
  kDeadlinesMet,
  kSurveyResponseRate,
  kTopBoxRate,
  kNetPromoterScore,
};

struct MetricDefinition {
  MetricId id;
  std::string_view key;         // wire name, "no_show_rate"
  std::string_view name;        // "No-show rate"
  std::string_view unit;        // "%", "days", "minutes", "per 1,000 visits", "hours"
  std::string_view definition;  // what is counted, in plain words
  std::string_view group;       // "Access", "Flow", "Relations", "Experience"
  spc::ChartType chart;
  spc::Improvement improvement;
  double multiply;  // 100 for percentages, 1,000 for per 1,000 visits
};

const std::vector<MetricDefinition>& AllMetrics();
// Error::Invalid on `field`, reason "unknown_metric", listing the keys.
Result<const MetricDefinition*> FindMetric(std::string_view key, std::string_view field = "metric");

enum class Interval { kDay, kWeek, kMonth };
// "day", "week", "month"; unknown: Error::Invalid on `field`, reason "invalid_interval".
Result<Interval> ParseInterval(std::string_view name, std::string_view field = "interval");
std::string_view IntervalName(Interval interval);
// The first day of the period holding `d`: itself, the Monday of its week, the first of its month.
CivilDate PeriodStart(const CivilDate& d, Interval interval);
CivilDate NextPeriod(const CivilDate& start, Interval interval);

struct PeriodValue {
  CivilDate start;
  double numerator = 0;    // events, or the sum of durations
  double denominator = 0;  // events at risk, or the number of durations; 0: no data
  // numerator / denominator × multiply; nullopt without data.
  std::optional<double> value(double multiply) const;
};

// Sums observations into the periods of [from, to] (local dates), every
// period present even when empty, in order.
class SeriesBuilder {
 public:
  SeriesBuilder(Interval interval, CivilDate from, CivilDate to);
  // Ignored when `date` lies outside [from, to].
  void Add(const CivilDate& date, double numerator, double denominator);
  std::vector<PeriodValue> Build() const { return periods_; }

 private:
  Interval interval_;
  CivilDate from_, to_;
  std::vector<PeriodValue> periods_;
  std::vector<int64_t> starts_;  // days since epoch of each period start
};

// The SPC input of a series: counts and denominators for p and u charts, the
// sums with their counts for XmR (plotted as means). Periods without data
// stay as gaps.
spc::SpcInput ToSpcInput(const MetricDefinition& metric, const std::vector<PeriodValue>& series);

}  // namespace caredesk::metrics

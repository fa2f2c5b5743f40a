#include "domain/metrics/service_metrics.h"

#include <algorithm>

namespace caredesk::metrics {
namespace {

using spc::ChartType;
using spc::Improvement;

}  // namespace

const std::vector<MetricDefinition>& AllMetrics() {
  static const std::vector<MetricDefinition> kMetrics = {
      {MetricId::kThirdNextAvailableDays, "third_next_available_days", "Third next available", "days",
       "Days from a request to the third open slot (IHI), for each appointment type and each provider who does it "
       "and works at the location, read once a local day at the first look after midnight; the period's mean of "
       "those daily readings. The third rather than the first because the first openings are often chance "
       "cancellations. A provider with fewer than three open slots in the next 90 days counts as 90.",
       "Access", ChartType::kXmr, Improvement::kDecrease, 1},
      {MetricId::kNoShowRate, "no_show_rate", "No-show rate", "%",
       "Appointments marked no-show, as a share of the appointments that were due to take place (kept, checked in "
       "or missed; cancellations excluded), by the local date of the appointment.",
       "Access", ChartType::kP, Improvement::kDecrease, 100},
      {MetricId::kCancellationRate, "cancellation_rate", "Cancellation rate", "%",
       "Appointments cancelled, by anyone and at any time, as a share of all appointments booked for the period, by "
       "the local date of the appointment.",
       "Access", ChartType::kP, Improvement::kDecrease, 100},
      {MetricId::kLeadTimeDays, "lead_time_days", "Lead time", "days",
       "Mean days from booking to the appointment, for appointments that took place or were missed in the period "
       "(walk-ins excluded).",
       "Access", ChartType::kXmr, Improvement::kDecrease, 1},
      {MetricId::kUtilisation, "utilisation", "Utilisation", "%",
       "Minutes of appointments booked (kept, checked in or missed; cancellations excluded) as a share of the "
       "providers' template time, holidays, leave and other exceptions taken out, by the local date of the "
       "appointment, for whole days from the location's first appointment in CareDesk. Over 100% means "
       "overbooking. The chart is an XmR chart of the period shares.",
       "Access", ChartType::kXmr, Improvement::kIncrease, 100},
      {MetricId::kArrivalToProviderMinutes, "arrival_to_provider_minutes", "Arrival to provider", "minutes",
       "Mean minutes from arrival (check-in) to first being with a provider, for patients who arrived in the period "
       "(ED Benchmarking Alliance).",
       "Flow", ChartType::kXmr, Improvement::kDecrease, 1},
      {MetricId::kCycleTimeMinutes, "cycle_time_minutes", "Cycle time", "minutes",
       "Mean minutes from arrival to departure for visits completed in the period (arrival to departure, ED "
       "Benchmarking Alliance).",
       "Flow", ChartType::kXmr, Improvement::kDecrease, 1},
      {MetricId::kLwbsRate, "lwbs_rate", "Left without being seen", "%",
       "Patients who left before being seen, as a share of all patients who arrived in the period.", "Flow",
       ChartType::kP, Improvement::kDecrease, 100},
      {MetricId::kComplaintsPer1000Visits, "complaints_per_1000_visits", "Complaints per 1,000 visits",
       "per 1,000 visits",
       "Complaints and grievances received in the period per 1,000 completed visits in the same period.", "Relations",
       ChartType::kU, Improvement::kDecrease, 1000},
      {MetricId::kAcknowledgeHours, "acknowledge_hours", "Time to acknowledge", "hours",
       "Mean hours from receiving a complaint, grievance or inquiry to acknowledging it, for cases received in the "
       "period and acknowledged.",
       "Relations", ChartType::kXmr, Improvement::kDecrease, 1},
      {MetricId::kResolveDays, "resolve_days", "Time to resolve", "days",
       "Mean days from receiving a complaint, grievance or inquiry to resolving it, for cases received in the period "
       "and resolved since.",
       "Relations", ChartType::kXmr, Improvement::kDecrease, 1},
      {MetricId::kDeadlinesMet, "deadlines_met_rate", "Deadlines met", "%",
       "Deadlines of the complaints, grievances and inquiries received in the period (acknowledgement, resolution "
       "or interim notice, written decision, from the deadline policy and business calendars) that were met on "
       "time, as a share of those that have fallen due: met on time, met late or overdue now.",
       "Relations", ChartType::kP, Improvement::kIncrease, 100},
      {MetricId::kSurveyResponseRate, "survey_response_rate", "Survey response rate", "%",
       "Survey invitations answered, as a share of the invitations sent for visits in the period (by the local date "
       "of the visit). Imported vendor results have no invitations and are not counted here.",
       "Experience", ChartType::kP, Improvement::kIncrease, 100},
      {MetricId::kTopBoxRate, "top_box_rate", "Top-box share", "%",
       "Answers in the top box (\"Always\", \"Definitely yes\", 9–10, \"Yes\", \"Strongly agree\") as a share of "
       "all answers to scored survey questions other than NPS, for visits in the period, web and imported alike.",
       "Experience", ChartType::kP, Improvement::kIncrease, 100},
      {MetricId::kNetPromoterScore, "nps", "Net Promoter Score", "points",
       "Per cent of promoters (9–10) minus per cent of detractors (0–6) among the answers to NPS questions, for "
       "visits in the period; from −100 to 100. The chart is an XmR chart of the period scores.",
       "Experience", ChartType::kXmr, Improvement::kIncrease, 100},
  };
  return kMetrics;
}

Result<const MetricDefinition*> FindMetric(std::string_view key, std::string_view field) {
  std::string keys;
  for (const auto& m : AllMetrics()) {
    if (m.key == key) return &m;
    keys += (keys.empty() ? "" : ", ") + std::string(m.key);
  }
  return Error::Invalid(std::string(field), "unknown metric '" + std::string(key) + "'; expected one of " + keys,
                        "unknown_metric");
}

Result<Interval> ParseInterval(std::string_view name, std::string_view field) {
  if (name == "day") return Interval::kDay;
  if (name == "week") return Interval::kWeek;
  if (name == "month") return Interval::kMonth;
  return Error::Invalid(std::string(field), "is day, week or month", "invalid_interval");
}

std::string_view IntervalName(Interval interval) {
  switch (interval) {
    case Interval::kDay:
      return "day";
    case Interval::kWeek:
      return "week";
    case Interval::kMonth:
      return "month";
  }
  return "day";
}

CivilDate PeriodStart(const CivilDate& d, Interval interval) {
  switch (interval) {
    case Interval::kDay:
      return d;
    case Interval::kWeek:
      return d.AddDays(-((d.Weekday() + 6) % 7));  // back to Monday
    case Interval::kMonth:
      return CivilDate{d.year, d.month, 1};
  }
  return d;
}

CivilDate NextPeriod(const CivilDate& start, Interval interval) {
  switch (interval) {
    case Interval::kDay:
      return start.AddDays(1);
    case Interval::kWeek:
      return start.AddDays(7);
    case Interval::kMonth:
      return start.month == 12 ? CivilDate{start.year + 1, 1, 1} : CivilDate{start.year, start.month + 1, 1};
  }
  return start.AddDays(1);
}

std::optional<double> PeriodValue::value(double multiply) const {
  if (denominator <= 0) return std::nullopt;
  return numerator / denominator * multiply;
}

SeriesBuilder::SeriesBuilder(Interval interval, CivilDate from, CivilDate to)
    : interval_(interval), from_(from), to_(to) {
  for (CivilDate p = PeriodStart(from, interval); !(to < p); p = NextPeriod(p, interval)) {
    periods_.push_back(PeriodValue{p, 0, 0});
    starts_.push_back(p.DaysSinceEpoch());
  }
}

void SeriesBuilder::Add(const CivilDate& date, double numerator, double denominator) {
  if (date < from_ || to_ < date) return;
  int64_t day = PeriodStart(date, interval_).DaysSinceEpoch();
  auto it = std::lower_bound(starts_.begin(), starts_.end(), day);
  if (it == starts_.end() || *it != day) return;
  PeriodValue& p = periods_[static_cast<size_t>(it - starts_.begin())];
  p.numerator += numerator;
  p.denominator += denominator;
}

spc::SpcInput ToSpcInput(const MetricDefinition& metric, const std::vector<PeriodValue>& series) {
  spc::SpcInput in;
  in.chart = metric.chart;
  in.improvement = metric.improvement;
  in.multiply = metric.chart == ChartType::kXmr ? 1 : metric.multiply;
  for (const auto& p : series) {
    bool empty = p.denominator <= 0;
    if (metric.chart == ChartType::kXmr) {
      in.values.push_back(empty ? std::nullopt : std::optional<double>(p.numerator / p.denominator * metric.multiply));
    } else {
      in.values.push_back(empty ? std::nullopt : std::optional<double>(p.numerator));
      in.n.push_back(empty ? std::nullopt : std::optional<double>(p.denominator));
    }
  }
  return in;
}

}  // namespace caredesk::metrics

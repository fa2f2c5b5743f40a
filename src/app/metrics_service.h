// The service metrics computed from CareDesk's own records — appointments,
// encounters and their transitions, patient-relations cases — per local
// day, week or month at a location (or all), each with its SPC chart.
// Third next available comes from the daily readings AccessService keeps.
// Sums are taken in SQL per quarter hour (so that every bucket falls in one
// local day in any zone with whole quarter-hour offsets), in one pass per
// table over covering indexes (migration 0007), and folded into local
// periods here. Utilisation's template time comes from the schedule set-up
// (domain/scheduling/available_time.h), and the "deadlines met" share from
// the relations service, case by case. Reads only; the dashboard read is
// audited. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "core/clock.h"
#include "domain/metrics/service_metrics.h"
#include "domain/spc/spc_chart.h"
#include "storage/pool.h"

namespace caredesk {

class RelationsService;

struct MetricsQuery {
  std::optional<int64_t> location_id;  // none: every location
  std::optional<int64_t> provider_id;  // access and flow metrics only
  // Providers of this specialty (appointments, encounters, template time), or cases and survey visits recorded
  // with this department; none: every department.
  std::optional<std::string> department;
  std::optional<int64_t> appointment_type_id;  // third next available only
  metrics::Interval interval = metrics::Interval::kWeek;
  CivilDate from;  // local dates, inclusive
  CivilDate to;
};

struct MetricResult {
  const metrics::MetricDefinition* metric = nullptr;
  std::vector<metrics::PeriodValue> series;
  spc::SpcChart chart;
};

inline constexpr int kMaxMetricDays = 3 * 366;

// The records behind one point of a metric's chart (drill-down).
struct RecordsQuery {
  int64_t location_id = 0;  // required
  std::optional<int64_t> provider_id;
  std::optional<std::string> department;  // as MetricsQuery::department
  std::optional<int64_t> appointment_type_id;  // as MetricsQuery::appointment_type_id
  metrics::Interval interval = metrics::Interval::kWeek;
  CivilDate period_start;  // the first day of a period of `interval`
  int limit = 50;
  int offset = 0;
};

struct MetricRecord {
  int64_t id = 0;
  int64_t at = 0;  // epoch ms: the appointment's start, the arrival, the receipt, the visit's end
  std::optional<int64_t> patient_id;
  std::string patient_name;
  std::string provider_name;
  std::string status;
  bool in_numerator = false;
  std::optional<double> value;  // the record's measure, for means
  std::string link;             // the UI page, or empty
};

struct MetricRecords {
  std::string kind;  // appointment | encounter | case | invitation | response
  CivilDate period_start, period_end;
  std::string numerator_label;
  std::string time_zone;  // the location's
  std::vector<MetricRecord> items;
  int64_t total = 0;
};

class MetricsService {
 public:
  // `relations` judges the cases' deadlines for the "deadlines met" metric; without it that metric has no data.
  MetricsService(db::Pool& pool, const Clock& clock, AuditLog& audit, RelationsService* relations = nullptr)
      : pool_(pool), clock_(clock), audit_(audit), relations_(relations) {}

  // One metric. Errors name the field: "from", "to" (reversed or more than
  // kMaxMetricDays apart), "location_id" (unknown).
  Result<MetricResult> Compute(const Actor& by, const metrics::MetricDefinition& metric, const MetricsQuery& q);
  // Every metric, in AllMetrics() order, on one connection.
  Result<std::vector<MetricResult>> Dashboard(const Actor& by, const MetricsQuery& q);
  // The same for the server's own use (the alert scan): not audited, so its
  // results must not be shown to a user — they carry no patient data.
  Result<std::vector<MetricResult>> ComputeAll(const MetricsQuery& q);
  // The records behind one point (metric_records.cc). Errors name "location_id" (unknown) and
  // "period_start" (not the start of a period). Reading patients' records is audited.
  Result<MetricRecords> Records(const Actor& by, const metrics::MetricDefinition& metric, const RecordsQuery& q);

 private:
  Status Check(db::Connection& c, const MetricsQuery& q);
  // The wanted metrics, reading each table once.
  Result<std::vector<MetricResult>> ComputeOn(db::Connection& c, const std::vector<const metrics::MetricDefinition*>& wanted,
                                              const MetricsQuery& q);

  db::Pool& pool_;
  const Clock& clock_;
  AuditLog& audit_;
  RelationsService* relations_;
};

}  // namespace caredesk

#include "app/metrics_service.h"

#include <array>
#include <map>
#include <set>
#include <tuple>

#include "app/relations_service.h"
#include "domain/scheduling/available_time.h"
#include "storage/schedule_repository.h"

namespace caredesk {
namespace {

using metrics::MetricId;

constexpr int64_t kBucketMs = 900'000;  // a quarter hour
constexpr int64_t kDayMs = 86'400'000;

// Three passes, one per table, each returning per (location, quarter-hour
// bucket) every sum the metrics of that table need. $1 location (NULL =
// all), $2..$3 the instant range, $4 now, $5 provider (NULL = all; not for
// cases), $6 department (cases: $5), where {{department}} stands (see WithDepartment).
// kAvailability (template time) and kDeadlines (cases' deadlines) are not SQL passes: they are computed here.
enum class Source { kAppointments, kEncounters, kCases, kInvitations, kAnswers, kAccess, kAvailability, kDeadlines };
constexpr Source kSqlSources[] = {Source::kAppointments, Source::kEncounters, Source::kCases, Source::kInvitations,
                                  Source::kAnswers,      Source::kAccess};

// Grouped by status as well (cheaper than a CASE per sum); Fold turns the
// rows into the sums below.
constexpr char kAppointmentsPass[] =
    "SELECT location_id, start_at / 900000, status, COUNT(*), "
    "SUM(CASE WHEN created_at <= start_at THEN (start_at - created_at) / 86400000.0 ELSE 0 END), "
    "SUM(CASE WHEN created_at <= start_at THEN 1 ELSE 0 END), SUM(end_at - start_at) / 60000.0 "
    "FROM appointments WHERE (CAST($1 AS BIGINT) IS NULL OR location_id = $1) AND start_at >= $2 AND start_at < $3 "
    "AND start_at < $4 AND (CAST($5 AS BIGINT) IS NULL OR provider_id = $5) {{department}} "
    "GROUP BY location_id, start_at / 900000, status";

// The appointment sums of one (location, bucket, status) row, in the column
// order PartsOf uses: no-shows, due, cancelled, all, lead days, lead count, booked minutes.
std::array<double, 7> AppointmentSums(const std::string& status, double count, double lead_days, double lead_n,
                                      double minutes) {
  bool due = status == "completed" || status == "checked_in" || status == "no_show";
  bool cancelled = status == "cancelled";
  return {status == "no_show" ? count : 0, due ? count : 0, cancelled ? count : 0, count,
          due ? lead_days : 0, due ? lead_n : 0, cancelled ? 0 : minutes};
}

// The first time with a provider (undone transitions aside) is kept on the
// encounter (seen_at, migration 0011), in the covering index.
constexpr char kEncountersPass[] =
    "SELECT location_id, arrived_at / 900000, "
    "SUM(CASE WHEN state = 'left_without_being_seen' THEN 1 ELSE 0 END), COUNT(*), "
    "SUM(CASE WHEN state = 'completed' AND ended_at IS NOT NULL THEN (ended_at - arrived_at) / 60000.0 ELSE 0 END), "
    "SUM(CASE WHEN state = 'completed' AND ended_at IS NOT NULL THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN state = 'completed' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN seen_at IS NOT NULL THEN (seen_at - arrived_at) / 60000.0 ELSE 0 END), "
    "SUM(CASE WHEN seen_at IS NOT NULL THEN 1 ELSE 0 END) "
    "FROM encounters WHERE (CAST($1 AS BIGINT) IS NULL OR location_id = $1) AND arrived_at >= $2 AND "
    "arrived_at < $3 AND arrived_at < $4 AND (CAST($5 AS BIGINT) IS NULL OR provider_id = $5) {{department}} "
    "GROUP BY location_id, arrived_at / 900000";

// Cases have no provider: bound with $1..$4 and the department as $5.
constexpr char kCasesPass[] =
    "SELECT location_id, received_at / 900000, "
    "SUM(CASE WHEN kind IN ('complaint', 'grievance') THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN acknowledged_at IS NOT NULL THEN (acknowledged_at - received_at) / 3600000.0 ELSE 0 END), "
    "SUM(CASE WHEN acknowledged_at IS NOT NULL THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN resolved_at IS NOT NULL THEN (resolved_at - received_at) / 86400000.0 ELSE 0 END), "
    "SUM(CASE WHEN resolved_at IS NOT NULL THEN 1 ELSE 0 END) "
    "FROM cases WHERE (CAST($1 AS BIGINT) IS NULL OR location_id = $1) AND received_at >= $2 AND received_at < $3 "
    "AND received_at < $4 {{department}} "
    "GROUP BY location_id, received_at / 900000";

// Surveys are dated by the visit's local date (text), so their passes group by
// it instead of by bucket; $2..$3 are then the dates, and $4 is unused but
// typed so PostgreSQL accepts the same five parameters.
constexpr char kInvitationsPass[] =
    "SELECT location_id, visit_date, SUM(CASE WHEN used_at IS NOT NULL THEN 1 ELSE 0 END), COUNT(*) "
    "FROM survey_invitations WHERE (CAST($1 AS BIGINT) IS NULL OR location_id = $1) AND visit_date >= $2 "
    "AND visit_date <= $3 AND CAST($4 AS BIGINT) IS NOT NULL AND (CAST($5 AS BIGINT) IS NULL OR provider_id = $5) "
    "{{department}} GROUP BY location_id, visit_date";

// Top box: the answer is one of the item's top-box values (stored comma-separated).
constexpr char kAnswersPass[] =
    "SELECT r.location_id, r.visit_date, "
    "SUM(CASE WHEN i.kind <> 'nps' AND (',' || i.top_values || ',') LIKE ('%,' || CAST(a.value AS TEXT) || ',%') "
    "THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN i.kind <> 'nps' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN i.kind = 'nps' AND a.value >= 9 THEN 1 WHEN i.kind = 'nps' AND a.value <= 6 THEN -1 ELSE 0 END), "
    "SUM(CASE WHEN i.kind = 'nps' THEN 1 ELSE 0 END) "
    "FROM survey_responses r JOIN survey_answers a ON a.response_id = r.id "
    "JOIN survey_items i ON i.survey_id = r.survey_id AND i.version = r.survey_version AND i.item_id = a.item_id "
    "WHERE a.value IS NOT NULL AND i.kind <> 'free_text' AND (CAST($1 AS BIGINT) IS NULL OR r.location_id = $1) "
    "AND r.visit_date >= $2 AND r.visit_date <= $3 AND CAST($4 AS BIGINT) IS NOT NULL "
    "AND (CAST($5 AS BIGINT) IS NULL OR r.provider_id = $5) {{department}} "
    "GROUP BY r.location_id, r.visit_date";

// Third next available: the daily readings (AccessService), dated by their local date like the surveys; $4
// is the appointment type (NULL = all) instead of the unused "now".
constexpr char kAccessPass[] =
    "SELECT location_id, snapshot_date, SUM(days), COUNT(*) FROM access_snapshots "
    "WHERE (CAST($1 AS BIGINT) IS NULL OR location_id = $1) AND snapshot_date >= $2 AND snapshot_date <= $3 "
    "AND (CAST($4 AS BIGINT) IS NULL OR appointment_type_id = $4) AND (CAST($5 AS BIGINT) IS NULL OR provider_id = $5) "
    "{{department}} GROUP BY location_id, snapshot_date";

// The pass for one location or for all. "(x IS NULL OR location_id = x)" would
// serve both, but then neither engine can seek the covering index by location
// with a bound parameter, and every location's rows are scanned.
std::string ForLocation(const char* sql, bool one_location) {
  std::string out(sql);
  for (const char* column : {"r.location_id", "location_id"}) {
    const std::string both = std::string("(CAST($1 AS BIGINT) IS NULL OR ") + column + " = $1)";
    const size_t at = out.find(both);
    if (at == std::string::npos) continue;
    out.replace(at, both.size(),
                one_location ? std::string(column) + " = $1" : std::string("CAST($1 AS BIGINT) IS NULL"));
    break;
  }
  return out;
}

bool DatedByText(Source s) { return s == Source::kInvitations || s == Source::kAnswers || s == Source::kAccess; }

// Where each metric's numerator and denominator come from: (source, column
// of the numerator, column of the denominator), columns counted from the
// first sum. Complaints per 1,000 visits take their denominator from the
// encounters pass.
struct Part {
  Source source;
  int numerator;    // -1: none from this source
  int denominator;  // -1: none
};

std::vector<Part> PartsOf(MetricId id) {
  switch (id) {
    case MetricId::kThirdNextAvailableDays:
      return {{Source::kAccess, 0, 1}};
    case MetricId::kNoShowRate:
      return {{Source::kAppointments, 0, 1}};
    case MetricId::kCancellationRate:
      return {{Source::kAppointments, 2, 3}};
    case MetricId::kLeadTimeDays:
      return {{Source::kAppointments, 4, 5}};
    case MetricId::kUtilisation:
      return {{Source::kAppointments, 6, -1}, {Source::kAvailability, -1, 0}};
    case MetricId::kLwbsRate:
      return {{Source::kEncounters, 0, 1}};
    case MetricId::kCycleTimeMinutes:
      return {{Source::kEncounters, 2, 3}};
    case MetricId::kArrivalToProviderMinutes:
      return {{Source::kEncounters, 5, 6}};
    case MetricId::kComplaintsPer1000Visits:
      return {{Source::kCases, 0, -1}, {Source::kEncounters, -1, 4}};
    case MetricId::kAcknowledgeHours:
      return {{Source::kCases, 1, 2}};
    case MetricId::kResolveDays:
      return {{Source::kCases, 3, 4}};
    case MetricId::kDeadlinesMet:
      return {{Source::kDeadlines, 0, 1}};
    case MetricId::kSurveyResponseRate:
      return {{Source::kInvitations, 0, 1}};
    case MetricId::kTopBoxRate:
      return {{Source::kAnswers, 0, 1}};
    case MetricId::kNetPromoterScore:
      return {{Source::kAnswers, 2, 3}};
  }
  return {};
}

const char* BaseSqlOf(Source s) {
  switch (s) {
    case Source::kAppointments:
      return kAppointmentsPass;
    case Source::kEncounters:
      return kEncountersPass;
    case Source::kCases:
      return kCasesPass;
    case Source::kInvitations:
      return kInvitationsPass;
    case Source::kAnswers:
      return kAnswersPass;
    case Source::kAccess:
      return kAccessPass;
    case Source::kAvailability:
    case Source::kDeadlines:
      break;
  }
  return kCasesPass;
}

// The department condition of a pass. A department is the providers' specialty for appointments and
// encounters, and the department recorded on cases and survey visits. Without one the parameter is still
// referenced (so both engines type it) by a condition on it alone, which keeps the covering indexes covering.
std::string WithDepartment(Source s, std::string sql, bool by_department) {
  const char* param = s == Source::kCases ? "$5" : "$6";
  std::string condition;
  if (!by_department) {
    condition = std::string("AND CAST(") + param + " AS TEXT) IS NULL";
  } else if (s == Source::kAppointments || s == Source::kEncounters || s == Source::kAccess) {
    condition = std::string("AND provider_id IN (SELECT id FROM providers WHERE specialty = ") + param + ")";
  } else if (s == Source::kAnswers) {
    condition = std::string("AND r.department = ") + param;
  } else {
    condition = std::string("AND department = ") + param;
  }
  const std::string marker = "{{department}}";
  sql.replace(sql.find(marker), marker.size(), condition);
  return sql;
}

const std::string& SqlOf(Source s, bool one_location, bool by_department) {
  using Key = std::tuple<Source, bool, bool>;
  static const std::map<Key, std::string> cache = [] {
    std::map<Key, std::string> m;
    for (Source src : kSqlSources) {
      for (bool one : {false, true}) {
        for (bool dept : {false, true}) m[{src, one, dept}] = WithDepartment(src, ForLocation(BaseSqlOf(src), one), dept);
      }
    }
    return m;
  }();
  return cache.at({s, one_location, by_department});
}

bool HasProvider(MetricId id) {
  return id != MetricId::kComplaintsPer1000Visits && id != MetricId::kAcknowledgeHours &&
         id != MetricId::kResolveDays && id != MetricId::kDeadlinesMet;
}

}  // namespace

Status MetricsService::Check(db::Connection& c, const MetricsQuery& q) {
  if (q.to < q.from) return Error::Invalid("to", "is before from", "before_from");
  if (q.to.DaysSinceEpoch() - q.from.DaysSinceEpoch() > kMaxMetricDays) {
    return Error::Invalid("to", "the period is at most " + std::to_string(kMaxMetricDays) + " days", "too_long");
  }
  return db::ScheduleRepository::RequireLocation(c, q.location_id);
}

Result<std::vector<MetricResult>> MetricsService::ComputeOn(db::Connection& c,
                                                             const std::vector<const metrics::MetricDefinition*>& wanted,
                                                             const MetricsQuery& q) {
  CD_ASSIGN_OR_RETURN(auto zones, c.Query("SELECT id, time_zone FROM locations"));
  std::map<int64_t, std::string> tz;
  for (size_t i = 0; i < zones.size(); ++i) tz[zones.Int(i, 0)] = zones.Text(i, 1);
  // Local dates: widen the instant range by a day each side; each bucket is
  // then placed by its own location's date.
  const int64_t lo = (q.from.DaysSinceEpoch() - 1) * kDayMs;
  const int64_t hi = (q.to.DaysSinceEpoch() + 2) * kDayMs;
  const int64_t now = ToMillis(clock_.Now());
  std::vector<metrics::SeriesBuilder> builders(wanted.size(), metrics::SeriesBuilder(q.interval, q.from, q.to));
  // Today's local date at a location.
  std::map<int64_t, CivilDate> today;
  auto today_at = [&](int64_t location) {
    auto it = today.find(location);
    if (it != today.end()) return it->second;
    auto zone = tz.find(location);
    CivilDate d = InstantToLocal(FromMillis(now), zone == tz.end() ? std::string("UTC") : zone->second).date;
    today.emplace(location, d);
    return d;
  };
  // Each pass runs once, whatever number of metrics read it. The provider
  // filter applies to the metrics that have providers; complaints per 1,000
  // visits count every visit.
  // The metrics reading `source`, with or without the provider filter, and where from.
  auto uses_of = [&](Source source, bool with_provider) {
    std::vector<std::pair<size_t, Part>> uses;
    for (size_t m = 0; m < wanted.size(); ++m) {
      bool filtered = HasProvider(wanted[m]->id) && q.provider_id;
      if (filtered != (with_provider && q.provider_id.has_value())) continue;
      for (const Part& part : PartsOf(wanted[m]->id)) {
        if (part.source == source) uses.emplace_back(m, part);
      }
    }
    return uses;
  };
  for (Source source : kSqlSources) {
    for (bool with_provider : {true, false}) {
      auto uses = uses_of(source, with_provider);
      if (uses.empty()) continue;
      Result<db::ResultSet> rows = db::ResultSet();
      const std::string& sql = SqlOf(source, q.location_id.has_value(), q.department.has_value());
      std::optional<int64_t> provider;
      if (with_provider && q.provider_id) provider = *q.provider_id;
      if (DatedByText(source)) {
        const db::Param fourth = source == Source::kAccess ? db::Param(q.appointment_type_id) : db::Param(now);
        rows = c.Query(sql, {q.location_id, q.from.ToString(), q.to.ToString(), fourth, provider, q.department});
      } else if (source == Source::kCases) {
        rows = c.Query(sql, {q.location_id, lo, hi, now, q.department});
      } else {
        rows = c.Query(sql, {q.location_id, lo, hi, now, provider, q.department});
      }
      CD_ASSIGN_OR_RETURN(auto rs, std::move(rows));
      for (size_t i = 0; i < rs.size(); ++i) {
        CivilDate date;
        if (DatedByText(source)) {
          auto parsed = ParseCivilDate(rs.Text(i, 1), "visit_date");
          if (!parsed.ok()) continue;  // imported without a visit date
          date = *parsed;
        } else {
          auto zone = tz.find(rs.Int(i, 0));
          if (zone == tz.end()) continue;
          date = InstantToLocal(FromMillis(rs.Int(i, 1) * kBucketMs), zone->second).date;
        }
        std::array<double, 7> sums{};
        if (source == Source::kAppointments) {
          sums = AppointmentSums(rs.Text(i, 2), rs.Double(i, 3), rs.Double(i, 4), rs.Double(i, 5), rs.Double(i, 6));
        }
        auto column = [&](int k) { return source == Source::kAppointments ? sums[k] : rs.Double(i, 2 + k); };
        for (const auto& [m, part] : uses) {
          // Utilisation counts whole local days only: today's template time is not over yet.
          if (wanted[m]->id == MetricId::kUtilisation && !(date < today_at(rs.Int(i, 0)))) continue;
          double num = part.numerator >= 0 ? column(part.numerator) : 0;
          double den = part.denominator >= 0 ? column(part.denominator) : 0;
          builders[m].Add(date, num, den);
        }
      }
      if (!q.provider_id) break;  // without a provider filter one run serves all
    }
  }
  // Utilisation's denominator: the template time of each location's local days, from the schedule set-up.
  if (auto uses = uses_of(Source::kAvailability, true); !uses.empty()) {
    CD_ASSIGN_OR_RETURN(auto templates, db::ScheduleRepository::Templates(c));
    if (q.department) {  // only the department's providers' templates
      CD_ASSIGN_OR_RETURN(auto ids, c.Query("SELECT id FROM providers WHERE specialty = $1", {*q.department}));
      std::set<int64_t> in_department;
      for (size_t i = 0; i < ids.size(); ++i) in_department.insert(ids.Int(i, 0));
      std::erase_if(templates, [&](const auto& t) { return !in_department.count(t.provider_id); });
    }
    CD_ASSIGN_OR_RETURN(auto exceptions, db::ScheduleRepository::Exceptions(c));
    std::vector<int64_t> locations;
    if (q.location_id) {
      locations.push_back(*q.location_id);
    } else {
      for (const auto& [id, zone] : tz) locations.push_back(id);
    }
    for (int64_t location : locations) {
      // From the location's first appointment: before it CareDesk was not in use there, and template time
      // without any bookings would read as 0% utilisation.
      CD_ASSIGN_OR_RETURN(auto first, c.Query("SELECT MIN(start_at) FROM appointments WHERE location_id = $1",
                                              {location}));
      if (first.IsNull(0, 0)) continue;
      auto zone = tz.find(location);
      if (zone == tz.end()) continue;
      const CivilDate start = std::max(q.from, InstantToLocal(FromMillis(first.Int(0, 0)), zone->second).date);
      const CivilDate last = std::min(q.to, today_at(location).AddDays(-1));
      auto minutes = AvailableMinutes(templates, exceptions, location, q.provider_id, start, last);
      for (size_t d = 0; d < minutes.size(); ++d) {
        if (minutes[d] <= 0) continue;
        for (const auto& [m, part] : uses) builders[m].Add(start.AddDays(static_cast<int>(d)), 0, minutes[d]);
      }
    }
  }
  // Deadlines met: judged case by case by the relations service (deadline policy, business calendars).
  if (auto uses = uses_of(Source::kDeadlines, false); !uses.empty() && relations_ != nullptr) {
    CD_ASSIGN_OR_RETURN(auto tallies, relations_->DeadlineTallies(c, lo, std::min(hi, now), q.location_id));
    for (const auto& t : tallies) {
      auto zone = tz.find(t.location_id);
      if (zone == tz.end() || t.due == 0 || (q.department && t.department != *q.department)) continue;
      CivilDate date = InstantToLocal(FromMillis(t.received_at), zone->second).date;
      for (const auto& [m, part] : uses) builders[m].Add(date, t.met, t.due);
    }
  }
  std::vector<MetricResult> out;
  for (size_t m = 0; m < wanted.size(); ++m) {
    MetricResult r;
    r.metric = wanted[m];
    r.series = builders[m].Build();
    auto chart = spc::ComputeChart(metrics::ToSpcInput(*wanted[m], r.series));
    if (chart.ok()) {
      r.chart = std::move(chart).value();
    } else {
      r.chart.chart = wanted[m]->chart;  // too few periods with data for limits
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<MetricResult> MetricsService::Compute(const Actor& by, const metrics::MetricDefinition& metric,
                                             const MetricsQuery& q) {
  auto conn = pool_.Acquire();
  CD_RETURN_IF_ERROR(Check(*conn, q));
  CD_ASSIGN_OR_RETURN(auto results, ComputeOn(*conn, {&metric}, q));
  MetricResult r = std::move(results.front());
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "report", "metrics", std::nullopt, "success",
                                               std::string(metric.key))));
  return r;
}

Result<std::vector<MetricResult>> MetricsService::ComputeAll(const MetricsQuery& q) {
  auto conn = pool_.Acquire();
  CD_RETURN_IF_ERROR(Check(*conn, q));
  std::vector<const metrics::MetricDefinition*> all;
  for (const auto& m : metrics::AllMetrics()) all.push_back(&m);
  return ComputeOn(*conn, all, q);
}

Result<std::vector<MetricResult>> MetricsService::Dashboard(const Actor& by, const MetricsQuery& q) {
  CD_ASSIGN_OR_RETURN(auto out, ComputeAll(q));
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "report", "metrics", std::nullopt, "success", "dashboard")));
  return out;
}

}  // namespace caredesk

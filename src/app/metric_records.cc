// MetricsService::Records: the records behind one point of a metric's chart,
// selected exactly as the metric's pass counts them (metrics_service.cc).
#include <algorithm>
#include <map>
#include <set>

#include "app/metrics_service.h"
#include "app/relations_service.h"
#include "storage/schedule_repository.h"

namespace caredesk {
namespace {

using metrics::MetricId;

struct RecordSql {
  std::string kind;
  std::string numerator_label;
  // Columns: id, at, patient_id, patient_name, provider_name, status, in_numerator, value, link id.
  // Parameters: $1 location, $2 from (ms or date), $3 to (exclusive ms or inclusive date), $4 provider, $5 now,
  // $6 department (MetricsQuery::department).
  std::string select;
  std::string from_where;
  bool dated_by_text = false;
  std::string link_prefix;  // "/patients/" or "/cases/"
};

constexpr char kPatientName[] = "COALESCE(p.family_name || ', ' || p.given_name, '')";

RecordSql AppointmentSql(MetricId id) {
  RecordSql s;
  s.kind = "appointment";
  s.link_prefix = "/patients/";
  const std::string due = "a.status IN ('completed', 'checked_in', 'no_show')";
  std::string in_num = "0", value = "NULL", extra;
  if (id == MetricId::kNoShowRate) {
    s.numerator_label = "No-show";
    in_num = "CASE WHEN a.status = 'no_show' THEN 1 ELSE 0 END";
    extra = " AND " + due;
  } else if (id == MetricId::kCancellationRate) {
    s.numerator_label = "Cancelled";
    in_num = "CASE WHEN a.status = 'cancelled' THEN 1 ELSE 0 END";
  } else if (id == MetricId::kUtilisation) {  // the booked minutes; the template time is not a record
    s.numerator_label = "Booked";
    in_num = "1";
    value = "(a.end_at - a.start_at) / 60000.0";
    extra = " AND a.status <> 'cancelled'";
  } else {  // lead time
    s.numerator_label = "Counted";
    in_num = "1";
    value = "(a.start_at - a.created_at) / 86400000.0";
    extra = " AND " + due + " AND a.created_at <= a.start_at";
  }
  s.select = "SELECT a.id, a.start_at, a.patient_id, " + std::string(kPatientName) + ", COALESCE(pr.name, ''), a.status, " +
             in_num + ", " + value + ", a.patient_id";
  s.from_where =
      " FROM appointments a LEFT JOIN patients p ON p.id = a.patient_id LEFT JOIN providers pr ON pr.id = a.provider_id "
      "WHERE a.location_id = $1 AND a.start_at >= $2 AND a.start_at < $3 AND a.start_at < $5 "
      "AND (CAST($4 AS BIGINT) IS NULL OR a.provider_id = $4) AND (CAST($6 AS TEXT) IS NULL OR a.provider_id IN "
      "(SELECT id FROM providers WHERE specialty = $6))" + extra + " ORDER BY a.start_at, a.id";
  return s;
}

RecordSql EncounterSql(MetricId id) {
  RecordSql s;
  s.kind = "encounter";
  s.link_prefix = "/patients/";
  std::string in_num = "1", value = "NULL", extra;
  if (id == MetricId::kLwbsRate) {
    s.numerator_label = "Left unseen";
    in_num = "CASE WHEN e.state = 'left_without_being_seen' THEN 1 ELSE 0 END";
  } else if (id == MetricId::kCycleTimeMinutes) {
    s.numerator_label = "Counted";
    value = "(e.ended_at - e.arrived_at) / 60000.0";
    extra = " AND e.state = 'completed' AND e.ended_at IS NOT NULL";
  } else {  // arrival to provider
    s.numerator_label = "Counted";
    value = "(e.seen_at - e.arrived_at) / 60000.0";
    extra = " AND e.seen_at IS NOT NULL";
  }
  s.select = "SELECT e.id, e.arrived_at, e.patient_id, " + std::string(kPatientName) + ", COALESCE(pr.name, ''), e.state, " +
             in_num + ", " + value + ", e.patient_id";
  s.from_where =
      " FROM encounters e LEFT JOIN patients p ON p.id = e.patient_id LEFT JOIN providers pr ON pr.id = e.provider_id "
      "WHERE e.location_id = $1 AND e.arrived_at >= $2 AND e.arrived_at < $3 AND e.arrived_at < $5 "
      "AND (CAST($4 AS BIGINT) IS NULL OR e.provider_id = $4) AND (CAST($6 AS TEXT) IS NULL OR e.provider_id IN "
      "(SELECT id FROM providers WHERE specialty = $6))" + extra + " ORDER BY e.arrived_at, e.id";
  return s;
}

RecordSql CaseSql(MetricId id) {
  RecordSql s;
  s.kind = "case";
  s.link_prefix = "/cases/";
  std::string value = "NULL", extra, in_num = "1";
  s.numerator_label = "Counted";
  if (id == MetricId::kComplaintsPer1000Visits) {
    s.numerator_label = "Complaint or grievance";
    extra = " AND c.kind IN ('complaint', 'grievance')";
  } else if (id == MetricId::kDeadlinesMet) {
    // Whether each case met its deadlines is judged afterwards (MetricsService::Records); value: deadlines met.
    s.numerator_label = "All deadlines met";
    in_num = "0";
  } else if (id == MetricId::kAcknowledgeHours) {
    value = "(c.acknowledged_at - c.received_at) / 3600000.0";
    extra = " AND c.acknowledged_at IS NOT NULL";
  } else {  // resolve days
    value = "(c.resolved_at - c.received_at) / 86400000.0";
    extra = " AND c.resolved_at IS NOT NULL";
  }
  // Cases have no provider: $4 is typed but every case counts, as in the metric.
  s.select = "SELECT c.id, c.received_at, c.patient_id, " + std::string(kPatientName) + ", '', c.kind || ' · ' || c.status, " +
             in_num + ", " + value + ", c.id";
  s.from_where =
      " FROM cases c LEFT JOIN patients p ON p.id = c.patient_id "
      "WHERE c.location_id = $1 AND c.received_at >= $2 AND c.received_at < $3 AND c.received_at < $5 "
      "AND (CAST($4 AS BIGINT) IS NULL OR TRUE) AND (CAST($6 AS TEXT) IS NULL OR c.department = $6)" + extra +
      " ORDER BY c.received_at, c.id";
  return s;
}

RecordSql InvitationSql() {
  RecordSql s;
  s.kind = "invitation";
  s.link_prefix = "/patients/";
  s.dated_by_text = true;
  s.numerator_label = "Answered";
  s.select = "SELECT i.id, i.issued_at, i.patient_id, " + std::string(kPatientName) +
             ", COALESCE(pr.name, ''), i.channel, CASE WHEN i.used_at IS NULL THEN 0 ELSE 1 END, NULL, i.patient_id";
  s.from_where =
      " FROM survey_invitations i LEFT JOIN patients p ON p.id = i.patient_id "
      "LEFT JOIN providers pr ON pr.id = i.provider_id WHERE i.location_id = $1 AND i.visit_date >= $2 "
      "AND i.visit_date <= $3 AND (CAST($4 AS BIGINT) IS NULL OR i.provider_id = $4) AND CAST($5 AS BIGINT) IS NOT NULL "
      "AND (CAST($6 AS TEXT) IS NULL OR i.department = $6) ORDER BY i.visit_date, i.id";
  return s;
}

RecordSql ResponseSql(MetricId id) {
  RecordSql s;
  s.kind = "response";
  s.link_prefix = "/patients/";
  s.dated_by_text = true;
  std::string in_num, value;
  if (id == MetricId::kNetPromoterScore) {
    s.numerator_label = "Promoter";
    value = "(SELECT MIN(a.value) FROM survey_answers a JOIN survey_items it ON it.survey_id = r.survey_id "
            "AND it.version = r.survey_version AND it.item_id = a.item_id WHERE a.response_id = r.id AND it.kind = 'nps')";
    in_num = "CASE WHEN " + value + " >= 9 THEN 1 ELSE 0 END";
  } else {  // top box: the share of this response's scored answers in the top box
    s.numerator_label = "All answers top box";
    const std::string scored =
        "FROM survey_answers a JOIN survey_items it ON it.survey_id = r.survey_id AND it.version = r.survey_version "
        "AND it.item_id = a.item_id WHERE a.response_id = r.id AND a.value IS NOT NULL AND it.kind NOT IN ('nps', "
        "'free_text')";
    const std::string top = "(',' || it.top_values || ',') LIKE ('%,' || CAST(a.value AS TEXT) || ',%')";
    value = "(SELECT 100.0 * SUM(CASE WHEN " + top + " THEN 1 ELSE 0 END) / COUNT(*) " + scored + ")";
    in_num = "CASE WHEN " + value + " >= 100 THEN 1 ELSE 0 END";
  }
  s.select = "SELECT r.id, r.received_at, r.patient_id, " + std::string(kPatientName) +
             ", COALESCE(pr.name, r.provider_label), r.source, " + in_num + ", " + value + ", r.patient_id";
  s.from_where =
      " FROM survey_responses r LEFT JOIN patients p ON p.id = r.patient_id "
      "LEFT JOIN providers pr ON pr.id = r.provider_id WHERE r.location_id = $1 AND r.visit_date >= $2 "
      "AND r.visit_date <= $3 AND (CAST($4 AS BIGINT) IS NULL OR r.provider_id = $4) "
      "AND CAST($5 AS BIGINT) IS NOT NULL AND (CAST($6 AS TEXT) IS NULL OR r.department = $6) "
      "ORDER BY r.visit_date, r.id";
  return s;
}

// The daily readings: one record a provider, type and day; $5 is the appointment type (NULL = all) instead of
// the unused "now".
RecordSql AccessSql() {
  RecordSql s;
  s.kind = "access";
  s.dated_by_text = true;
  s.numerator_label = "Counted";
  s.select = "SELECT s.id, s.taken_at, NULL, '', COALESCE(pr.name, ''), t.name || CASE WHEN s.third_at IS NULL THEN "
             "' · fewer than 3 open' ELSE '' END, 1, s.days, NULL";
  s.from_where =
      " FROM access_snapshots s LEFT JOIN providers pr ON pr.id = s.provider_id "
      "JOIN appointment_types t ON t.id = s.appointment_type_id WHERE s.location_id = $1 AND s.snapshot_date >= $2 "
      "AND s.snapshot_date <= $3 AND (CAST($4 AS BIGINT) IS NULL OR s.provider_id = $4) "
      "AND (CAST($5 AS BIGINT) IS NULL OR s.appointment_type_id = $5) "
      "AND (CAST($6 AS TEXT) IS NULL OR s.provider_id IN (SELECT id FROM providers WHERE specialty = $6)) "
      "ORDER BY s.snapshot_date, s.days DESC, s.id";
  return s;
}

RecordSql SqlFor(MetricId id) {
  switch (id) {
    case MetricId::kThirdNextAvailableDays:
      return AccessSql();
    case MetricId::kNoShowRate:
    case MetricId::kCancellationRate:
    case MetricId::kLeadTimeDays:
    case MetricId::kUtilisation:
      return AppointmentSql(id);
    case MetricId::kArrivalToProviderMinutes:
    case MetricId::kCycleTimeMinutes:
    case MetricId::kLwbsRate:
      return EncounterSql(id);
    case MetricId::kComplaintsPer1000Visits:
    case MetricId::kAcknowledgeHours:
    case MetricId::kResolveDays:
    case MetricId::kDeadlinesMet:
      return CaseSql(id);
    case MetricId::kSurveyResponseRate:
      return InvitationSql();
    case MetricId::kTopBoxRate:
    case MetricId::kNetPromoterScore:
      return ResponseSql(id);
  }
  return AppointmentSql(MetricId::kNoShowRate);
}

}  // namespace

Result<MetricRecords> MetricsService::Records(const Actor& by, const metrics::MetricDefinition& metric,
                                              const RecordsQuery& q) {
  if (metrics::PeriodStart(q.period_start, q.interval) != q.period_start) {
    return Error::Invalid("period_start", "is not the first day of a " + std::string(metrics::IntervalName(q.interval)),
                          "not_period_start");
  }
  auto conn = pool_.Acquire();
  MetricRecords out;
  CD_ASSIGN_OR_RETURN(out.time_zone, db::ScheduleRepository::LocationZone(*conn, q.location_id));
  out.period_start = q.period_start;
  out.period_end = metrics::NextPeriod(q.period_start, q.interval).AddDays(-1);
  RecordSql sql = SqlFor(metric.id);
  out.kind = sql.kind;
  out.numerator_label = sql.numerator_label;
  const int64_t now = ToMillis(clock_.Now());
  // Instants of the local period: from its first midnight to the midnight after its last day.
  auto midnight = [&](const CivilDate& d) {
    auto t = LocalToInstant(d, 0, out.time_zone);
    return t ? ToMillis(*t) : d.DaysSinceEpoch() * 86'400'000;
  };
  const int limit = std::clamp(q.limit, 1, 200);
  const int offset = std::max(q.offset, 0);
  auto run = [&](const std::string& text) -> Result<db::ResultSet> {
    if (sql.dated_by_text) {
      const db::Param fifth = sql.kind == "access" ? db::Param(q.appointment_type_id) : db::Param(now);
      return conn->Query(text, {q.location_id, out.period_start.ToString(), out.period_end.ToString(), q.provider_id,
                                fifth, q.department});
    }
    return conn->Query(text, {q.location_id, midnight(out.period_start), midnight(out.period_end.AddDays(1)),
                              q.provider_id, now, q.department});
  };
  std::string from_where = sql.from_where;
  const size_t order = from_where.rfind(" ORDER BY");
  CD_ASSIGN_OR_RETURN(auto count, run("SELECT COUNT(*)" + from_where.substr(0, order)));
  out.total = count.Int(0, 0);
  CD_ASSIGN_OR_RETURN(auto rs, run(sql.select + from_where + " LIMIT " + std::to_string(limit) + " OFFSET " +
                                   std::to_string(offset)));
  std::set<int64_t> patients;
  for (size_t i = 0; i < rs.size(); ++i) {
    db::RowRef r(rs, i);
    MetricRecord m;
    m.id = r.Int(0);
    m.at = r.Int(1);
    m.patient_id = r.OptInt(2);
    m.patient_name = r.Text(3);
    m.provider_name = r.Text(4);
    m.status = r.Text(5);
    m.in_numerator = r.Int(6) != 0;
    if (!r.IsNull(7)) m.value = r.Double(7);
    if (auto link = r.OptInt(8)) m.link = sql.link_prefix + std::to_string(*link);
    if (m.patient_id) patients.insert(*m.patient_id);
    out.items.push_back(std::move(m));
  }
  if (metric.id == MetricId::kDeadlinesMet && relations_ != nullptr && !out.items.empty()) {
    CD_ASSIGN_OR_RETURN(auto tallies, relations_->DeadlineTallies(*conn, midnight(out.period_start),
                                                                  std::min(midnight(out.period_end.AddDays(1)), now),
                                                                  q.location_id));
    std::map<int64_t, DeadlineTally> by_case;
    for (const auto& t : tallies) by_case[t.case_id] = t;
    for (auto& m : out.items) {
      auto t = by_case.find(m.id);
      if (t == by_case.end()) continue;
      m.in_numerator = t->second.due > 0 && t->second.met == t->second.due;
      m.value = t->second.met;
      m.status += " · " + std::to_string(t->second.met) + " of " + std::to_string(t->second.due) + " deadlines met";
    }
  }
  std::vector<AuditRecord> audit;
  for (int64_t p : patients) {
    audit.push_back(audit_.Make(by, "read", "metrics", p, "success",
                                std::string(metric.key) + " records of " + out.period_start.ToString()));
  }
  if (!audit.empty()) CD_RETURN_IF_ERROR(audit_.Record(std::move(audit)));
  return out;
}

}  // namespace caredesk

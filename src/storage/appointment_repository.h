// Appointments, their status history and their slot claims in the database.
// Claims are what make double booking impossible: ClaimUnits inserts one row
// per 5-minute unit under the primary key (provider, unit, seat) and reports
// whether every unit was free. Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "domain/scheduling/appointment_criteria.h"
#include "domain/scheduling/schedule_model.h"
#include "storage/db.h"

namespace caredesk::db {

struct AppointmentRow {
  int64_t id = 0;
  int64_t patient_id = 0;
  int64_t appointment_type_id = 0;
  int64_t provider_id = 0;
  int64_t location_id = 0;
  std::optional<int64_t> room_id;
  int64_t start_at = 0;  // epoch ms
  int64_t end_at = 0;
  std::string status;
  std::string cancel_reason;
  std::string notes;
  bool overbooked = false;
  std::string join_token;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  // Joined for display.
  std::string patient_name;
  std::string type_name;
  std::string modality;
  std::string provider_name;
  std::string location_name;
  std::string time_zone;
  std::optional<int64_t> encounter_id;
};

struct HistoryRow {
  std::string status;
  int64_t at = 0;
  std::string by_user;
  std::string note;
};

struct AppointmentFilter {
  std::optional<int64_t> from_ms;
  std::optional<int64_t> to_ms;
  std::optional<int64_t> provider_id;
  std::optional<int64_t> location_id;
  std::optional<int64_t> room_id;
  std::optional<int64_t> patient_id;
  std::optional<std::string> status;
  int limit = 2000;
};

struct CalendarChange;

class AppointmentRepository {
 public:
  static Result<int64_t> Insert(Connection& c, const AppointmentRow& a);
  static Result<std::optional<AppointmentRow>> Find(Connection& c, int64_t id);
  static Result<std::vector<AppointmentRow>> List(Connection& c, const AppointmentFilter& f);
  // The appointments matching `q`, a page of them in q.page's order, and one row more when there is a
  // next page; Count counts every match.
  static Result<std::vector<AppointmentRow>> Search(Connection& c, const AppointmentCriteria& q);
  static Result<int64_t> Count(Connection& c, const AppointmentCriteria& q);
  static Status UpdateStatus(Connection& c, int64_t id, const std::string& status, const std::string& cancel_reason,
                             int64_t now);
  static Status UpdateTime(Connection& c, const AppointmentRow& a, int64_t now);  // start, end, provider, room
  static Status UpdateNotes(Connection& c, int64_t id, const std::string& notes, int64_t now);
  static Status AddHistory(Connection& c, int64_t appointment_id, const std::string& status, int64_t at,
                           const std::string& by, const std::string& note);
  static Result<std::vector<HistoryRow>> History(Connection& c, int64_t appointment_id);

  // Claims `units` for the appointment at `seat`. Returns false, claiming
  // nothing, when any unit is already held at that seat.
  static Result<bool> ClaimUnits(Connection& c, int64_t provider_id, const std::vector<TimePoint>& units, int seat,
                                 int64_t appointment_id);
  static Status ReleaseClaims(Connection& c, int64_t appointment_id);

  // Busy intervals of the providers overlapping [from, to), for slot search.
  static Result<std::vector<BusyInterval>> Busy(Connection& c, const std::vector<int64_t>& provider_ids,
                                                int64_t from_ms, int64_t to_ms);
  // Busy intervals of the providers starting in [from, to).
  static Result<std::vector<BusyInterval>> BusyStartingIn(Connection& c, const std::vector<int64_t>& provider_ids,
                                                          int64_t from_ms, int64_t to_ms);

  // The calendar change log (migration 0003): the number of the last change
  // to any provider's busy time, and the changes after `after`, in order, at
  // most `limit` of them. Numbers have no gaps; the log keeps the last
  // kCalendarLogKept.
  static Result<int64_t> CalendarHead(Connection& c);
  static Result<std::vector<CalendarChange>> CalendarChangesAfter(Connection& c, int64_t after, int limit);
};

struct CalendarChange {
  int64_t seq = 0;
  int64_t provider_id = 0;
  int64_t day = 0;  // UTC day of the changed appointment's start: start_at / 86400000
};
inline constexpr int64_t kCalendarLogKept = 100000;

// Statuses that hold the slot (a cancelled appointment frees it).
inline constexpr char kHoldingStatusesSql[] = "('booked', 'checked_in', 'completed', 'no_show')";

}  // namespace caredesk::db

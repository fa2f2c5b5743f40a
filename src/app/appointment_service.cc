#include "app/appointment_service.h"

#include <algorithm>

#include "app/hl7_outbound_service.h"
#include "app/patient_service.h"

#include "domain/scheduling/appointment_status.h"
#include "domain/scheduling/telehealth.h"
#include "domain/security/credentials.h"

namespace caredesk {
namespace {

// Answers the engine's BusyLookup seam from the busy cache, reading what it
// lacks on the caller's connection.
class CachedBusyLookup final : public BusyLookup {
 public:
  CachedBusyLookup(BusyCache& cache, db::Connection& c) : cache_(cache), c_(c) {}
  std::vector<BusyInterval> Busy(const std::vector<int64_t>& provider_ids, TimePoint from, TimePoint to) override {
    auto r = cache_.Busy(c_, provider_ids, from, to);
    if (!r.ok()) {
      error_ = r.error();
      return {};
    }
    return std::move(r).value();
  }
  const std::optional<Error>& error() const { return error_; }

 private:
  BusyCache& cache_;
  db::Connection& c_;
  std::optional<Error> error_;
};

std::string Describe(const db::AppointmentRow& a) {
  return a.type_name + " with " + a.provider_name + " at " + FormatInstant(FromMillis(a.start_at), a.time_zone);
}

}  // namespace

std::string AppointmentService::JoinUrlFor(const db::AppointmentRow& row) const {
  if (row.modality != kModalityTelehealth || row.join_token.empty()) return {};
  return JoinUrl(join_pattern_, row.id, row.join_token);
}

Result<std::vector<Slot>> AppointmentService::Slots(const SlotQuery& query) {
  CD_ASSIGN_OR_RETURN(auto engine, schedule_.Engine());
  FifoPermit permit(search_gate_);
  auto conn = pool_.Acquire();
  CD_RETURN_IF_ERROR(busy_.Sync(*conn));
  CachedBusyLookup busy(busy_, *conn);
  CD_ASSIGN_OR_RETURN(auto slots, engine->Search(query, busy));
  if (busy.error()) return *busy.error();
  return slots;
}

Result<AppointmentView> AppointmentService::Load(db::Connection& c, int64_t id) {
  CD_ASSIGN_OR_RETURN(auto row, db::AppointmentRepository::Find(c, id));
  if (!row) return Error::NotFound("no appointment with id " + std::to_string(id));
  AppointmentView v;
  v.row = std::move(*row);
  CD_ASSIGN_OR_RETURN(v.history, db::AppointmentRepository::History(c, id));
  v.join_url = JoinUrlFor(v.row);
  return v;
}

Result<std::optional<int>> AppointmentService::Claim(db::Connection& c, const Provider& provider, const Slot& slot,
                                                     bool overbook, int64_t appointment_id) {
  auto units = ClaimUnits(slot.start, slot.end);
  int last_seat = overbook ? provider.max_overbook : 0;
  for (int seat = 0; seat <= last_seat; ++seat) {
    CD_ASSIGN_OR_RETURN(bool ok, db::AppointmentRepository::ClaimUnits(c, provider.id, units, seat, appointment_id));
    if (ok) return std::optional<int>(seat);
  }
  return std::optional<int>();
}

Result<AppointmentService::Prepared> AppointmentService::Prepare(const BookingRequest& req) {
  CD_ASSIGN_OR_RETURN(auto engine, schedule_.Engine());
  Prepared p;
  CD_ASSIGN_OR_RETURN(p.slot,
                      engine->ResolveBookingSlot(req.appointment_type_id, req.provider_id, req.location_id, req.start));
  if (p.slot.start < clock_.Now()) {
    return Error::Unprocessable("start", "that slot has already started", "in_the_past");
  }
  CD_ASSIGN_OR_RETURN(p.provider, schedule_.GetProvider(req.provider_id));
  if (req.overbook && p.provider.max_overbook == 0) {
    return Error::Unprocessable("overbook", p.provider.name + "'s policy does not allow overbooking",
                                "overbooking_not_allowed");
  }
  CD_ASSIGN_OR_RETURN(AppointmentType type, schedule_.GetAppointmentType(req.appointment_type_id));
  CD_ASSIGN_OR_RETURN(Location location, schedule_.GetLocation(req.location_id));
  const int64_t now = ToMillis(clock_.Now());
  db::AppointmentRow& row = p.view.row;
  row.patient_id = req.patient_id;
  row.appointment_type_id = req.appointment_type_id;
  row.provider_id = req.provider_id;
  row.location_id = req.location_id;
  row.room_id = req.room_id ? req.room_id : p.slot.room_id;
  row.start_at = ToMillis(p.slot.start);
  row.end_at = ToMillis(p.slot.end);
  row.status = std::string(kStatusBooked);
  row.notes = req.notes;
  row.created_at = now;
  row.updated_at = now;
  if (type.modality == kModalityTelehealth) row.join_token = RandomToken(16);
  row.type_name = type.name;
  row.modality = type.modality;
  row.provider_name = p.provider.name;
  row.location_name = location.name;
  row.time_zone = location.time_zone;
  p.view.history.push_back(db::HistoryRow{std::string(kStatusBooked), now, "", ""});
  return p;
}

Status AppointmentService::Write(db::Connection& c, const Actor& by, const BookingRequest& req, Prepared& p) {
  db::AppointmentRow& row = p.view.row;
  db::HistoryRow& booked = p.view.history.front();
  booked.by_user = by.username;
  CD_ASSIGN_OR_RETURN(row.patient_name, RequireCurrentPatient(c, req.patient_id));
  CD_ASSIGN_OR_RETURN(const int64_t id, db::AppointmentRepository::Insert(c, row));
  CD_ASSIGN_OR_RETURN(auto seat, Claim(c, p.provider, p.slot, req.overbook, id));
  if (!seat) {
    return Error::Conflict("slot_taken",
                           req.overbook ? "that slot is full, overbooking seats included"
                                        : "that slot has just been taken; choose another",
                           "start");
  }
  row.id = id;
  row.overbooked = *seat > 0;
  if (row.overbooked) CD_RETURN_IF_ERROR(db::AppointmentRepository::UpdateTime(c, row, booked.at));
  booked.note = row.overbooked ? "overbooked" : "";
  CD_RETURN_IF_ERROR(db::AppointmentRepository::AddHistory(c, id, booked.status, booked.at, booked.by_user, booked.note));
  if (outbound_) CD_RETURN_IF_ERROR(outbound_->AppointmentChanged(c, Hl7AppointmentEvent::kBooked, id));
  CD_RETURN_IF_ERROR(audit_.AppendInTx(c, audit_.Make(by, "create", audit_category::kAppointment, req.patient_id,
                                                      "success", "appointment " + std::to_string(id))));
  // Everything the new appointment's view holds was written or read here (a new appointment has no
  // encounter), so it is answered without a read back: a reader connection would have to drop its page cache
  // to see the commit (the service test checks this view against Get).
  p.view.join_url = JoinUrlFor(row);
  return Ok();
}

Result<AppointmentView> AppointmentService::Book(const Actor& by, const BookingRequest& req) {
  CD_ASSIGN_OR_RETURN(Prepared p, Prepare(req));
  CD_RETURN_IF_ERROR(writes_.Run([&](db::Connection& c) { return Write(c, by, req, p); }));
  return std::move(p.view);
}

Result<AppointmentView> AppointmentService::BookInTx(db::Connection& c, const Actor& by, const BookingRequest& req) {
  CD_ASSIGN_OR_RETURN(Prepared p, Prepare(req));
  CD_RETURN_IF_ERROR(Write(c, by, req, p));
  return std::move(p.view);
}

Result<AppointmentView> AppointmentService::Cancel(const Actor& by, int64_t id, const std::string& reason) {
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::Invalid("reason", "a reason for the cancellation is required", "required");
  }
  auto st = writes_.Run([&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto row, db::AppointmentRepository::Find(c, id));
    if (!row) return Error::NotFound("no appointment with id " + std::to_string(id));
    CD_RETURN_IF_ERROR(CheckTransition(row->status, kStatusCancelled));
    int64_t now = ToMillis(clock_.Now());
    CD_RETURN_IF_ERROR(db::AppointmentRepository::UpdateStatus(c, id, std::string(kStatusCancelled), reason, now));
    CD_RETURN_IF_ERROR(db::AppointmentRepository::ReleaseClaims(c, id));
    CD_RETURN_IF_ERROR(
        db::AppointmentRepository::AddHistory(c, id, std::string(kStatusCancelled), now, by.username, reason));
    if (outbound_) CD_RETURN_IF_ERROR(outbound_->AppointmentChanged(c, Hl7AppointmentEvent::kCancelled, id, reason));
    return audit_.AppendInTx(c, audit_.Make(by, "cancel", audit_category::kAppointment, row->patient_id, "success",
                                            "appointment " + std::to_string(id) + ": " + reason));
  });
  if (!st.ok()) return std::move(st).error();
  auto conn = pool_.Acquire();
  return Load(*conn, id);
}

Result<AppointmentView> AppointmentService::Reschedule(const Actor& by, int64_t id, TimePoint start,
                                                       std::optional<int64_t> provider_id) {
  CD_ASSIGN_OR_RETURN(auto engine, schedule_.Engine());
  auto st = writes_.Run([&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto found, db::AppointmentRepository::Find(c, id));
    if (!found) return Error::NotFound("no appointment with id " + std::to_string(id));
    db::AppointmentRow row = std::move(*found);
    CD_RETURN_IF_ERROR(CheckReschedule(row.status));
    int64_t new_provider = provider_id.value_or(row.provider_id);
    CD_ASSIGN_OR_RETURN(Slot slot, engine->ResolveBookingSlot(row.appointment_type_id, new_provider,
                                                              row.location_id, start));
    if (slot.start < clock_.Now()) {
      return Error::Unprocessable("start", "that slot has already started", "in_the_past");
    }
    CD_ASSIGN_OR_RETURN(Provider provider, schedule_.GetProvider(new_provider));
    std::string before = Describe(row);
    int64_t now = ToMillis(clock_.Now());
    row.start_at = ToMillis(slot.start);
    row.end_at = ToMillis(slot.end);
    row.provider_id = new_provider;
    row.room_id = slot.room_id;
    row.overbooked = false;
    // The appointment row first, then the claims, as in every booking change:
    // on PostgreSQL its trigger takes the calendar counter's row lock
    // (migration 0003), and one order of locks keeps writers from deadlocking.
    CD_RETURN_IF_ERROR(db::AppointmentRepository::UpdateTime(c, row, now));
    CD_RETURN_IF_ERROR(db::AppointmentRepository::ReleaseClaims(c, id));
    CD_ASSIGN_OR_RETURN(auto seat, Claim(c, provider, slot, false, id));
    if (!seat) return Error::Conflict("slot_taken", "that slot has just been taken; choose another", "start");
    CD_RETURN_IF_ERROR(db::AppointmentRepository::AddHistory(
        c, id, "rescheduled", now, by.username,
        "from " + before + " to " + FormatInstant(slot.start, row.time_zone)));
    if (outbound_) CD_RETURN_IF_ERROR(outbound_->AppointmentChanged(c, Hl7AppointmentEvent::kRescheduled, id));
    return audit_.AppendInTx(c, audit_.Make(by, "reschedule", audit_category::kAppointment, row.patient_id, "success",
                                            "appointment " + std::to_string(id)));
  });
  if (!st.ok()) return std::move(st).error();
  auto conn = pool_.Acquire();
  return Load(*conn, id);
}

Result<AppointmentView> AppointmentService::MarkNoShow(const Actor& by, int64_t id) {
  auto st = writes_.Run([&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto row, db::AppointmentRepository::Find(c, id));
    if (!row) return Error::NotFound("no appointment with id " + std::to_string(id));
    CD_RETURN_IF_ERROR(CheckTransition(row->status, kStatusNoShow));
    int64_t now = ToMillis(clock_.Now());
    if (row->start_at > now) {
      return Error::Conflict("not_started", "a patient can be marked no-show only once the appointment has begun");
    }
    CD_RETURN_IF_ERROR(db::AppointmentRepository::UpdateStatus(c, id, std::string(kStatusNoShow), "", now));
    CD_RETURN_IF_ERROR(db::AppointmentRepository::AddHistory(c, id, std::string(kStatusNoShow), now, by.username, ""));
    if (outbound_) CD_RETURN_IF_ERROR(outbound_->AppointmentChanged(c, Hl7AppointmentEvent::kNoShow, id));
    return audit_.AppendInTx(c, audit_.Make(by, "no_show", audit_category::kAppointment, row->patient_id, "success",
                                            "appointment " + std::to_string(id)));
  });
  if (!st.ok()) return std::move(st).error();
  auto conn = pool_.Acquire();
  return Load(*conn, id);
}

Result<AppointmentView> AppointmentService::UpdateNotes(const Actor& by, int64_t id, const std::string& notes) {
  auto st = writes_.Run([&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto row, db::AppointmentRepository::Find(c, id));
    if (!row) return Error::NotFound("no appointment with id " + std::to_string(id));
    CD_RETURN_IF_ERROR(db::AppointmentRepository::UpdateNotes(c, id, notes, ToMillis(clock_.Now())));
    return audit_.AppendInTx(c, audit_.Make(by, "update_notes", audit_category::kAppointment, row->patient_id,
                                            "success", "appointment " + std::to_string(id)));
  });
  if (!st.ok()) return std::move(st).error();
  auto conn = pool_.Acquire();
  return Load(*conn, id);
}

Result<AppointmentView> AppointmentService::Get(const Actor& by, int64_t id) {
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(AppointmentView v, Load(*conn, id));
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "read", audit_category::kAppointment, v.row.patient_id, "success",
                                               "appointment " + std::to_string(id))));
  return v;
}

Result<std::vector<db::AppointmentRow>> AppointmentService::List(const Actor& by, const db::AppointmentFilter& filter) {
  std::vector<db::AppointmentRow> rows;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(rows, db::AppointmentRepository::List(*conn, filter));
  }
  // One audit entry per patient whose appointments were shown.
  std::vector<AuditRecord> records;
  std::vector<int64_t> seen;
  for (const auto& r : rows) {
    if (std::find(seen.begin(), seen.end(), r.patient_id) != seen.end()) continue;
    seen.push_back(r.patient_id);
    records.push_back(audit_.Make(by, "list", audit_category::kAppointment, r.patient_id, "success", "calendar"));
  }
  CD_RETURN_IF_ERROR(audit_.Record(std::move(records)));
  return rows;
}

Result<SearchPage<db::AppointmentRow>> AppointmentService::Search(const Actor& by, const AppointmentCriteria& q,
                                                                  bool count, bool rows) {
  return ReadSearchPage<db::AppointmentRow, db::AppointmentRepository>(
      pool_, audit_, by, q, count, rows, audit_category::kAppointment, "appointment search");
}

}  // namespace caredesk

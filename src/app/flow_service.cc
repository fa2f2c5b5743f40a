#include "app/flow_service.h"

#include "app/hl7_outbound_service.h"
#include "app/patient_service.h"
#include "domain/scheduling/appointment_status.h"
#include "storage/appointment_repository.h"

namespace caredesk {
namespace {


int64_t MinutesBetween(int64_t from_ms, int64_t to_ms) { return to_ms > from_ms ? (to_ms - from_ms) / 60000 : 0; }

}  // namespace

Result<EncounterView> FlowService::Load(db::Connection& c, int64_t id) {
  CD_ASSIGN_OR_RETURN(auto row, db::EncounterRepository::Find(c, id));
  if (!row) return Error::NotFound("no encounter with id " + std::to_string(id));
  EncounterView v;
  v.row = std::move(*row);
  CD_ASSIGN_OR_RETURN(v.transitions, db::EncounterRepository::Transitions(c, id));
  return v;
}

Result<EncounterView> FlowService::CheckIn(const Actor& by, int64_t appointment_id, bool override_day) {
  auto conn = pool_.Acquire();
  int64_t encounter_id = 0;
  int64_t location_id = 0;
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto appt, db::AppointmentRepository::Find(c, appointment_id));
    if (!appt) return Error::NotFound("no appointment with id " + std::to_string(appointment_id));
    if (appt->encounter_id) {
      return Error::Conflict("already_checked_in", "the patient is already checked in for this appointment");
    }
    CD_RETURN_IF_ERROR(CheckTransition(appt->status, kStatusCheckedIn));
    TimePoint now = clock_.Now();
    CivilDate today = InstantToLocal(now, appt->time_zone).date;
    CivilDate day = InstantToLocal(FromMillis(appt->start_at), appt->time_zone).date;
    std::string detail = "appointment " + std::to_string(appointment_id);
    if (day != today) {
      if (!override_day) {
        return Error::Conflict("not_today",
                               "this appointment is on " + day.ToString() + ", not today (" + today.ToString() +
                                   "); check in anyway to override");
      }
      detail += " booked for " + day.ToString() + ", checked in on " + today.ToString() + " by override";
    }
    int64_t now_ms = ToMillis(now);
    db::EncounterRow e;
    e.patient_id = appt->patient_id;
    e.appointment_id = appointment_id;
    e.location_id = appt->location_id;
    e.provider_id = appt->provider_id;
    e.room_id = appt->room_id;
    e.state = std::string(kArrived);
    e.arrived_at = now_ms;
    auto inserted = db::EncounterRepository::Insert(c, e);
    if (!inserted.ok()) {
      if (db::IsUniqueViolation(inserted.error())) {
        return Error::Conflict("already_checked_in", "the patient is already checked in for this appointment");
      }
      return std::move(inserted).error();
    }
    encounter_id = *inserted;
    location_id = e.location_id;
    CD_ASSIGN_OR_RETURN(int64_t tid,
                        db::EncounterRepository::AddTransition(c, encounter_id, "", std::string(kArrived), now_ms,
                                                               by.username));
    events_.NoteLatest(tid);
    CD_RETURN_IF_ERROR(
        db::AppointmentRepository::UpdateStatus(c, appointment_id, std::string(kStatusCheckedIn), "", now_ms));
    CD_RETURN_IF_ERROR(db::AppointmentRepository::AddHistory(c, appointment_id, std::string(kStatusCheckedIn), now_ms,
                                                             by.username, override_day && day != today ? "override" : ""));
    if (outbound_) CD_RETURN_IF_ERROR(outbound_->VisitChanged(c, Hl7VisitEvent::kCheckedIn, encounter_id));
    return audit_.AppendInTx(c, audit_.Make(by, override_day && day != today ? "check_in_override" : "check_in",
                                            audit_category::kEncounter, e.patient_id, "success", detail));
  });
  if (!st.ok()) return std::move(st).error();
  events_.Publish(location_id);
  return Load(*conn, encounter_id);
}

Result<EncounterView> FlowService::WalkIn(const Actor& by, int64_t patient_id, int64_t location_id,
                                          std::optional<int64_t> provider_id) {
  auto location = schedule_.GetLocation(location_id);
  if (!location.ok()) return Error::Unprocessable("location_id", location.error().message, "unknown_reference");
  if (provider_id) {
    auto provider = schedule_.GetProvider(*provider_id);
    if (!provider.ok()) return Error::Unprocessable("provider_id", provider.error().message, "unknown_reference");
  }
  auto conn = pool_.Acquire();
  int64_t id = 0;
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_RETURN_IF_ERROR(RequireCurrentPatient(c, patient_id));
    int64_t now = ToMillis(clock_.Now());
    db::EncounterRow e;
    e.patient_id = patient_id;
    e.location_id = location_id;
    e.provider_id = provider_id;
    e.state = std::string(kArrived);
    e.arrived_at = now;
    e.walk_in = true;
    CD_ASSIGN_OR_RETURN(id, db::EncounterRepository::Insert(c, e));
    CD_ASSIGN_OR_RETURN(int64_t tid,
                        db::EncounterRepository::AddTransition(c, id, "", std::string(kArrived), now, by.username));
    events_.NoteLatest(tid);
    if (outbound_) CD_RETURN_IF_ERROR(outbound_->VisitChanged(c, Hl7VisitEvent::kCheckedIn, id));
    return audit_.AppendInTx(c, audit_.Make(by, "walk_in", audit_category::kEncounter, patient_id, "success",
                                            "encounter " + std::to_string(id)));
  });
  if (!st.ok()) return std::move(st).error();
  events_.Publish(location_id);
  return Load(*conn, id);
}

Result<EncounterView> FlowService::Transition(const Actor& by, int64_t encounter_id, const std::string& to,
                                              std::optional<int64_t> room_id) {
  auto conn = pool_.Acquire();
  int64_t location_id = 0;
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto e, db::EncounterRepository::Find(c, encounter_id));
    if (!e) return Error::NotFound("no encounter with id " + std::to_string(encounter_id));
    CD_RETURN_IF_ERROR(CheckFlowTransition(e->state, to));
    int64_t now = ToMillis(clock_.Now());
    std::optional<int64_t> ended = IsTerminalState(to) ? std::optional<int64_t>(now) : std::nullopt;
    CD_ASSIGN_OR_RETURN(bool moved,
                        db::EncounterRepository::UpdateState(c, encounter_id, e->version, to, now, ended, room_id));
    if (!moved) return Error::Conflict("concurrent_change", "someone else moved this patient just now; reload");
    CD_ASSIGN_OR_RETURN(int64_t tid,
                        db::EncounterRepository::AddTransition(c, encounter_id, e->state, to, now, by.username));
    events_.NoteLatest(tid);
    if (e->appointment_id && (to == kCompleted || to == kLeftWithoutBeingSeen)) {
      // The appointment is done either way; LWBS keeps checked_in with a note.
      if (to == kCompleted) {
        CD_RETURN_IF_ERROR(db::AppointmentRepository::UpdateStatus(c, *e->appointment_id,
                                                                   std::string(kStatusCompleted), "", now));
      }
      CD_RETURN_IF_ERROR(db::AppointmentRepository::AddHistory(
          c, *e->appointment_id, to == kCompleted ? std::string(kStatusCompleted) : "left_without_being_seen", now,
          by.username, ""));
    }
    location_id = e->location_id;
    if (outbound_ && (to == kCompleted || to == kLeftWithoutBeingSeen)) {
      CD_RETURN_IF_ERROR(outbound_->VisitChanged(c, Hl7VisitEvent::kEnded, encounter_id));
    }
    return audit_.AppendInTx(c, audit_.Make(by, "transition", audit_category::kEncounter, e->patient_id, "success",
                                            "encounter " + std::to_string(encounter_id) + ": " + e->state + " -> " +
                                                to));
  });
  if (!st.ok()) return std::move(st).error();
  events_.Publish(location_id);
  return Load(*conn, encounter_id);
}

Result<EncounterView> FlowService::Undo(const Actor& by, int64_t encounter_id) {
  auto conn = pool_.Acquire();
  int64_t location_id = 0;
  auto st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    CD_ASSIGN_OR_RETURN(auto e, db::EncounterRepository::Find(c, encounter_id));
    if (!e) return Error::NotFound("no encounter with id " + std::to_string(encounter_id));
    CD_ASSIGN_OR_RETURN(auto transitions, db::EncounterRepository::Transitions(c, encounter_id));
    // The live steps, oldest first; the first is the arrival itself.
    std::vector<const db::TransitionRow*> live;
    for (const auto& t : transitions) {
      if (!t.undone_at) live.push_back(&t);
    }
    if (live.size() < 2) return Error::Conflict("nothing_to_undo", "there is no step to undo after arrival");
    const db::TransitionRow& last = *live.back();
    const db::TransitionRow& before = *live[live.size() - 2];
    int64_t now = ToMillis(clock_.Now());
    CD_ASSIGN_OR_RETURN(bool moved, db::EncounterRepository::UpdateState(c, encounter_id, e->version, last.from_state,
                                                                         before.at, std::nullopt, std::nullopt));
    if (!moved) return Error::Conflict("concurrent_change", "someone else moved this patient just now; reload");
    CD_RETURN_IF_ERROR(db::EncounterRepository::MarkUndone(c, last.id, now, by.username));
    if (e->appointment_id && last.to_state == kCompleted) {
      CD_RETURN_IF_ERROR(db::AppointmentRepository::UpdateStatus(c, *e->appointment_id,
                                                                 std::string(kStatusCheckedIn), "", now));
    }
    if (e->appointment_id && IsTerminalState(last.to_state)) {
      CD_RETURN_IF_ERROR(db::AppointmentRepository::AddHistory(c, *e->appointment_id, std::string(kStatusCheckedIn),
                                                               now, by.username, "undo of " + last.to_state));
    }
    location_id = e->location_id;
    if (outbound_ && (last.to_state == kCompleted || last.to_state == kLeftWithoutBeingSeen)) {
      CD_RETURN_IF_ERROR(outbound_->VisitChanged(c, Hl7VisitEvent::kEndUndone, encounter_id));
    }
    return audit_.AppendInTx(c, audit_.Make(by, "undo", audit_category::kEncounter, e->patient_id, "success",
                                            "encounter " + std::to_string(encounter_id) + ": undid " +
                                                last.from_state + " -> " + last.to_state));
  });
  if (!st.ok()) return std::move(st).error();
  {
    auto latest = db::EncounterRepository::LatestTransitionId(*conn);
    if (latest.ok()) events_.NoteLatest(*latest);
  }
  events_.Publish(location_id);
  return Load(*conn, encounter_id);
}

Result<EncounterView> FlowService::Get(const Actor& by, int64_t encounter_id) {
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(EncounterView v, Load(*conn, encounter_id));
  CD_RETURN_IF_ERROR(audit_.Record(audit_.Make(by, "read", audit_category::kEncounter, v.row.patient_id, "success",
                                               "encounter " + std::to_string(encounter_id))));
  return v;
}

Result<SearchPage<db::EncounterRow>> FlowService::Search(const Actor& by, const EncounterCriteria& q, bool count,
                                                         bool rows) {
  return ReadSearchPage<db::EncounterRow, db::EncounterRepository>(pool_, audit_, by, q, count, rows,
                                                                   audit_category::kEncounter, "encounter search");
}

Result<Board> FlowService::BoardFor(const Actor& by, int64_t location_id) {
  CD_ASSIGN_OR_RETURN(Location location, schedule_.GetLocation(location_id));
  Board board;
  board.location = location;
  board.now = clock_.Now();
  int64_t now = ToMillis(board.now);
  std::vector<db::EncounterRow> rows;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(rows, db::EncounterRepository::Active(*conn, location_id));
  }
  FlowThresholds t{location.flow_warn_minutes, location.flow_alert_minutes};
  std::vector<AuditRecord> records;
  for (auto& e : rows) {
    BoardRow r;
    r.state_minutes = MinutesBetween(e.state_since, now);
    r.waiting_minutes = MinutesBetween(e.arrived_at, now);
    r.level = LevelFor(e.state, r.state_minutes, t);
    records.push_back(audit_.Make(by, "view", audit_category::kEncounter, e.patient_id, "success", "flow board"));
    r.encounter = std::move(e);
    board.rows.push_back(std::move(r));
  }
  CD_RETURN_IF_ERROR(audit_.Record(std::move(records)));
  return board;
}

}  // namespace caredesk

// Patient flow: check-in creates the encounter, walk-ins too; transitions
// along the state machine with who and when; undo of the last step; the
// live board of a location. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "app/flow_events.h"
#include "app/schedule_service.h"
#include "app/search_page.h"
#include "domain/flow/encounter_flow.h"
#include "storage/encounter_repository.h"

namespace caredesk {

class Hl7OutboundService;

struct EncounterView {
  db::EncounterRow row;
  std::vector<db::TransitionRow> transitions;
};

struct BoardRow {
  db::EncounterRow encounter;
  int64_t state_minutes = 0;
  int64_t waiting_minutes = 0;  // since arrival
  WaitLevel level = WaitLevel::kOk;
};

struct Board {
  Location location;
  TimePoint now;
  std::vector<BoardRow> rows;
};

class FlowService {
 public:
  FlowService(db::Pool& pool, const Clock& clock, AuditLog& audit, ScheduleService& schedule, FlowEvents& events)
      : pool_(pool), clock_(clock), audit_(audit), schedule_(schedule), events_(events) {}

  // Errors: not booked → 409 invalid_transition; booked for another day in
  // the location's zone → 409 not_today unless `override` (audited);
  // already checked in → 409 already_checked_in.
  Result<EncounterView> CheckIn(const Actor& by, int64_t appointment_id, bool override_day);
  Result<EncounterView> WalkIn(const Actor& by, int64_t patient_id, int64_t location_id,
                               std::optional<int64_t> provider_id);
  Result<EncounterView> Transition(const Actor& by, int64_t encounter_id, const std::string& to,
                                   std::optional<int64_t> room_id);
  Result<EncounterView> Undo(const Actor& by, int64_t encounter_id);
  Result<EncounterView> Get(const Actor& by, int64_t encounter_id);
  // The encounters matching `q` (a page; the total too when `count`; only the total when `rows` is false),
  // audited per patient shown or named.
  Result<SearchPage<db::EncounterRow>> Search(const Actor& by, const EncounterCriteria& q, bool count, bool rows);
  Result<Board> BoardFor(const Actor& by, int64_t location_id);

  // Outbound HL7 v2: check-ins (A04), ends (A03) and their undo (A13) queue their ADT message in their
  // own transaction (Hl7OutboundService::VisitChanged). Wired once, before the first request.
  void UseOutbound(Hl7OutboundService* outbound) { outbound_ = outbound; }

 private:
  Result<EncounterView> Load(db::Connection& c, int64_t id);

  db::Pool& pool_;
  const Clock& clock_;
  AuditLog& audit_;
  ScheduleService& schedule_;
  FlowEvents& events_;
  Hl7OutboundService* outbound_ = nullptr;
};

}  // namespace caredesk

// Slot search, booking, cancellation, rescheduling and no-shows. A booking
// commits only if it claims every 5-minute unit of its slot under the
// database's primary key, so the same slot is never booked twice, whatever
// the concurrency and however many server processes share the database.
// Thread-safe.
#pragma once

#include <algorithm>
#include <optional>
#include <thread>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "app/busy_cache.h"
#include "app/schedule_service.h"
#include "app/search_page.h"
#include "core/fifo_mutex.h"
#include "storage/appointment_repository.h"
#include "storage/write_batcher.h"

namespace caredesk {

class Hl7OutboundService;

struct BookingRequest {
  int64_t patient_id = 0;
  int64_t appointment_type_id = 0;
  int64_t provider_id = 0;
  int64_t location_id = 0;
  TimePoint start;
  std::optional<int64_t> room_id;
  std::string notes;
  bool overbook = false;  // book on top of an existing booking, where the provider's policy allows
};

struct AppointmentView {
  db::AppointmentRow row;
  std::vector<db::HistoryRow> history;
  std::string join_url;  // telehealth only
};

class AppointmentService {
 public:
  AppointmentService(db::Pool& pool, const Clock& clock, AuditLog& audit, ScheduleService& schedule,
                     std::string telehealth_url_pattern)
      : pool_(pool),
        writes_(pool),
        clock_(clock),
        audit_(audit),
        schedule_(schedule),
        join_pattern_(std::move(telehealth_url_pattern)) {}

  Result<std::vector<Slot>> Slots(const SlotQuery& query);

  // Errors: unknown patient → 422 field patient_id; a start that is not a slot
  // → 422 not_a_slot; in the past → 422 in_the_past; taken → 409 slot_taken.
  Result<AppointmentView> Book(const Actor& by, const BookingRequest& req);
  // Book inside the caller's write transaction (a FHIR transaction Bundle's): the same checks, writes, HL7
  // message and audit entry, committed or rolled back with the caller's transaction.
  Result<AppointmentView> BookInTx(db::Connection& c, const Actor& by, const BookingRequest& req);
  Result<AppointmentView> Cancel(const Actor& by, int64_t id, const std::string& reason);
  Result<AppointmentView> Reschedule(const Actor& by, int64_t id, TimePoint start, std::optional<int64_t> provider_id);
  Result<AppointmentView> MarkNoShow(const Actor& by, int64_t id);
  // Replaces the appointment's notes (any status); audited as "update_notes". NotFound.
  Result<AppointmentView> UpdateNotes(const Actor& by, int64_t id, const std::string& notes);

  Result<AppointmentView> Get(const Actor& by, int64_t id);
  Result<std::vector<db::AppointmentRow>> List(const Actor& by, const db::AppointmentFilter& filter);
  // The appointments matching `q` (a page; the total too when `count`; only the total when `rows` is
  // false), audited per patient shown or named.
  Result<SearchPage<db::AppointmentRow>> Search(const Actor& by, const AppointmentCriteria& q, bool count,
                                                bool rows);

  std::string JoinUrlFor(const db::AppointmentRow& row) const;

  // Outbound HL7 v2: every booking change queues its SIU message in its own transaction
  // (Hl7OutboundService::AppointmentChanged). Wired once, before the first request; nullptr = none.
  void UseOutbound(Hl7OutboundService* outbound) { outbound_ = outbound; }

 private:
  Result<AppointmentView> Load(db::Connection& c, int64_t id);
  // A booking checked against the set-up and read into its row, before any write.
  struct Prepared {
    Slot slot;
    Provider provider;
    AppointmentView view;  // the row and its first history entry, completed by Write
  };
  Result<Prepared> Prepare(const BookingRequest& req);
  // The booking written on `c`: the row, its slot claim (Conflict slot_taken), its history, its HL7 message
  // and its audit entry.
  Status Write(db::Connection& c, const Actor& by, const BookingRequest& req, Prepared& p);
  // Claims the slot's units at seat 0, or at the first free overbooking seat
  // when allowed; false when every permitted seat is taken.
  Result<std::optional<int>> Claim(db::Connection& c, const Provider& provider, const Slot& slot, bool overbook,
                                   int64_t appointment_id);

  db::Pool& pool_;
  db::WriteBatcher writes_;  // bookings and their changes, group-committed
  // Slot searches are CPU-bound (about 0.3 ms each). At most one per core runs
  // at a time, the rest wait in arrival order: with the server's many workers
  // time-slicing them instead, a search could be preempted by every later
  // one, and the tail latency under load was three times the mean.
  BusyCache busy_;
  FifoSemaphore search_gate_{2 * std::max(1u, std::thread::hardware_concurrency())};
  const Clock& clock_;
  AuditLog& audit_;
  ScheduleService& schedule_;
  std::string join_pattern_;
  Hl7OutboundService* outbound_ = nullptr;
};

}  // namespace caredesk

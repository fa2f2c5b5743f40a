// Outbound HL7 v2: CareDesk's own bookings, their changes and check-ins sent as SIU and ADT to the MLLP
// peers an admin configures (at run time, in the database: hl7_peers, migration 0020).
//
// Transactional outbox. AppointmentService and FlowService call AppointmentChanged / VisitChanged inside
// the transaction of the change: the message is rendered there (hl7v2::WriteSiu / WriteAdt, with the
// patient's demographics and MRN, the appointment or visit, the location's time zone) and one
// hl7_outbound row is inserted per enabled peer taking that feed, so a message exists exactly when its
// change committed. Without an enabled peer nothing is read or written: the check is an atomic load of a
// cached flag, reloaded when peers change here and on every dispatcher pass (changes by other processes).
//
// Events: Book S12, Reschedule S13, Cancel S15 (SCH-6 the reason), MarkNoShow S26; CheckIn and WalkIn A04,
// completed or left without being seen A03, undo of either A13. (A11 is not sent: CareDesk cannot undo a
// check-in.)
//
// Dispatcher (a thread, Start/Stop; DispatchOnce is one pass, for tests and the thread). For each enabled
// peer, the messages that are pending, due (next_attempt_at <= now) and have no earlier message of the same
// peer and patient pending or dead are sent in id order over one kept-open MLLP connection per peer. A
// message is first claimed by moving its next_attempt_at on (compare-and-set), so two server processes never
// both send it. Outcome by MSA-1: AA/CA sent; AR/CR dead at once; AE/CE, an ACK for another control id, no
// ACK, timeouts and connection errors are retried after Backoff(attempts) (5 s doubling to 10 min) until
// max_attempts, then dead. last_error says what happened. A dead message holds its patient's later messages
// at that peer until it is retried (pending again, attempts 0) or discarded; other patients proceed.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "storage/hl7_outbound_repository.h"
#include "storage/pool.h"

namespace caredesk {

namespace mllp {
class MllpClient;
}

// CareDesk's changes as outbound events, in the services' terms; the .cc maps them to the SIU and ADT
// events of domain/hl7v2 (hl7v2_outbound.h stays out of this header, which the services include).
enum class Hl7AppointmentEvent {
  kBooked,       // SIU S12
  kRescheduled,  // S13
  kModified,     // S14
  kCancelled,    // S15
  kDeleted,      // S17
  kNoShow,       // S26
};
enum class Hl7VisitEvent {
  kCheckedIn,       // ADT A04
  kEnded,           // A03 (completed, or left without being seen)
  kUpdated,         // A08
  kCheckInUndone,   // A11
  kEndUndone,       // A13
};

struct Hl7OutboundOptions {
  std::string application = "CareDesk";  // MSH-3
  std::string facility = "CareDesk";     // MSH-4, the assigning authority of MRNs and ids
  int max_attempts = 8;
  std::chrono::milliseconds first_backoff{std::chrono::seconds(5)};
  std::chrono::milliseconds max_backoff{std::chrono::minutes(10)};
  std::chrono::milliseconds poll_interval{std::chrono::milliseconds(500)};  // the dispatcher's passes
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  std::chrono::milliseconds write_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};
};

struct Hl7PeerInput {
  std::string name;
  std::string host;
  int64_t port = 0;
  bool enabled = true;
  bool siu = true;
  bool adt = true;
};

struct Hl7OutboundList {
  std::vector<db::Hl7OutboundRow> items;
  int64_t total = 0;
  int64_t pending = 0;  // of all messages, whatever the filter
  int64_t dead = 0;
};

struct Hl7DispatchReport {
  int sent = 0;
  int retried = 0;  // failed, to be tried again
  int dead = 0;
};

class Hl7OutboundService {
 public:
  Hl7OutboundService(db::Pool& pool, const Clock& clock, AuditLog& audit, Hl7OutboundOptions options = {});
  ~Hl7OutboundService();
  Hl7OutboundService(const Hl7OutboundService&) = delete;
  Hl7OutboundService& operator=(const Hl7OutboundService&) = delete;

  // --- Peers (audited). Errors name the field: name (required, unique: 409 name_taken), host
  // (required, no spaces), port (1–65535), feeds (at least one of siu, adt).
  Result<std::vector<db::Hl7PeerRow>> Peers(const Actor& by);
  Result<db::Hl7PeerRow> AddPeer(const Actor& by, const Hl7PeerInput& in);
  Result<db::Hl7PeerRow> UpdatePeer(const Actor& by, int64_t id, const Hl7PeerInput& in);
  // Deletes the peer and its queue. NotFound.
  Status DeletePeer(const Actor& by, int64_t id);

  // --- The outbox, inside the caller's write transaction on `c`. Cheap (no query) when no peer is enabled.
  Status AppointmentChanged(db::Connection& c, Hl7AppointmentEvent event, int64_t appointment_id,
                            const std::string& reason = {});
  Status VisitChanged(db::Connection& c, Hl7VisitEvent event, int64_t encounter_id);
  // A patient's demographics changed: ADT A08 without a visit (PV1 class O only) to the ADT peers.
  Status PatientChanged(db::Connection& c, int64_t patient_id);
  // `merged_id` was merged into `survivor_id` (after the move: the survivor has the identifiers it took
  // over): ADT A40 to the ADT peers, in the survivor's order.
  Status PatientsMerged(db::Connection& c, int64_t survivor_id, int64_t merged_id);

  // --- The queue.
  Result<Hl7OutboundList> List(const Actor& by, const db::Hl7OutboundFilter& f);
  // One message with its text (audited as a read of the patient's demographics). NotFound.
  Result<db::Hl7OutboundRow> Get(const Actor& by, int64_t id);
  // dead → pending, due now, attempts 0. NotFound; Conflict not_dead.
  Result<db::Hl7OutboundRow> Retry(const Actor& by, int64_t id);
  // dead → discarded (the patient's later messages proceed). NotFound; Conflict not_dead.
  Result<db::Hl7OutboundRow> Discard(const Actor& by, int64_t id);

  // --- The dispatcher.
  // One pass: sends every message eligible now, peer by peer. Errors only when the database fails.
  Result<Hl7DispatchReport> DispatchOnce();
  // The thread: a pass every poll_interval (sooner after Wake). Idempotent.
  void Start();
  void Stop();
  void Wake();

  // The delay before the next attempt after `attempts` failed ones (1, 2, ...).
  std::chrono::milliseconds Backoff(int attempts) const;
  // Queue depth (pending) and dead letters, as of the dispatcher's last pass.
  int64_t pending_gauge() const { return pending_gauge_.load(); }
  int64_t dead_gauge() const { return dead_gauge_.load(); }

 private:
  struct PeerCache {
    std::vector<db::Hl7PeerRow> enabled;
  };
  Result<std::shared_ptr<const PeerCache>> EnabledPeers(db::Connection& c);
  void Invalidate();
  Status Enqueue(db::Connection& c, bool siu, int64_t patient_id, const std::string& event,
                 const std::string& control_id, const std::string& text);
  Result<db::Hl7PeerRow> Validate(const Hl7PeerInput& in, int64_t id);
  Status SendPeer(const db::Hl7PeerRow& peer, Hl7DispatchReport& report);
  Status RefreshGauges();

  db::Pool& pool_;
  const Clock& clock_;
  AuditLog& audit_;
  Hl7OutboundOptions options_;

  // -1 unknown (load on the next change), 0 no enabled peer, 1 some.
  std::atomic<int> any_enabled_{-1};
  std::mutex cache_mu_;
  std::shared_ptr<const PeerCache> cache_;

  std::mutex send_mu_;  // one pass at a time; guards clients_
  std::map<int64_t, std::unique_ptr<mllp::MllpClient>> clients_;

  std::atomic<int64_t> pending_gauge_{0};
  std::atomic<int64_t> dead_gauge_{0};

  std::mutex thread_mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace caredesk

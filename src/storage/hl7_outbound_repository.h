// Outbound HL7 v2 in the database (migration 0020): the MLLP peers CareDesk sends to, and the
// queue of messages owed to them (statuses documented in the migration and in
// app/hl7_outbound_service.h). Thread-compatible: static functions over the caller's connection.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/db.h"

namespace caredesk::db {

namespace hl7_outbound_status {
inline constexpr char kPending[] = "pending";
inline constexpr char kSent[] = "sent";
inline constexpr char kDead[] = "dead";
inline constexpr char kDiscarded[] = "discarded";
}  // namespace hl7_outbound_status

struct Hl7PeerRow {
  int64_t id = 0;
  std::string name;
  std::string host;
  int port = 0;
  bool enabled = true;
  bool siu = true;  // takes the SIU feed
  bool adt = true;  // takes the ADT feed
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct Hl7OutboundRow {
  int64_t id = 0;
  int64_t peer_id = 0;
  int64_t patient_id = 0;
  std::string event;       // SIU^S12
  std::string control_id;  // MSH-10
  std::string message;     // List leaves it empty
  int64_t created_at = 0;
  std::string status;
  int attempts = 0;
  int64_t next_attempt_at = 0;
  std::string last_error;
  std::string ack_code;
  std::optional<int64_t> sent_at;
  std::string peer_name;  // joined
};

struct Hl7OutboundFilter {
  std::optional<std::string> status;
  std::optional<int64_t> peer_id;
  int limit = 50;
  int offset = 0;
};

class Hl7PeerRepository {
 public:
  // Conflict unique_violation when the name is taken.
  static Result<int64_t> Insert(Connection& c, const Hl7PeerRow& p);
  // False when there is no peer `p.id`.
  static Result<bool> Update(Connection& c, const Hl7PeerRow& p);
  // Deletes the peer and its queue. False when there is none.
  static Result<bool> Delete(Connection& c, int64_t id);
  static Result<std::optional<Hl7PeerRow>> Find(Connection& c, int64_t id);
  // By name.
  static Result<std::vector<Hl7PeerRow>> List(Connection& c);
};

class Hl7OutboundRepository {
 public:
  // Queues `m` (status pending, attempts 0; its id, status and results are ignored).
  static Result<int64_t> Insert(Connection& c, const Hl7OutboundRow& m);
  static Result<std::optional<Hl7OutboundRow>> Find(Connection& c, int64_t id);
  // The peer's messages that may be sent now, oldest first: pending, next_attempt_at <= now, and no
  // earlier message of the same peer and patient pending or dead.
  static Result<std::vector<Hl7OutboundRow>> Eligible(Connection& c, int64_t peer_id, int64_t now, int limit);
  // An attempt's outcome. `status` pending (a retry at next_attempt_at), sent or dead; attempts + 1.
  static Status RecordAttempt(Connection& c, int64_t id, const std::string& status, int64_t next_attempt_at,
                              const std::string& last_error, const std::string& ack_code,
                              std::optional<int64_t> sent_at);
  // dead → pending due at `now`, attempts 0. False when the message is not dead.
  static Result<bool> Retry(Connection& c, int64_t id, int64_t now);
  // dead → discarded. False when the message is not dead.
  static Result<bool> Discard(Connection& c, int64_t id);
  // Newest first without the message text, and how many match in all.
  static Result<std::pair<std::vector<Hl7OutboundRow>, int64_t>> List(Connection& c, const Hl7OutboundFilter& f);
  // (status, count) of every status present.
  static Result<std::vector<std::pair<std::string, int64_t>>> CountByStatus(Connection& c);
};

}  // namespace caredesk::db

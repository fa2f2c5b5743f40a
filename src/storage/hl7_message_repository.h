// Inbound HL7 v2 messages and their outcomes in the database (migration
// 0018; the statuses are documented there and in app/hl7_inbound_service.h).
// The raw text is stored exactly as received: as text when it is valid UTF-8
// without NUL bytes, otherwise base64-encoded, and always read back as the
// original bytes. Thread-compatible: static functions over the caller's
// connection.
#pragma once

#include <optional>
#include <string_view>
#include <string>
#include <utility>
#include <vector>

#include "storage/db.h"

namespace caredesk::db {

struct Hl7MessageRow {
  int64_t id = 0;
  int64_t received_at = 0;  // epoch ms
  std::string peer;
  std::string control_id;
  std::string sending_application;
  std::string sending_facility;
  std::string message_type;
  std::string trigger_event;
  std::string version;
  std::string raw;  // the bytes as received (List leaves it empty)
  std::string status;
  std::string ack_code;
  std::string error_code;
  std::string error_text;
  std::string error_location;
  std::string note;
  std::optional<int64_t> patient_id;
  int attempts = 0;
  std::optional<int64_t> processed_at;
};

// What processing decided, written by RecordOutcome.
struct Hl7Outcome {
  std::string status;
  std::string ack_code;
  std::string error_code;
  std::string error_text;
  std::string error_location;
  std::string note;
  std::optional<int64_t> patient_id;
};

struct Hl7MessageFilter {
  std::optional<std::string> status;
  std::optional<int64_t> patient_id;
  int limit = 50;
  int offset = 0;
};

class Hl7MessageRepository {
 public:
  // Stores `row` (its id, attempts and processed_at are ignored: 0 and NULL) and returns the new id.
  static Result<int64_t> Insert(Connection& c, const Hl7MessageRow& row);
  // The id the next message will have, for a message stored once it is processed (InsertProcessed):
  // its audit entries name it. Inside a write transaction: on SQLite the largest id + 1 (writers are
  // serialised, so nobody else takes it before the caller commits), on PostgreSQL the identity's next value.
  static Result<int64_t> NextId(Connection& c);
  // Stores `row` as it is, with its id (from NextId), outcome, attempts and processed_at, and `raw`
  // as its text (row.raw is not read): a message and its outcome in one INSERT.
  static Status InsertProcessed(Connection& c, const Hl7MessageRow& row, std::string_view raw);
  // Records an attempt's outcome: attempts + 1, processed_at = `at`. False when there is no message `id`.
  static Result<bool> RecordOutcome(Connection& c, int64_t id, const Hl7Outcome& outcome, int64_t at);
  // The message with its raw text; nullopt when there is none.
  static Result<std::optional<Hl7MessageRow>> Find(Connection& c, int64_t id);
  // Messages newest first (received_at, then id), without their raw text, and how many match in all.
  static Result<std::pair<std::vector<Hl7MessageRow>, int64_t>> List(Connection& c, const Hl7MessageFilter& f);
  // How many messages wait for someone: (status, count) for failed, rejected and received, the statuses
  // Reprocess takes (a range of the status index each, however many messages were applied).
  static Result<std::vector<std::pair<std::string, int64_t>>> CountNeedingAttention(Connection& c);
  // Messages other than `except_id` from the same sender with the same MSH-10 that were applied or ignored,
  // oldest first, with their raw text: the candidates a retransmission duplicates.
  static Result<std::vector<Hl7MessageRow>> Processed(Connection& c, const std::string& sending_application,
                                                      const std::string& sending_facility,
                                                      const std::string& control_id, int64_t except_id);
};

}  // namespace caredesk::db

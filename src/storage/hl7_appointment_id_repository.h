// The appointment ids other systems give CareDesk appointments (migration
// 0019): SCH-1 placer and SCH-2 filler ids of inbound SIU messages, unique per
// (system, kind, value). Thread-compatible: static functions over the caller's
// connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/db.h"

namespace caredesk::db {

inline constexpr char kPlacerId[] = "placer";
inline constexpr char kFillerId[] = "filler";

struct Hl7AppointmentIdRow {
  std::string system;
  std::string kind;  // kPlacerId | kFillerId
  std::string value;
  int64_t appointment_id = 0;
};

class Hl7AppointmentIdRepository {
 public:
  // Maps the id to `row.appointment_id`. True when added, false when it already named that
  // appointment; Conflict "appointment_id_taken" (field = system|kind|value) when it names another.
  static Result<bool> Add(Connection& c, const Hl7AppointmentIdRow& row, int64_t at);
  // The CareDesk appointment an outside id names.
  static Result<std::optional<int64_t>> Find(Connection& c, const std::string& system, const std::string& kind,
                                             const std::string& value);
  // An appointment's outside ids, by system, kind and value.
  static Result<std::vector<Hl7AppointmentIdRow>> ForAppointment(Connection& c, int64_t appointment_id);
};

}  // namespace caredesk::db

// The identifiers other systems give patients (migration 0018): an assigning
// authority (`system`), a value and a type, unique per (system, value). HL7
// v2 PID-3 is matched against them; FHIR Patient.identifier will be too.
// Thread-compatible: static functions over the caller's connection.
#pragma once

#include <string>
#include <vector>

#include "storage/db.h"

namespace caredesk::db {

struct PatientIdentifierRow {
  int64_t patient_id = 0;
  std::string system;
  std::string value;
  std::string type;
};

struct IdentifierKey {
  std::string system;
  std::string value;
};

class PatientIdentifierRepository {
 public:
  // Adds the identifier to `row.patient_id`. True when added, false when the patient already had it;
  // Conflict "identifier_taken" (field = the identifier) when another patient has it.
  static Result<bool> Add(Connection& c, const PatientIdentifierRow& row, int64_t at);
  // The stored identifiers among `keys` with their patients, in the order of `keys` (absent ones skipped).
  static Result<std::vector<PatientIdentifierRow>> FindAny(Connection& c, const std::vector<IdentifierKey>& keys);
  // A patient's identifiers by system and value.
  static Result<std::vector<PatientIdentifierRow>> ForPatient(Connection& c, int64_t patient_id);
  // The identifiers of several patients, by patient, system and value.
  static Result<std::vector<PatientIdentifierRow>> ForPatients(Connection& c, const std::vector<int64_t>& ids);
};

}  // namespace caredesk::db

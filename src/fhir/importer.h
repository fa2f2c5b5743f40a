// Bulk import of FHIR resources from files (`caredesk import fhir`): ndjson files (one resource a line) and
// JSON files holding a Bundle (transaction, batch, collection, searchset: their entries' resources) or one
// resource, such as Synthea's patient bundles.
//
// Patients become CareDesk patients (through PatientStore: validated, in the search index, identifiers kept,
// what CareDesk does not model kept as sent). A patient whose identifier (system and value) CareDesk already
// knows, with the same birth date and family name, is that patient, updated, so importing a file again
// creates nobody twice. Two people are never merged on an identifier alone: a patient whose identifier
// belongs to someone else (another name or birth date) is registered as a new patient without that
// identifier in the index (it stays in the resource as sent), with a warning in the report. Practitioners become
// providers, and Encounters that are over become CareDesk encounters at the location they name or at one made
// (once) for the Organization that provided them (visit_import.h says how each is read); what those two carry
// that CareDesk does not model is kept beside the record and served back (kept_as_sent.h). One imported before
// is updated, so importing again makes nothing twice. The types CareDesk has no model of are kept as sent
// (ResourceStore) with the ids they came with (a UUID from a `urn:uuid:` fullUrl for one without an id), so a
// second import writes their next versions. Coverages become coverages of their patients, after the types
// kept as sent so a payor may be an Organization of the same import (coverage_store.h); one imported before,
// or one of the same payer and member id, is updated. The other types CareDesk models (Location,
// Appointment, ...) are counted and reported as skipped.
//
// References are resolved across every file of the import: `urn:uuid:<id>`, a fullUrl, or `Type/<id>` as the
// source named the resource becomes `Patient/<CareDesk id>` or `Type/<id>`. The names of the patients
// imported, and of the providers and encounters, are kept (fhir_import_names, migration 0027), so a later
// import (another ndjson file) that refers to them resolves too. References to resources in neither are stored as given.
//
// The resources of an import are read into memory first (to resolve references in any order), then written:
// patients kPatientBatch to a transaction (each in a savepoint, so one refused leaves the rest), practitioners
// one a transaction, encounters kBatch to a transaction (one audit entry per patient), the rest in
// transactions of kBatch resources, each with one audit entry per patient it touches. A resource that cannot be read or written is reported (file and line or entry) and the
// import goes on. Thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "app/schedule_service.h"
#include "fhir/patient_store.h"
#include "fhir/resource_store.h"
#include "fhir/coverage_store.h"
#include "fhir/visit_store.h"

namespace caredesk::fhir {

struct ImportReport {
  int64_t read = 0;                      // resources read from the files
  std::map<std::string, int64_t> written;  // by type: created or updated
  int64_t patients_created = 0;
  int64_t patients_updated = 0;           // matched by identifier
  std::map<std::string, int64_t> skipped;  // by type: modelled types not imported, entries that are not writes
  int64_t failed = 0;
  std::vector<std::string> errors;         // the first kMaxErrors, "where: what"
  std::vector<std::string> warnings;       // written, but with something to know (first kMaxErrors)
  static constexpr size_t kMaxErrors = 50;
};

class FhirImporter {
 public:
  static constexpr size_t kBatch = 500;         // resources kept as sent, a transaction
  static constexpr size_t kPatientBatch = 100;  // patients, a transaction
  using Progress = std::function<void(std::string_view phase, int64_t done, int64_t total)>;

  FhirImporter(PatientStore& patients, ScheduleService& schedule, ResourceStore& resources, db::Pool& pool)
      : patients_(patients), resources_(resources), pool_(pool),
        visits_(schedule, resources.audit(), pool, resources.clock()),
        coverages_(patients.service(), pool, resources.clock()) {}

  // Imports every .ndjson and .json file of `inputs` (a directory: the files in it, in name order).
  // Fails only when an input cannot be opened or nothing could be read at all.
  Result<ImportReport> Import(const Actor& by, const std::vector<std::filesystem::path>& inputs,
                              const Progress& progress = {});

 private:
  PatientStore& patients_;
  ResourceStore& resources_;
  db::Pool& pool_;
  VisitStore visits_;
  CoverageStore coverages_;
};

}  // namespace caredesk::fhir

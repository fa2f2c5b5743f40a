// A patient merge moves the FHIR resources kept as sent about the duplicate to the record that stays, and an
// unmerge moves them back: main wires this as PatientMergeService's observer. Each moved resource gets a new
// version whose references to the one patient name the other (Patient/<id>, relative or as an absolute URL
// ending so; its `patient` or `subject` among them), so a search, `$everything`-style export or _revinclude
// of the survivor finds the duplicate's conditions, allergies, observations and survey responses, and the
// history keeps what they said before. Only the patient's own resources move (those whose `patient` or
// `subject` is the duplicate); a resource about someone else that also names the duplicate stays as given.
// Thread-safe (stateless beyond the store).
#pragma once

#include "app/patient_merge_service.h"
#include "fhir/resource_store.h"

namespace caredesk::fhir {

class KeptResourceMoves : public PatientMergeObserver {
 public:
  explicit KeptResourceMoves(ResourceStore& resources) : resources_(resources) {}

  // How a merge counts what it moved here ("moved":{"fhir_resources":N}).
  static constexpr std::string_view kKind = "fhir_resources";

  std::string_view Kind() const override { return kKind; }
  // The duplicate's current resources, each a new version about the survivor; audited, one entry per patient
  // (category clinical, action merge).
  Result<int64_t> Merged(db::Connection& c, const Actor& by, const db::PatientMergeRow& merge,
                         int64_t now_ms) override;
  // Those the merge moved that are still about the survivor (not deleted, not written about someone else
  // since), each a new version about the duplicate again.
  Result<int64_t> Unmerged(db::Connection& c, const Actor& by, const db::PatientMergeRow& merge,
                           int64_t now_ms) override;

 private:
  // `rows` (about `from`) written as new versions naming `to` where they named `from`; the seqs of those
  // written.
  Result<std::vector<int64_t>> Move(db::Connection& c, const Actor& by, std::vector<db::FhirResourceRow> rows,
                                    int64_t from, int64_t to, int64_t now_ms);
  Status Audit(db::Connection& c, const Actor& by, const db::PatientMergeRow& merge, int64_t n, bool back);

  ResourceStore& resources_;
};

// Every reference in `resource` to Patient/<from> (relative, or an absolute URL ending so) made one to
// Patient/<to>, keeping a URL's base; how many changed.
int RenamePatient(boost::json::object& resource, int64_t from, int64_t to);

}  // namespace caredesk::fhir

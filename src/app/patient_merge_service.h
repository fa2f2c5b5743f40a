// Merging a duplicate patient record into the record that stays, and undoing it: registration's duplicate
// clean-up, and what an HL7 v2 ADT^A40 asks for. A merge moves the duplicate's appointments, encounters,
// coverages, consents, cases, survey invitations and responses, survey opt-out and identifiers from other
// systems to the survivor; the duplicate stays, marked merged into the survivor, out of search and closed to
// new bookings, visits and edits. An unmerge moves back exactly what the merge moved (what was added to the
// survivor since stays with it) and reopens the duplicate. Both are audited against both patients, with who,
// when and why. Thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "app/patient_service.h"
#include "storage/patient_merge_repository.h"
#include "storage/pool.h"

namespace caredesk {

// What else a merge moves: the patient's data that lives outside CareDesk's own tables (main wires the FHIR
// resources kept as sent, fhir::KeptResourceMoves). Told inside the merge's or unmerge's transaction, after
// CareDesk's rows moved; it audits what it writes, records what it moved (PatientMergeRepository::RecordMoves,
// under Kind()) and returns how many it moved. An error rolls the merge or unmerge back.
class PatientMergeObserver {
 public:
  virtual ~PatientMergeObserver() = default;
  virtual std::string_view Kind() const = 0;
  virtual Result<int64_t> Merged(db::Connection& c, const Actor& by, const db::PatientMergeRow& merge,
                                 int64_t now_ms) = 0;
  // Moves back what merge `merge` moved that is still the survivor's.
  virtual Result<int64_t> Unmerged(db::Connection& c, const Actor& by, const db::PatientMergeRow& merge,
                                   int64_t now_ms) = 0;
};

class PatientMergeService {
 public:
  PatientMergeService(db::Pool& pool, const Clock& clock, AuditLog& audit, PatientService& patients)
      : pool_(pool), clock_(clock), audit_(audit), patients_(patients) {}

  // The longest reason kept, in bytes.
  static constexpr size_t kMaxReason = 500;

  // Merges `merged_id` into `survivor_id`. Errors name the field: Invalid merged_id when they are the same
  // record; NotFound for an unknown survivor, Unprocessable unknown_patient merged_id for an unknown
  // duplicate; Conflict already_merged (merged_id) or patient_merged (survivor_id) when either is merged;
  // Invalid reason when the reason is longer than kMaxReason.
  Result<db::PatientMergeRow> Merge(const Actor& by, int64_t survivor_id, int64_t merged_id, std::string_view reason);
  // Merge inside the caller's write transaction (an inbound HL7 message's); once it has committed the
  // caller calls Settled with the result, which takes the merged record out of the search index.
  Result<db::PatientMergeRow> MergeInTx(db::Connection& c, const Actor& by, int64_t survivor_id, int64_t merged_id,
                                        std::string_view reason);
  void Settled(const db::PatientMergeRow& merge) { patients_.Forget(merge.merged_id); }

  // Outbound HL7 v2: a merge queues an ADT A40, an unmerge an A08 for each record, in the same transaction
  // (Hl7OutboundService). Wired once, before the first request; nullptr = none.
  void UseOutbound(Hl7OutboundService* outbound) { outbound_ = outbound; }
  // Wired once, before the first request; nullptr = none.
  void UseObserver(PatientMergeObserver* observer) { observer_ = observer; }

  // Undoes merge `merge_id`: NotFound when there is none; Conflict already_undone, or patient_merged when
  // its survivor was since merged into another record (undo that first). Returns the merge, undone, with
  // `moved` now counting what moved back.
  Result<db::PatientMergeRow> Unmerge(const Actor& by, int64_t merge_id, std::string_view reason);

  // The merges the patient took part in, newest first (NotFound for an unknown patient). Audited as a read
  // of the patient and of each other record shown.
  Result<std::vector<db::PatientMergeRow>> ForPatient(const Actor& by, int64_t patient_id);
  // One merge (NotFound when there is none), audited as a read of both records.
  Result<db::PatientMergeRow> Get(const Actor& by, int64_t merge_id);

 private:
  db::Pool& pool_;
  const Clock& clock_;
  AuditLog& audit_;
  PatientService& patients_;
  Hl7OutboundService* outbound_ = nullptr;
  PatientMergeObserver* observer_ = nullptr;
};

}  // namespace caredesk

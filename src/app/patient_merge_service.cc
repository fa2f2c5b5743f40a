#include "app/patient_merge_service.h"

#include <algorithm>

#include "app/hl7_outbound_service.h"
#include "storage/patient_repository.h"

namespace caredesk {
namespace {

// "3 appointments, 1 encounters, 2 identifiers", or "nothing".
std::string DescribeMoved(const std::map<std::string, int64_t>& moved) {
  std::string out;
  for (const auto& [kind, n] : moved) {
    if (!out.empty()) out += ", ";
    out += std::to_string(n) + " " + kind;
  }
  return out.empty() ? "nothing" : out;
}

std::string Named(int64_t id, const std::string& mrn) {
  return "patient " + std::to_string(id) + (mrn.empty() ? "" : " (MRN " + mrn + ")");
}

}  // namespace

Result<db::PatientMergeRow> PatientMergeService::Merge(const Actor& by, int64_t survivor_id, int64_t merged_id,
                                                       std::string_view reason) {
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto merge, db::InTransaction(*conn, true, [&](db::Connection& c) {
                        return MergeInTx(c, by, survivor_id, merged_id, reason);
                      }));
  Settled(merge);
  return merge;
}

Result<db::PatientMergeRow> PatientMergeService::MergeInTx(db::Connection& c, const Actor& by, int64_t survivor_id,
                                                           int64_t merged_id, std::string_view reason) {
  if (reason.size() > kMaxReason) {
    return Error::Invalid("reason", "the reason is longer than " + std::to_string(kMaxReason) + " characters");
  }
  if (survivor_id == merged_id) return Error::Invalid("merged_id", "a record cannot be merged into itself");
  CD_ASSIGN_OR_RETURN(auto both, db::PatientRepository::FindDemographics(c, {survivor_id, merged_id}));
  const Patient* survivor = nullptr;
  const Patient* merged = nullptr;
  for (const Patient& p : both) (p.id == survivor_id ? survivor : merged) = &p;
  if (survivor == nullptr) return Error::NotFound("no patient with id " + std::to_string(survivor_id), "survivor_id");
  if (merged == nullptr) {
    return Error::Unprocessable("merged_id", "no patient with id " + std::to_string(merged_id), "unknown_patient");
  }
  if (merged->merged_into) {
    return Error::Conflict("already_merged",
                           Named(merged_id, merged->mrn) + " was already merged into patient " +
                               std::to_string(*merged->merged_into),
                           "merged_id");
  }
  if (survivor->merged_into) return MergedPatient(survivor_id, *survivor->merged_into, "survivor_id");
  const int64_t now = ToMillis(clock_.Now());
  CD_ASSIGN_OR_RETURN(db::PatientMergeRow merge,
                      db::PatientMergeRepository::Merge(c, survivor_id, merged_id, now, by.username, reason));
  if (observer_) {
    CD_ASSIGN_OR_RETURN(int64_t n, observer_->Merged(c, by, merge, now));
    if (n > 0) merge.moved[std::string(observer_->Kind())] = n;
  }
  merge.survivor_mrn = survivor->mrn;
  merge.survivor_name = survivor->given_name + " " + survivor->family_name;
  merge.merged_mrn = merged->mrn;
  merge.merged_name = merged->given_name + " " + merged->family_name;
  const std::string why = reason.empty() ? "" : ": " + std::string(reason);
  std::vector<AuditRecord> records;
  records.push_back(audit_.Make(by, "merge", audit_category::kDemographics, merged_id, "success",
                                "merged into " + Named(survivor_id, survivor->mrn) + why));
  records.push_back(audit_.Make(by, "merge", audit_category::kDemographics, survivor_id, "success",
                                Named(merged_id, merged->mrn) + " merged into this record, moving " +
                                    DescribeMoved(merge.moved) + why));
  CD_RETURN_IF_ERROR(audit_.AppendInTx(c, std::move(records)));
  if (outbound_) CD_RETURN_IF_ERROR(outbound_->PatientsMerged(c, survivor_id, merged_id));
  return merge;
}

Result<db::PatientMergeRow> PatientMergeService::Unmerge(const Actor& by, int64_t merge_id, std::string_view reason) {
  if (reason.size() > kMaxReason) {
    return Error::Invalid("reason", "the reason is longer than " + std::to_string(kMaxReason) + " characters");
  }
  std::optional<Patient> reopened;
  auto conn = pool_.Acquire();
  CD_ASSIGN_OR_RETURN(auto merge, db::InTransaction(*conn, true, [&](db::Connection& c) -> Result<db::PatientMergeRow> {
    CD_ASSIGN_OR_RETURN(auto found, db::PatientMergeRepository::Find(c, merge_id));
    if (!found) return Error::NotFound("no patient merge with id " + std::to_string(merge_id));
    db::PatientMergeRow m = std::move(*found);
    if (m.undone_at_ms) return Error::Conflict("already_undone", "this merge was already undone");
    CD_ASSIGN_OR_RETURN(auto survivor_into, db::PatientMergeRepository::MergedInto(c, m.survivor_id));
    if (survivor_into) {
      return Error::Conflict("patient_merged", Named(m.survivor_id, m.survivor_mrn) +
                                                   " was since merged into patient " + std::to_string(*survivor_into) +
                                                   "; undo that merge first");
    }
    int64_t now = ToMillis(clock_.Now());
    CD_ASSIGN_OR_RETURN(auto back, db::PatientMergeRepository::Unmerge(c, m, now, by.username, reason));
    if (observer_) {
      CD_ASSIGN_OR_RETURN(int64_t n, observer_->Unmerged(c, by, m, now));
      if (n > 0) back[std::string(observer_->Kind())] = n;
    }
    m.moved = std::move(back);
    m.undone_at_ms = now;
    m.undone_by = by.username;
    m.undo_reason = std::string(reason);
    const std::string why = reason.empty() ? "" : ": " + std::string(reason);
    std::vector<AuditRecord> records;
    records.push_back(audit_.Make(by, "unmerge", audit_category::kDemographics, m.merged_id, "success",
                                  "separated again from " + Named(m.survivor_id, m.survivor_mrn) + why));
    records.push_back(audit_.Make(by, "unmerge", audit_category::kDemographics, m.survivor_id, "success",
                                  Named(m.merged_id, m.merged_mrn) + " separated again, moving back " +
                                      DescribeMoved(m.moved) + why));
    CD_RETURN_IF_ERROR(audit_.AppendInTx(c, std::move(records)));
    if (outbound_) {
      // HL7 v2 has no unmerge: each record's demographics again, the reopened one first.
      CD_RETURN_IF_ERROR(outbound_->PatientChanged(c, m.merged_id));
      CD_RETURN_IF_ERROR(outbound_->PatientChanged(c, m.survivor_id));
    }
    CD_ASSIGN_OR_RETURN(reopened, db::PatientRepository::Find(c, m.merged_id));
    return m;
  }));
  if (reopened) patients_.Indexed(*reopened);
  return merge;
}

Result<std::vector<db::PatientMergeRow>> PatientMergeService::ForPatient(const Actor& by, int64_t patient_id) {
  std::vector<db::PatientMergeRow> merges;
  {
    auto conn = pool_.Acquire();
    CD_RETURN_IF_ERROR(db::InTransaction(*conn, false, [&](db::Connection& c) -> Status {
      CD_ASSIGN_OR_RETURN(auto version, db::PatientRepository::Version(c, patient_id));
      if (!version) return Error::NotFound("no patient with id " + std::to_string(patient_id));
      CD_ASSIGN_OR_RETURN(merges, db::PatientMergeRepository::ForPatient(c, patient_id));
      return Ok();
    }));
  }
  std::vector<AuditRecord> records;
  records.push_back(audit_.Make(by, "read", audit_category::kDemographics, patient_id, "success", "merge history"));
  std::vector<int64_t> shown{patient_id};
  for (const auto& m : merges) {
    for (int64_t other : {m.survivor_id, m.merged_id}) {
      if (std::find(shown.begin(), shown.end(), other) != shown.end()) continue;
      shown.push_back(other);
      records.push_back(audit_.Make(by, "read", audit_category::kDemographics, other, "success",
                                    "named in the merge history of patient " + std::to_string(patient_id)));
    }
  }
  CD_RETURN_IF_ERROR(audit_.Record(std::move(records)));
  return merges;
}

Result<db::PatientMergeRow> PatientMergeService::Get(const Actor& by, int64_t merge_id) {
  std::optional<db::PatientMergeRow> merge;
  {
    auto conn = pool_.Acquire();
    CD_ASSIGN_OR_RETURN(merge, db::PatientMergeRepository::Find(*conn, merge_id));
  }
  if (!merge) return Error::NotFound("no patient merge with id " + std::to_string(merge_id));
  std::vector<AuditRecord> records;
  for (int64_t id : {merge->survivor_id, merge->merged_id}) {
    records.push_back(audit_.Make(by, "read", audit_category::kDemographics, id, "success",
                                  "patient merge " + std::to_string(merge_id)));
  }
  CD_RETURN_IF_ERROR(audit_.Record(std::move(records)));
  return *merge;
}

}  // namespace caredesk

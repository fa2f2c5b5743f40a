#include "fhir/kept_resource_moves.h"

#include <boost/json/parse.hpp>

#include <algorithm>

#include "fhir/references.h"
#include "storage/patient_merge_repository.h"

namespace caredesk::fhir {
namespace json = boost::json;

int RenamePatient(json::object& resource, int64_t from, int64_t to) {
  const std::string old_tail = "Patient/" + std::to_string(from);
  const std::string new_tail = "Patient/" + std::to_string(to);
  int changed = 0;
  EachReference(resource, [&](json::value& ref) {
    const std::string_view r = ref.get_string();
    // "Patient/7", or "<base>/Patient/7"; a versioned reference names that version of that record and stays.
    if (r != old_tail && !(r.ends_with(old_tail) && r[r.size() - old_tail.size() - 1] == '/')) return;
    ref = std::string(r.substr(0, r.size() - old_tail.size())) + new_tail;
    ++changed;
  });
  return changed;
}

Result<std::vector<int64_t>> KeptResourceMoves::Move(db::Connection& c, const Actor& by,
                                                     std::vector<db::FhirResourceRow> rows, int64_t from, int64_t to,
                                                     int64_t now_ms) {
  std::vector<int64_t> moved;
  for (db::FhirResourceRow& row : rows) {
    boost::system::error_code ec;
    json::value body = json::parse(row.body, ec);
    if (ec || !body.is_object()) return Error::Internal(row.resource_type + "/" + row.id + " is not stored as JSON");
    json::object& resource = body.get_object();
    RenamePatient(resource, from, to);
    // One that still names `from` as its patient (a versioned reference) stays. The rows are locked (read with
    // OfPatient's lock), so the version read is the one replaced: a concurrent write waits for the merge.
    if (PatientOf(resource) != to) continue;
    CD_RETURN_IF_ERROR(
        resources_.PutInTx(c, by, row.resource_type, row.id, resource, row.version, now_ms, nullptr));
    moved.push_back(row.seq);
  }
  return moved;
}

Status KeptResourceMoves::Audit(db::Connection& c, const Actor& by, const db::PatientMergeRow& merge, int64_t n,
                                bool back) {
  if (n == 0) return Ok();
  const std::string what = std::to_string(n) + " FHIR resource" + (n == 1 ? "" : "s");
  const std::string survivor = "patient " + std::to_string(merge.survivor_id);
  const std::string merged = "patient " + std::to_string(merge.merged_id);
  const std::string via = " (patient merge " + std::to_string(merge.id) + ")";
  std::vector<AuditRecord> records;
  const char* action = back ? "unmerge" : "merge";
  records.push_back(resources_.audit().Make(by, action, audit_category::kClinical, merge.merged_id, "success",
                                            what + (back ? " moved back from " + survivor : " moved to " + survivor) +
                                                via));
  records.push_back(resources_.audit().Make(by, action, audit_category::kClinical, merge.survivor_id, "success",
                                            what + (back ? " moved back to " + merged : " moved from " + merged) + via));
  return resources_.audit().AppendInTx(c, std::move(records));
}

Result<int64_t> KeptResourceMoves::Merged(db::Connection& c, const Actor& by, const db::PatientMergeRow& merge,
                                          int64_t now_ms) {
  CD_ASSIGN_OR_RETURN(auto rows, db::FhirResourceRepository::OfPatient(c, merge.merged_id, /*lock=*/true));
  CD_ASSIGN_OR_RETURN(auto moved, Move(c, by, std::move(rows), merge.merged_id, merge.survivor_id, now_ms));
  CD_RETURN_IF_ERROR(db::PatientMergeRepository::RecordMoves(c, merge.id, kKind, moved));
  const auto n = static_cast<int64_t>(moved.size());
  CD_RETURN_IF_ERROR(Audit(c, by, merge, n, /*back=*/false));
  return n;
}

Result<int64_t> KeptResourceMoves::Unmerged(db::Connection& c, const Actor& by, const db::PatientMergeRow& merge,
                                            int64_t now_ms) {
  CD_ASSIGN_OR_RETURN(const std::vector<int64_t> seqs, db::PatientMergeRepository::Moves(c, merge.id, kKind));
  if (seqs.empty()) return 0;
  CD_ASSIGN_OR_RETURN(auto rows, db::FhirResourceRepository::OfPatient(c, merge.survivor_id, /*lock=*/true));
  std::erase_if(rows, [&](const db::FhirResourceRow& r) { return !std::binary_search(seqs.begin(), seqs.end(), r.seq); });
  CD_ASSIGN_OR_RETURN(auto moved, Move(c, by, std::move(rows), merge.survivor_id, merge.merged_id, now_ms));
  const auto n = static_cast<int64_t>(moved.size());
  CD_RETURN_IF_ERROR(Audit(c, by, merge, n, /*back=*/true));
  return n;
}

}  // namespace caredesk::fhir

// ADT^A40: merge patient records (see the A40 line of hl7_inbound_service.h).
#include "app/hl7_inbound_service.h"
#include "core/text.h"

namespace caredesk {
namespace {

using hl7v2::AckCode;
using hl7v2::AckError;
using hl7v2::ErrorCondition;

std::string Listed(const std::vector<hl7v2::AdtIdentifier>& ids) {
  std::string out;
  for (const auto& i : ids) out += (out.empty() ? "" : ", ") + i.value + " of " + i.system;
  return out;
}

std::string Named(const hl7v2::HierarchicDesignator& hd) {
  return hd.namespace_id.empty() ? hd.universal_id : hd.namespace_id;
}

// Stops the transaction so that nothing of the message is written; the refusal says why.
Error Refused() { return Error::Conflict("hl7_refused", "the message was refused"); }

}  // namespace

Result<Hl7InboundService::Decision> Hl7InboundService::ApplyMerge(const Actor& by, int64_t id,
                                                                  const hl7v2::AdtMessage& adt, Decision d) {
  if (merges_ == nullptr) {
    SetError(d, hl7_status::kRejected, AckCode::kReject,
             AckError{ErrorCondition::kUnsupportedEventCode, hl7v2::ParseErrorLocation("MSH-9"),
                      "ADT^A40 (merge) is not configured on this server", hl7v2::Severity::kError});
    return d;
  }
  const std::string app = Named(d.header.sending_application), facility = Named(d.header.sending_facility);
  // MSH-3 and MSH-4 are the sender's to fill: what is kept of them stays within a merge's reason.
  const std::string reason(
      Utf8Prefix("HL7 ADT^A40 message " + std::to_string(id) + (app.empty() ? "" : " from " + app) +
                     (facility.empty() ? "" : " at " + facility),
                 PatientMergeService::kMaxReason));
  std::optional<AckError> refusal;
  std::vector<db::PatientMergeRow> done;
  std::vector<std::string> notes;
  bool changed = false;
  // The one patient the identifiers name: nullopt when none; `refusal` set when several.
  auto one_patient = [&](db::Connection& c, const std::vector<hl7v2::AdtIdentifier>& ids,
                         std::string_view location) -> Result<std::optional<int64_t>> {
    CD_ASSIGN_OR_RETURN(auto found, db::PatientIdentifierRepository::FindAny(c, KeysOf(ids)));
    Match m;
    MatchByIdentifiers(found, m, location);
    refusal = m.error;
    return m.patient_id;
  };
  auto conn = pool_.Acquire();
  Status st = db::InTransaction(*conn, true, [&](db::Connection& c) -> Status {
    const int64_t now = ToMillis(clock_.Now());
    for (size_t i = 0; i < adt.merges.size(); ++i) {
      const hl7v2::AdtMerge& group = adt.merges[i];
      const std::string which = adt.merges.size() > 1 ? " (patient group " + std::to_string(i + 1) + ")" : "";
      CD_ASSIGN_OR_RETURN(auto prior, one_patient(c, group.prior_identifiers, "MRG-1"));
      if (refusal) return Refused();
      if (!prior) {
        refusal = AckError{ErrorCondition::kUnknownKeyIdentifier, hl7v2::ParseErrorLocation("MRG-1"),
                           "no CareDesk patient has identifier " + Listed(group.prior_identifiers) + which,
                           hl7v2::Severity::kError};
        return Refused();
      }
      CD_ASSIGN_OR_RETURN(auto survivor, one_patient(c, group.survivor.identifiers, "PID-3"));
      if (refusal) return Refused();
      if (!survivor) {
        // The surviving identifiers are new to CareDesk: the record named by MRG-1 takes them.
        for (const auto& ident : group.survivor.identifiers) {
          CD_RETURN_IF_ERROR(
              db::PatientIdentifierRepository::Add(c, {*prior, ident.system, ident.value, ident.type}, now));
        }
        CD_RETURN_IF_ERROR(audit_.AppendInTx(
            c, audit_.Make(by, "update", audit_category::kDemographics, *prior, "success",
                           "identifiers " + Listed(group.survivor.identifiers) + " added: " + reason)));
        notes.push_back("patient " + std::to_string(*prior) + " (MRG-1 " + Listed(group.prior_identifiers) +
                        ") now also has " + Listed(group.survivor.identifiers) +
                        ", which named no CareDesk patient" + which);
        if (!d.outcome.patient_id) d.outcome.patient_id = *prior;
        changed = true;
        continue;
      }
      if (!d.outcome.patient_id) d.outcome.patient_id = *survivor;
      if (*prior == *survivor) {
        notes.push_back("MRG-1 and PID-3 name the same CareDesk patient " + std::to_string(*survivor) +
                        ": nothing to merge" + which);
        continue;
      }
      auto merged = merges_->MergeInTx(c, by, *survivor, *prior, reason);
      if (!merged.ok()) {
        const Error& e = merged.error();
        if (e.reason == "already_merged" && e.field == "merged_id") {
          CD_ASSIGN_OR_RETURN(auto into, db::PatientMergeRepository::MergedInto(c, *prior));
          if (into == *survivor) {
            notes.push_back("patient " + std::to_string(*prior) + " was already merged into patient " +
                            std::to_string(*survivor) + which);
            continue;
          }
        }
        if (e.code != ErrorCode::kConflict) return e;
        refusal = AckError{ErrorCondition::kApplicationInternalError,
                           hl7v2::ParseErrorLocation(e.field == "survivor_id" ? "PID-3" : "MRG-1"),
                           e.message + which, hl7v2::Severity::kError};
        return Refused();
      }
      std::string moved;
      for (const auto& [kind, n] : merged->moved) moved += (moved.empty() ? "" : ", ") + std::to_string(n) + " " + kind;
      notes.push_back("patient " + std::to_string(*prior) + " merged into patient " + std::to_string(*survivor) +
                      " (merge " + std::to_string(merged->id) + ", moving " + (moved.empty() ? "nothing" : moved) +
                      ")" + which);
      done.push_back(std::move(*merged));
      changed = true;
    }
    return Ok();
  });
  if (refusal) {
    SetError(d, hl7_status::kFailed, AckCode::kError, *refusal);
    return d;
  }
  if (!st.ok()) return std::move(st).error();
  for (const auto& m : done) merges_->Settled(m);
  for (auto& n : notes) d.notes.push_back(std::move(n));
  if (!changed) d.outcome.status = hl7_status::kIgnored;
  return d;
}

}  // namespace caredesk

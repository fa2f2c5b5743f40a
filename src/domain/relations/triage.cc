#include "domain/relations/triage.h"

#include <string>

#include "core/text.h"

namespace caredesk::relations {
namespace {

TriageReason Reason(std::string_view code, std::string_view text) {
  return TriageReason{std::string(code), std::string(text)};
}

}  // namespace

bool IsWritten(const IntakeFacts& facts) { return facts.written || IsWrittenChannel(facts.channel); }

TriageProposal ProposeTriage(const IntakeFacts& facts) {
  TriageProposal p;
  if (IsWritten(facts)) {
    p.reasons.push_back(Reason(kReasonWritten,
                               "The concern was made in writing (a letter, email, web form, note or fax); a "
                               "written complaint is always a grievance (SOM A-0118)."));
  }
  if (!facts.resolved_promptly_by_staff_present) {
    p.reasons.push_back(Reason(kReasonNotResolvedPromptly,
                               "Staff present could not resolve the concern promptly, so it is a grievance "
                               "(42 CFR 482.13(a)(2); SOM A-0118)."));
  }
  if (facts.response_requested) {
    p.reasons.push_back(Reason(kReasonResponseRequested,
                               "The patient or representative asked for a response or for formal handling, "
                               "which makes the concern a grievance (SOM A-0118)."));
  }
  if (facts.alleges_abuse_or_neglect) {
    p.reasons.push_back(Reason(kReasonAbuseOrNeglect,
                               "The concern alleges abuse or neglect, which is always a grievance "
                               "(SOM A-0118)."));
  }
  if (facts.alleges_conditions_of_participation_breach) {
    p.reasons.push_back(Reason(kReasonConditionsOfParticipation,
                               "The concern is about the hospital's compliance with the CMS Conditions of "
                               "Participation, which makes it a grievance (SOM A-0118)."));
  }
  if (facts.medicare_billing_rights_issue) {
    p.reasons.push_back(Reason(kReasonMedicareBillingRights,
                               "The concern is a Medicare beneficiary billing complaint about rights and "
                               "limitations under 42 CFR 489, which is a grievance; ordinary billing questions "
                               "are not (SOM A-0118)."));
  }
  if (p.reasons.empty()) {
    p.proposed = CaseKind::kComplaint;
    p.reasons.push_back(Reason(kReasonResolvedPromptly,
                               "The concern was made verbally and resolved promptly by staff present, with no "
                               "response requested and no allegation that makes it a grievance, so it is a "
                               "complaint (SOM A-0118)."));
  } else {
    p.proposed = CaseKind::kGrievance;
  }
  if (facts.quality_of_care_concern) {
    p.qio_concerns.push_back(Reason(kReasonQualityOfCare,
                                    "The concern is about the quality of care; the patient may also take it "
                                    "to the Quality Improvement Organization (QIO)."));
  }
  if (facts.premature_discharge_concern) {
    p.qio_concerns.push_back(Reason(kReasonPrematureDischarge,
                                    "The concern is about a premature discharge; the patient may ask the "
                                    "Quality Improvement Organization (QIO) to review it."));
  }
  p.offer_qio_referral = p.proposed == CaseKind::kGrievance && !p.qio_concerns.empty();
  return p;
}

Result<TriageDecision> ConfirmTriage(const TriageProposal& proposal, CaseKind chosen,
                                     std::string_view override_reason) {
  if (chosen != CaseKind::kComplaint && chosen != CaseKind::kGrievance) {
    return Error::Invalid("chosen",
                          "triage chooses between complaint and grievance, not " + std::string(CaseKindName(chosen)),
                          "invalid_kind");
  }
  TriageDecision d;
  d.proposed = proposal.proposed;
  d.chosen = chosen;
  d.reasons = proposal.reasons;
  d.overridden = chosen != proposal.proposed;
  if (d.overridden) {
    std::string_view reason = TrimSpace(override_reason);
    if (reason.empty()) {
      return Error::Invalid("override_reason",
                            "CareDesk proposed " + std::string(CaseKindName(proposal.proposed)) + "; choosing " +
                                std::string(CaseKindName(chosen)) + " needs a reason",
                            "override_reason_required");
    }
    if (reason.size() > kMaxOverrideReasonLength) {
      return Error::Invalid(
          "override_reason",
          "the override reason is limited to " + std::to_string(kMaxOverrideReasonLength) + " characters", "too_long");
    }
    d.override_reason = std::string(reason);
  }
  d.offer_qio_referral = chosen == CaseKind::kGrievance && !proposal.qio_concerns.empty();
  return d;
}

}  // namespace caredesk::relations

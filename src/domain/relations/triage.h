// Triage of a patient's concern into complaint or grievance by the CMS rules:
// 42 CFR 482.13(a)(2) and the State Operations Manual, Appendix A, tags
// A-0118 to A-0123. CareDesk proposes, the user confirms; overriding the
// proposal needs a stated reason, and the reasons are kept with the decision.
// Pure functions over value types; thread-safe.
//
// A concern is proposed as a grievance when any of these holds (A-0118):
//   - it was made in writing (letter, email, the web form, or a note or fax
//     handed over): a written complaint is always a grievance;
//   - staff present could not resolve it promptly;
//   - the patient (or representative) asked for a response or for formal
//     handling;
//   - it alleges abuse or neglect;
//   - it concerns the hospital's compliance with the Conditions of
//     Participation;
//   - it is a Medicare beneficiary billing complaint about rights and
//     limitations under 42 CFR 489 (ordinary billing questions are not).
// Otherwise it is a complaint: verbal and resolved promptly by staff present.
// Quality-of-care and premature-discharge concerns do not by themselves make
// a grievance; when the case is a grievance they add the offer of a referral
// to the Quality Improvement Organization (QIO).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "domain/relations/case_kind.h"

namespace caredesk::relations {

// What the person taking the concern records at intake.
struct IntakeFacts {
  Channel channel = Channel::kPhone;
  // In writing although the channel is verbal (a note handed over in
  // person, a fax). Letter, email and web form count as written anyway.
  bool written = false;
  bool resolved_promptly_by_staff_present = false;
  bool response_requested = false;
  bool alleges_abuse_or_neglect = false;
  bool alleges_conditions_of_participation_breach = false;
  bool medicare_billing_rights_issue = false;
  bool quality_of_care_concern = false;
  bool premature_discharge_concern = false;
};

// Stable machine codes of the reasons.
inline constexpr std::string_view kReasonWritten = "written";
inline constexpr std::string_view kReasonNotResolvedPromptly = "not_resolved_promptly";
inline constexpr std::string_view kReasonResponseRequested = "response_requested";
inline constexpr std::string_view kReasonAbuseOrNeglect = "abuse_or_neglect";
inline constexpr std::string_view kReasonConditionsOfParticipation = "conditions_of_participation";
inline constexpr std::string_view kReasonMedicareBillingRights = "medicare_billing_rights";
inline constexpr std::string_view kReasonResolvedPromptly = "resolved_promptly";
inline constexpr std::string_view kReasonQualityOfCare = "quality_of_care";
inline constexpr std::string_view kReasonPrematureDischarge = "premature_discharge";

// One reason: a stable code and a sentence for the user and the record.
struct TriageReason {
  std::string code;
  std::string text;

  bool operator==(const TriageReason&) const = default;
};

struct TriageProposal {
  CaseKind proposed = CaseKind::kComplaint;
  // Why `proposed`: every grievance trigger that holds, in the order listed
  // above; for a complaint the single reason "resolved_promptly".
  std::vector<TriageReason> reasons;
  // Quality-of-care and premature-discharge concerns, whatever the kind.
  std::vector<TriageReason> qio_concerns;
  // Proposed as a grievance with at least one QIO concern.
  bool offer_qio_referral = false;
};

// The confirmed triage, as recorded on the case.
struct TriageDecision {
  CaseKind proposed = CaseKind::kComplaint;
  CaseKind chosen = CaseKind::kComplaint;
  std::vector<TriageReason> reasons;  // of the proposal
  bool overridden = false;            // chosen != proposed
  std::string override_reason;        // set exactly when overridden
  // Chosen as a grievance with at least one QIO concern.
  bool offer_qio_referral = false;
};

inline constexpr size_t kMaxOverrideReasonLength = 2000;

// Whether the concern is written: a written channel or the `written` flag.
bool IsWritten(const IntakeFacts& facts);

TriageProposal ProposeTriage(const IntakeFacts& facts);

// Records the user's choice. `chosen` must be complaint or grievance
// (Error::Invalid on field "chosen", reason "invalid_kind"). Choosing other
// than the proposal needs a non-blank `override_reason` of at most
// kMaxOverrideReasonLength bytes after trimming (Error::Invalid on field
// "override_reason", reason "override_reason_required" or "too_long"). When
// the choice agrees with the proposal, `override_reason` is ignored.
Result<TriageDecision> ConfirmTriage(const TriageProposal& proposal, CaseKind chosen, std::string_view override_reason);

}  // namespace caredesk::relations

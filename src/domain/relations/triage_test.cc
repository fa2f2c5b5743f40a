#include "domain/relations/triage.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace caredesk::relations {
namespace {

std::vector<std::string> Codes(const std::vector<TriageReason>& reasons) {
  std::vector<std::string> out;
  out.reserve(reasons.size());
  for (const TriageReason& r : reasons) out.push_back(r.code);
  return out;
}

// Verbal, settled by staff present, nothing alleged: the one complaint case.
IntakeFacts SettledOnTheSpot() {
  IntakeFacts f;
  f.channel = Channel::kInPerson;
  f.resolved_promptly_by_staff_present = true;
  return f;
}

TEST(Triage, VerbalConcernResolvedPromptlyIsAComplaint) {
  TriageProposal p = ProposeTriage(SettledOnTheSpot());
  EXPECT_EQ(p.proposed, CaseKind::kComplaint);
  EXPECT_EQ(Codes(p.reasons), std::vector<std::string>{"resolved_promptly"});
  EXPECT_FALSE(p.reasons[0].text.empty());
  EXPECT_FALSE(p.offer_qio_referral);

  IntakeFacts phone = SettledOnTheSpot();
  phone.channel = Channel::kPhone;
  EXPECT_EQ(ProposeTriage(phone).proposed, CaseKind::kComplaint);
}

struct Trigger {
  std::string code;
  std::function<void(IntakeFacts&)> apply;
};

TEST(Triage, EachTriggerAloneMakesAGrievance) {
  const std::vector<Trigger> triggers = {
      {"written", [](IntakeFacts& f) { f.channel = Channel::kLetter; }},
      {"written", [](IntakeFacts& f) { f.channel = Channel::kEmail; }},
      {"written", [](IntakeFacts& f) { f.channel = Channel::kWebForm; }},
      {"written", [](IntakeFacts& f) { f.written = true; }},  // a note handed over in person
      {"not_resolved_promptly", [](IntakeFacts& f) { f.resolved_promptly_by_staff_present = false; }},
      {"response_requested", [](IntakeFacts& f) { f.response_requested = true; }},
      {"abuse_or_neglect", [](IntakeFacts& f) { f.alleges_abuse_or_neglect = true; }},
      {"conditions_of_participation", [](IntakeFacts& f) { f.alleges_conditions_of_participation_breach = true; }},
      {"medicare_billing_rights", [](IntakeFacts& f) { f.medicare_billing_rights_issue = true; }},
  };
  for (const Trigger& t : triggers) {
    IntakeFacts f = SettledOnTheSpot();
    t.apply(f);
    TriageProposal p = ProposeTriage(f);
    EXPECT_EQ(p.proposed, CaseKind::kGrievance) << t.code;
    EXPECT_EQ(Codes(p.reasons), std::vector<std::string>{t.code});
    EXPECT_NE(p.reasons[0].text.find("A-0118"), std::string::npos) << t.code;
  }
}

TEST(Triage, QualityOfCareAloneDoesNotMakeAGrievance) {
  IntakeFacts f = SettledOnTheSpot();
  f.quality_of_care_concern = true;
  f.premature_discharge_concern = true;
  TriageProposal p = ProposeTriage(f);
  EXPECT_EQ(p.proposed, CaseKind::kComplaint);
  EXPECT_EQ(Codes(p.qio_concerns), (std::vector<std::string>{"quality_of_care", "premature_discharge"}));
  EXPECT_FALSE(p.offer_qio_referral);
}

TEST(Triage, QualityOfCareGrievanceOffersQioReferral) {
  IntakeFacts f;
  f.channel = Channel::kPhone;  // not resolved by staff present
  f.quality_of_care_concern = true;
  TriageProposal p = ProposeTriage(f);
  EXPECT_EQ(p.proposed, CaseKind::kGrievance);
  EXPECT_TRUE(p.offer_qio_referral);
  EXPECT_EQ(Codes(p.qio_concerns), std::vector<std::string>{"quality_of_care"});

  IntakeFacts discharge = SettledOnTheSpot();
  discharge.channel = Channel::kLetter;
  discharge.premature_discharge_concern = true;
  TriageProposal d = ProposeTriage(discharge);
  EXPECT_TRUE(d.offer_qio_referral);
  EXPECT_NE(d.qio_concerns[0].text.find("QIO"), std::string::npos);
}

TEST(Triage, CombinationListsEveryTriggerInRuleOrder) {
  IntakeFacts f;
  f.channel = Channel::kWebForm;
  f.response_requested = true;
  f.alleges_abuse_or_neglect = true;
  f.medicare_billing_rights_issue = true;
  TriageProposal p = ProposeTriage(f);
  EXPECT_EQ(p.proposed, CaseKind::kGrievance);
  EXPECT_EQ(Codes(p.reasons), (std::vector<std::string>{"written", "not_resolved_promptly", "response_requested",
                                                        "abuse_or_neglect", "medicare_billing_rights"}));
}

TEST(Triage, AbuseAllegationStaysAGrievanceEvenIfSettled) {
  IntakeFacts f = SettledOnTheSpot();
  f.alleges_abuse_or_neglect = true;
  EXPECT_EQ(ProposeTriage(f).proposed, CaseKind::kGrievance);
}

TEST(Triage, ConfirmingTheProposalNeedsNoReason) {
  IntakeFacts f;
  f.channel = Channel::kEmail;
  f.quality_of_care_concern = true;
  TriageProposal p = ProposeTriage(f);
  auto d = ConfirmTriage(p, CaseKind::kGrievance, "");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->proposed, CaseKind::kGrievance);
  EXPECT_EQ(d->chosen, CaseKind::kGrievance);
  EXPECT_FALSE(d->overridden);
  EXPECT_TRUE(d->override_reason.empty());
  EXPECT_EQ(d->reasons, p.reasons);
  EXPECT_TRUE(d->offer_qio_referral);

  // A note given while agreeing is not an override reason.
  auto noted = ConfirmTriage(p, CaseKind::kGrievance, "agree");
  ASSERT_TRUE(noted.ok());
  EXPECT_TRUE(noted->override_reason.empty());
}

TEST(Triage, OverridingTheProposalNeedsAReason) {
  IntakeFacts f;
  f.channel = Channel::kEmail;
  f.quality_of_care_concern = true;
  TriageProposal p = ProposeTriage(f);

  for (std::string_view blank : {"", "   ", "\n\t"}) {
    auto d = ConfirmTriage(p, CaseKind::kComplaint, blank);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().field, "override_reason");
    EXPECT_EQ(d.error().reason, "override_reason_required");
    EXPECT_EQ(d.error().code, ErrorCode::kInvalidArgument);
  }

  auto d = ConfirmTriage(p, CaseKind::kComplaint, "  Email from a vendor, not a patient.  ");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->overridden);
  EXPECT_EQ(d->proposed, CaseKind::kGrievance);
  EXPECT_EQ(d->chosen, CaseKind::kComplaint);
  EXPECT_EQ(d->override_reason, "Email from a vendor, not a patient.");
  EXPECT_FALSE(d->offer_qio_referral);
}

TEST(Triage, OverridingToGrievanceOffersQioForQualityConcerns) {
  IntakeFacts f = SettledOnTheSpot();
  f.quality_of_care_concern = true;
  TriageProposal p = ProposeTriage(f);
  ASSERT_EQ(p.proposed, CaseKind::kComplaint);
  auto d = ConfirmTriage(p, CaseKind::kGrievance, "The patient called back still unhappy.");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->overridden);
  EXPECT_TRUE(d->offer_qio_referral);
}

TEST(Triage, RejectsInquiryAndOverlongReasons) {
  TriageProposal p = ProposeTriage(SettledOnTheSpot());
  auto inquiry = ConfirmTriage(p, CaseKind::kInquiry, "it is a question");
  ASSERT_FALSE(inquiry.ok());
  EXPECT_EQ(inquiry.error().field, "chosen");

  auto long_reason = ConfirmTriage(p, CaseKind::kGrievance, std::string(kMaxOverrideReasonLength + 1, 'x'));
  ASSERT_FALSE(long_reason.ok());
  EXPECT_EQ(long_reason.error().field, "override_reason");
  EXPECT_EQ(long_reason.error().reason, "too_long");
}

}  // namespace
}  // namespace caredesk::relations

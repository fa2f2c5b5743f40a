#include "domain/relations/case_intake.h"

#include <gtest/gtest.h>

namespace caredesk::relations {
namespace {

CaseIntake Valid() {
  CaseIntake in;
  in.kind = CaseKind::kComplaint;
  in.channel = Channel::kWebForm;
  in.category = "wait_times";
  in.severity = Severity::kMedium;
  in.description = "Waited two hours past my appointment time without an update.";
  in.patient_id = 42;
  in.contact_preference = ContactPreference::kEmail;
  return in;
}

TEST(CaseIntake, AcceptsACompleteIntake) {
  EXPECT_TRUE(ValidateIntake(Valid(), CaseCategories()).ok());
  CaseIntake inquiry = Valid();
  inquiry.kind = CaseKind::kInquiry;
  inquiry.inquiry_type = InquiryType::kBilling;
  inquiry.category = "billing_rights";
  EXPECT_TRUE(ValidateIntake(inquiry, CaseCategories()).ok());
}

TEST(CaseIntake, InquiryTypeGoesWithInquiriesOnly) {
  CaseIntake inquiry = Valid();
  inquiry.kind = CaseKind::kInquiry;
  auto missing = ValidateIntake(inquiry, CaseCategories());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "inquiry_type");
  EXPECT_EQ(missing.error().reason, "required");

  CaseIntake complaint = Valid();
  complaint.inquiry_type = InquiryType::kRecords;
  EXPECT_EQ(ValidateIntake(complaint, CaseCategories()).error().reason, "not_applicable");
}

TEST(CaseIntake, BadFieldsAreNamed) {
  CaseIntake in = Valid();
  in.category = "parking";
  EXPECT_EQ(ValidateIntake(in, CaseCategories()).error().field, "category");

  in = Valid();
  in.description = "  \n ";
  EXPECT_EQ(ValidateIntake(in, CaseCategories()).error().field, "description");

  in = Valid();
  in.description = std::string(kMaxDescriptionLength + 1, 'x');
  EXPECT_EQ(ValidateIntake(in, CaseCategories()).error().reason, "too_long");

  in = Valid();
  in.desired_outcome = std::string(kMaxDesiredOutcomeLength + 1, 'x');
  EXPECT_EQ(ValidateIntake(in, CaseCategories()).error().field, "desired_outcome");

  in = Valid();
  in.encounter_id = 0;
  auto id = ValidateIntake(in, CaseCategories());
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().field, "encounter_id");
  EXPECT_EQ(id.error().reason, "invalid_id");
}

TEST(CaseIntake, ContactPreferenceNames) {
  EXPECT_EQ(*ParseContactPreference("letter"), ContactPreference::kLetter);
  EXPECT_EQ(ContactPreferenceName(ContactPreference::kNone), "none");
  EXPECT_EQ(ParseContactPreference("pigeon").error().field, "contact_preference");
}

}  // namespace
}  // namespace caredesk::relations
